// Package auth decides who may see what: users and roles from config, scs sessions,
// long-lived device tokens for wall displays, and signed embed tokens for iframes.
//
// Wiring, in the server:
//
//	users, _ := auth.NewUsers(cfg.Users)                  // bcrypt hashes from `dashboard hash-password`
//	sm := auth.NewSessionManager(store, auth.SessionOptions{Secure: tlsOrTrustedProxy}) // store: a SessionStore (bolt) or goredisstore
//	devices, _ := bolt.NewDeviceStore(db)                 // internal/bolt, in data_dir
//	rs := &auth.Resolver{Sessions: sm, Users: users, Devices: devices, EmbedKey: key, EmbedLinks: links}
//	limiter := auth.NewLoginLimiter(auth.LimiterOptions{})
//
//	pages := sm.LoadAndSave(auth.RequireCSRF(key, sm)(router)) // every form carries auth.CSRFToken(ctx)
//	// handlers: p, err := rs.Resolve(r); p.CanSeeBoard(id); snap.Restrict(p.Scope)
//	// login: limiter.Allow (counts the attempt) → users.Authenticate → limiter.Success → auth.Login
//	// /ws: not under LoadAndSave (hijacked); rs.Resolve loads the session read-only.
//
// Nothing is stored for anyone before sign-in: the forms' CSRF tokens are signed
// double-submit tokens (a nonce cookie, HMAC-bound to the session), not session state.
//
// Secrets (passwords, device secrets, signing keys) never appear in errors, logs or
// Principal values; Principal.Key is a hash or an id.
//
// Import rule: internal/snapshot at most (for scopes).
package auth
