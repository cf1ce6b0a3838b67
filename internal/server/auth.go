package server

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"

	"github.com/ccdash/ccdash/internal/auth"
)

// AuthOptions configure access control. The zero value is the safest server: no
// users, no device or embed tokens, only boards marked public are visible.
type AuthOptions struct {
	// Users are the accounts that may log in. Nil means nobody can.
	Users *auth.Users
	// SessionStore keeps sessions: internal/bolt's in data_dir, or goredisstore when
	// replicas share them. Nil means an in-memory store (sessions end at restart).
	SessionStore scs.Store
	// CSRFKey signs the forms' CSRF tokens (at least 32 bytes; keep it in data_dir so
	// forms open across a restart still work). Nil means a random key per process.
	CSRFKey []byte
	// IdleTimeout and Lifetime bound sessions. Zero means auth's defaults (12h idle,
	// 7 days absolute).
	IdleTimeout, Lifetime time.Duration
	// Devices holds wall-display tokens. Nil means device links are refused.
	Devices auth.DeviceStore
	// EmbedKey verifies signed embed links. Nil means embed links are refused.
	EmbedKey []byte
	// EmbedLinks lists the embed links in use on /admin/embeds and refuses revoked
	// ones. Nil means links cannot be revoked one by one.
	EmbedLinks auth.EmbedLinkStore
	// EmbedOrigins may frame /embed pages and open their WebSocket, e.g.
	// "https://crm.example.com". Empty means only this server itself.
	EmbedOrigins []string
	// PublicURL is how browsers reach the server; an https URL makes cookies Secure,
	// and its host is accepted as WebSocket Origin. Empty means the request's Host.
	PublicURL string
	// TrustProxy believes X-Forwarded-Proto (cookie Secure flag) and X-Forwarded-For
	// (login rate limit per address) from the reverse proxy in front. Default false:
	// without a proxy those headers are whatever the client says.
	TrustProxy bool
	// Limiter tunes login throttling. Zero means auth's defaults (5 failures per
	// account, 20 per address, in 15 minutes).
	Limiter auth.LimiterOptions
}

// access control state, built once by New.
type authState struct {
	opts     AuthOptions
	sessions *scs.SessionManager
	csrfKey  []byte
	resolver *auth.Resolver
	users    *auth.Users
	limiter  *auth.LoginLimiter
	// publicHTTPS: every cookie is Secure whatever the request looks like.
	publicHTTPS bool
	// originPatterns are the WebSocket Origin hosts accepted besides the request Host.
	originPatterns []string
	// frameAncestors is the CSP frame-ancestors value for embed routes.
	frameAncestors string
}

// Validate reports the first problem with the options (main checks the config with
// it before New, which panics on invalid options as a programming error).
func (o AuthOptions) Validate() error {
	if o.CSRFKey != nil && len(o.CSRFKey) < auth.MinKeyBytes {
		return fmt.Errorf("server: CSRF key shorter than %d bytes", auth.MinKeyBytes)
	}
	_, _, err := o.origins()
	return err
}

// origins returns the extra WebSocket origin patterns and the embed frame-ancestors.
func (o AuthOptions) origins() (patterns, ancestors []string, err error) {
	if o.PublicURL != "" {
		u, err := url.Parse(o.PublicURL)
		if err != nil || u.Host == "" {
			return nil, nil, fmt.Errorf("server: public URL is not an absolute URL")
		}
		patterns = append(patterns, u.Host)
	}
	for i, origin := range o.EmbedOrigins {
		// Exact origins only, with their scheme, so an http page cannot pass for the
		// https origin and no pattern matches more than one site.
		exact, err := auth.ParseOrigin(origin)
		if err != nil {
			return nil, nil, fmt.Errorf("server: embed origin %d: %w", i, err)
		}
		patterns = append(patterns, exact)
		ancestors = append(ancestors, exact)
	}
	return patterns, ancestors, nil
}

