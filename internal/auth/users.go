package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

	"golang.org/x/crypto/bcrypt"

	"github.com/ccdash/ccdash/internal/field"
)

// Role is what a logged-in user may do. Roles are ordered: admin ⊃ manager ⊃ viewer.
type Role string

// The roles a user can have in config.
const (
	RoleAdmin   Role = "admin"
	RoleManager Role = "manager"
	RoleViewer  Role = "viewer"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleManager, RoleViewer:
		return true
	}
	return false
}

// MinBcryptCost is the lowest bcrypt cost HashPassword produces and NewUsers accepts.
// Lower costs make an offline attack on a leaked config cheap.
const MinBcryptCost = 10

// maxPasswordBytes is bcrypt's hard limit: it ignores (or, in x/crypto, refuses) the rest,
// so a longer password would silently be only partly checked.
const maxPasswordBytes = 72

// Errors from HashPassword and Authenticate.
var (
	// ErrEmptyPassword is returned by HashPassword for an empty password.
	ErrEmptyPassword = errors.New("auth: password is empty")
	// ErrPasswordTooLong is returned by HashPassword for a password over 72 bytes.
	ErrPasswordTooLong = errors.New("auth: password is longer than 72 bytes (bcrypt limit)")
	// ErrBadCredentials is returned by Authenticate for an unknown user or a wrong
	// password alike, so a login page cannot tell which.
	ErrBadCredentials = errors.New("auth: unknown user or wrong password")
)

// User is one account from config. PasswordHash is a bcrypt hash (see HashPassword).
type User struct {
	Name         string
	PasswordHash string
	Role         Role
	// Skills limits a manager or viewer to these skill keys; empty means all skills.
	// Admins always see everything.
	Skills []string
}

// HashPassword returns the bcrypt hash of pw at cost MinBcryptCost, for the config file.
func HashPassword(pw string) (string, error) {
	if pw == "" {
		return "", ErrEmptyPassword
	}
	if len(pw) > maxPasswordBytes {
		return "", ErrPasswordTooLong
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), MinBcryptCost)
	if err != nil {
		// The bcrypt error never contains the password.
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return string(h), nil
}

// Users is the set of accounts from config. It is safe for concurrent use; Replace
// swaps the whole set at once (a reloaded config).
type Users struct {
	set atomic.Pointer[userSet]
}

// userSet is one immutable generation of the accounts.
type userSet struct {
	byName map[string]User
	// dummyHash is compared against when the user is unknown, so that Authenticate
	// takes about as long for unknown users as for known ones (no enumeration by timing).
	dummyHash []byte
}

// ValidateUsers reports every problem with list as field errors named by the config's
// keys, relative to the list ("[1].name", "[0].password_hash"): names must be non-empty
// and unique, roles known, and hashes bcrypt with cost at least MinBcryptCost. Errors
// never include the hash.
func ValidateUsers(list []User) error {
	var errs []error
	seen := map[string]bool{}
	for i, u := range list {
		at := func(key string) string { return fmt.Sprintf("[%d].%s", i, key) }
		switch {
		case u.Name == "":
			errs = append(errs, field.Errorf(at("name"), "empty name"))
		case seen[u.Name]:
			errs = append(errs, field.Errorf(at("name"), "user %q defined twice", u.Name))
		}
		seen[u.Name] = true
		if !u.Role.Valid() {
			errs = append(errs, field.Errorf(at("role"), "unknown role %q (want admin, manager or viewer)", u.Role))
		}
		if u.PasswordHash == "" {
			errs = append(errs, field.Errorf(at("password_hash"), "missing (make one with `dashboard hash-password`)"))
		} else if cost, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
			errs = append(errs, field.Errorf(at("password_hash"), "not a bcrypt hash (make one with `dashboard hash-password`)"))
		} else if cost < MinBcryptCost {
			errs = append(errs, field.Errorf(at("password_hash"), "bcrypt cost %d is below %d (make a new hash with `dashboard hash-password`)", cost, MinBcryptCost))
		}
	}
	return errors.Join(errs...)
}

// NewUsers validates list (ValidateUsers) and returns the account set.
func NewUsers(list []User) (*Users, error) {
	us := &Users{}
	if err := us.Replace(list); err != nil {
		return nil, err
	}
	return us, nil
}

// Replace validates list like NewUsers and makes it the account set; on error the
// set stays as it was. Sessions follow at their next request: a removed user's
// sessions no longer resolve, a changed password ends them (the session holds a
// stamp of the hash), and a changed role or skill list applies at once.
func (us *Users) Replace(list []User) error {
	set, err := newUserSet(list)
	if err != nil {
		return err
	}
	us.set.Store(set)
	return nil
}

func newUserSet(list []User) (*userSet, error) {
	if err := ValidateUsers(list); err != nil {
		return nil, fmt.Errorf("auth: %w", field.Within("users", err))
	}
	us := &userSet{byName: make(map[string]User, len(list))}
	maxCost := MinBcryptCost
	for _, u := range list {
		cost, _ := bcrypt.Cost([]byte(u.PasswordHash))
		maxCost = max(maxCost, cost)
		u.Skills = slices.Clone(u.Skills)
		us.byName[u.Name] = u
	}
	// The dummy's cost matches the most expensive real hash so an unknown name is never
	// faster than a known one.
	dummy, err := bcrypt.GenerateFromPassword([]byte("ccdash-dummy-password"), maxCost)
	if err != nil {
		return nil, fmt.Errorf("auth: dummy hash: %w", err)
	}
	us.dummyHash = dummy
	return us, nil
}

// Get returns the user called name.
func (us *Users) Get(name string) (User, bool) {
	u, ok := us.set.Load().byName[name]
	if ok {
		u.Skills = slices.Clone(u.Skills)
	}
	return u, ok
}

// Authenticate checks name and pw. It returns ErrBadCredentials for an unknown user or a
// wrong password, and does a full bcrypt comparison in both cases.
func (us *Users) Authenticate(name, pw string) (User, error) {
	set := us.set.Load()
	u, known := set.byName[name]
	u.Skills = slices.Clone(u.Skills)
	hash := set.dummyHash
	if known {
		hash = []byte(u.PasswordHash)
	}
	// bcrypt refuses passwords over 72 bytes; compare a truncated copy anyway so the
	// work done is the same, then fail.
	tooLong := len(pw) > maxPasswordBytes
	if tooLong {
		pw = pw[:maxPasswordBytes]
	}
	err := bcrypt.CompareHashAndPassword(hash, []byte(pw))
	if !known || tooLong || pw == "" || err != nil {
		return User{}, ErrBadCredentials
	}
	return u, nil
}

// passwordStamp is a short fingerprint of a user's password hash, kept in the session so
// that changing a password in config ends that user's existing sessions.
func passwordStamp(u User) string {
	sum := sha256.Sum256([]byte("ccdash-session-stamp\x00" + u.PasswordHash))
	return hex.EncodeToString(sum[:8])
}
