package auth

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2/memstore"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	us, err := NewUsers([]User{{Name: "mona", PasswordHash: mustHash(t, "pw"), Role: RoleManager, Skills: []string{"sales"}}})
	if err != nil {
		t.Fatal(err)
	}
	sm := NewSessionManager(memstore.NewWithCleanupInterval(0), SessionOptions{})
	devs := newMemDevices()
	tv, tvSecret, err := devs.Create(ctx, "lobby", "Lobby TV")
	if err != nil {
		t.Fatal(err)
	}
	old, oldSecret, err := devs.Create(ctx, "lobby", "Old TV")
	if err != nil {
		t.Fatal(err)
	}
	if err := devs.Revoke(ctx, old.ID); err != nil {
		t.Fatal(err)
	}
	key := testKey(3)
	rs := &Resolver{Sessions: sm, Users: us, Devices: devs, EmbedKey: key, Now: func() time.Time { return now }}

	who := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := rs.Resolve(r)
		switch {
		case errors.Is(err, ErrRevoked):
			http.Error(w, "unlinked", http.StatusGone)
		case err != nil:
			http.Error(w, "denied", http.StatusForbidden)
		default:
			fmt.Fprintf(w, "%s|%s|%s|%s|%s", p.Kind, p.Name, p.Board, p.Tile, p.Scope.Key())
		}
	})
	mux := http.NewServeMux()
	mux.Handle("GET /page", sm.LoadAndSave(who))
	mux.Handle("GET /ws", who) // like a hijacked socket: no LoadAndSave
	mux.Handle("GET /login", sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := us.Get("mona")
		if err := Login(r.Context(), sm, u); err != nil {
			http.Error(w, "login failed", http.StatusInternalServerError)
		}
	})))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	resp, err := srv.Client().Get(srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == SessionCookieName {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("login set no session cookie")
	}

	embed := SignEmbed(key, EmbedClaims{Board: "ops", Tile: "sl"})
	expired := SignEmbed(key, EmbedClaims{Board: "ops", Expires: now.Add(-time.Second)})
	tests := []struct {
		name       string
		path       string
		withCookie bool
		wantCode   int
		wantBody   string
	}{
		{"anonymous", "/page", false, 200, "public||||*"},
		{"user on page", "/page", true, 200, "user|mona|||sales"},
		{"user on ws without LoadAndSave", "/ws", true, 200, "user|mona|||sales"},
		{"device", "/ws?" + DeviceParam + "=" + url.QueryEscape(tvSecret), false, 200, "device|Lobby TV|lobby||*"},
		{"revoked device", "/ws?" + DeviceParam + "=" + url.QueryEscape(oldSecret), false, http.StatusGone, "unlinked"},
		{"unknown device, even with a session", "/page?" + DeviceParam + "=dev_nope", true, 403, "denied"},
		{"tile embed", "/ws?" + EmbedParam + "=" + embed, false, 200, "embed||ops|sl|*"},
		{"expired embed", "/ws?" + EmbedParam + "=" + expired, false, 403, "denied"},
		{"garbage embed", "/ws?" + EmbedParam + "=x.y", false, 403, "denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), "GET", srv.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.withCookie {
				req.AddCookie(cookie)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.TrimSuffix(string(b), "\n")
			if resp.StatusCode != tt.wantCode || got != tt.wantBody {
				t.Errorf("GET %s = %d %q, want %d %q", tt.path, resp.StatusCode, got, tt.wantCode, tt.wantBody)
			}
		})
	}
	t.Run("device last-seen recorded", func(t *testing.T) {
		t.Parallel()
		resp, err := srv.Client().Get(srv.URL + "/ws?" + DeviceParam + "=" + url.QueryEscape(tvSecret))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		d, err := devs.Verify(ctx, tvSecret)
		if err != nil || !d.LastSeen.Equal(now) {
			t.Errorf("device %s LastSeen = %v, %v; want %v", tv.ID, d.LastSeen, err, now)
		}
	})
}
