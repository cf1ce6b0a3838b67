package server

import (
	"context"
	"fmt"

	"github.com/ccdash/ccdash/internal/auth"
)

// ReloadScreens re-reads what other replicas may have changed for the wall displays:
// the stored playlists and the bindings of the devices this replica serves (a screen
// rebound elsewhere). Screens whose board of the moment moved switch at once, on the
// socket they have. Replicas call it on the playlist store's change notification.
func (s *Server) ReloadScreens(ctx context.Context) error {
	if err := s.screens.reload(ctx); err != nil {
		return err
	}
	if s.auth.opts.Devices != nil {
		devs, err := s.auth.opts.Devices.List(ctx)
		if err != nil {
			return fmt.Errorf("server: screens: list devices: %w", err)
		}
		for _, d := range devs {
			if _, known := s.screens.binding(d.ID); known && !d.Revoked {
				s.screens.remember(d.ID, auth.Binding{Board: d.Board, Playlist: d.Playlist})
			}
		}
	}
	s.retarget(ctx, "")
	return nil
}

// notifyScreens tells the other replicas a screen was rebound (ScreensOptions.Notify);
// a failure is logged: the binding is stored, and their screens pick it up when they
// reconnect.
func (s *Server) notifyScreens(ctx context.Context) {
	if s.screens.opts.Notify == nil {
		return
	}
	if err := s.screens.opts.Notify(ctx); err != nil {
		s.log.Warn("other replicas not told of a rebound screen", "err", err)
	}
}
