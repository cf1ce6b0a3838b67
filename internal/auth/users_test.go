package auth

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// mustHash hashes pw at MinBcryptCost for test users.
func mustHash(t testing.TB, pw string) string {
	t.Helper()
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	return h
}

func TestHashPassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pw      string
		wantErr error
	}{
		{"ordinary", "correct horse battery staple", nil},
		{"exactly 72 bytes", strings.Repeat("a", 72), nil},
		{"empty", "", ErrEmptyPassword},
		{"73 bytes", strings.Repeat("a", 73), ErrPasswordTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, err := HashPassword(tt.pw)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("HashPassword err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				if tt.pw != "" && strings.Contains(err.Error(), tt.pw) {
					t.Errorf("error %q contains the password", err)
				}
				return
			}
			if cost, err := bcrypt.Cost([]byte(h)); err != nil || cost < MinBcryptCost {
				t.Errorf("bcrypt.Cost = %d, %v; want >= %d", cost, err, MinBcryptCost)
			}
			if err := bcrypt.CompareHashAndPassword([]byte(h), []byte(tt.pw)); err != nil {
				t.Errorf("hash does not verify its password: %v", err)
			}
		})
	}
}

func TestNewUsersRejects(t *testing.T) {
	t.Parallel()
	good := mustHash(t, "pw")
	weak, err := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		users   []User
		wantSub string
	}{
		{"empty name", []User{{Name: "", PasswordHash: good, Role: RoleAdmin}}, "empty name"},
		{"duplicate", []User{{Name: "a", PasswordHash: good, Role: RoleAdmin}, {Name: "a", PasswordHash: good, Role: RoleViewer}}, "defined twice"},
		{"unknown role", []User{{Name: "a", PasswordHash: good, Role: "root"}}, "unknown role"},
		{"plain text password", []User{{Name: "a", PasswordHash: "hunter2", Role: RoleAdmin}}, "not a bcrypt hash"},
		{"weak cost", []User{{Name: "a", PasswordHash: string(weak), Role: RoleAdmin}}, "below 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewUsers(tt.users)
			if err == nil || !strings.Contains(err.Error(), tt.wantSub) {
				t.Fatalf("NewUsers err = %v, want one containing %q", err, tt.wantSub)
			}
			for _, u := range tt.users {
				if strings.Contains(err.Error(), u.PasswordHash) {
					t.Errorf("error %q contains a password hash", err)
				}
			}
		})
	}
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 72)
	us, err := NewUsers([]User{
		{Name: "alice", PasswordHash: mustHash(t, "alice-pw"), Role: RoleAdmin},
		{Name: "mona", PasswordHash: mustHash(t, long), Role: RoleManager, Skills: []string{"sales"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user, pw string
		wantErr        error
	}{
		{"right password", "alice", "alice-pw", nil},
		{"72-byte password", "mona", long, nil},
		{"wrong password", "alice", "alice-PW", ErrBadCredentials},
		{"unknown user", "mallory", "alice-pw", ErrBadCredentials},
		{"empty password", "alice", "", ErrBadCredentials},
		{"name differs in case", "Alice", "alice-pw", ErrBadCredentials},
		// bcrypt only sees 72 bytes; a longer input must not log in on its prefix.
		{"right prefix but too long", "mona", long + "extra", ErrBadCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := us.Authenticate(tt.user, tt.pw)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Authenticate err = %v, want %v", err, tt.wantErr)
			}
			if err == nil && u.Name != tt.user {
				t.Errorf("user = %q, want %q", u.Name, tt.user)
			}
		})
	}
	t.Run("skills returned and copied", func(t *testing.T) {
		t.Parallel()
		u, err := us.Authenticate("mona", long)
		if err != nil {
			t.Fatal(err)
		}
		u.Skills[0] = "changed"
		again, _ := us.Get("mona")
		if got, want := again.Skills[0], "sales"; got != want {
			t.Errorf("stored skill = %q after caller mutation, want %q", got, want)
		}
	})
}

// The dummy hash for unknown users must cost as much as the dearest real hash, or an
// unknown name answers faster and enumerates users.
func TestDummyHashCostMatchesUsers(t *testing.T) {
	t.Parallel()
	h11, err := bcrypt.GenerateFromPassword([]byte("pw"), 11)
	if err != nil {
		t.Fatal(err)
	}
	us, err := NewUsers([]User{
		{Name: "a", PasswordHash: mustHash(t, "pw"), Role: RoleViewer},
		{Name: "b", PasswordHash: string(h11), Role: RoleViewer},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := bcrypt.Cost(us.set.Load().dummyHash); got != 11 {
		t.Errorf("dummy hash cost = %d, want 11", got)
	}
}
