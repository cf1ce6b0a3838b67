package alerts_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/snapshot"
)

func richFloor() *snapshot.Snapshot {
	q := func(sl float64, wait time.Duration) []snapshot.Queue {
		return []snapshot.Queue{{Channel: snapshot.Chat, ServiceLevel: snapshot.Some(sl), LongestWait: snapshot.Some(wait),
			AvgWait30m: snapshot.Some(wait / 2), Waiting: snapshot.Some[int64](4), AbandonRate: snapshot.Some(0.07)}}
	}
	return &snapshot.Snapshot{TakenAt: t0, Skills: []snapshot.Skill{
		{Key: "c:1", Name: "Sales", Queues: q(0.7, 90*time.Second), Agents: snapshot.StateCounts{Available: 1}},
		{Key: "c:2", Name: "Support", Queues: q(0.9, 30*time.Second), Agents: snapshot.StateCounts{Available: 4}},
		{Key: "c:3", Name: "Billing", Queues: q(0.5, 200*time.Second), Agents: snapshot.StateCounts{Available: 0}},
		{Key: "l:4", Name: "Chat app", Queues: []snapshot.Queue{{Channel: snapshot.Messaging, CSAT: snapshot.Some(0.55),
			FirstResponse: snapshot.Some(6 * time.Minute), ResponseTime: snapshot.Some(time.Minute)}}},
	}, Agents: []snapshot.Agent{
		{Key: "c:a1", Name: "Ana", State: snapshot.Away, Since: t0.Add(-20 * time.Minute), Skills: []string{"c:1"}},
		{Key: "c:a2", Name: "Ben", State: snapshot.Away, Since: t0.Add(-2 * time.Minute), Skills: []string{"c:2"}},
		{Key: "c:a3", Name: "Cy", State: snapshot.Busy, Since: t0.Add(-time.Hour), Skills: []string{"c:3"}},
	}}
}

func TestRules(t *testing.T) {
	defaults := map[alerts.Figure]alerts.Limits{
		alerts.LongestWait: {Warn: 60, Crit: 120}, alerts.ServiceLevel: {Warn: 0.8, Crit: 0.6},
		alerts.Waiting: {Warn: 3, Crit: 6}, alerts.AbandonRate: {Warn: 0.05, Crit: 0.1}, alerts.AvgWait: {Warn: 30, Crit: 60},
		alerts.CSAT: {Warn: 0.8, Crit: 0.6}, alerts.FirstResponse: {Warn: 300, Crit: 900}, alerts.ResponseTime: {Warn: 120, Crit: 300},
	}
	cases := []struct {
		name string
		rule alerts.Rule
		want string // "name:level" of shown alerts, sorted as shown
	}{
		{"longest wait from board thresholds, all skills (sorted)",
			alerts.Rule{Figure: alerts.LongestWait, Limits: alerts.Unset()}, "Billing:crit Sales:warn"},
		{"level crit ignores warnings",
			alerts.Rule{Figure: alerts.LongestWait, Level: alerts.Crit, Limits: alerts.Unset()}, "Billing:crit"},
		{"skills by name and key",
			alerts.Rule{Figure: alerts.LongestWait, Skills: []string{"sales", "c:2"}, Limits: alerts.Unset()}, "Sales:warn"},
		{"skills all",
			alerts.Rule{Figure: alerts.Waiting, Skills: []string{"all"}, Limits: alerts.Unset()}, "Billing:warn Sales:warn Support:warn"},
		{"service level: lower is worse",
			alerts.Rule{Figure: alerts.ServiceLevel, Limits: alerts.Unset()}, "Billing:crit Sales:warn"},
		{"rule's own limits",
			alerts.Rule{Figure: alerts.AvgWait, Limits: alerts.Limits{Warn: 10, Crit: 40}}, "Billing:crit Sales:crit Support:warn"},
		{"per-skill override",
			alerts.Rule{Figure: alerts.LongestWait, Limits: alerts.Unset(), Overrides: []alerts.Override{
				{Skill: "Billing", Limits: alerts.Limits{Warn: 180, Crit: 300}}, {Skill: "Support", Limits: alerts.Limits{Warn: 20, Crit: 1000}}}},
			"Billing:warn Sales:warn Support:warn"},
		{"agents available at or below",
			alerts.Rule{Figure: alerts.AgentsAvailable, Limits: alerts.Limits{Warn: 1, Crit: 0}}, "Billing:crit Chat app:crit Sales:warn"},
		{"messaging csat: lower is worse",
			alerts.Rule{Figure: alerts.CSAT, Limits: alerts.Unset()}, "Chat app:crit"},
		{"messaging time to first response",
			alerts.Rule{Figure: alerts.FirstResponse, Limits: alerts.Unset()}, "Chat app:warn"},
		{"messaging response time within thresholds",
			alerts.Rule{Figure: alerts.ResponseTime, Limits: alerts.Unset()}, ""},
		{"an agent's time in a state",
			alerts.Rule{Figure: alerts.AgentStateTime, State: snapshot.Away, Limits: alerts.Limits{Warn: 60, Crit: 900}}, "Ana:crit Ben:warn"},
		{"agent rule limited to a skill's agents",
			alerts.Rule{Figure: alerts.AgentStateTime, State: snapshot.Away, Skills: []string{"Support"}, Limits: alerts.Limits{Warn: 60, Crit: 900}}, "Ben:warn"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.rule.ID = "r"
			b := alerts.Board{ID: "floor", Defaults: defaults, Rules: []alerts.Rule{c.rule}}
			e := newEngine(t, b, openStore(t, filepath.Join(t.TempDir(), "db")))
			e.Evaluate(richFloor())
			var got []string
			for _, a := range e.Alerts("floor", snapshot.Scope{}) {
				got = append(got, a.Name+":"+string(a.Level))
			}
			slices.Sort(got)
			if g := strings.Join(got, " "); g != c.want {
				t.Errorf("shown %q, want %q", g, c.want)
			}
		})
	}
}

