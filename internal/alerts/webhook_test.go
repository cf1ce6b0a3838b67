package alerts_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/alerts"
)

// receiver records what it was sent; status decides each answer.
type receiver struct {
	mu     sync.Mutex
	bodies [][]byte
	heads  []http.Header
	got    chan struct{}
}

func newReceiver(t *testing.T, status func(n int) int) (*httptest.Server, *receiver) {
	rc := &receiver{got: make(chan struct{}, 100)}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.bodies = append(rc.bodies, b)
		rc.heads = append(rc.heads, r.Header.Clone())
		n := len(rc.bodies)
		rc.mu.Unlock()
		w.WriteHeader(status(n))
		rc.got <- struct{}{}
	}))
	t.Cleanup(ts.Close)
	return ts, rc
}

func (rc *receiver) wait(t *testing.T, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		select {
		case <-rc.got:
		case <-time.After(20 * time.Second):
			t.Fatalf("receiver got %d requests, want %d", i, n)
		}
	}
}

func sampleEvent(kind alerts.EventKind) alerts.Event {
	a := alerts.Alert{ID: "floor/wait/c:1", Board: "floor", Rule: "wait", Figure: alerts.LongestWait, Subject: "c:1", Name: "Sales",
		Status: alerts.Raised, Level: alerts.Crit, Value: 192, Threshold: 120}
	if kind == alerts.EventAck {
		a.Ack = &alerts.Ack{By: "maria", Note: "<!channel> CRM down"}
	}
	return alerts.Event{Kind: kind, At: t0, Alert: a}
}

func runDispatcher(t *testing.T, hooks map[string][]alerts.Webhook, o alerts.WebhookOptions) *alerts.Dispatcher {
	t.Helper()
	if o.Backoff == 0 {
		o.Backoff = 10 * time.Millisecond
	}
	d := alerts.NewDispatcher(hooks, o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return d
}

func TestWebhookSignatureVerifies(t *testing.T) {
	ts, rc := newReceiver(t, func(int) int { return 200 })
	const secret = "s3cret-hook-key"
	d := runDispatcher(t, map[string][]alerts.Webhook{"floor": {{Name: "w", URL: ts.URL + "/hook", Secret: secret}}}, alerts.WebhookOptions{})
	d.Enqueue([]alerts.Event{sampleEvent(alerts.EventRaise)})
	rc.wait(t, 1)
	body, h := rc.bodies[0], rc.heads[0]
	// The README's check, verbatim in spirit: HMAC-SHA256 of the raw body, hex, "sha256=".
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if got := h.Get(alerts.SignatureHeader); !hmac.Equal([]byte(got), []byte(want)) {
		t.Errorf("signature %q, want %q", got, want)
	}
	if h.Get(alerts.EventHeader) != "raise" || h.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", h)
	}
	var p alerts.Payload
	if err := json.Unmarshal(body, &p); err != nil || p.Event != alerts.EventRaise || p.Board != "floor" || p.Alert.Name != "Sales" || p.Text != "Raised: Sales — longest wait 3:12 ◆ CRIT" {
		t.Errorf("payload %s (%v)", body, err)
	}
}

