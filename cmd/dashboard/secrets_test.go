package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/simulator"
	simcomm100 "github.com/ccdash/ccdash/internal/simulator/comm100"
	simliveperson "github.com/ccdash/ccdash/internal/simulator/liveperson"
)

// TestNoSecretInResponsesOrLogs runs the whole app against the simulator with known
// secret values in its config — vendor keys and passwords (one of them wrong, so
// errors are produced and logged), user passwords and the embed key — visits every
// page, the snapshot JSON, health, metrics and a WebSocket, signs in wrongly and
// rightly, and asserts no secret appears in any body or in any log line (debug level).
func TestNoSecretInResponsesOrLogs(t *testing.T) {
	t.Parallel()
	simCfg := simulator.Config{
		Seed: 3,
		Comm100: simulator.Comm100Site{SiteID: 10000, Email: "wall@example.com", APIKey: "c100-APIKEY-5ec7e7",
			ClientID: "c100-client", Password: "c100-PASSWORD-9d2f"},
		LivePerson: simulator.LPAccount{AccountID: "12345678", ConsumerKey: "lp-APPKEY-a1b2", ConsumerSecret: "lp-APPSECRET-c3d4",
			Token: "lp-ACCESSTOKEN-e5f6", TokenSecret: "lp-TOKENSECRET-0718"},
	}
	sim := simulator.New(simCfg)
	simSrv := httptest.NewServer(sim.Handler(simcomm100.Routes, simliveperson.Routes))
	t.Cleanup(simSrv.Close)

	adminPW, managerPW := "admin-PASSWORD-2b7c", "manager-PASSWORD-61ef"
	adminHash, err := auth.HashPassword(adminPW)
	if err != nil {
		t.Fatal(err)
	}
	managerHash, _ := auth.HashPassword(managerPW)
	keyBytes := []byte("embed-KEY-bytes-0123456789abcdef")
	embedKey := base64.StdEncoding.EncodeToString(keyBytes)
	wrongKey := "c100-WRONGKEY-77aa"
	secrets := []string{
		simCfg.Comm100.APIKey, simCfg.Comm100.Password, simCfg.LivePerson.ConsumerKey, simCfg.LivePerson.ConsumerSecret,
		simCfg.LivePerson.Token, simCfg.LivePerson.TokenSecret, adminPW, managerPW, embedKey, string(keyBytes),
		base64.RawURLEncoding.EncodeToString(keyBytes), wrongKey, adminHash, managerHash,
	}

	config := `
data_dir: ` + filepath.Join(t.TempDir(), "data") + `
log_level: debug
embed_key: ${EMBED_KEY}
embed_origins: [https://crm.example.com]
users:
  - {name: admin, role: admin, password_hash: "` + adminHash + `"}
  - {name: manager, role: manager, password_hash: "` + managerHash + `", skills: [nosuch:skill]}
boards:
  - {id: lobby, title: Lobby}
sources:
  - id: c100
    kind: comm100
    interval: 2s
    comm100: {base_url: "` + simSrv.URL + `/v4", token_url: "` + simSrv.URL + `/oauth/token", site_id: 10000,
      email: wall@example.com, client_id: c100-client, password: ${C100_PASSWORD}}
  - id: c100key
    kind: comm100
    interval: 2s
    comm100: {base_url: "` + simSrv.URL + `/v4", site_id: 10000, email: wall@example.com, api_key: ` + simCfg.Comm100.APIKey + `}
  - id: c100bad
    kind: comm100
    interval: 2s
    comm100: {base_url: "` + simSrv.URL + `/v4", site_id: 10000, email: wall@example.com, api_key: ` + wrongKey + `}
  - id: lp
    kind: liveperson
    interval: 2s
    liveperson: {account_id: "12345678", domain_url: "` + simSrv.URL + `", app_key: lp-APPKEY-a1b2, secret: lp-APPSECRET-c3d4,
      access_token: lp-ACCESSTOKEN-e5f6, access_token_secret: lp-TOKENSECRET-0718}
`
	path := filepath.Join(t.TempDir(), "ccdash.yaml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"EMBED_KEY": embedKey, "C100_PASSWORD": simCfg.Comm100.Password}
	app := startApp(t, []string{"--config", path, "--addr", "127.0.0.1:0"}, func(k string) string { return env[k] })

	var bodies []string
	get := func(c *http.Client, path string) (int, string) {
		code, body := fetch(t, c, "GET", app.base+path, nil)
		bodies = append(bodies, body)
		return code, body
	}
	adm := browser(t)
	// A wrong password first: failed logins are logged, the password must not be.
	_, page := fetch(t, adm, "GET", app.base+"/login", nil)
	tok := csrfInput.FindStringSubmatch(page)[1]
	_, body := fetch(t, adm, "POST", app.base+"/login", url.Values{"csrf_token": {tok}, "username": {"admin"}, "password": {managerPW}})
	bodies = append(bodies, page, body)
	bodies = append(bodies, signIn(t, adm, app.base, "admin", adminPW)...)

	// Wait until the real connectors have polled: every good source has succeeded
	// and the bad one has failed at least once.
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, js := get(adm, "/api/v1/snapshot")
		var snap struct {
			Skills  []json.RawMessage
			Sources []struct {
				ID          string
				LastSuccess time.Time
				LastError   *struct{ Text string }
			}
		}
		_ = json.Unmarshal([]byte(js), &snap)
		ok := 0
		for _, s := range snap.Sources {
			if (s.ID == "c100bad" && s.LastError != nil) || (s.ID != "c100bad" && !s.LastSuccess.IsZero()) {
				ok++
			}
		}
		if len(snap.Skills) > 0 && ok == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sources did not all poll within 30s: %.1000s", js)
		}
		time.Sleep(200 * time.Millisecond)
	}

	// A device link and an embed link, made the way an operator would.
	tok = csrfInput.FindStringSubmatch(func() string { _, b := get(adm, "/admin/devices"); return b }())[1]
	_, created := fetch(t, adm, "POST", app.base+"/admin/devices", url.Values{"csrf_token": {tok}, "board": {"lobby"}, "name": {"TV"}})
	bodies = append(bodies, created)
	m := regexp.MustCompile(`data-testid="new-device-url">([^<]+)<`).FindStringSubmatch(created)
	if m == nil {
		t.Fatalf("admin page showed no device link: %.500s", created)
	}
	wall, _ := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
	embed := auth.SignEmbed(keyBytes, auth.EmbedClaims{Board: "lobby"})

	anon := browser(t)
	for _, p := range []string{"/boards/lobby", "/boards/lobby?sort=name", "/wall/lobby", "/embed/lobby", "/embed/lobby/tiles/today",
		"/api/v1/snapshot", "/readyz", "/healthz", "/metrics", "/admin/devices", "/logout", "/"} {
		if code, _ := get(adm, p); code >= 500 && p != "/readyz" { // readyz: 503 while c100bad fails
			t.Errorf("GET %s: %d", p, code)
		}
	}
	for _, p := range []string{wall.RequestURI(), "/embed/lobby?token=" + embed, "/embed/lobby?token=" + embed + "x",
		"/boards/lobby", "/readyz", "/login", "/wall/lobby?device=dev_nope"} {
		get(anon, p)
	}
	mgr := browser(t)
	bodies = append(bodies, signIn(t, mgr, app.base, "manager", managerPW)...)
	get(mgr, "/boards/lobby")
	get(mgr, "/api/v1/snapshot")

	// The live channel's first message (the full tile set) of a user and a device.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	u, _ := url.Parse(app.base)
	cookies := http.Header{}
	for _, ck := range adm.Jar.Cookies(u) {
		cookies.Add("Cookie", ck.Name+"="+ck.Value)
	}
	for _, ws := range []struct {
		path string
		h    http.Header
	}{{"/ws?board=lobby&view=manager", cookies}, {"/ws?board=lobby&view=wall&" + wall.RawQuery, nil}} {
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(app.base, "http")+ws.path, &websocket.DialOptions{HTTPHeader: ws.h})
		if err != nil {
			t.Fatalf("ws %s: %v", ws.path, err)
		}
		c.SetReadLimit(1 << 22)
		_, msg, err := c.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, string(msg))
		c.CloseNow()
	}
	app.stop()

	logs := app.stdout.String() + app.stderr.String()
	if !strings.Contains(logs, "c100bad") || !regexp.MustCompile(`login failed`).MatchString(logs) {
		t.Errorf("the logs lack the failing source or the failed login, so this test proves little:\n%.2000s", logs)
	}
	for _, s := range secrets {
		for i, b := range bodies {
			if strings.Contains(b, s) {
				t.Errorf("response body #%d holds secret %q: %.200s", i, s, b[max(0, strings.Index(b, s)-100):])
			}
		}
		if i := strings.Index(logs, s); i >= 0 {
			t.Errorf("log output holds secret %q: %.300s", s, logs[max(0, i-200):])
		}
	}
	t.Logf("checked %d bodies (%d bytes of them) and %d bytes of logs", len(bodies), len(strings.Join(bodies, "")), len(logs))
}
