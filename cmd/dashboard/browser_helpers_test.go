package main

// Harness of the browser tests: the whole app started through serve() on a loopback
// port, and a headless Chromium driven with chromedp. Every wait here is bounded and
// polls a condition; nothing sleeps to let things "settle".

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// simSpeed makes the simulated contact center run an hour per real minute, so every
// poll (10 s for Comm100, 15 s for LivePerson) brings figures that moved.
const simSpeed = "60"

// lockedBuffer is an io.Writer that serve and the test goroutine share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// tail is the end of the buffer, for failure messages that must stay readable.
func (b *lockedBuffer) tail(n int) string {
	s := b.String()
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}

// demoApp is one run of serve() in demo mode (no --config).
type demoApp struct {
	Addr    string // host:port the dashboard listens on
	Base    string // http://Addr
	SimURL  string // the built-in simulator, with its /_sim/ control endpoints
	WallURL string // the wall board as the demo prints it (device token) or /wall/demo
	// AdminUser and AdminPassword are the login the demo prints ("" if it prints none).
	AdminUser, AdminPassword string

	stdout, stderr *lockedBuffer
	cancel         context.CancelFunc
	done           chan error
	stopOnce       sync.Once
}

// appConfig is what two runs of the app share when a test restarts it.
type appConfig struct {
	addr string // "127.0.0.1:0" for any port
	seed int64
	// dataDir holds the device tokens and the embed key; a restart keeps it, so the
	// printed wall link stays the same. Empty means a fresh t.TempDir().
	dataDir string
	// config is an optional YAML file (without sources, so the demo still runs).
	config string
	// floor is --sim-floor ("" = the default small floor).
	floor string
}

// getenv is the environment serve sees: nothing from the developer's shell, so the
// tests are hermetic.
func (c appConfig) getenv(string) string { return "" }

// startDemoApp runs serve() until the test ends (or stop is called) and returns once
// the server accepts connections.
func startDemoApp(t *testing.T, c appConfig) *demoApp {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a := &demoApp{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, cancel: cancel, done: make(chan error, 1)}
	if c.dataDir == "" {
		c.dataDir = t.TempDir() // never ./data: tests must not leave state in the tree
	}
	args := []string{"--addr", c.addr, "--sim-speed", simSpeed, "--sim-seed", strconv.FormatInt(c.seed, 10), "--data-dir", c.dataDir}
	if c.config != "" {
		args = append(args, "--config", c.config)
	}
	if c.floor != "" {
		args = append(args, "--sim-floor", c.floor)
	}
	ready := make(chan string, 1)
	go func() {
		a.done <- serve(ctx, args, c.getenv, a.stdout, a.stderr, func(addr string) { ready <- addr })
	}()
	t.Cleanup(func() {
		a.stop(t)
		if t.Failed() {
			t.Logf("app %s stdout:\n%s\napp stderr (tail):\n%s", a.Addr, a.stdout.String(), a.stderr.tail(4000))
		}
	})
	select {
	case a.Addr = <-ready:
	case err := <-a.done:
		a.done <- err // stop reads it again
		t.Fatalf("serve %v returned before it was ready: %v\nstderr:\n%s", args, err, a.stderr.tail(4000))
	case <-time.After(30 * time.Second):
		t.Fatalf("serve %v was not ready within 30s\nstderr:\n%s", args, a.stderr.tail(4000))
	}
	a.Base = "http://" + a.Addr
	out := a.stdout.String()
	if m := regexp.MustCompile(`simulated contact center at (http://\S+)`).FindStringSubmatch(out); m != nil {
		a.SimURL = m[1]
	} else {
		t.Fatalf("demo did not print the simulator URL; stdout:\n%s", out)
	}
	a.WallURL = a.Base + "/wall/demo"
	if u := printedWallURL(out); u != "" {
		a.WallURL = u
	}
	if m := regexp.MustCompile(`admin login: user (\S+), password (\S+)`).FindStringSubmatch(out); m != nil {
		a.AdminUser, a.AdminPassword = m[1], m[2]
	}
	return a
}

// printedWallURL is the ready-to-open wall URL (with its device token) the demo prints
// at start-up once boards are private, or "" when it prints none.
func printedWallURL(stdout string) string {
	return regexp.MustCompile(`https?://\S+/wall/\S*[?&]device=[^\s"']+`).FindString(stdout)
}

