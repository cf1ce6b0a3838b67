package convs

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// fakeFetcher is the vendor edge: it counts calls and remembers whether text was asked.
type fakeFetcher struct {
	mu    sync.Mutex
	calls int
	texts []bool
	fail  error
}

func (f *fakeFetcher) Conversations(_ context.Context, skillID string, _ []snapshot.Channel, text bool) (snapshot.Conversations, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.texts = append(f.texts, text)
	if f.fail != nil {
		return snapshot.Conversations{}, f.fail
	}
	c := snapshot.Conversation{ID: skillID + "-1", State: snapshot.ConvWaiting}
	if text {
		c.Text = "hello"
	}
	return snapshot.Conversations{Open: []snapshot.Conversation{c}, FetchedAt: time.Unix(1, 0)}, nil
}

func (f *fakeFetcher) count() (int, []bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, append([]bool(nil), f.texts...)
}

var skill = snapshot.Skill{Key: "lp:7", ID: "7", Source: "lp", Queues: []snapshot.Queue{{Channel: snapshot.Messaging}}}

func rig(t *testing.T) (*Manager, *fakeFetcher) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	f := &fakeFetcher{}
	m := New(ctx, map[string]Fetcher{"lp": f}, Options{Interval: 40 * time.Millisecond, Linger: 80 * time.Millisecond})
	t.Cleanup(func() { cancel(); m.Wait() })
	return m, f
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestWatchSharesOneLoopAndStopsAfterLinger: nothing is fetched before a viewer
// comes; twenty viewers share one loop; after the last leaves the loop lingers, then
// ends, and no fetch happens after that.
func TestWatchSharesOneLoopAndStopsAfterLinger(t *testing.T) {
	t.Parallel()
	m, f := rig(t)
	if _, ok := m.Watch(snapshot.Skill{Key: "c:1", Source: "comm100"}, false); ok {
		t.Fatal("a source without a fetcher has no list")
	}
	time.Sleep(100 * time.Millisecond) // longer than an interval: still nothing may happen
	if n, _ := f.count(); n != 0 || m.Loops() != 0 {
		t.Fatalf("%d fetches, %d loops with no viewer", n, m.Loops())
	}
	var releases []func()
	for range 20 {
		rel, ok := m.Watch(skill, false)
		if !ok {
			t.Fatal("Watch refused a supported source")
		}
		releases = append(releases, rel)
	}
	if m.Loops() != 1 {
		t.Fatalf("%d loops for 20 viewers of one skill, want 1", m.Loops())
	}
	eventually(t, "three refreshes", func() bool { n, _ := f.count(); return n >= 3 })
	list, v := m.Get(skill.Key)
	if list == nil || v == 0 || len(list.Open) != 1 || list.Skill != skill.Key {
		t.Fatalf("Get = %+v, version %d", list, v)
	}
	for _, rel := range releases {
		rel()
		rel() // a second release of the same viewer is a no-op
	}
	eventually(t, "the loop to end after its linger", func() bool { return m.Loops() == 0 })
	n, _ := f.count()
	time.Sleep(150 * time.Millisecond)
	if n2, _ := f.count(); n2 != n {
		t.Fatalf("%d fetches after the loop ended", n2-n)
	}
	if list, _ := m.Get(skill.Key); list != nil {
		t.Fatal("a retired loop's list is still kept")
	}
}

// TestTextOnlyForTranscriptBoards: text is asked for only while a viewer of a
// show_transcripts board watches, and dropped from the kept list when it leaves.
func TestTextOnlyForTranscriptBoards(t *testing.T) {
	t.Parallel()
	m, f := rig(t)
	plain, _ := m.Watch(skill, false)
	defer plain()
	eventually(t, "a first fetch", func() bool { n, _ := f.count(); return n >= 1 })
	if _, texts := f.count(); texts[0] {
		t.Fatal("text asked for with no transcript board watching")
	}
	withText, _ := m.Watch(skill, true)
	eventually(t, "a fetch with text", func() bool {
		l, _ := m.Get(skill.Key)
		return l != nil && len(l.Open) == 1 && l.Open[0].Text == "hello"
	})
	withText()
	eventually(t, "the text to be dropped", func() bool {
		l, _ := m.Get(skill.Key)
		return l != nil && l.Open[0].Text == ""
	})
}

type summarized struct{}

func (summarized) Error() string   { return "secret internals" }
func (summarized) Summary() string { return "503 from liveperson conversations/search" }

// TestFailureKeepsTheLastList: a failed refresh keeps the previous conversations
// and says why with the error's summary, never its raw text.
func TestFailureKeepsTheLastList(t *testing.T) {
	t.Parallel()
	m, f := rig(t)
	rel, _ := m.Watch(skill, false)
	defer rel()
	eventually(t, "a first list", func() bool { l, _ := m.Get(skill.Key); return l != nil })
	f.mu.Lock()
	f.fail = summarized{}
	f.mu.Unlock()
	eventually(t, "the failure to show", func() bool { l, _ := m.Get(skill.Key); return l.Err != "" })
	l, _ := m.Get(skill.Key)
	if l.Err != "Last refresh failed: 503 from liveperson conversations/search — showing the previous list." || len(l.Open) != 1 {
		t.Fatalf("after a failure: %+v", l)
	}
	if got := summary(errors.New("dial tcp 10.0.0.1: secret")); got != "the vendor request failed" {
		t.Fatalf("summary of an internal error = %q", got)
	}
}

// TestSetFetcherSwapsTheSource: a reloaded source's loops fetch through the new
// fetcher (its new client and budget); a removed source's loops fetch nothing.
func TestSetFetcherSwapsTheSource(t *testing.T) {
	t.Parallel()
	m, old := rig(t)
	rel, _ := m.Watch(skill, false)
	defer rel()
	eventually(t, "a fetch through the first fetcher", func() bool { n, _ := old.count(); return n >= 1 })
	next := &fakeFetcher{}
	m.SetFetcher("lp", next)
	eventually(t, "a fetch through the new fetcher", func() bool { n, _ := next.count(); return n >= 1 })
	before, _ := old.count()
	m.SetFetcher("lp", nil)
	n, _ := next.count()
	time.Sleep(3 * 40 * time.Millisecond)
	if n2, _ := next.count(); n2 > n+1 {
		t.Errorf("%d fetches after the source was removed", n2-n)
	}
	if after, _ := old.count(); after != before {
		t.Errorf("the replaced fetcher was called %d more times", after-before)
	}
	if m.Supports(skill) {
		t.Error("a removed source still offers lists")
	}
}
