package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"
)

// Errors about embed links.
var (
	// ErrEmbedRevoked means an admin revoked the embed link.
	ErrEmbedRevoked = errors.New("auth: embed link revoked")
	// ErrUnknownEmbedLink means no embed link in use has that id.
	ErrUnknownEmbedLink = errors.New("auth: unknown embed link id")
)

// EmbedLink is a signed embed link the server has seen in use, listed on the admin page
// so it can be revoked on its own.
type EmbedLink struct {
	ID, Board, Tile     string
	Expires             time.Time // zero: never
	FirstSeen, LastSeen time.Time
	Revoked             bool
}

// EmbedLinkStore remembers the embed links seen in use and which were revoked. Links
// are signed offline (`dashboard embed-url`), so the store learns of one at its first
// use; only a correctly signed token is ever recorded, so anonymous requests cannot
// grow it. Implementations live in internal/bolt and pass storetest.EmbedLinks.
type EmbedLinkStore interface {
	// Seen records that the link l.ID was used at at (board, tile and expiry from its
	// claims), writing at most once per TouchInterval per link.
	Seen(ctx context.Context, l EmbedLink, at time.Time) error
	// Revoked reports whether link id was revoked (false for an unknown id).
	Revoked(ctx context.Context, id string) (bool, error)
	// List returns the links seen, newest first seen first.
	List(ctx context.Context) ([]EmbedLink, error)
	// Revoke makes link id stop working for good: ErrUnknownEmbedLink if it was never
	// seen; revoking twice is not an error.
	Revoke(ctx context.Context, id string) error
}

// NewEmbedID returns a fresh key id for EmbedClaims.ID: 8 random bytes, hex.
func NewEmbedID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return hex.EncodeToString(b)
}

// validEmbedID accepts what NewEmbedID makes: ids go into store keys and admin URLs.
func validEmbedID(id string) bool {
	if len(id) != 16 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}
