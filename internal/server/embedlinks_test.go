package server

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
)

// TestEmbedLinkRevokedAlone: signed links with key ids are listed on /admin/embeds once
// used; revoking one there closes its sockets (4003) and refuses its pages, and the
// other link keeps working. Before, only rotating the embed key revoked anything.
func TestEmbedLinkRevokedAlone(t *testing.T) {
	t.Parallel()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "ccdash.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	links, err := bolt.NewEmbedLinkStore(db)
	if err != nil {
		t.Fatal(err)
	}
	e := newAuthEnv(t, func(o *Options) { o.Auth.EmbedLinks = links })
	a := auth.EmbedClaims{ID: auth.NewEmbedID(), Board: "lobby"}
	b := auth.EmbedClaims{ID: auth.NewEmbedID(), Board: "lobby", Tile: "queue"}
	tokA, tokB := auth.SignEmbed(embedKey, a), auth.SignEmbed(embedKey, b)
	anon := &http.Client{Timeout: 10 * time.Second}
	for _, path := range []string{"/embed/lobby?token=" + tokA, "/embed/lobby/tiles/queue?token=" + tokB} {
		if r := do(t, anon, "GET", e.ts.URL+path, nil); r.code != http.StatusOK {
			t.Fatalf("GET %s: %d, want 200", path, r.code)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, _, _, err := e.dialWS(t, ctx, nil, "/ws?board=lobby&view=embed&token="+url.QueryEscape(tokA), nil)
	if err != nil {
		t.Fatalf("embed socket: %v", err)
	}
	defer conn.CloseNow()

	adm := e.client(t)
	e.login(t, adm, "admin", adminPW)
	page := do(t, adm, "GET", e.ts.URL+"/admin/embeds", nil)
	for _, id := range []string{a.ID, b.ID} {
		if !strings.Contains(page.body, `data-link="`+id+`"`) {
			t.Fatalf("/admin/embeds does not list link %s: %.500s", id, page.body)
		}
	}
	tok := csrfField.FindStringSubmatch(page.body)[1]
	if r := do(t, adm, "POST", e.ts.URL+"/admin/embeds/"+a.ID+"/revoke", url.Values{"csrf_token": {tok}}); r.code != http.StatusSeeOther {
		t.Fatalf("revoke: got %d %.300s", r.code, r.body)
	}
	if got := readClose(ctx, conn); got != 4003 {
		t.Errorf("the revoked link's socket closed with %v, want 4003", got)
	}
	if r := do(t, anon, "GET", e.ts.URL+"/embed/lobby?token="+tokA, nil); r.code != http.StatusForbidden || !strings.Contains(r.body, "revoked") {
		t.Errorf("revoked link: got %d %.200s, want 403 saying it was revoked", r.code, r.body)
	}
	if r := do(t, anon, "GET", e.ts.URL+"/embed/lobby/tiles/queue?token="+tokB, nil); r.code != http.StatusOK {
		t.Errorf("the other link after revoking one: got %d, want 200", r.code)
	}
	if r := do(t, adm, "POST", e.ts.URL+"/admin/embeds/0123456789abcdef/revoke", url.Values{"csrf_token": {tok}}); r.code != http.StatusNotFound {
		t.Errorf("revoking an unknown link: got %d, want 404", r.code)
	}
}