// stop cancels serve's context and waits for it to return (it closes the live
// WebSockets with 1012 first, so pages reconnect by themselves).
func (a *demoApp) stop(t *testing.T) {
	t.Helper()
	a.stopOnce.Do(func() {
		a.cancel()
		select {
		case err := <-a.done:
			if err != nil {
				t.Errorf("serve on %s returned %v after cancel, want nil", a.Addr, err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("serve on %s did not stop within 20s of cancel", a.Addr)
		}
	})
}

// simFault switches a simulator fault on (body is the Fault JSON) or, with body "",
// clears every fault.
func (a *demoApp) simFault(t *testing.T, body string) {
	t.Helper()
	method, rd := http.MethodDelete, strings.NewReader("")
	if body != "" {
		method, rd = http.MethodPost, strings.NewReader(body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, a.SimURL+"/_sim/fault", rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s /_sim/fault: %v", method, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s /_sim/fault %s: status %d, want 2xx", method, body, resp.StatusCode)
	}
}

// chromiumPath finds the browser. The tests fail (never skip) without it, in CI too:
// a skipped browser test is a browser test nobody runs.
func chromiumPath(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatalf("browser tests need Chromium and none was found in PATH (CI=%q): install it with `apt-get install chromium`", os.Getenv("CI"))
	return ""
}

// newBrowser starts one headless Chromium for the test; tabs for parallel subtests
// come from newTab. The flags keep it off the (closed) network: without the
// background-networking ones it keeps trying to reach Google services.
// extra adds flags (the alert sound test starts one with the kiosk autoplay flag).
func newBrowser(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox, // the tests run as root in CI containers
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1920, 1080),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	opts = append(opts, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := startWithin(ctx, cancel, 60*time.Second); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// tab is one browser tab plus what its pages wrote to the console.
type tab struct {
	ctx context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// newTab opens a tab in browser and records its console until the test ends. The
// test fails if any page in it throws an uncaught exception. Tabs share cookies
// unless opts has chromedp.WithNewBrowserContext() (an admin's session must not leak
// into a wall display's tab).
func newTab(t testing.TB, browser context.Context, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, opts...)
	// Like the browser, the tab lives as long as the context of its first Do.
	if err := startWithin(ctx, cancel, 30*time.Second); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	tb := &tab{ctx: ctx}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.console = append(tb.console, m)
			tb.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		cancel()
		for _, m := range tb.messages() {
			if m.IsException() {
				t.Errorf("uncaught exception in page %s:%d: %s", m.URL, m.Line+1, m.Text)
			}
		}
	})
	return tb
}

func (tb *tab) messages() []chromedp.ConsoleMessage {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), tb.console...)
}

// startWithin runs the first (empty) Do on a chromedp context, which starts its
// browser or tab and ties it to ctx. ctx must have no deadline, so a watchdog bounds
// the start instead and cancels ctx when it takes longer than d.
func startWithin(ctx context.Context, cancel context.CancelFunc, d time.Duration) error {
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		return err
	case <-time.After(d):
		cancel()
		return fmt.Errorf("not started within %v", d)
	}
}

