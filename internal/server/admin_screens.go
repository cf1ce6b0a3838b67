package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/screens"
	"github.com/ccdash/ccdash/internal/views"
)

// What an action on /admin/screens did, by the done= its redirect carries.
var screenDone = map[string]string{
	"identify": "The screen shows its name for 10 seconds.",
	"reload":   "The screen is reloading.",
	"bind":     "The screen switched.",
	"revoke":   "The screen was unlinked.",
	"pair":     "The screen is paired and opens its board now.",
	"playlist": "The playlist was saved.",
	"deleted":  "The playlist was deleted.",
}

var pairCodeRE = regexp.MustCompile(`^\d{6}$`)

// handleScreens is /admin/screens: every wall display, live.
func (s *Server) handleScreens(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	props := views.ScreensPageProps{Message: screenDone[r.URL.Query().Get("done")]}
	if c := r.URL.Query().Get("code"); pairCodeRE.MatchString(c) {
		props.PairCode = c
	}
	s.renderScreens(w, r, http.StatusOK, p, props)
}

// handleScreensTable is the screens table alone, for the page's refresh.
func (s *Server) handleScreensTable(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	props, err := s.screensProps(r, p, views.ScreensPageProps{})
	if err != nil {
		s.failHTML(w, r, err)
		return
	}
	s.renderHTML(w, r, http.StatusOK, views.ScreensTable(props))
}

func (s *Server) renderScreens(w http.ResponseWriter, r *http.Request, code int, p auth.Principal, props views.ScreensPageProps) {
	props, err := s.screensProps(r, p, props)
	if err != nil {
		s.failHTML(w, r, err)
		return
	}
	s.renderHTML(w, r, code, views.ScreensPage(props))
}

func (s *Server) screensProps(r *http.Request, p auth.Principal, props views.ScreensPageProps) (views.ScreensPageProps, error) {
	props.CSRF, props.User, props.Version = auth.CSRFToken(r.Context()), p.Name, s.opts.Build.String()
	report, err := s.screenReport(r.Context())
	if err != nil {
		return props, err
	}
	props.Screens = report.rows
	props.Targets = s.targets()
	cfg, stored := s.screens.playlists()
	for _, pl := range cfg {
		props.Playlists = append(props.Playlists, playlistRow(pl, true))
	}
	for _, pl := range stored {
		props.Playlists = append(props.Playlists, playlistRow(pl, false))
	}
	return props, nil
}

func playlistRow(p screens.Playlist, fromConfig bool) views.PlaylistRow {
	return views.PlaylistRow{ID: p.ID, Title: p.Title, PinOnAlert: p.PinOnAlert, FromConfig: fromConfig,
		Entries: strings.ReplaceAll(strings.TrimSpace(screens.FormatEntries(p.Entries)), "\n", " · ")}
}

