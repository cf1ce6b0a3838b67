package auth

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
)

// Query parameters that carry credentials for clients without cookies.
const (
	// DeviceParam holds a device secret: /wall/lobby?device=dev_…
	DeviceParam = "device"
	// EmbedParam holds a signed embed token: /embed/lobby?token=…
	EmbedParam = "token"
)

// Resolver turns a request into a Principal, the same way for pages and for /ws. All
// fields but Sessions and Users are optional.
type Resolver struct {
	Sessions *scs.SessionManager
	Users    *Users
	// Devices verifies ?device=; nil means device tokens are refused.
	Devices DeviceStore
	// EmbedKey verifies ?token=; nil means embed tokens are refused.
	EmbedKey []byte
	// EmbedLinks lists the embed links in use and refuses revoked ones; nil means links
	// are not recorded (and cannot be revoked one by one).
	EmbedLinks EmbedLinkStore
	// Now is the clock for embed expiry and device last-seen. Nil means time.Now.
	Now func() time.Time
	// Logger gets failures to record a device's last-seen time, which never fail the
	// request. Nil means slog.Default().
	Logger *slog.Logger
}

// Resolve returns who is asking: a device (?device=), an embed (?token=), a logged-in
// user (session cookie), else Public(). A credential that is present but does not verify
// is an error, never a silent fall-back to public: ErrRevoked ("this screen was
// unlinked"), ErrUnknownToken, ErrExpired, ErrBadSignature, ErrMalformed, ErrWeakKey, or
// a wrapped store error. Errors never contain the credential.
//
// It works inside Sessions.LoadAndSave and outside it: on a route that must not write
// cookies (/ws, which is hijacked) it loads the session read-only itself.
func (rs *Resolver) Resolve(r *http.Request) (Principal, error) {
	now := time.Now
	if rs.Now != nil {
		now = rs.Now
	}
	q := r.URL.Query()
	if secret := q.Get(DeviceParam); secret != "" {
		if rs.Devices == nil {
			return Public(), ErrUnknownToken
		}
		d, err := rs.Devices.Verify(r.Context(), secret)
		if err != nil {
			return Public(), err
		}
		if err := rs.Devices.Touch(r.Context(), d.ID, now()); err != nil {
			rs.logger().Warn("auth: record device last-seen", "device", d.ID, "err", err)
		}
		return DevicePrincipal(d), nil
	}
	if tok := q.Get(EmbedParam); tok != "" {
		if rs.EmbedKey == nil {
			return Public(), ErrBadSignature
		}
		c, err := VerifyEmbed(rs.EmbedKey, tok, now())
		if err != nil {
			return Public(), err
		}
		if err := rs.checkEmbedLink(r.Context(), c, now()); err != nil {
			return Public(), err
		}
		return EmbedPrincipal(c, tok), nil
	}
	var token string
	if c, err := r.Cookie(rs.Sessions.Cookie.Name); err == nil {
		token = c.Value
	}
	// Load is a no-op when LoadAndSave already loaded the session into the context.
	ctx, err := rs.Sessions.Load(r.Context(), token)
	if err != nil {
		return Public(), fmt.Errorf("auth: load session: %w", err)
	}
	if u, ok := SessionUser(ctx, rs.Sessions, rs.Users); ok {
		return UserPrincipal(u, SessionKey(ctx, rs.Sessions)), nil
	}
	return Public(), nil
}

// checkEmbedLink refuses a revoked link and records its use, for links with a key id.
func (rs *Resolver) checkEmbedLink(ctx context.Context, c EmbedClaims, now time.Time) error {
	if c.ID == "" || rs.EmbedLinks == nil {
		return nil
	}
	revoked, err := rs.EmbedLinks.Revoked(ctx, c.ID)
	if err != nil {
		return fmt.Errorf("auth: embed link: %w", err)
	}
	if revoked {
		return ErrEmbedRevoked
	}
	l := EmbedLink{ID: c.ID, Board: c.Board, Tile: c.Tile, Expires: c.Expires}
	if err := rs.EmbedLinks.Seen(ctx, l, now); err != nil {
		rs.logger().Warn("auth: record embed link use", "link", c.ID, "err", err)
	}
	return nil
}

func (rs *Resolver) logger() *slog.Logger {
	if rs.Logger != nil {
		return rs.Logger
	}
	return slog.Default()
}