func TestBannerText(t *testing.T) {
	b := alerts.Board{ID: "floor", Rules: []alerts.Rule{{ID: "r", Figure: alerts.LongestWait, Skills: []string{"Billing"}, Limits: alerts.Limits{Warn: 60, Crit: 120}}}}
	e := newEngine(t, b, openStore(t, filepath.Join(t.TempDir(), "db")))
	e.Evaluate(richFloor())
	as := e.Alerts("floor", snapshot.Scope{})
	if len(as) != 1 {
		t.Fatalf("%d alerts", len(as))
	}
	if got, want := as[0].Text(), "Billing — longest wait 3:20 ◆ CRIT"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func TestBoardValidate(t *testing.T) {
	cases := []struct {
		name string
		b    alerts.Board
		path string
	}{
		{"unknown figure", alerts.Board{Rules: []alerts.Rule{{ID: "a", Figure: "queue_len", Limits: alerts.Unset()}}}, "rules[0].figure"},
		{"no threshold for agents available", alerts.Board{Rules: []alerts.Rule{{ID: "a", Figure: alerts.AgentsAvailable, Limits: alerts.Unset()}}}, "rules[0].crit"},
		{"state missing", alerts.Board{Rules: []alerts.Rule{{ID: "a", Figure: alerts.AgentStateTime, Limits: alerts.Limits{Warn: 1, Crit: 2}}}}, "rules[0].state"},
		{"warn worse than crit", alerts.Board{Rules: []alerts.Rule{{ID: "a", Figure: alerts.ServiceLevel, Limits: alerts.Limits{Warn: 0.5, Crit: 0.7}}}}, "rules[0].warn"},
		{"bad override", alerts.Board{Rules: []alerts.Rule{{ID: "a", Figure: alerts.Waiting, Limits: alerts.Limits{Warn: 1, Crit: 2},
			Overrides: []alerts.Override{{Skill: "Sales", Limits: alerts.Limits{Warn: 5, Crit: 3}}}}}}, "rules[0].overrides[0].warn"},
		{"duplicate id", alerts.Board{Rules: []alerts.Rule{{ID: "a", Figure: alerts.Waiting, Limits: alerts.Limits{Warn: 1, Crit: 2}}, {ID: "a", Figure: alerts.Waiting, Limits: alerts.Limits{Warn: 1, Crit: 2}}}}, "rules[1].id"},
		{"sound", alerts.Board{Sound: "loud"}, "sound"},
		{"negative escalate_after", alerts.Board{EscalateAfter: -time.Second}, "escalate_after"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := field.All(c.b.Validate())
			if len(errs) != 1 || errs[0].Path != c.path {
				t.Errorf("Validate = %v, want one error at %s", errs, c.path)
			}
		})
	}
}