func TestWebhookSlackAndTeamsShapes(t *testing.T) {
	slack, rs := newReceiver(t, func(int) int { return 200 })
	teams, rt := newReceiver(t, func(int) int { return 200 })
	d := runDispatcher(t, map[string][]alerts.Webhook{"floor": {
		{Name: "s", URL: slack.URL, Format: alerts.FormatSlack},
		{Name: "t", URL: teams.URL, Format: alerts.FormatTeams, Events: []alerts.EventKind{alerts.EventAck}},
	}}, alerts.WebhookOptions{})
	d.Enqueue([]alerts.Event{sampleEvent(alerts.EventRaise), sampleEvent(alerts.EventAck)})
	rs.wait(t, 2)
	rt.wait(t, 1)

	var sm struct {
		Text string `json:"text"`
	}
	dec := json.NewDecoder(bytes.NewReader(rs.bodies[1]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sm); err != nil || !strings.HasPrefix(sm.Text, "Acknowledged: Sales") {
		t.Errorf("slack body %s: %v", rs.bodies[1], err)
	}
	if strings.Contains(sm.Text, "<!channel>") || !strings.Contains(sm.Text, "&lt;!channel&gt;") {
		t.Errorf("slack text does not escape markup: %q", sm.Text)
	}

	var tm struct {
		Type        string `json:"type"`
		Attachments []struct {
			ContentType string `json:"contentType"`
			Content     struct {
				Schema  string `json:"$schema"`
				Type    string `json:"type"`
				Version string `json:"version"`
				Body    []struct {
					Type string `json:"type"`
					Text string `json:"text"`
				} `json:"body"`
			} `json:"content"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal(rt.bodies[0], &tm); err != nil {
		t.Fatal(err)
	}
	if tm.Type != "message" || len(tm.Attachments) != 1 || tm.Attachments[0].ContentType != "application/vnd.microsoft.card.adaptive" {
		t.Fatalf("teams body %s", rt.bodies[0])
	}
	c := tm.Attachments[0].Content
	if c.Type != "AdaptiveCard" || c.Version == "" || c.Schema == "" || len(c.Body) == 0 || c.Body[0].Type != "TextBlock" || !strings.Contains(c.Body[0].Text, "by maria") {
		t.Errorf("teams card %+v", c)
	}
	if len(rt.bodies) != 1 {
		t.Errorf("teams hook (events: [ack]) got %d bodies, want the ack only", len(rt.bodies))
	}
}

func TestWebhookRetriesAndKeepsSecretsOutOfLogs(t *testing.T) {
	ts, rc := newReceiver(t, func(n int) int {
		if n < 3 {
			return 500
		}
		return 200
	})
	dead, rd := newReceiver(t, func(int) int { return 503 })
	var logs bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logs.Write(p) }), nil))
	const secret, token = "never-log-me", "T0KEN-IN-PATH"
	d := runDispatcher(t, map[string][]alerts.Webhook{"floor": {
		{Name: "boards[0].alerts.webhooks[0]", URL: ts.URL + "/" + token, Secret: secret},
		{Name: "boards[0].alerts.webhooks[1]", URL: dead.URL + "/" + token, Secret: secret},
	}}, alerts.WebhookOptions{Attempts: 3, Log: log})
	d.Enqueue([]alerts.Event{sampleEvent(alerts.EventRaise)})
	rc.wait(t, 3)
	rd.wait(t, 3)
	deadline := time.Now().Add(20 * time.Second)
	for d.Failed.Load() < 1 || d.Delivered.Load() < 1 {
		if time.Now().After(deadline) {
			t.Fatalf("delivered %d failed %d, want 1 and 1", d.Delivered.Load(), d.Failed.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	out := logs.String()
	mu.Unlock()
	if !strings.Contains(out, "webhooks[1]") || !strings.Contains(out, "503") {
		t.Errorf("the dead webhook's failure is not logged by name: %s", out)
	}
	if strings.Contains(out, secret) || strings.Contains(out, token) || strings.Contains(out, "127.0.0.1") {
		t.Errorf("log leaks the secret or the URL: %s", out)
	}
}

func TestWebhookCallsOnlyItsURL(t *testing.T) {
	other, ro := newReceiver(t, func(int) int { return 200 })
	redirect := httptest.NewServer(http.RedirectHandler(other.URL, http.StatusTemporaryRedirect))
	defer redirect.Close()
	d := runDispatcher(t, map[string][]alerts.Webhook{"floor": {{Name: "r", URL: redirect.URL}}}, alerts.WebhookOptions{})
	d.Enqueue([]alerts.Event{sampleEvent(alerts.EventRaise)})
	deadline := time.Now().Add(20 * time.Second)
	for d.Failed.Load() < 1 {
		if time.Now().After(deadline) {
			t.Fatal("redirected delivery neither failed nor finished")
		}
		time.Sleep(5 * time.Millisecond)
	}
	ro.mu.Lock()
	defer ro.mu.Unlock()
	if len(ro.bodies) != 0 {
		t.Errorf("the redirect target was called %d times; webhooks follow no redirects", len(ro.bodies))
	}
}

func TestWebhookValidate(t *testing.T) {
	for _, c := range []struct {
		w    alerts.Webhook
		path string
	}{
		{alerts.Webhook{URL: "ftp://x"}, "url"},
		{alerts.Webhook{URL: "https://u:p@x/"}, "url"},
		{alerts.Webhook{URL: "https://x/", Format: "discord"}, "format"},
		{alerts.Webhook{URL: "https://x/", Events: []alerts.EventKind{"boom"}}, "events[0]"},
	} {
		if err := c.w.Validate(); err == nil || !strings.HasPrefix(err.Error(), c.path+":") {
			t.Errorf("%+v: %v, want an error at %s", c.w, err, c.path)
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
