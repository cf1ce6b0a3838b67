package alerts

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ccdash/ccdash/internal/field"
)

// Format is the body a webhook receives.
type Format string

// Webhook body formats (the YAML spellings).
const (
	FormatJSON  Format = "json"  // ccdash's own JSON (the default), signed when a secret is set
	FormatSlack Format = "slack" // a Slack incoming-webhook message
	FormatTeams Format = "teams" // a Microsoft Teams (Workflows) message with an Adaptive Card
)

// SignatureHeader carries "sha256=<hex HMAC-SHA256 of the body>" keyed with the
// webhook's secret; EventHeader names the event.
const (
	SignatureHeader = "X-Ccdash-Signature"
	EventHeader     = "X-Ccdash-Event"
)

// Webhook is one configured receiver of a board's alert events.
type Webhook struct {
	// Name says which one it is in logs (the YAML path); the URL never reaches a log,
	// since Slack and Teams URLs are credentials themselves.
	Name   string
	URL    string
	Format Format
	// Secret signs the body (SignatureHeader). Empty sends no signature.
	Secret string
	// Events it receives; empty means all four.
	Events []EventKind
}

// Validate checks the webhook, naming the YAML key.
func (w Webhook) Validate() error {
	u, err := url.Parse(w.URL)
	switch {
	case w.URL == "":
		return field.Errorf("url", "missing")
	case err != nil || u.Host == "" || u.Scheme != "https" && u.Scheme != "http":
		return field.Errorf("url", "must be an http:// or https:// URL with a host")
	case u.User != nil:
		return field.Errorf("url", "must not carry a user or password; use secret to sign instead")
	}
	switch w.Format {
	case "", FormatJSON, FormatSlack, FormatTeams:
	default:
		return field.Errorf("format", "%q: want json, slack or teams", w.Format)
	}
	for i, k := range w.Events {
		if !slices.Contains([]EventKind{EventRaise, EventEscalate, EventClear, EventAck}, k) {
			return field.Errorf(fmt.Sprintf("events[%d]", i), "%q: want raise, escalate, clear or ack", k)
		}
	}
	return nil
}

func (w Webhook) wants(k EventKind) bool { return len(w.Events) == 0 || slices.Contains(w.Events, k) }

// WebhookOptions tunes delivery. Zero values mean the defaults given.
type WebhookOptions struct {
	// Timeout bounds one request. Default 10s.
	Timeout time.Duration
	// Attempts per event, the first included. Default 5.
	Attempts int
	// Backoff is the wait before the first retry, doubled for each next one (up to a
	// minute). Default 2s.
	Backoff time.Duration
	// Queue is how many events wait per webhook before new ones are dropped. Default 256.
	Queue int
	// Client sends the requests. Default: a client that follows no redirects (a
	// webhook is called at its configured URL only).
	Client *http.Client
	Log    *slog.Logger
}

// Dispatcher delivers alert events to webhooks beside everything else: Enqueue never
// blocks, each webhook has its own bounded queue and goroutine, so a slow or dead
// receiver delays nobody, not even the other webhooks.
type Dispatcher struct {
	opts  WebhookOptions
	hooks map[string][]*hookQueue // board → its webhooks

	Dropped   atomic.Int64 // events dropped because a webhook's queue was full
	Failed    atomic.Int64 // events given up after the last attempt
	Delivered atomic.Int64
}

type hookQueue struct {
	hook Webhook
	ch   chan Event
}

