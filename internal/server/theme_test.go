package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// TestBoardTheme: a board's accent comes as a stylesheet and its logo file from
// data_dir; neither route tells an unknown board from a board without one.
func TestBoardTheme(t *testing.T) {
	t.Parallel()
	logo := filepath.Join(t.TempDir(), "acme.svg")
	if err := os.WriteFile(logo, []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), 0o600); err != nil {
		t.Fatal(err)
	}
	boards := []views.Board{
		{ID: "lobby", Title: "Lobby", Accent: "#ff6600", LogoFile: logo, LogoURL: views.LogoFileURL("lobby")},
		{ID: "plain", Title: "Plain"},
	}
	ts := httptest.NewServer(New(Options{Store: snapshot.NewStore(), Boards: boards, Now: func() time.Time { return testNow }}).Handler())
	t.Cleanup(ts.Close)
	for _, tc := range []struct {
		path, typ, body string
		status          int
	}{
		{"/theme/lobby.css", "text/css; charset=utf-8", ":root, body, body.aud-wall { --accent-deco: #ff6600; }\n", 200},
		{"/theme/plain.css", "text/css; charset=utf-8", "", 200},
		{"/theme/nope.css", "text/css; charset=utf-8", "", 200},
		{"/theme/lobby.logo", "image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg"/>`, 200},
		{"/theme/plain.logo", "", "", 404},
		{"/theme/nope.logo", "", "", 404},
	} {
		resp, err := http.Get(ts.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != tc.status || tc.status == 200 && (resp.Header.Get("Content-Type") != tc.typ || body != tc.body) {
			t.Errorf("GET %s: %d %q %q, want %d %q %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), body, tc.status, tc.typ, tc.body)
		}
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