// do runs steps in the tab, each call bounded by d.
func (tb *tab) do(t testing.TB, d time.Duration, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, d)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// open navigates to url, waits until the board's main area is in the DOM and sets a
// marker variable: while the marker survives, the page was never reloaded.
func (tb *tab) open(t testing.TB, url string) (marker string) {
	t.Helper()
	tb.do(t, 30*time.Second, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body")))
	marker = strconv.FormatInt(time.Now().UnixNano(), 36)
	got := evalJS[string](t, tb, `window.__ccdashMarker = `+strconv.Quote(marker))
	if got != marker {
		t.Fatalf("setting the page marker: got %q, want %q", got, marker)
	}
	return marker
}

// login signs in through the login form, as a person would.
func (tb *tab) login(t *testing.T, app *demoApp) {
	t.Helper()
	if app.AdminUser == "" {
		t.Fatal("the demo printed no admin login")
	}
	user, pass := chromedp.CSS(`input[name="username"]`), chromedp.CSS(`input[name="password"]`)
	tb.do(t, 30*time.Second,
		chromedp.Navigate(app.Base+"/login"),
		chromedp.WaitVisible(user),
		chromedp.SendKeys(user, app.AdminUser),
		chromedp.SendKeys(pass, app.AdminPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
	)
	tb.waitJS(t, 15*time.Second, "to leave the login page signed in", `location.pathname !== '/login'`)
}

// markerJS is a JS expression true while the page loaded by open is still the same
// document.
func markerJS(marker string) string {
	return `(window.__ccdashMarker === ` + strconv.Quote(marker) + `)`
}

// evalJS evaluates expr in the tab's page and decodes its value.
func evalJS[T any](t testing.TB, tb *tab, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitJS polls the JS boolean expression cond until it is true or timeout passes,
// then fails the test saying what it waited for and how the page looked. Errors
// while polling (a page in the middle of loading) count as "not yet".
func (tb *tab) waitJS(t testing.TB, timeout time.Duration, what, cond string) {
	t.Helper()
	if err := tb.poll(timeout, cond); err != nil {
		t.Fatalf("waiting %v for %s: %v\npage:\n%s", timeout, what, err, tb.dump())
	}
}

// poll is waitJS without the failure: it reports whether cond became true in time.
func (tb *tab) poll(timeout time.Duration, cond string) error {
	deadline := time.Now().Add(timeout)
	var last error
	for {
		ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("Boolean("+cond+")"))
		cancel()
		switch {
		case err == nil && ok:
			return nil
		case err != nil:
			last = err
		}
		if time.Now().After(deadline) {
			if last == nil {
				last = errors.New("condition still false")
			}
			return fmt.Errorf("timed out: %w", last)
		}
		select {
		case <-tb.ctx.Done():
			return tb.ctx.Err()
		case <-time.After(150 * time.Millisecond): // polling interval, not an assertion
		}
	}
}

// dump is the page's location and body text, cut short, for failure messages.
func (tb *tab) dump() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + (document.body ? document.body.innerText : "(no body)")`))
	if err != nil {
		return "(page not readable: " + err.Error() + ")"
	}
	if len(s) > 3000 {
		s = s[:3000] + "…"
	}
	return s
}

// repoRoot is the directory holding go.mod: artifacts and docs/ live there.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// framer is a third-party page (a "CRM") that embeds a dashboard link in an iframe.
// It listens on 127.0.0.1 and is opened as http://localhost:port, so it is another
// site than the dashboard at 127.0.0.1 (hosts differ, not just ports), or as
// http://127.0.0.1:port for an origin the dashboard does not list.
type framer struct {
	port string
	src  atomic.Value // string: the iframe's src
	w, h int          // the iframe's size in CSS px
}

func startFramer(t *testing.T) *framer { t.Helper(); return startFramerSized(t, 1200, 700) }

// startFramerSized is startFramer with an iframe of w×h CSS px.
func startFramerSized(t *testing.T, w, h int) *framer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &framer{w: w, h: h}
	f.src.Store("about:blank")
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html><head><title>Partner CRM</title></head><body><h1>Partner CRM</h1>`+
			`<iframe id="f" src="%s" width="%d" height="%d"></iframe></body></html>`, html.EscapeString(f.src.Load().(string)), f.w, f.h)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	_, f.port, _ = net.SplitHostPort(ln.Addr().String())
	return f
}

// url is the framing page as reached through host ("localhost" or "127.0.0.1").
func (f *framer) url(host string) string { return "http://" + net.JoinHostPort(host, f.port) + "/" }

// origin is the page's origin through host, as embed_origins lists it.
func (f *framer) origin(host string) string { return "http://" + net.JoinHostPort(host, f.port) }

// frameTab attaches to the cross-site iframe whose URL starts with prefix. Chromium
// runs such a frame in its own process, as a separate target: the page's context
// cannot read into it (chromedp docs, "Work in an iframe from another site").
func (tb *tab) frameTab(t *testing.T, prefix string, timeout time.Duration) *tab {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		infos, err := chromedp.Targets(tb.ctx)
		if err != nil {
			t.Fatalf("list targets: %v", err)
		}
		for _, info := range infos {
			if info.Type == "iframe" && strings.HasPrefix(info.URL, prefix) {
				ctx, cancel := chromedp.NewContext(tb.ctx, chromedp.WithTargetID(info.TargetID))
				t.Cleanup(cancel)
				if err := startWithin(ctx, cancel, 30*time.Second); err != nil {
					t.Fatalf("attach to iframe %s: %v", info.URL, err)
				}
				return &tab{ctx: ctx}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no iframe target at %s… within %v; page:\n%s", prefix, timeout, tb.dump())
		}
		time.Sleep(150 * time.Millisecond) // polling interval
	}
}

// waitConsole waits until a console message of the tab's pages matches re.
func (tb *tab) waitConsole(t *testing.T, timeout time.Duration, what string, re *regexp.Regexp) chromedp.ConsoleMessage {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, m := range tb.messages() {
			if re.MatchString(m.Text) {
				return m
			}
		}
		if time.Now().After(deadline) {
			var all []string
			for _, m := range tb.messages() {
				all = append(all, m.String())
			}
			t.Fatalf("waiting %v for %s: no console message matches %s; console:\n%s", timeout, what, re, strings.Join(all, "\n"))
		}
		time.Sleep(150 * time.Millisecond) // polling interval
	}
}
