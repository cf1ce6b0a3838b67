package main

import (
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/alerts"
)

const alertsYAML = `
boards:
  - id: floor
    thresholds:
      longest_wait_warn: 45s
    alerts:
      escalate_after: 5m
      clear_after: 1m
      sound: all
      sound_every: 30s
      rules:
        - figure: longest_wait
          skills: [Sales, comm100:7]
          for: 30s
          overrides:
            Billing: {warn: 2m, crit: 4m}
        - figure: service_level
          level: crit
          crit: 70%
          service_level_target: 20s
        - figure: agent_time_in_state
          state: away
          warn: 10m
          crit: 900
        - figure: agents_available
          warn: 1
          crit: 0
      webhooks:
        - url: https://hooks.slack.com/services/T/B/X
          format: slack
          events: [raise, escalate]
        - url: https://ops.example.com/ccdash
          secret: ${HOOK_SECRET}
`

func TestAlertsConfig(t *testing.T) {
	t.Parallel()
	c, err := ParseConfig([]byte(alertsYAML), env(map[string]string{"HOOK_SECRET": "k3y"}))
	if err != nil {
		t.Fatal(err)
	}
	hooks, err := buildWebhooks(c.Boards)
	if err != nil {
		t.Fatal(err)
	}
	if h := hooks["floor"]; len(h) != 2 || h[0].Format != alerts.FormatSlack || len(h[0].Events) != 2 || h[1].Secret != "k3y" || h[1].Name != "boards[0].alerts.webhooks[1]" {
		t.Errorf("webhooks = %+v", h)
	}
	bs, err := buildAlertBoards(c.Boards)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1 {
		t.Fatalf("%d alert boards, want 1", len(bs))
	}
	b := bs[0]
	if b.ID != "floor" || b.EscalateAfter != 5*time.Minute || b.ClearAfter != time.Minute || b.Sound != alerts.SoundAll || b.SoundEvery != 30*time.Second {
		t.Errorf("board = %+v", b)
	}
	if d := b.Defaults[alerts.LongestWait]; d.Warn != 45 || d.Crit != 120 {
		t.Errorf("longest wait defaults = %+v, want the board's 45s and the default 120s", d)
	}
	r := b.Rules
	if len(r) != 4 || r[0].ID != "longest_wait" || r[0].For != 30*time.Second || r[0].Overrides[0].Limits.Crit != 240 {
		t.Errorf("rule 0 = %+v", r[0])
	}
	if r[1].Level != alerts.Crit || r[1].Limits.Crit != 0.7 || r[1].Target != 20*time.Second {
		t.Errorf("rule 1 = %+v", r[1])
	}
	if r[2].State != "away" || r[2].Limits.Warn != 600 || r[2].Limits.Crit != 900 {
		t.Errorf("rule 2 = %+v", r[2])
	}
}

func TestAlertsConfigBad(t *testing.T) {
	t.Parallel()
	cases := []struct{ yaml, key string }{
		{"figure: queue", "boards[0].alerts.rules[0].figure"},
		{"figure: longest_wait\n          warn: soon", "boards[0].alerts.rules[0].warn"},
		{"figure: service_level\n          crit: 120%", "boards[0].alerts.rules[0].crit"},
		{"figure: agents_available", "boards[0].alerts.rules[0].crit"},
		{"figure: agent_time_in_state\n          warn: 1m\n          crit: 2m", "boards[0].alerts.rules[0].state"},
		{"figure: waiting\n          level: loud", "boards[0].alerts.rules[0].level"},
		{"figure: waiting\n          overrides: {Sales: {warn: x}}", "boards[0].alerts.rules[0].overrides.Sales.warn"},
		{"figure: waiting\n          colour: red", "colour"},
	}
	for _, c := range cases {
		raw := "boards:\n  - id: floor\n    alerts:\n      rules:\n        - " + c.yaml + "\n"
		_, err := ParseConfig([]byte(raw), env(nil))
		if err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%q: err %v, want it to name %s", c.yaml, err, c.key)
		}
	}
	for yaml, key := range map[string]string{
		"webhooks: [{url: 'ftp://x'}]":                   "boards[0].alerts.webhooks[0].url",
		"webhooks: [{url: 'https://x', format: irc}]":    "boards[0].alerts.webhooks[0].format",
		"webhooks: [{url: 'https://x', events: [oops]}]": "boards[0].alerts.webhooks[0].events[0]",
	} {
		_, err := ParseConfig([]byte("boards:\n  - id: floor\n    alerts:\n      "+yaml+"\n"), env(nil))
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: err %v, want it to name %s", yaml, err, key)
		}
	}
	_, err := ParseConfig([]byte("boards:\n  - id: floor\n    alerts:\n      sound: loud\n"), env(nil))
	if err == nil || !strings.Contains(err.Error(), "boards[0].alerts.sound") {
		t.Errorf("sound: loud: err %v, want it to name boards[0].alerts.sound", err)
	}
}
