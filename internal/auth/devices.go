package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Errors from a DeviceStore.
var (
	// ErrUnknownToken means the device secret matches no device (or is malformed).
	ErrUnknownToken = errors.New("auth: unknown device token")
	// ErrRevoked means the device token was revoked; show "this screen was unlinked".
	ErrRevoked = errors.New("auth: device token revoked")
	// ErrUnknownDevice means no device has that id.
	ErrUnknownDevice = errors.New("auth: unknown device id")
	// ErrInvalidDevice means a board id or device name given to Create is not acceptable.
	ErrInvalidDevice = errors.New("auth: invalid device")
)

// DeviceSecretPrefix starts every device secret, so a leaked one is recognisable (secret
// scanners, log review) and cannot be mistaken for another kind of token.
const DeviceSecretPrefix = "dev_"

// TouchInterval is the most often a DeviceStore writes a device's last-seen time; pings
// in between only update memory.
const TouchInterval = time.Minute

// Device is a wall display allowed to show one board, or one playlist of boards,
// without logging in. Exactly one of Board and Playlist is set.
type Device struct {
	ID, Name, Board     string
	Playlist            string
	CreatedAt, LastSeen time.Time // LastSeen is zero until the device first connects
	Revoked             bool
}

// DeviceStore keeps device tokens. Only a hash of each secret is stored (DeviceSecretSum);
// the secret is returned once by Create. Implementations are safe for concurrent use and
// live in internal/bolt (embedded) and pass storetest.Devices; the caller that opened
// their database closes it.
type DeviceStore interface {
	// Create registers a device for board and returns it with its secret (shown once).
	Create(ctx context.Context, board, name string) (Device, string, error)
	// Verify returns the device whose secret this is: ErrUnknownToken if none, the device
	// and ErrRevoked if it was revoked.
	Verify(ctx context.Context, secret string) (Device, error)
	// Touch records that device id was seen at at (written at most once per
	// TouchInterval). ErrUnknownDevice if there is no such device.
	Touch(ctx context.Context, id string, at time.Time) error
	// List returns all devices, revoked ones included, oldest first.
	List(ctx context.Context) ([]Device, error)
	// Bind points the device at a board or (board empty) a playlist instead of what it
	// showed; ErrInvalidDevice unless exactly one is a valid id, ErrUnknownDevice if
	// there is no such device. The token stays the same.
	Bind(ctx context.Context, id string, b Binding) error
	// Revoke makes the device's token stop working for good. ErrUnknownDevice if there
	// is no such device; revoking twice is not an error.
	Revoke(ctx context.Context, id string) error
}

// NewDeviceSecret returns a fresh device secret: DeviceSecretPrefix and 32 random bytes,
// base64url. Stores keep only DeviceSecretSum of it.
func NewDeviceSecret() string { return DeviceSecretPrefix + newRandomToken() }

// DeviceSecretSum returns the SHA-256 a store looks a secret up by, or false when secret
// is not shaped like one NewDeviceSecret makes (so garbage costs no store lookup).
func DeviceSecretSum(secret string) ([sha256.Size]byte, bool) {
	rest, ok := strings.CutPrefix(secret, DeviceSecretPrefix)
	if !ok || len(rest) != 43 {
		return [sha256.Size]byte{}, false
	}
	if b, err := base64.RawURLEncoding.Strict().DecodeString(rest); err != nil || len(b) != 32 {
		return [sha256.Size]byte{}, false
	}
	return sha256.Sum256([]byte(secret)), true
}

// Binding is what a device shows: a board, or a playlist (whose boards the server
// knows). Exactly one is set.
type Binding struct{ Board, Playlist string }

// Validate checks that exactly one of the binding's ids is set and well formed.
func (b Binding) Validate() error {
	if (b.Board == "") == (b.Playlist == "") {
		return fmt.Errorf("%w: bind to a board or to a playlist", ErrInvalidDevice)
	}
	return validID("board", b.Board+b.Playlist)
}

// ValidateDevice checks what an admin typed for a new device. Board ids appear in URLs
// and names in HTML, so both are kept plain.
func ValidateDevice(board, name string) error {
	if err := validID("board", board); err != nil {
		return err
	}
	if strings.TrimSpace(name) == "" || utf8.RuneCountInString(name) > 100 || !utf8.ValidString(name) {
		return fmt.Errorf("%w: name must be 1 to 100 characters", ErrInvalidDevice)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: name must not contain control characters", ErrInvalidDevice)
		}
	}
	return nil
}

// validID checks a board or playlist id a device is bound to: ids appear in URLs.
func validID(what, id string) error {
	if id == "" || len(id) > 64 {
		return fmt.Errorf("%w: %s id must be 1 to 64 characters", ErrInvalidDevice, what)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Errorf("%w: %s id %q may hold only letters, digits, '-', '_' and '.'", ErrInvalidDevice, what, id)
		}
	}
	return nil
}
