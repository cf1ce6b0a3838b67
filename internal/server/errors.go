package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/views"
)

// The kinds of refused request. Handlers return them (usually through refuse, with
// a reason the person can act on); statusOf maps them to statuses in one place.
var (
	errBadRequest  = errors.New("bad request")
	errSignIn      = errors.New("sign in needed")
	errForbidden   = errors.New("forbidden")
	errNotFound    = errors.New("not found")
	errNoDataYet   = errors.New("no data yet")
	errUnavailable = errors.New("unavailable")
	errTooMany     = errors.New("too many connections")
	errConflict    = errors.New("conflict")
)

// statuses is the one table from errors to statuses, checked in order with
// errors.Is. reason is what the person reads when the error carries none of its own;
// useText means the error's own text is meant for users (views' query errors).
var statuses = []struct {
	err     error
	code    int
	reason  string
	useText bool
}{
	{errBadRequest, http.StatusBadRequest, "The address is not valid.", false},
	{errSignIn, http.StatusUnauthorized, "Sign in, or use a device or embed link.", false},
	{errForbidden, http.StatusForbidden, "This link does not give access to this page.", false},
	{errNotFound, http.StatusNotFound, "There is no such page.", false},
	{errNoDataYet, http.StatusServiceUnavailable, "There is no data yet; it will appear shortly.", false},
	{errUnavailable, http.StatusServiceUnavailable, "This is not available on this server.", false},
	{errTooMany, http.StatusTooManyRequests, "Too many live connections from here; close some pages.", false},
	{errConflict, http.StatusConflict, "That conflicts with what the server holds now.", false},
	{auth.ErrRevoked, http.StatusForbidden, "This screen was unlinked. Ask an administrator for a new link.", false},
	{auth.ErrUnknownToken, http.StatusUnauthorized, "This screen's link is not valid. Ask an administrator for a new link.", false},
	{auth.ErrExpired, http.StatusUnauthorized, "This embed link has expired.", false},
	{auth.ErrEmbedRevoked, http.StatusForbidden, "This embed link was revoked. Ask an administrator for a new one.", false},
	{auth.ErrBadSignature, http.StatusUnauthorized, "This embed link is not valid.", false},
	{auth.ErrMalformed, http.StatusUnauthorized, "This embed link is not valid.", false},
	{auth.ErrWeakKey, http.StatusUnauthorized, "This embed link is not valid.", false},
	{views.ErrNotFound, http.StatusNotFound, "That skill or tile is not on this board.", false},
	{views.ErrBadQuery, http.StatusBadRequest, "", true},
}

// refusal is a refused request: its kind (a sentinel of the table), the reason shown
// to the person, and the cause, which only the log sees.
type refusal struct {
	kind   error
	reason string
	cause  error
}

func (e *refusal) Error() string {
	if e.cause != nil {
		return e.reason + ": " + e.cause.Error()
	}
	return e.reason
}

func (e *refusal) Unwrap() []error {
	var out []error
	for _, err := range []error{e.kind, e.cause} {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// refuse returns an error of kind whose reason is shown to the person.
func refuse(kind error, reason string) error { return &refusal{kind: kind, reason: reason} }

// failed is an internal failure: the person reads reason, the log gets cause.
func failed(reason string, cause error) error { return &refusal{reason: reason, cause: cause} }

// statusOf maps err to its status and the reason shown for it. Anything not in the
// table is internal: 500, a generic reason, and ok false (the caller logs it).
func statusOf(err error) (code int, reason string, known bool) {
	var ref *refusal
	hasRef := errors.As(err, &ref)
	for _, s := range statuses {
		if !errors.Is(err, s.err) {
			continue
		}
		switch {
		case hasRef && ref.reason != "":
			reason = ref.reason
		case s.useText:
			reason = err.Error()
		default:
			reason = s.reason
		}
		return s.code, reason, true
	}
	if hasRef && ref.reason != "" {
		return http.StatusInternalServerError, ref.reason, false
	}
	return http.StatusInternalServerError, "Something went wrong; please try again.", false
}

// status answers err's status and headers, logs internal errors, and returns the
// status and the reason to write.
func (s *Server) status(w http.ResponseWriter, r *http.Request, err error) (int, string) {
	code, reason, known := statusOf(err)
	if !known {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if errors.Is(err, errNoDataYet) || errors.Is(err, errTooMany) {
		// Transient: worth another try soon. (errUnavailable is how this server is
		// configured; retrying does not help.)
		w.Header().Set("Retry-After", "5")
	}
	w.Header().Set("Cache-Control", "no-store")
	return code, reason
}

// failHTML is the one HTML error writer, for what a browser navigates to. An
// anonymous visitor of a page other than an embed (embeds live in cross-site
// iframes without cookies) is sent to the sign-in page instead.
func (s *Server) failHTML(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errSignIn) && !isEmbedPath(r.URL.Path) {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	code, reason := s.status(w, r, err)
	var buf bytes.Buffer
	if rerr := views.RenderError(r.Context(), &buf, code, reason); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		s.writeJSONError(w, code, reason)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

// failJSON is the one JSON error writer, for APIs, /ws and anything not a page:
// {"error": reason, "status": code, "at": time}.
func (s *Server) failJSON(w http.ResponseWriter, r *http.Request, err error) {
	code, reason := s.status(w, r, err)
	s.writeJSONError(w, code, reason)
}

func (s *Server) writeJSONError(w http.ResponseWriter, code int, reason string) {
	writeJSON(w, code, map[string]any{"error": reason, "status": code, "at": s.now().UTC().Format(time.RFC3339)})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
