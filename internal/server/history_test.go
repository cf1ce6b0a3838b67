package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// historyT0 is when the recorded test history starts: ten snapshots a minute apart,
// Support (comm100:b) waiting 10, 11, … 19 and Sales (comm100:a) waiting i.
var historyT0 = time.Now().UTC().Truncate(time.Minute).Add(-20 * time.Minute)

// recordedHistory records those snapshots into a bolt history and waits for them.
func recordedHistory(t testing.TB) *history.History {
	t.Helper()
	st, err := bolt.OpenHistory(filepath.Join(t.TempDir(), bolt.HistoryFile), bolt.HistoryOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	h := history.New(st, history.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; st.Close() })
	for i := range 10 {
		s := scopedSnap(uint64(i+1), int64(10+i))
		s.TakenAt = historyT0.Add(time.Duration(i) * time.Minute)
		s.Skills[0].Queues[0].Waiting = snapshot.Some(int64(i))
		h.Record(s)
	}
	deadline := time.Now().Add(30 * time.Second)
	for h.Stats().Recorded < 10 {
		if time.Now().After(deadline) {
			t.Fatalf("recorded %+v", h.Stats())
		}
		time.Sleep(time.Millisecond)
	}
	return h
}

func historyURL(e *authEnv, skill, metric string, extra ...string) string {
	v := url.Values{"skill": {skill}, "metric": {metric}, "step": {"1m"},
		"from": {historyT0.Format(time.RFC3339)}, "to": {historyT0.Add(10 * time.Minute).Format(time.RFC3339)}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return e.ts.URL + "/api/v1/history?" + v.Encode()
}

func TestHistoryAPI(t *testing.T) {
	h := recordedHistory(t)
	e := newAuthEnv(t, func(o *Options) { o.History = h })
	admin, manager := e.client(t), e.client(t)
	e.login(t, admin, "admin", adminPW)
	e.login(t, manager, "manager", managerPW)

	t.Run("json", func(t *testing.T) {
		r := do(t, admin, "GET", historyURL(e, "comm100:b", "waiting"), nil)
		if r.code != 200 {
			t.Fatalf("got %d %s", r.code, r.body)
		}
		var body seriesBody
		if err := json.Unmarshal([]byte(r.body), &body); err != nil {
			t.Fatal(err)
		}
		if len(body.Points) != 10 || body.Unit != history.Count || !body.Available {
			t.Fatalf("got %d points, unit %s, available %v: %s", len(body.Points), body.Unit, body.Available, r.body)
		}
		for i, p := range body.Points {
			if last, _ := p.Last.Get(); !p.At.Equal(historyT0.Add(time.Duration(i)*time.Minute)) || last != float64(10+i) {
				t.Errorf("point %d = %v %v, want %v waiting %d", i, p.At, last, historyT0.Add(time.Duration(i)*time.Minute), 10+i)
			}
		}
	})
	t.Run("csv", func(t *testing.T) {
		req, _ := http.NewRequest("GET", historyURL(e, "comm100:b", "waiting"), nil)
		req.Header.Set("Accept", "text/csv")
		res, err := admin.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(res.Body)
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		want1 := historyT0.Format(time.RFC3339) + ",10,10,10"
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || len(lines) != 11 || lines[0] != "at,min,max,last" || lines[1] != want1 {
			t.Errorf("CSV: %s\n%s\nwant header at,min,max,last, 10 rows, first %s", ct, b.String(), want1)
		}
	})
	t.Run("scope", func(t *testing.T) {
		if r := do(t, manager, "GET", historyURL(e, "comm100:b", "waiting"), nil); r.code != 403 || !strings.Contains(r.body, "not in your scope") {
			t.Errorf("manager asking for Support: %d %s, want 403 not in your scope", r.code, r.body)
		}
		if r := do(t, manager, "GET", historyURL(e, "comm100:a", "waiting"), nil); r.code != 200 || !strings.Contains(r.body, `"last": 9`) {
			t.Errorf("manager asking for Sales: %d %.300s", r.code, r.body)
		}
		at := historyT0.Add(5*time.Minute + 30*time.Second).Format(time.RFC3339)
		r := do(t, manager, "GET", e.ts.URL+"/api/v1/snapshot?at="+url.QueryEscape(at), nil)
		if r.code != 200 || strings.Contains(r.body, "comm100:b") || strings.Contains(r.body, "Bob Support-Only") || !strings.Contains(r.body, `"waiting": 5`) {
			t.Errorf("manager's snapshot at %s: %d %s; want Sales waiting 5 and nothing of Support", at, r.code, r.body)
		}
		r = do(t, admin, "GET", e.ts.URL+"/api/v1/snapshot?at="+url.QueryEscape(at), nil)
		if r.code != 200 || !strings.Contains(r.body, `"waiting": 15`) {
			t.Errorf("admin's snapshot at %s: %d %.400s; want Support waiting 15", at, r.code, r.body)
		}
		if r := do(t, e.client(t), "GET", historyURL(e, "comm100:a", "waiting"), nil); r.code != 401 {
			t.Errorf("anonymous: %d, want 401", r.code)
		}
	})
	t.Run("bad parameters", func(t *testing.T) {
		for name, tc := range map[string]struct{ url, reason string }{
			"no skill":       {historyURL(e, "", "waiting"), "skill is required"},
			"no metric":      {historyURL(e, "comm100:a", ""), "unknown metric"},
			"unknown metric": {historyURL(e, "comm100:a", "happiness"), `unknown metric \"happiness\"`},
			"bad from":       {historyURL(e, "comm100:a", "waiting", "from", "yesterday"), "from must be an RFC 3339 time"},
			"bad step":       {historyURL(e, "comm100:a", "waiting", "step", "often"), "step must be a duration"},
			"tiny step":      {historyURL(e, "comm100:a", "waiting", "step", "1ms"), "step must be at least 1s"},
			"reversed":       {historyURL(e, "comm100:a", "waiting", "to", historyT0.Add(-time.Hour).Format(time.RFC3339)), "from must be before to"},
			"channel":        {historyURL(e, "comm100:a", "waiting", "channel", "fax"), "channel must be chat or messaging"},
			"unknown skill":  {historyURL(e, "comm100:zz", "waiting"), `unknown skill \"comm100:zz\"`},
			"bad at":         {e.ts.URL + "/api/v1/snapshot?at=noonish", "use RFC 3339"},
			"future at":      {e.ts.URL + "/api/v1/snapshot?at=" + url.QueryEscape(time.Now().Add(time.Hour).UTC().Format(time.RFC3339)), "in the future"},
		} {
			r := do(t, admin, "GET", tc.url, nil)
			if r.code != 400 || !strings.Contains(r.body, tc.reason) {
				t.Errorf("%s: %d %s, want 400 saying %q", name, r.code, r.body, tc.reason)
			}
		}
	})
}

func bearerGet(t *testing.T, u, token string) resp {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	return resp{code: res.StatusCode, body: b.String(), header: res.Header}
}

// An integration's API token reads the history and snapshot APIs within its skills,
// and stops working the moment it is revoked.
func TestHistoryAPIToken(t *testing.T) {
	h := recordedHistory(t)
	db, err := bolt.Open(filepath.Join(t.TempDir(), "tokens.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tokens, err := bolt.NewAPITokenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	e := newAuthEnv(t, func(o *Options) { o.History = h; o.APITokens = tokens })
	tok, secret, err := tokens.CreateAPIToken(context.Background(), "WFM", []string{auth.ScopeRead}, []string{"comm100:a"})
	if err != nil {
		t.Fatal(err)
	}
	if r := bearerGet(t, historyURL(e, "comm100:a", "waiting"), secret); r.code != 200 || !strings.Contains(r.body, `"last": 9`) {
		t.Errorf("token, its skill: %d %.300s", r.code, r.body)
	}
	if r := bearerGet(t, historyURL(e, "comm100:b", "waiting"), secret); r.code != 403 {
		t.Errorf("token, another skill: %d %s, want 403", r.code, r.body)
	}
	at := url.QueryEscape(historyT0.Add(5 * time.Minute).Format(time.RFC3339))
	if r := bearerGet(t, e.ts.URL+"/api/v1/snapshot?at="+at, secret); r.code != 200 || strings.Contains(r.body, "comm100:b") || strings.Contains(r.body, "Bob Support-Only") {
		t.Errorf("token's snapshot: %d %.400s; want Sales only", r.code, r.body)
	}
	if r := bearerGet(t, e.ts.URL+"/api/v1/snapshot", "ccd_not-a-token"); r.code != 401 || !strings.Contains(r.body, "unknown API token") {
		t.Errorf("garbage token: %d %s, want 401", r.code, r.body)
	}
	if err := tokens.RevokeAPIToken(context.Background(), tok.ID); err != nil {
		t.Fatal(err)
	}
	if r := bearerGet(t, historyURL(e, "comm100:a", "waiting"), secret); r.code != 401 || !strings.Contains(r.body, "revoked") {
		t.Errorf("revoked token: %d %s, want 401 saying revoked", r.code, r.body)
	}
}
