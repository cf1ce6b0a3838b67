package auth

import (
	"context"
	"strings"
	"testing"
)

func TestPrincipalAccess(t *testing.T) {
	t.Parallel()
	admin := UserPrincipal(User{Name: "alice", Role: RoleAdmin, Skills: []string{"ignored"}}, "session:1")
	manager := UserPrincipal(User{Name: "mona", Role: RoleManager, Skills: []string{"sales", "billing"}}, "session:2")
	device := DevicePrincipal(Device{ID: "abc", Name: "Floor 2 TV", Board: "lobby"})
	boardEmbed := EmbedPrincipal(EmbedClaims{Board: "lobby"}, "tok1")
	tileEmbed := EmbedPrincipal(EmbedClaims{Board: "lobby", Tile: "sl"}, "tok2")
	tests := []struct {
		name         string
		p            Principal
		board, tile  string
		wantBoard    bool
		wantTile     bool
		wantAdmin    bool
		wantScopeKey string
	}{
		{"admin any board", admin, "ops", "sl", true, true, true, "*"},
		{"manager any board, scoped", manager, "ops", "sl", true, true, false, "billing,sales"},
		{"device own board", device, "lobby", "sl", true, true, false, "*"},
		{"device other board", device, "ops", "sl", false, false, false, "*"},
		{"board embed own board", boardEmbed, "lobby", "any", true, true, false, "*"},
		{"board embed other board", boardEmbed, "ops", "any", false, false, false, "*"},
		{"tile embed own tile", tileEmbed, "lobby", "sl", true, true, false, "*"},
		{"tile embed other tile", tileEmbed, "lobby", "queue", true, false, false, "*"},
		{"public", Public(), "lobby", "sl", false, false, false, "*"},
		{"zero principal", Principal{}, "", "", false, false, false, "*"},
		{"device with empty board", DevicePrincipal(Device{ID: "x"}), "", "", false, false, false, "*"},
		{"user with bogus role", Principal{Kind: KindUser, Role: "root"}, "lobby", "", false, false, false, "*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.p.CanSeeBoard(tt.board); got != tt.wantBoard {
				t.Errorf("CanSeeBoard(%q) = %v, want %v", tt.board, got, tt.wantBoard)
			}
			if got := tt.p.CanSeeTile(tt.board, tt.tile); got != tt.wantTile {
				t.Errorf("CanSeeTile(%q, %q) = %v, want %v", tt.board, tt.tile, got, tt.wantTile)
			}
			if got := tt.p.IsAdmin(); got != tt.wantAdmin {
				t.Errorf("IsAdmin() = %v, want %v", got, tt.wantAdmin)
			}
			if got := tt.p.Scope.Key(); got != tt.wantScopeKey {
				t.Errorf("Scope.Key() = %q, want %q", got, tt.wantScopeKey)
			}
		})
	}
}

func TestPrincipalKeys(t *testing.T) {
	t.Parallel()
	const token = "secret-embed-token"
	tests := []struct {
		name, got, wantPrefix string
	}{
		{"device", DevicePrincipal(Device{ID: "d1", Board: "b"}).Key, "device:d1"},
		{"embed", EmbedPrincipal(EmbedClaims{Board: "b"}, token).Key, "embed:"},
		{"public", Public().Key, "public"},
		{"user", UserPrincipal(User{Name: "u", Role: RoleViewer}, "session:ab").Key, "session:ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !strings.HasPrefix(tt.got, tt.wantPrefix) {
				t.Errorf("Key = %q, want prefix %q", tt.got, tt.wantPrefix)
			}
			if strings.Contains(tt.got, token) {
				t.Errorf("Key %q contains the token", tt.got)
			}
		})
	}
}

func TestPrincipalContext(t *testing.T) {
	t.Parallel()
	if p, ok := FromContext(context.Background()); ok || p.Kind != KindPublic {
		t.Errorf("FromContext(empty) = %+v, %v; want Public(), false", p, ok)
	}
	want := DevicePrincipal(Device{ID: "d1", Name: "TV", Board: "lobby"})
	got, ok := FromContext(WithPrincipal(context.Background(), want))
	if !ok || got.Key != want.Key || got.Board != want.Board || got.Kind != want.Kind {
		t.Errorf("FromContext = %+v, %v; want %+v, true", got, ok, want)
	}
}

// A manager's scope must not alias the config's skill slice.
func TestUserPrincipalCopiesSkills(t *testing.T) {
	t.Parallel()
	u := User{Name: "m", Role: RoleManager, Skills: []string{"sales"}}
	p := UserPrincipal(u, "")
	u.Skills[0] = "changed"
	if got := p.Scope.Skills[0]; got != "sales" {
		t.Errorf("scope skill = %q after mutating the user, want %q", got, "sales")
	}
}