// targets are the boards and playlists a screen can be bound to, as "board:<id>" and
// "playlist:<id>".
func (s *Server) targets() []views.TargetOption {
	set := s.boardSet()
	var out []views.TargetOption
	for _, id := range set.order {
		b, _ := set.board(id)
		out = append(out, views.TargetOption{Value: "board:" + id, Label: "Board: " + b.Title})
	}
	cfg, stored := s.screens.playlists()
	for _, p := range append(cfg, stored...) {
		out = append(out, views.TargetOption{Value: "playlist:" + p.ID, Label: "Playlist: " + cmpOr(p.Title, p.ID)})
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// parseTarget reads a target value into a binding of a board or playlist that exists.
func (s *Server) parseTarget(v string) (auth.Binding, error) {
	kind, id, _ := strings.Cut(v, ":")
	switch kind {
	case "board":
		if _, ok := s.boardSet().board(id); ok {
			return auth.Binding{Board: id}, nil
		}
	case "playlist":
		if _, ok := s.screens.playlist(id); ok {
			return auth.Binding{Playlist: id}, nil
		}
	}
	return auth.Binding{}, refuse(errBadRequest, "Choose one of the boards or playlists.")
}

// screenAction runs fn for device {id} and redirects back to /admin/screens with done.
func (s *Server) screenAction(done string, fn func(w http.ResponseWriter, r *http.Request, p auth.Principal, id string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.requireAdmin(w, r)
		if !ok {
			return
		}
		if s.auth.opts.Devices == nil {
			s.failHTML(w, r, refuse(errUnavailable, "Device links are not enabled on this server."))
			return
		}
		if err := fn(w, r, p, chi.URLParam(r, "id")); err != nil {
			s.screensFailed(w, r, p, err, views.ScreensPageProps{})
			return
		}
		http.Redirect(w, r, "/admin/screens?done="+done, http.StatusSeeOther)
	}
}

// control sends a control message to every socket of device id.
func (s *Server) control(cmd string) func(http.ResponseWriter, *http.Request, auth.Principal, string) error {
	return func(_ http.ResponseWriter, r *http.Request, p auth.Principal, id string) error {
		d, err := s.device(r, id)
		if err != nil {
			return err
		}
		msg := views.Control(cmd, d.Name, s.screens.nextSeq())
		n := 0
		for _, sock := range s.hub.Sockets(auth.DeviceKey(id)) {
			if sock.Key == auth.DeviceKey(id) && s.hub.Send(sock.ID, sock.Topic, msg) {
				n++
			}
		}
		if n == 0 {
			return refuse(errNotFound, "“"+d.Name+"” is not connected.")
		}
		s.log.Info("screen control", "cmd", cmd, "device", id, "sockets", n, "by", p.Name)
		return nil
	}
}

// device returns the device id (not revoked) from the store.
func (s *Server) device(r *http.Request, id string) (auth.Device, error) {
	devs, err := s.auth.opts.Devices.List(r.Context())
	if err != nil {
		return auth.Device{}, failed("Reading the devices failed.", fmt.Errorf("list devices: %w", err))
	}
	for _, d := range devs {
		if d.ID == id && !d.Revoked {
			return d, nil
		}
	}
	return auth.Device{}, refuse(errNotFound, "There is no such screen.")
}

// bindScreen rebinds device id to the posted target: stored in the device record,
// and its open sockets switch at once, on the socket they have.
func (s *Server) bindScreen(_ http.ResponseWriter, r *http.Request, p auth.Principal, id string) error {
	if _, err := s.device(r, id); err != nil {
		return err
	}
	b, err := s.parseTarget(r.PostFormValue("target"))
	if err != nil {
		return err
	}
	if err := s.auth.opts.Devices.Bind(r.Context(), id, b); err != nil {
		return failed("Saving the screen's board failed.", fmt.Errorf("bind device %s: %w", id, err))
	}
	s.screens.remember(id, b)
	s.retarget(r.Context(), id)
	s.notifyScreens(r.Context())
	s.log.Info("screen bound", "device", id, "board", b.Board, "playlist", b.Playlist, "by", p.Name)
	return nil
}

// revokeScreen is Revoke on /admin/devices, from the screens page.
func (s *Server) revokeScreen(_ http.ResponseWriter, r *http.Request, p auth.Principal, id string) error {
	err := s.revokeDevice(r.Context(), id, p.Name)
	if errors.Is(err, auth.ErrUnknownDevice) {
		return refuse(errNotFound, "There is no such screen.")
	}
	return err
}

// screensFailed shows the screens page again with why an action failed (logging
// internal failures, as failHTML does).
func (s *Server) screensFailed(w http.ResponseWriter, r *http.Request, p auth.Principal, err error, props views.ScreensPageProps) {
	code, reason := s.status(w, r, err)
	props.Error = reason
	s.renderScreens(w, r, code, p, props)
}

// handlePlaylistCreate saves a playlist made on the screens page.
func (s *Server) handlePlaylistCreate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	form := views.PlaylistForm{ID: strings.TrimSpace(r.PostFormValue("id")), Title: strings.TrimSpace(r.PostFormValue("title")),
		Entries: r.PostFormValue("entries"), PinOnAlert: r.PostFormValue("pin_on_alert") != ""}
	pl, err := s.newPlaylist(form)
	if err == nil {
		if err = s.screens.opts.Store.Put(r.Context(), pl); err != nil {
			s.failHTML(w, r, failed("Saving the playlist failed.", fmt.Errorf("put playlist: %w", err)))
			return
		}
		err = s.screens.reload(r.Context())
	}
	if err != nil {
		s.screensFailed(w, r, p, err, views.ScreensPageProps{Form: form})
		return
	}
	s.log.Info("playlist saved", "playlist", pl.ID, "by", p.Name)
	http.Redirect(w, r, "/admin/screens?done=playlist", http.StatusSeeOther)
}

// newPlaylist checks a playlist form like the config's playlists (same messages).
func (s *Server) newPlaylist(f views.PlaylistForm) (screens.Playlist, error) {
	if s.screens.opts.Store == nil {
		return screens.Playlist{}, refuse(errUnavailable, "Playlists cannot be stored on this server.")
	}
	if s.screens.isConfigPlaylist(f.ID) {
		return screens.Playlist{}, refuse(errBadRequest, "“"+f.ID+"” is a playlist of the config file; choose another id.")
	}
	entries, err := screens.ParseEntries(f.Entries)
	if err != nil {
		return screens.Playlist{}, refuse(errBadRequest, "boards: "+err.Error())
	}
	pl := screens.Playlist{ID: f.ID, Title: f.Title, Entries: entries, PinOnAlert: f.PinOnAlert}
	set := s.boardSet()
	if err := pl.Validate(func(b string) bool { _, ok := set.board(b); return ok }); err != nil {
		return screens.Playlist{}, refuse(errBadRequest, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return pl, nil
}

// handlePlaylistDelete deletes a stored playlist no device is bound to.
func (s *Server) handlePlaylistDelete(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	id := chi.URLParam(r, "id")
	if err := s.deletePlaylist(r, id); err != nil {
		s.screensFailed(w, r, p, err, views.ScreensPageProps{})
		return
	}
	s.log.Info("playlist deleted", "playlist", id, "by", p.Name)
	http.Redirect(w, r, "/admin/screens?done=deleted", http.StatusSeeOther)
}

func (s *Server) deletePlaylist(r *http.Request, id string) error {
	if s.screens.opts.Store == nil {
		return refuse(errNotFound, "There is no such playlist.")
	}
	if s.auth.opts.Devices != nil {
		devs, err := s.auth.opts.Devices.List(r.Context())
		if err != nil {
			return failed("Reading the devices failed.", fmt.Errorf("list devices: %w", err))
		}
		for _, d := range devs {
			if d.Playlist == id && !d.Revoked {
				return refuse(errBadRequest, "“"+d.Name+"” shows this playlist: show it something else first.")
			}
		}
	}
	err := s.screens.opts.Store.Delete(r.Context(), id)
	if errors.Is(err, screens.ErrUnknownPlaylist) {
		return refuse(errNotFound, "There is no such playlist.")
	}
	if err != nil {
		return failed("Deleting the playlist failed.", fmt.Errorf("delete playlist %s: %w", id, err))
	}
	return s.screens.reload(r.Context())
}

// handleScreenPair completes a pairing code: the TV waiting on /pair becomes a
// device bound to the chosen board or playlist and opens its wall.
func (s *Server) handleScreenPair(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	code, name := strings.TrimSpace(r.PostFormValue("code")), strings.TrimSpace(r.PostFormValue("name"))
	err := s.pair(r, code, name, r.PostFormValue("target"))
	if err != nil {
		s.screensFailed(w, r, p, err, views.ScreensPageProps{PairCode: code})
		return
	}
	s.log.Info("screen paired", "name", name, "by", p.Name)
	http.Redirect(w, r, "/admin/screens?done=pair", http.StatusSeeOther)
}

func (s *Server) pair(r *http.Request, code, name, target string) error {
	if s.auth.opts.Devices == nil {
		return refuse(errUnavailable, "Device links are not enabled on this server.")
	}
	b, err := s.parseTarget(target)
	if err != nil {
		return err
	}
	if err := auth.ValidateDevice("x", name); err != nil {
		return refuse(errBadRequest, "The name must be 1 to 100 characters, without control characters.")
	}
	err = s.screens.pairings.Complete(code, func() (string, error) {
		board := b.Board
		if b.Playlist != "" {
			pl, _ := s.screens.playlist(b.Playlist)
			board = pl.Entries[0].Board
		}
		d, secret, err := s.auth.opts.Devices.Create(r.Context(), board, name)
		if err != nil {
			return "", failed("Creating the device failed.", fmt.Errorf("create device: %w", err))
		}
		if b.Playlist != "" {
			if err := s.auth.opts.Devices.Bind(r.Context(), d.ID, b); err != nil {
				_ = s.auth.opts.Devices.Revoke(r.Context(), d.ID)
				return "", failed("Creating the device failed.", fmt.Errorf("bind device: %w", err))
			}
		}
		u := url.URL{Path: "/wall/" + board, RawQuery: url.Values{auth.DeviceParam: {secret}}.Encode()}
		return u.String(), nil
	})
	if errors.Is(err, screens.ErrUnknownCode) {
		return refuse(errNotFound, "No screen is waiting with that code: check the code on the TV (codes last 5 minutes).")
	}
	return err
}

// sinceText is a short age, "4 s ago" or "12 min ago".
func sinceText(d time.Duration) string {
	switch {
	case d < 0:
		d = 0
	case d >= 48*time.Hour:
		return strconv.Itoa(int(d.Hours()/24)) + " days ago"
	case d >= 90*time.Minute:
		return strconv.Itoa(int(d.Hours())) + " h ago"
	case d >= 90*time.Second:
		return strconv.Itoa(int(d.Minutes())) + " min ago"
	}
	return strconv.Itoa(int(d.Seconds())) + " s ago"
}

// socketState is live, or stale when a write or ping has been in progress longer
// than the screens' StaleAfter: the peer stopped reading.
func (s *Server) socketState(sock hub.SocketInfo, now time.Time) string {
	if !sock.Busy.IsZero() && now.Sub(sock.Busy) > s.screens.opts.StaleAfter {
		return "stale"
	}
	return "live"
}
