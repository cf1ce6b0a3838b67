package server

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// surface is every route that reads a query string: the board pages of each view,
// tile embeds, the live channel, and the rest of what anyone can reach.
var surface = []string{
	"/", "/wall/demo", "/boards/demo", "/boards/lobby", "/embed/demo", "/embed/demo/tiles/queue",
	"/embed/demo/tiles/skill-comm100-a", "/ws", "/healthz", "/readyz", "/metrics", "/login",
	"/logout", "/admin/devices", "/admin/embeds", "/api/v1/snapshot", "/api/v1/history", "/static/nope.js",
}

// FuzzHTTPSurface sends one query string to every route through real HTTP, as an
// anonymous visitor and as a signed-in admin (who reaches every parser): no answer is a 5xx (a panic is one: the recoverer answers 500), except the designed
// 503s.
func FuzzHTTPSurface(f *testing.F) {
	for _, seed := range []string{
		"", "skill=comm100:a", "skill=comm100:a&skill=comm100:b", "sort=name", "sort=shoesize", "skill=",
		"board=demo&view=wall", "board=demo&view=embed&tile=queue", "board=demo&view=embed&tile=skill-comm100-zz",
		"board=lobby&view=manager&device=x", "board=demo&view=embed&token=a.b.c", "%zz", "a=%00", "next=//evil",
		"board=demo&view=wall&skill=%01", "view=manager&board=" + strings.Repeat("x", 5000), "skill=comm100:a;sort=load",
		"skill=comm100:a&metric=waiting&step=1m", "skill=comm100:b&metric=service_level&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&step=15m",
		"at=10:40", "at=2026-03-02T10:40:00Z", "at=-1", "skill=comm100:a&metric=nope&step=0s", "format=csv&skill=comm100:a&metric=waiting",
	} {
		f.Add(seed)
	}
	e := newAuthEnv(f, func(o *Options) { o.History = recordedHistory(f) })
	anon := e.client(f)
	admin := e.client(f)
	e.login(f, admin, "admin", adminPW)
	base, err := url.Parse(e.ts.URL)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, query string) {
		for _, c := range []*http.Client{anon, admin} {
			fuzzSurface(t, c, base, sendable(query))
		}
	})
}

func fuzzSurface(t *testing.T, c *http.Client, base *url.URL, query string) {
	for _, path := range surface {
		u := *base
		u.Path, u.RawQuery = path, query
		req, err := http.NewRequest("GET", u.String(), nil)
		if err != nil {
			return // not a request a client can send
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatalf("GET %s?%q: %v", path, query, err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		// 503 is designed twice: /readyz "not ready" (the test data is old), and a
		// tile without data yet, which says when to retry.
		designed := res.StatusCode == http.StatusServiceUnavailable && (path == "/readyz" || res.Header.Get("Retry-After") != "")
		if res.StatusCode >= 500 && !designed {
			t.Fatalf("GET %s?%q: %d %.300s", path, query, res.StatusCode, b)
		}
	}
}

// sendable percent-encodes the bytes a client cannot put in a request line
// (controls, space, '#', non-ASCII), so every input reaches the server, decoded.
func sendable(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if c := q[i]; c <= ' ' || c == '#' || c >= 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// FuzzBoardForm: whatever a board form posts, its YAML reads back as the same
// values and no field's text can add or change another key.
func FuzzBoardForm(f *testing.F) {
	f.Add("Sales", "5", "90s", "#3366cc", "comm100:1")
	f.Add("a: b\nc: [d", "1e9", "- x", "\"'", "{k: v}")
	f.Add("${HOME} # note", "true", "null", "~", "&a *a")
	f.Fuzz(func(t *testing.T, title, warn, dur, accent, skill string) {
		form := url.Values{"id": {"sales"}, "title": {title}, "accent": {accent}, "skills": {skill},
			"thresholds.waiting_warn": {warn}, "thresholds.longest_wait_warn": {dur}, "tile.agents": {warn},
			"skill_thresholds." + skill + ".waiting_crit": {warn}, "skill_thresholds." + title + ".service_level_target": {dur}}
		in := valuesFromForm(form)
		out, err := valuesFromYAML(in.yaml())
		if err != nil {
			t.Fatalf("the form's YAML does not parse: %v\n%s", err, in.yaml())
		}
		if k := "skill_thresholds." + skill + ".waiting_crit"; (in.fields[k] == "") != (out.fields[k] == "") {
			t.Fatalf("%s: form %q, reads back %q\n%s", k, in.fields[k], out.fields[k], in.yaml())
		}
		for _, k := range []string{"id", "title", "accent"} {
			if out.fields[k] != in.fields[k] {
				t.Fatalf("%s reads back %q, the form had %q\n%s", k, out.fields[k], in.fields[k], in.yaml())
			}
		}
		for k := range out.fields {
			if in.fields[k] == "" {
				t.Fatalf("key %q appeared from other fields' text\n%s", k, in.yaml())
			}
		}
		// Numbers may read back normalized (1e3 → 1000); once read, they stay put.
		again, err := valuesFromYAML(out.yaml())
		if err != nil || !maps.Equal(again.fields, out.fields) {
			t.Fatalf("not stable: %v → %v (%v)", out.fields, again.fields, err)
		}
		if !slices.Equal(in.skills, out.skills) || !slices.Equal(in.tiles, out.tiles) {
			t.Fatalf("lists changed: %v %v → %v %v", in.skills, in.tiles, out.skills, out.tiles)
		}
	})
}
