package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Kind says how a request proved who it is.
type Kind string

// The kinds of principal.
const (
	// KindPublic is an anonymous visitor: no session, device or embed token.
	KindPublic Kind = "public"
	// KindUser is a logged-in user (session cookie).
	KindUser Kind = "user"
	// KindDevice is a wall display holding a device token bound to one board.
	KindDevice Kind = "device"
	// KindEmbed is an iframe holding a signed embed token for one board or tile.
	KindEmbed Kind = "embed"
)

// Principal is who is asking, as the server's handlers and the WebSocket hub see it.
// The zero Principal is not valid; use Public() for anonymous visitors.
type Principal struct {
	Kind Kind
	// Name is the user name, the device name, or empty.
	Name string
	// Role is set for users only.
	Role Role
	// Scope is what snapshot data the principal may see (render with Snapshot.Restrict,
	// key board variants with Scope.Key).
	Scope snapshot.Scope
	// Board (device and embed) and Tile (tile embeds) bind the principal to one view.
	// A device bound to a playlist has Playlist set instead; the server, which knows
	// the playlists, sets Board to the one it shows now.
	Board, Tile string
	Playlist    string
	// Key identifies the credential so the server can kick its sockets on logout or
	// revocation: "session:<hash>", "device:<id>", "embed:<hash>", "public". It is never
	// the secret itself.
	Key string
}

// Public returns the anonymous principal.
func Public() Principal { return Principal{Kind: KindPublic, Key: "public"} }

// UserPrincipal returns the principal of a logged-in user. sessionKey is SessionKey of the
// request's session. Admins always get the unrestricted scope.
func UserPrincipal(u User, sessionKey string) Principal {
	p := Principal{Kind: KindUser, Name: u.Name, Role: u.Role, Key: sessionKey}
	if u.Role != RoleAdmin && len(u.Skills) > 0 {
		p.Scope = snapshot.Scope{Skills: slices.Clone(u.Skills)}
	}
	return p
}

// DevicePrincipal returns the principal of a wall display. Devices see their whole board.
func DevicePrincipal(d Device) Principal {
	return Principal{Kind: KindDevice, Name: d.Name, Board: d.Board, Playlist: d.Playlist, Key: DeviceKey(d.ID)}
}

// DeviceKey is the Principal.Key of the sockets opened with device id's token.
func DeviceKey(id string) string { return "device:" + id }

// DeviceID is the device id of a DeviceKey, or "" for any other key.
func DeviceID(key string) string {
	id, ok := strings.CutPrefix(key, "device:")
	if !ok {
		return ""
	}
	return id
}

// EmbedPrincipal returns the principal of an iframe that presented the verified embed
// token. The key is the link's id ("embedlink:<id>", what a revocation kicks), or for a
// link without one a hash of the token (which is not secret once shared, but is still
// not echoed).
func EmbedPrincipal(c EmbedClaims, token string) Principal {
	key := "embed:" + shortHash(token)
	if c.ID != "" {
		key = EmbedLinkKey(c.ID)
	}
	return Principal{Kind: KindEmbed, Board: c.Board, Tile: c.Tile, Key: key}
}

// EmbedLinkKey is the Principal.Key of the sockets opened with embed link id.
func EmbedLinkKey(id string) string { return "embedlink:" + id }

// IsAdmin reports whether p is a logged-in admin.
func (p Principal) IsAdmin() bool { return p.Kind == KindUser && p.Role == RoleAdmin }

// IsUser reports whether p is a logged-in user of any role.
func (p Principal) IsUser() bool { return p.Kind == KindUser && p.Role.Valid() }

// CanSeeBoard reports whether p may open board boardID. Users see every board (their
// scope filters the data); devices and embeds only the board they are bound to. Public
// visitors get false: whether a board is public is the server's config, not a credential.
func (p Principal) CanSeeBoard(boardID string) bool {
	switch p.Kind {
	case KindUser:
		return p.Role.Valid()
	case KindDevice, KindEmbed:
		return p.Board != "" && p.Board == boardID
	}
	return false
}

// CanSeeTile reports whether p may see tile tileID of board boardID: like CanSeeBoard,
// and a tile embed sees only its own tile.
func (p Principal) CanSeeTile(boardID, tileID string) bool {
	if !p.CanSeeBoard(boardID) {
		return false
	}
	return p.Kind != KindEmbed || p.Tile == "" || p.Tile == tileID
}

type principalKey struct{}

// WithPrincipal returns a copy of ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal stored by WithPrincipal, or Public() and false.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	if !ok {
		return Public(), false
	}
	return p, true
}

// shortHash is a non-reversible 16-hex-digit id for a secret, for keys and logs.
func shortHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:8])
}