// NewDispatcher returns a dispatcher for the webhooks of each board (by board id).
func NewDispatcher(hooks map[string][]Webhook, o WebhookOptions) *Dispatcher {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Attempts <= 0 {
		o.Attempts = 5
	}
	if o.Backoff <= 0 {
		o.Backoff = 2 * time.Second
	}
	if o.Queue <= 0 {
		o.Queue = 256
	}
	if o.Client == nil {
		o.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	d := &Dispatcher{opts: o, hooks: map[string][]*hookQueue{}}
	for board, hs := range hooks {
		for _, h := range hs {
			d.hooks[board] = append(d.hooks[board], &hookQueue{hook: h, ch: make(chan Event, o.Queue)})
		}
	}
	return d
}

// Enqueue hands events to the webhooks of their boards without blocking (it is the
// Engine's OnEvents).
func (d *Dispatcher) Enqueue(events []Event) {
	for _, ev := range events {
		for _, q := range d.hooks[ev.Alert.Board] {
			if !q.hook.wants(ev.Kind) {
				continue
			}
			select {
			case q.ch <- ev:
			default:
				d.Dropped.Add(1)
				d.opts.Log.Warn("webhook queue full: event dropped", "webhook", q.hook.Name, "event", ev.Kind)
			}
		}
	}
}

// Run delivers until ctx is done (one goroutine per webhook).
func (d *Dispatcher) Run(ctx context.Context) {
	done := make(chan struct{})
	n := 0
	for _, qs := range d.hooks {
		for _, q := range qs {
			n++
			go func() {
				defer func() { done <- struct{}{} }()
				for {
					select {
					case <-ctx.Done():
						return
					case ev := <-q.ch:
						d.deliver(ctx, q.hook, ev)
					}
				}
			}()
		}
	}
	for range n {
		<-done
	}
}

// deliver sends ev to h, retrying network errors, 429 and 5xx with doubling back-off.
func (d *Dispatcher) deliver(ctx context.Context, h Webhook, ev Event) {
	body, err := Body(h.Format, ev)
	if err != nil {
		d.Failed.Add(1)
		d.opts.Log.Error("webhook body", "webhook", h.Name, "err", err)
		return
	}
	wait := d.opts.Backoff
	for attempt := 1; ; attempt++ {
		retry, err := d.send(ctx, h, ev.Kind, body)
		if err == nil {
			d.Delivered.Add(1)
			return
		}
		if !retry || attempt >= d.opts.Attempts || ctx.Err() != nil {
			d.Failed.Add(1)
			d.opts.Log.Warn("webhook delivery failed", "webhook", h.Name, "event", ev.Kind, "attempts", attempt, "err", err)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Minute)
	}
}

// errStatus is a receiver's refusal; its text is safe to log (no URL, no secret).
type errStatus int

func (e errStatus) Error() string { return "receiver answered " + strconv.Itoa(int(e)) }

func (d *Dispatcher) send(ctx context.Context, h Webhook, kind EventKind, body []byte) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return false, errors.New("bad webhook URL")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "ccdash-alerts")
	req.Header.Set(EventHeader, string(kind))
	if h.Secret != "" {
		req.Header.Set(SignatureHeader, Sign(h.Secret, body))
	}
	res, err := d.opts.Client.Do(req)
	if err != nil {
		// The error text of net/http names the URL: log only what kind it was.
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() {
			return true, errors.New("timed out")
		}
		return true, errors.New("request failed (connection refused, reset or DNS)")
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	switch {
	case res.StatusCode >= 200 && res.StatusCode < 300:
		return false, nil
	case res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500:
		return true, errStatus(res.StatusCode)
	}
	return false, errStatus(res.StatusCode) // 3xx (never followed) and 4xx: retrying cannot help
}

// Sign is the SignatureHeader value of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Payload is the FormatJSON body.
type Payload struct {
	Event EventKind `json:"event"`
	At    time.Time `json:"at"`
	Board string    `json:"board"`
	// Text is the event in one line, as a person reads it.
	Text  string `json:"text"`
	Alert Alert  `json:"alert"`
}

// Body renders ev in format f.
func Body(f Format, ev Event) ([]byte, error) {
	text := EventText(ev)
	switch f {
	case FormatSlack:
		// Slack reads &, < and > as markup (<!channel> pings everyone): escape them,
		// as its docs ask, so a note cannot.
		return json.Marshal(map[string]any{"text": slackEscape.Replace(text)})
	case FormatTeams:
		card := map[string]any{
			"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
			"type":    "AdaptiveCard", "version": "1.4",
			"body": []map[string]any{
				{"type": "TextBlock", "text": text, "wrap": true, "weight": "Bolder", "color": teamsColor(ev)},
				{"type": "TextBlock", "text": "Board " + ev.Alert.Board + " · " + ev.At.UTC().Format(time.RFC3339), "isSubtle": true, "wrap": true},
			},
		}
		return json.Marshal(map[string]any{"type": "message", "attachments": []map[string]any{
			{"contentType": "application/vnd.microsoft.card.adaptive", "content": card},
		}})
	}
	return json.Marshal(Payload{Event: ev.Kind, At: ev.At, Board: ev.Alert.Board, Text: text, Alert: ev.Alert})
}

var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func teamsColor(ev Event) string {
	switch {
	case ev.Kind == EventClear || ev.Kind == EventAck:
		return "Good"
	case ev.Alert.Level == Crit:
		return "Attention"
	}
	return "Warning"
}

// EventText is the one line a chat message says: "Raised: Sales — waiting 6 ◆ CRIT".
func EventText(ev Event) string {
	t := ev.Alert.Text()
	switch ev.Kind {
	case EventRaise:
		return "Raised: " + t
	case EventEscalate:
		return "Escalated (unacknowledged): " + t
	case EventClear:
		return "Cleared: " + ev.Alert.Name + " — " + ev.Alert.Figure.Label() + " back to normal"
	case EventAck:
		s := "Acknowledged: " + t
		if a := ev.Alert.Ack; a != nil {
			s += " by " + a.By
			if a.Note != "" {
				s += ": " + a.Note
			}
		}
		return s
	}
	return t
}
