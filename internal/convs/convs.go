package convs

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Fetcher fetches one skill's conversations (liveperson.Source does). text asks for
// the latest customer message; without it none is requested.
type Fetcher interface {
	Conversations(ctx context.Context, skillID string, channels []snapshot.Channel, text bool) (snapshot.Conversations, error)
}

// Options configure a Manager.
type Options struct {
	// Interval is the time between refreshes of a watched list. Zero means 60s, the
	// documented freshness of Messaging Interactions ("a delay of up to 1 minute").
	Interval time.Duration
	// Linger keeps a loop after its last viewer left, so a reload or a quick
	// reconnect finds the list instead of a new fetch. Zero means 30s. No vendor
	// request is sent while nobody watches.
	Linger time.Duration
	// Timeout bounds one refresh, budget waits included. Zero means 30s.
	Timeout time.Duration
	// Log receives failed refreshes. Nil means slog.Default().
	Log *slog.Logger
	// Fleet shares the lists with the other replicas (fleet.go); nil means a single
	// replica.
	Fleet Fleet
	// Sync is how often, with a Fleet, this replica announces its viewers' interest,
	// the leader reads everyone's, and followers read the leader's lists. Zero means 2s.
	Sync time.Duration
}

func (o Options) withDefaults() Options {
	if o.Interval <= 0 {
		o.Interval = time.Minute
	}
	if o.Linger <= 0 {
		o.Linger = 30 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Sync <= 0 {
		o.Sync = 2 * time.Second
	}
	return o
}

// Manager runs the fetch loops. Its methods are safe for concurrent use.
type Manager struct {
	ctx  context.Context
	opts Options

	mu       sync.Mutex
	fetchers map[string]Fetcher // by source id
	loops    map[string]*loop   // by skill key
	version  uint64
	changed  chan struct{}
	wg       sync.WaitGroup
	announce chan struct{} // a viewer arrived: announce now; buffered 1
	leading  bool          // the role the last fleet sync saw

	fetches atomic.Int64
}

// New returns a manager whose loops run until ctx ends. fetchers maps source ids to
// the sources that can list conversations; other sources' skills have no list.
func New(ctx context.Context, fetchers map[string]Fetcher, opts Options) *Manager {
	fs := map[string]Fetcher{}
	for id, f := range fetchers {
		fs[id] = f
	}
	m := &Manager{ctx: ctx, fetchers: fs, opts: opts.withDefaults(), loops: map[string]*loop{},
		changed: make(chan struct{}), announce: make(chan struct{}, 1)}
	if m.opts.Fleet != nil {
		m.wg.Add(1)
		go m.syncFleet()
	}
	return m
}

// SetFetcher replaces source's fetcher (a reloaded source: its new client and budget),
// or removes it when f is nil. Running loops of that source use the new one from
// their next refresh; without one they keep their list and fetch nothing.
func (m *Manager) SetFetcher(source string, f Fetcher) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f == nil {
		delete(m.fetchers, source)
	} else {
		m.fetchers[source] = f
	}
	for _, l := range m.loops {
		if l.skill.Source == source {
			l.f = f
		}
	}
}

// loop is one skill's list and its viewers. Fields after mu's comment are guarded by
// Manager.mu.
type loop struct {
	skill snapshot.Skill
	wake  chan struct{} // viewers changed; buffered 1

	f              Fetcher // nil: the source was removed
	refs, textRefs int
	list           *snapshot.Conversations // nil until the first fetch returns
	version        uint64

	// With a Fleet: another replica wants the list (the leader fetches for it), one of
	// them with text; now asks for a refresh at once (the role changed); seen is the
	// leader's list last shown (seenText: with its text).
	remote, remoteText, now bool
	seen                    *snapshot.Conversations
	seenText                bool
}

// Supports reports whether sk's source can list conversations.
func (m *Manager) Supports(sk snapshot.Skill) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.fetchers[sk.Source]
	return ok
}

// Watch registers one viewer of sk's list (text: a board showing transcripts) and
// returns its release, to be called once when the viewer leaves; ok is false when
// the source lists no conversations. The first viewer starts the loop, which fetches
// at once.
func (m *Manager) Watch(sk snapshot.Skill, text bool) (release func(), ok bool) {
	m.mu.Lock()
	f, ok := m.fetchers[sk.Source]
	if !ok {
		m.mu.Unlock()
		return func() {}, false
	}
	l := m.loops[sk.Key]
	if l == nil {
		l = m.startLocked(sk, f)
	}
	l.refs++
	if text {
		l.textRefs++
	}
	m.mu.Unlock()
	l.signal()
	select {
	case m.announce <- struct{}{}:
	default:
	}
	var once sync.Once
	return func() { once.Do(func() { m.release(l, text) }) }, true
}

// startLocked starts sk's loop.
func (m *Manager) startLocked(sk snapshot.Skill, f Fetcher) *loop {
	l := &loop{skill: sk, f: f, wake: make(chan struct{}, 1)}
	m.loops[sk.Key] = l
	m.wg.Add(1)
	go m.run(l)
	return l
}

func (m *Manager) release(l *loop, text bool) {
	m.mu.Lock()
	l.refs--
	if text {
		l.textRefs--
		if l.textRefs == 0 && l.list != nil {
			l.list = withoutText(l.list) // nobody may see text any more: do not keep it
		}
	}
	m.mu.Unlock()
	l.signal()
}

