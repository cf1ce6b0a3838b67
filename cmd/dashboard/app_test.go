package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuf is an io.Writer the app writes logs to while the test reads them.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runningApp is one serve() run on a loopback port.
type runningApp struct {
	base           string
	stdout, stderr *syncBuf
	stop           func()
}

// startApp runs serve(args) until the test ends or stop is called.
func startApp(t *testing.T, args []string, getenv func(string) string) *runningApp {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a := &runningApp{stdout: &syncBuf{}, stderr: &syncBuf{}}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, args, getenv, a.stdout, a.stderr, func(addr string) { ready <- addr }) }()
	var once sync.Once
	a.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve returned %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Error("serve did not stop within 20s")
			}
		})
	}
	t.Cleanup(a.stop)
	select {
	case addr := <-ready:
		a.base = "http://" + addr
	case err := <-done:
		t.Fatalf("serve %v: %v\nstderr: %s", args, err, a.stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("serve %v not ready within 30s", args)
	}
	return a
}

// browser is an HTTP client with cookies that reports redirects instead of following.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

func fetch(t *testing.T, c *http.Client, method, u string, form url.Values) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// signIn logs c in through the login form and returns the bodies it saw.
func signIn(t *testing.T, c *http.Client, base, user, pw string) []string {
	t.Helper()
	_, page := fetch(t, c, "GET", base+"/login", nil)
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("login page without CSRF token: %.300s", page)
	}
	code, body := fetch(t, c, "POST", base+"/login", url.Values{"csrf_token": {m[1]}, "username": {user}, "password": {pw}})
	if code != http.StatusSeeOther {
		t.Fatalf("sign in as %s: got %d %.300s", user, code, body)
	}
	return []string{page, body}
}

var printedWall = regexp.MustCompile(`https?://\S+/wall/\S*[?&]device=[^\s"']+`)

// TestDeviceLinkSurvivesRestart: a wall link (the demo's, and one made with `dashboard
// token create` while the server was stopped) keeps working after a restart on the
// same data dir, and the demo prints the same link again.
func TestDeviceLinkSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	args := []string{"--addr", "127.0.0.1:0", "--data-dir", dir}
	noEnv := func(string) string { return "" }

	first := startApp(t, args, noEnv)
	wall1 := printedWall.FindString(first.stdout.String())
	if wall1 == "" {
		t.Fatalf("the demo printed no wall link:\n%s", first.stdout.String())
	}
	u1, _ := url.Parse(wall1)
	c := browser(t)
	if code, _ := fetch(t, c, "GET", first.base+u1.RequestURI(), nil); code != 200 {
		t.Fatalf("demo wall link, first run: got %d", code)
	}
	if code, _ := fetch(t, c, "GET", first.base+"/wall/demo", nil); code != http.StatusSeeOther {
		t.Errorf("demo board without the link: got %d, want a redirect to login (the demo board is private)", code)
	}
	// While the server runs, the CLI cannot open the store and says why.
	err := run(context.Background(), []string{"token", "list", "--data-dir", dir}, noEnv, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "/admin/devices") {
		t.Errorf("token list while running: %v, want an error pointing to /admin/devices", err)
	}
	first.stop()

	var out bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--board", "demo", "--name", "Floor 2 TV", "--data-dir", dir}, noEnv, nil, &out, io.Discard); err != nil {
		t.Fatalf("token create: %v", err)
	}
	made := printedWall.FindString(out.String())
	u2, _ := url.Parse(made)

	second := startApp(t, args, noEnv)
	if again := printedWall.FindString(second.stdout.String()); again == "" || !strings.HasSuffix(again, u1.RequestURI()) {
		t.Errorf("second run printed %q, want the same link %q", again, u1.RequestURI())
	}
	for _, u := range []*url.URL{u1, u2} {
		if code, _ := fetch(t, c, "GET", second.base+u.RequestURI(), nil); code != 200 {
			t.Errorf("wall link %s after restart: got %d, want 200", u.Path, code)
		}
	}
	second.stop()

	out.Reset()
	if err := run(context.Background(), []string{"token", "list", "--data-dir", dir}, noEnv, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Floor 2 TV") || strings.Count(out.String(), "never") > 1 {
		t.Errorf("token list: want both devices, seen:\n%s", out.String())
	}
}
