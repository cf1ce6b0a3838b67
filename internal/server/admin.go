package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/views"
)

// requireAdmin returns the admin principal, or answers (login redirect or 403) and
// returns false.
func (s *Server) requireAdmin(w http.ResponseWriter, r *http.Request) (auth.Principal, bool) {
	p, err := s.auth.resolver.Resolve(r)
	switch {
	case err != nil:
		s.failHTML(w, r, err)
	case !p.IsUser():
		s.failHTML(w, r, refuse(errSignIn, "Sign in as an administrator."))
	case !p.IsAdmin():
		s.failHTML(w, r, refuse(errForbidden, "Only administrators may open the admin pages."))
	default:
		return p, true
	}
	return p, false
}

// handleDevices lists wall displays with their last-seen times.
func (s *Server) handleDevices(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	s.renderDevices(w, r, http.StatusOK, p, views.DevicesPageProps{})
}

// handleDeviceCreate makes a device link for a board and shows it once.
func (s *Server) handleDeviceCreate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	if s.auth.opts.Devices == nil {
		s.renderDevices(w, r, http.StatusServiceUnavailable, p, views.DevicesPageProps{Error: "Device links are not enabled on this server."})
		return
	}
	board, name := r.PostFormValue("board"), strings.TrimSpace(r.PostFormValue("name"))
	if _, known := s.boardSet().board(board); !known {
		s.renderDevices(w, r, http.StatusBadRequest, p, views.DevicesPageProps{Error: "Choose one of the boards."})
		return
	}
	d, secret, err := s.auth.opts.Devices.Create(r.Context(), board, name)
	if errors.Is(err, auth.ErrInvalidDevice) {
		s.renderDevices(w, r, http.StatusBadRequest, p, views.DevicesPageProps{Error: "The name must be 1 to 100 characters, without control characters."})
		return
	}
	if err != nil {
		s.failHTML(w, r, failed("Creating the device link failed.", fmt.Errorf("create device: %w", err)))
		return
	}
	link, err := auth.WallURL(s.baseURL(), d.Board, secret)
	if err != nil {
		s.failHTML(w, r, failed("Creating the device link failed.", fmt.Errorf("device link: %w", err)))
		return
	}
	s.log.Info("device created", "device", d.ID, "board", d.Board, "by", p.Name)
	s.renderDevices(w, r, http.StatusOK, p, views.DevicesPageProps{NewURL: link, NewName: d.Name})
}

// handleDeviceRevoke revokes a device and closes its sockets now (4003): the
// display reloads and shows "this screen was unlinked".
func (s *Server) handleDeviceRevoke(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	if s.auth.opts.Devices == nil {
		s.failHTML(w, r, refuse(errNotFound, "Device links are not enabled on this server."))
		return
	}
	err := s.revokeDevice(r.Context(), chi.URLParam(r, "id"), p.Name)
	if errors.Is(err, auth.ErrUnknownDevice) {
		s.renderDevices(w, r, http.StatusNotFound, p, views.DevicesPageProps{Error: "There is no such device."})
		return
	}
	if err != nil {
		s.failHTML(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/devices", http.StatusSeeOther)
}

// revokeDevice revokes device id and closes its sockets now (4003). It returns
// auth.ErrUnknownDevice as is.
func (s *Server) revokeDevice(ctx context.Context, id, by string) error {
	err := s.auth.opts.Devices.Revoke(ctx, id)
	if errors.Is(err, auth.ErrUnknownDevice) {
		return err
	}
	if err != nil {
		return failed("Revoking the device failed.", fmt.Errorf("revoke device %s: %w", id, err))
	}
	n := s.kick(ctx, auth.DeviceKey(id), "this screen was unlinked")
	s.screens.forget(id)
	s.log.Info("device revoked", "device", id, "by", by, "sockets", n)
	return nil
}

func (s *Server) renderDevices(w http.ResponseWriter, r *http.Request, code int, p auth.Principal, props views.DevicesPageProps) {
	props.CSRF = auth.CSRFToken(r.Context())
	props.User = p.Name
	props.Version = s.opts.Build.String()
	props.Boards = s.boardSet().order
	if s.auth.opts.Devices != nil {
		devs, err := s.auth.opts.Devices.List(r.Context())
		if err != nil {
			s.failHTML(w, r, failed("Listing devices failed.", fmt.Errorf("list devices: %w", err)))
			return
		}
		for _, d := range devs {
			row := views.DeviceRow{ID: d.ID, Name: d.Name, Board: d.Board, Created: d.CreatedAt.UTC().Format(time.RFC3339), LastSeen: "never", Revoked: d.Revoked,
				CreatedMS: strconv.FormatInt(d.CreatedAt.UnixMilli(), 10)}
			if !d.LastSeen.IsZero() {
				row.LastSeen = d.LastSeen.UTC().Format(time.RFC3339)
				row.LastSeenMS = strconv.FormatInt(d.LastSeen.UnixMilli(), 10)
			}
			props.Devices = append(props.Devices, row)
		}
	}
	s.renderHTML(w, r, code, views.DevicesPage(props))
}

func itoa(n int) string { return strconv.Itoa(n) }

// kick closes the sockets of principal key here and asks the other replicas to do the
// same; it returns how many sockets closed here.
func (s *Server) kick(ctx context.Context, key, reason string) int {
	if s.opts.KickElsewhere != nil {
		if err := s.opts.KickElsewhere(ctx, key, reason); err != nil {
			s.log.Warn("revoke not sent to the other replicas", "err", err)
		}
	}
	return s.hub.Kick(key, reason)
}

// Kick closes the sockets of principal key on this replica (a revoke made on another).
func (s *Server) Kick(key, reason string) int { return s.hub.Kick(key, reason) }