func newAuthState(o AuthOptions, log *slog.Logger, now func() time.Time) (*authState, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	patterns, ancestors, err := o.origins()
	if err != nil {
		return nil, err
	}
	a := &authState{opts: o, users: o.Users, originPatterns: patterns}
	if a.users == nil {
		us, err := auth.NewUsers(nil)
		if err != nil {
			return nil, fmt.Errorf("server: users: %w", err)
		}
		a.users = us
	}
	store := o.SessionStore
	if store == nil {
		// Its cleanup goroutine lives as long as the process (see Server.Close).
		store = memstore.New()
	}
	a.publicHTTPS = strings.HasPrefix(strings.ToLower(o.PublicURL), "https://")
	if len(ancestors) == 0 {
		// No origin configured: embeds can be framed by this server's own pages only.
		a.frameAncestors = "'self'"
	} else {
		a.frameAncestors = strings.Join(ancestors, " ")
	}
	a.sessions = auth.NewSessionManager(store, auth.SessionOptions{
		IdleTimeout: o.IdleTimeout, Lifetime: o.Lifetime, Secure: a.publicHTTPS, Logger: log,
	})
	a.csrfKey = o.CSRFKey
	if a.csrfKey == nil {
		a.csrfKey = auth.NewSigningKey()
	}
	a.resolver = &auth.Resolver{Sessions: a.sessions, Users: a.users, Devices: o.Devices, EmbedKey: o.EmbedKey, EmbedLinks: o.EmbedLinks, Now: now, Logger: log}
	a.limiter = auth.NewLoginLimiter(o.Limiter)
	return a, nil
}

// secureRequest reports whether the browser reached us over TLS: directly, by the
// configured public URL, or by a trusted proxy's X-Forwarded-Proto.
func (a *authState) secureRequest(r *http.Request) bool {
	if r.TLS != nil || a.publicHTTPS {
		return true
	}
	return a.opts.TrustProxy && strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https")
}

// clientIP is the address login attempts are counted against: the peer, or behind a
// trusted proxy the address the proxy appended last to X-Forwarded-For (earlier
// entries are whatever the client sent).
func (a *authState) clientIP(r *http.Request) string {
	if a.opts.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// secureCookies marks the session cookie Secure on requests that came over TLS. scs
// has one static cookie policy; this per-request upgrade covers a server reached both
// directly on the LAN and through a TLS proxy.
func (a *authState) secureCookies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.publicHTTPS || !a.secureRequest(r) {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&secureCookieWriter{ResponseWriter: w}, r)
	})
}

type secureCookieWriter struct {
	http.ResponseWriter
	done bool
}

func (w *secureCookieWriter) mark() {
	if w.done {
		return
	}
	w.done = true
	cs := w.Header()["Set-Cookie"]
	for i, c := range cs {
		if !strings.Contains(strings.ToLower(c), "; secure") {
			cs[i] = c + "; Secure"
		}
	}
}

func (w *secureCookieWriter) WriteHeader(code int) { w.mark(); w.ResponseWriter.WriteHeader(code) }

func (w *secureCookieWriter) Write(b []byte) (int, error) {
	w.mark()
	return w.ResponseWriter.Write(b)
}

func (w *secureCookieWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// securityHeaders sets the headers every response carries: a CSP that allows no
// inline script, framing only for embeds (by the configured origins), no MIME
// sniffing, and no Referer (device and embed secrets travel in query strings).
func (a *authState) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ancestors := "'none'"
		switch {
		case isEmbedPath(r.URL.Path):
			ancestors = a.frameAncestors
		case r.URL.Path == boardPreviewPath:
			// The board editor shows its preview in a frame of its own page.
			ancestors = "'self'"
			w.Header().Set("X-Frame-Options", "SAMEORIGIN")
		default:
			w.Header().Set("X-Frame-Options", "DENY")
		}
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self' ws: wss:; frame-ancestors "+ancestors+"; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// boardPreviewPath is the board editor's preview, framed by /admin/boards pages.
const boardPreviewPath = "/admin/boards/preview"

func isEmbedPath(p string) bool { return p == "/embed" || strings.HasPrefix(p, "/embed/") }