func (l *loop) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Get returns sk's latest list (nil while the first fetch runs or when nobody
// watches) and its version, which changes whenever the list does.
func (m *Manager) Get(skillKey string) (*snapshot.Conversations, uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l := m.loops[skillKey]
	if l == nil {
		return nil, 0
	}
	return l.list, l.version
}

// Changed returns a channel closed at the next change of any list.
func (m *Manager) Changed() <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.changed
}

// Loops returns how many fetch loops run (watched or lingering).
func (m *Manager) Loops() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.loops)
}

// Fetches returns how many refreshes were started since New.
func (m *Manager) Fetches() int64 { return m.fetches.Load() }

// Wait blocks until every loop has ended (after the manager's context is done).
func (m *Manager) Wait() { m.wg.Wait() }

// run is one skill's loop: fetch when due and watched, linger when nobody watches,
// end when the linger passes unwatched or the manager's context ends.
func (m *Manager) run(l *loop) {
	defer m.wg.Done()
	due := time.NewTimer(0)
	defer due.Stop()
	var lingerC <-chan time.Time
	pending, hadText := false, false // a refresh came due while nobody watched
	for {
		select {
		case <-m.ctx.Done():
			return
		case <-due.C:
			refs, text := l.viewers(m)
			if refs == 0 {
				pending = true
				continue
			}
			next := m.refresh(l, text)
			hadText = text
			due.Reset(next)
		case <-l.wake:
			refs, text := l.viewers(m)
			if l.takeNow(m) {
				pending = true
			}
			switch {
			case refs == 0 && lingerC == nil:
				lingerC = time.After(m.opts.Linger)
			case refs > 0:
				lingerC = nil
				if pending || (text && !hadText) {
					// Back from a linger with a refresh due, or a board that shows
					// text just joined: refresh now rather than at the next tick.
					pending = false
					due.Reset(0)
				}
			}
		case <-lingerC:
			if m.retire(l) {
				return
			}
			lingerC = nil
		}
	}
}

func (l *loop) viewers(m *Manager) (refs int, text bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if l.f == nil {
		return 0, false // the source is gone: nothing to fetch from
	}
	refs = l.refs
	if l.remote {
		refs++ // every other replica's viewers count as one
	}
	return refs, l.textRefs > 0 || l.remoteText
}

// takeNow reports (once) that the role changed and l should refresh at once.
func (l *loop) takeNow(m *Manager) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := l.now
	l.now = false
	return now
}

// retire removes l if still nobody watches it.
func (m *Manager) retire(l *loop) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if l.refs > 0 || l.remote {
		return false
	}
	delete(m.loops, l.skill.Key)
	m.bumpLocked(l)
	return true
}

// fetch refreshes l's list from the vendor and returns what it fetched, before the
// text is dropped for this replica (ok false: nothing was fetched). A failure keeps
// the last good lists and says why.
func (m *Manager) fetch(l *loop, text bool) (fetched snapshot.Conversations, ok bool) {
	m.mu.Lock()
	f := l.f
	m.mu.Unlock()
	if f == nil {
		return fetched, false
	}
	m.fetches.Add(1)
	ctx, cancel := context.WithTimeout(m.ctx, m.opts.Timeout)
	got, err := f.Conversations(ctx, l.skill.ID, l.skill.Channels(), text)
	cancel()
	if m.ctx.Err() != nil {
		return fetched, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.opts.Log.Warn("drill-down conversations: refresh failed", "skill", l.skill.Key, "err", err)
		prev := snapshot.Conversations{Skill: l.skill.Key}
		if l.list != nil {
			prev = *l.list
		}
		prev.Err = "Last refresh failed: " + summary(err) + " — showing the previous list."
		got = prev
	}
	got.Skill = l.skill.Key
	fetched = got
	if l.textRefs == 0 {
		got = *withoutText(&got) // the last text viewer left during the fetch
	}
	got.Skill = l.skill.Key
	l.list = &got
	m.bumpLocked(l)
	return fetched, true
}

// bumpLocked records a change of l and wakes whoever waits on Changed.
func (m *Manager) bumpLocked(l *loop) {
	m.version++
	l.version = m.version
	close(m.changed)
	m.changed = make(chan struct{})
}

// summary is the text a page may show for err: a classified vendor error's own
// secret-free summary, or a generic phrase (never err.Error() of an internal
// failure).
func summary(err error) string {
	var s interface{ Summary() string }
	if errors.As(err, &s) {
		return s.Summary()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "the vendor did not answer in time"
	}
	return "the vendor request failed"
}

// withoutText returns c with every conversation's text dropped (c itself is never
// modified: readers may hold it).
func withoutText(c *snapshot.Conversations) *snapshot.Conversations {
	out := *c
	strip := func(cs []snapshot.Conversation) []snapshot.Conversation {
		if cs == nil {
			return nil
		}
		n := make([]snapshot.Conversation, len(cs))
		for i, x := range cs {
			x.Text = ""
			n[i] = x
		}
		return n
	}
	out.Open, out.Unanswered = strip(c.Open), strip(c.Unanswered)
	return &out
}
