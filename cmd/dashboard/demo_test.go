package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
	"time"
)

var printedAdmin = regexp.MustCompile(`admin login: user (\S+), password (\S+)`)

// demoFigures is what a person checks on the snapshot JSON of `make run`.
type demoFigures struct {
	Version uint64
	Skills  []struct {
		Key, Source, Name string
		Queues            []map[string]any
	}
	Agents []struct{ Key, State string }
}

// TestDemoSnapshotLiveWithin15s is the acceptance of `make run`: with no config the
// demo (real connectors against the built-in simulator, default speed) shows
// departments, agents and queue figures within 15 s, and they change between two
// reads 15 s apart.
func TestDemoSnapshotLiveWithin15s(t *testing.T) {
	t.Parallel()
	app, c := demoSignedIn(t)

	read := func() (demoFigures, string) {
		t.Helper()
		code, body := fetch(t, c, http.MethodGet, app.base+"/api/v1/snapshot", nil)
		if code != http.StatusOK {
			return demoFigures{}, ""
		}
		var f demoFigures
		if err := json.Unmarshal([]byte(body), &f); err != nil {
			t.Fatalf("snapshot JSON: %v", err)
		}
		return f, body
	}

	deadline := time.Now().Add(15 * time.Second)
	var first demoFigures
	var firstBody string
	for {
		first, firstBody = read()
		if hasSources(first, "comm100", "liveperson") && len(first.Agents) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no departments, skills and agents from both vendors within 15s: %.500s", firstBody)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, sk := range first.Skills {
		if len(sk.Queues) == 0 {
			t.Errorf("skill %s has no queue figures", sk.Key)
		}
	}

	time.Sleep(15 * time.Second)
	second, secondBody := read()
	if second.Version <= first.Version {
		t.Errorf("snapshot version did not advance in 15s: %d then %d", first.Version, second.Version)
	}
	if figuresOf(firstBody) == figuresOf(secondBody) {
		t.Error("queue and agent figures identical between two reads 15s apart")
	}
}

func hasSources(f demoFigures, want ...string) bool {
	got := map[string]bool{}
	for _, sk := range f.Skills {
		got[sk.Source] = true
	}
	for _, w := range want {
		if !got[w] {
			return false
		}
	}
	return true
}

// figuresOf strips what changes on every poll regardless of the contact center
// (versions, timestamps, request counters) so the comparison is about the floor.
var volatile = regexp.MustCompile(`"(version|takenAt|lastSuccess|lastAttempt|nextPoll|requests|at|since)": ?("[^"]*"|\d+)`)

func figuresOf(body string) string { return volatile.ReplaceAllString(body, "") }
