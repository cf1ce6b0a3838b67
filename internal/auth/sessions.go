package auth

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
)

// SessionCookieName is the name of the session cookie.
const SessionCookieName = "ccdash_session"

// Session keys. Values are strings only: scs's default gob codec would need a global
// gob.Register for anything else (time.Time included). The session holds only these; the user's role and scope are looked up in
// config on every request, so config changes apply at once.
const (
	sessUser  = "auth.user"
	sessStamp = "auth.stamp"
)

// SessionStore is where sessions live: an scs.Store that holds a bounded number of them
// (evicting anonymous ones first, told apart by SessionSignedIn, then those expiring
// first) and can say how many it holds. With no redis_url it is internal/bolt's, in
// data_dir, so sessions survive restarts; implementations pass storetest.Sessions.
type SessionStore interface {
	scs.Store
	// Len returns how many sessions are stored.
	Len() (int, error)
}

// SessionSignedIn reports whether session data (as a SessionStore receives it from a
// manager made by NewSessionManager) belongs to a signed-in user. Nothing in ccdash
// stores a session before sign-in; this tells apart any that remain, e.g. from older
// versions, so a full store evicts those first.
func SessionSignedIn(b []byte) bool {
	_, values, err := scs.GobCodec{}.Decode(b)
	if err != nil {
		return false
	}
	name, _ := values[sessUser].(string)
	return name != ""
}

// SessionOptions configures NewSessionManager.
type SessionOptions struct {
	// IdleTimeout ends a session after this long without a request. Zero means 12h.
	IdleTimeout time.Duration
	// Lifetime ends a session this long after login whatever the activity (absolute
	// timeout). Zero means 7 days (168h).
	Lifetime time.Duration
	// Secure marks the cookie Secure. Set it when the server terminates TLS itself or
	// config says it sits behind a TLS-terminating proxy; browsers then never send the
	// cookie over plain HTTP.
	Secure bool
	// Logger receives session store errors (never tokens). Nil means slog.Default().
	Logger *slog.Logger
}

// NewSessionManager returns an scs session manager over store (memstore for one replica,
// goredisstore when replicas share sessions) with ccdash's cookie policy: name
// "ccdash_session", HttpOnly, SameSite=Lax, Path "/", Secure per opts, and tokens stored
// hashed so a store dump does not hand out live sessions. Wrap handlers in its
// LoadAndSave; every other function here that takes the manager needs that.
func NewSessionManager(store scs.Store, opts SessionOptions) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.IdleTimeout = opts.IdleTimeout
	if sm.IdleTimeout <= 0 {
		sm.IdleTimeout = 12 * time.Hour
	}
	sm.Lifetime = opts.Lifetime
	if sm.Lifetime <= 0 {
		sm.Lifetime = 7 * 24 * time.Hour
	}
	sm.HashTokenInStore = true
	sm.Codec = scs.GobCodec{} // what SessionSignedIn decodes
	sm.Cookie.Name = SessionCookieName
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	sm.Cookie.Secure = opts.Secure
	sm.Cookie.Persist = true
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	// scs's default handler logs with the standard logger; route it to slog and keep
	// the detail out of the response.
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		logger.Error("auth: session store", "err", err, "path", r.URL.Path)
		http.Error(w, "session error", http.StatusInternalServerError)
	}
	return sm
}

// Login makes the request's session belong to u. It renews the session token first (so a
// token planted before login is worthless: session fixation), which also changes every
// CSRF token (they are bound to it). Call it only after Authenticate succeeded.
func Login(ctx context.Context, sm *scs.SessionManager, u User) error {
	if err := sm.RenewToken(ctx); err != nil {
		return fmt.Errorf("auth: login: renew session token: %w", err)
	}
	sm.Put(ctx, sessUser, u.Name)
	sm.Put(ctx, sessStamp, passwordStamp(u))
	return nil
}

// Logout destroys the request's session: it is deleted from the store (so the old cookie
// no longer identifies anyone, even if replayed) and the cookie is cleared. Take
// SessionKey before calling it if sockets must be kicked.
func Logout(ctx context.Context, sm *scs.SessionManager) error {
	if err := sm.Destroy(ctx); err != nil {
		return fmt.Errorf("auth: logout: %w", err)
	}
	return nil
}

// SessionUser returns the logged-in user of the request's session. It reports false when
// nobody is logged in, the user was removed from config, or their password was changed
// since login.
func SessionUser(ctx context.Context, sm *scs.SessionManager, users *Users) (User, bool) {
	name := sm.GetString(ctx, sessUser)
	if name == "" {
		return User{}, false
	}
	u, ok := users.Get(name)
	if !ok || sm.GetString(ctx, sessStamp) != passwordStamp(u) {
		return User{}, false
	}
	return u, true
}

// SessionKey returns the Principal.Key of the request's session, "session:<hash of
// token>", or "" when the session has no token yet. It changes at Login.
func SessionKey(ctx context.Context, sm *scs.SessionManager) string {
	tok := sm.Token(ctx)
	if tok == "" {
		return ""
	}
	return "session:" + shortHash(tok)
}
