package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// alertsDemoConfig gives the demo board a rule that always breaches (the simulated
// floor never has 1000 agents available) on one skill, sounding every 2s.
const alertsDemoConfig = `
boards:
  - id: demo
    title: Contact center
    public: true
    alerts:
      sound: all
      sound_every: 2s
      rules:
        - figure: agents_available
          skills: [Returns]
          warn: 1000
          crit: 999
`

// openSoundingWall starts the demo with alertsDemoConfig and opens its wall in a tab
// of browser until the banner asks for sound; marker is the wall page's (open).
func openSoundingWall(t *testing.T, browser context.Context, seed int64) (app *demoApp, wall *tab, marker string) {
	t.Helper()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(cfgPath, []byte(alertsDemoConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	app = startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: seed, dataDir: filepath.Join(dir, "data"), config: cfgPath})
	wall = newTab(t, browser, chromedp.WithNewBrowserContext())
	marker = wall.open(t, app.WallURL)
	wall.waitJS(t, 45*time.Second, "the alert banner with sound", `document.querySelector('#tile-alerts[data-sound="crit"] [data-testid="alert"]') !== null`)
	return app, wall, marker
}

// TestAlertSoundOnKiosk: in Chromium started with the kiosk autoplay flag a breach
// makes the wall play its tone (counted on body[data-alert-tones]) and repeat it
// every sound_every; a manager's acknowledgement stops it on the wall.
func TestAlertSoundOnKiosk(t *testing.T) {
	browser := newBrowser(t, chromedp.Flag("autoplay-policy", "no-user-gesture-required"))
	app, wall, marker := openSoundingWall(t, browser, 31)
	wall.waitJS(t, 20*time.Second, "the first tone", `Number(document.body.dataset.alertTones || 0) >= 1`)
	wall.waitJS(t, 20*time.Second, "the tone to repeat", `Number(document.body.dataset.alertTones || 0) >= 2`)
	if n := evalJS[int](t, wall, `document.querySelectorAll('[data-testid="sound-enable"]').length`); n != 0 {
		t.Errorf("a kiosk with the autoplay flag shows %d tap-to-enable buttons, want none", n)
	}
	anim := evalJS[string](t, wall, `getComputedStyle(document.getElementById('tile-alerts')).animationName`)
	if anim != "alert-pulse" {
		t.Errorf("banner animation = %q, want alert-pulse while unacknowledged", anim)
	}

	mgr := newTab(t, browser, chromedp.WithNewBrowserContext())
	mgr.login(t, app)
	mgr.open(t, app.Base+"/boards/demo")
	mgr.waitJS(t, 30*time.Second, "an acknowledge button", `document.querySelector('.alert-ack button') !== null`)
	// Acknowledge as a person would: click, the board reloads. The banner is re-sent
	// as its figures change, so the button is clicked from the page itself, not by
	// node id.
	for i := 0; ; i++ {
		if evalJS[int](t, mgr, `document.querySelectorAll('.alert-ack').length`) == 0 {
			break
		}
		if i > 50 {
			t.Fatal("acknowledge forms keep coming")
		}
		m := "ack" + strconv.Itoa(i)
		evalJS[bool](t, mgr, `window.__ccdashMarker = `+strconv.Quote(m)+`, document.querySelector('.alert-ack button').click(), true`)
		mgr.waitJS(t, 30*time.Second, "the board to reload after the ack", `!`+markerJS(m)+` && location.pathname === '/boards/demo' && document.readyState === 'complete'`)
	}
	wall.waitJS(t, 30*time.Second, "the wall to show the ack", `document.querySelector('#tile-alerts [data-testid="alert-acked"]') !== null && document.getElementById('tile-alerts').getAttribute('data-sound') === ''`)
	before := evalJS[int](t, wall, `Number(document.body.dataset.alertTones || 0)`)
	// Two sound_every periods (and a tick) pass on the page's own clock; no tone may come.
	evalJS[bool](t, wall, `window.__ackedAt = Date.now(), true`)
	wall.waitJS(t, 20*time.Second, "5 s on the page clock", `Date.now() - window.__ackedAt > 5000`)
	if after := evalJS[int](t, wall, `Number(document.body.dataset.alertTones || 0)`); after != before {
		t.Errorf("tones after the ack: %d → %d, want none", before, after)
	}
	if !evalJS[bool](t, wall, markerJS(marker)) {
		t.Error("the wall reloaded; the ack must arrive live")
	}
	if anim := evalJS[string](t, wall, `getComputedStyle(document.getElementById('tile-alerts')).animationName`); anim != "none" {
		t.Errorf("banner still pulses after the ack: %q", anim)
	}
}

// TestAlertTapToEnableSound: in Chromium without the autoplay flag the wall cannot
// start its AudioContext, so when an alert should sound it shows one "Tap to enable
// sound" button instead of playing; a tap (a real click, a user gesture) plays the
// tone and the button goes away for good.
func TestAlertTapToEnableSound(t *testing.T) {
	_, wall, marker := openSoundingWall(t, newBrowser(t), 32)
	wall.waitJS(t, 20*time.Second, "the tap-to-enable button", `document.querySelector('[data-testid="sound-enable"]') !== null`)
	if n := evalJS[int](t, wall, `Number(document.body.dataset.alertTones || 0)`); n != 0 {
		t.Fatalf("%d tones played before any gesture, want none (the browser blocks them)", n)
	}
	if n := evalJS[int](t, wall, `document.querySelectorAll('[data-testid="sound-enable"]').length`); n != 1 {
		t.Errorf("%d tap-to-enable buttons, want exactly one", n)
	}
	if vis := evalJS[bool](t, wall, `(function(){var b=document.querySelector('[data-testid="sound-enable"]').getBoundingClientRect();return b.width>0&&b.height>0&&b.bottom<=innerHeight&&b.right<=innerWidth})()`); !vis {
		t.Error("the tap-to-enable button is not on screen")
	}
	wall.do(t, 20*time.Second, chromedp.Click(chromedp.CSS(`[data-testid="sound-enable"]`)))
	wall.waitJS(t, 20*time.Second, "the tone after the tap", `Number(document.body.dataset.alertTones || 0) >= 1`)
	wall.waitJS(t, 20*time.Second, "the tone to repeat", `Number(document.body.dataset.alertTones || 0) >= 2`)
	if n := evalJS[int](t, wall, `document.querySelectorAll('[data-testid="sound-enable"]').length`); n != 0 {
		t.Errorf("%d tap-to-enable buttons after the tap, want none", n)
	}
	if !evalJS[bool](t, wall, markerJS(marker)) {
		t.Error("the wall reloaded; the tap must work in place")
	}
}
