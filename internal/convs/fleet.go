package convs

import (
	"context"
	"reflect"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Fleet is the manager's seam to the other replicas of a fleet (internal/redisstore
// implements it on Redis). Without one (Options.Fleet nil) the manager is a single
// replica and fetches for its own viewers. With one, only the replica that leads calls
// the vendor, so the source's budget is spent once for the fleet: every replica
// announces its viewers' interest, the leader runs a loop for every skill any replica
// wants and publishes each list, and the other replicas show what it published.
type Fleet interface {
	// Leading reports whether this replica may call the vendor now (holds the lease).
	Leading() bool
	// Announce records this replica's interest in w until ttl passes.
	Announce(ctx context.Context, w Want, ttl time.Duration) error
	// Wanted returns every interest of any replica that has not expired.
	Wanted(ctx context.Context) ([]Want, error)
	// Publish stores list as its skill's current list, kept for ttl.
	Publish(ctx context.Context, list snapshot.Conversations, ttl time.Duration) error
	// Published returns the list last published for skillKey; nil when there is none.
	Published(ctx context.Context, skillKey string) (*snapshot.Conversations, error)
}

// Want is one replica's interest in a skill's list: what the leader needs to fetch it
// (the leader may have no viewer, hence no snapshot skill, of its own).
type Want struct {
	Key      string             `json:"key"`
	ID       string             `json:"id"`
	Source   string             `json:"source"`
	Channels []snapshot.Channel `json:"channels,omitempty"`
	// Text: a viewer of a show_transcripts board is among them.
	Text bool `json:"text,omitempty"`
}

func (w Want) skill() snapshot.Skill {
	sk := snapshot.Skill{Key: w.Key, ID: w.ID, Source: w.Source}
	for _, ch := range w.Channels {
		sk.Queues = append(sk.Queues, snapshot.Queue{Channel: ch})
	}
	return sk
}

// interestTTL is how long an announcement lasts: three syncs, so one late or failed
// announcement does not stop the leader's loop.
func (m *Manager) interestTTL() time.Duration { return 3 * m.opts.Sync }

// listTTL is how long a published list lasts: a leader that stops publishing (dead,
// stepped down, nobody wants the list) leaves nothing older than a few refreshes.
func (m *Manager) listTTL() time.Duration { return 3*m.opts.Interval + m.opts.Timeout }

// syncFleet announces this replica's interest every Sync (and at once when a viewer
// arrives) and, while leading, takes up every replica's interest.
func (m *Manager) syncFleet() {
	defer m.wg.Done()
	tick := time.NewTicker(m.opts.Sync)
	defer tick.Stop()
	for {
		m.syncOnce()
		select {
		case <-m.ctx.Done():
			return
		case <-tick.C:
		case <-m.announce:
		}
	}
}

func (m *Manager) syncOnce() {
	ctx, cancel := context.WithTimeout(m.ctx, m.opts.Timeout)
	defer cancel()
	for _, w := range m.localWants() {
		if err := m.opts.Fleet.Announce(ctx, w, m.interestTTL()); err != nil && m.ctx.Err() == nil {
			m.opts.Log.Warn("drill-down conversations: interest not announced", "skill", w.Key, "err", err)
		}
	}
	leading := m.opts.Fleet.Leading()
	var wanted []Want
	if leading {
		var err error
		if wanted, err = m.opts.Fleet.Wanted(ctx); err != nil {
			if m.ctx.Err() == nil {
				m.opts.Log.Warn("drill-down conversations: interest not read", "err", err)
			}
			return // keep the interest as it was until Redis answers or the lease goes
		}
	}
	m.applyWanted(leading, wanted)
}

// localWants is the interest of this replica's own viewers.
func (m *Manager) localWants() []Want {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Want
	for _, l := range m.loops {
		if l.refs > 0 {
			out = append(out, Want{Key: l.skill.Key, ID: l.skill.ID, Source: l.skill.Source,
				Channels: l.skill.Channels(), Text: l.textRefs > 0})
		}
	}
	return out
}

// applyWanted marks the loops some replica wants (starting those this replica has no
// viewer of) and unmarks the rest; a change of role makes every loop refresh at once,
// so a new leader fetches and an old one starts showing the new leader's lists.
func (m *Manager) applyWanted(leading bool, wanted []Want) {
	byKey := map[string]Want{}
	for _, w := range wanted {
		if prev, ok := byKey[w.Key]; ok {
			w.Text = w.Text || prev.Text
		}
		byKey[w.Key] = w
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	roleChanged := leading != m.leading
	m.leading = leading
	for key, w := range byKey {
		if m.loops[key] != nil {
			continue
		}
		if f, ok := m.fetchers[w.Source]; ok {
			m.startLocked(w.skill(), f)
		}
	}
	for key, l := range m.loops {
		w, ok := byKey[key]
		changed := l.remote != ok || l.remoteText != (ok && w.Text)
		l.remote, l.remoteText = ok, ok && w.Text
		if roleChanged {
			l.now = true
		}
		if changed || roleChanged {
			l.signal()
		}
	}
}

// refresh brings l's list up to date: from the vendor on a single replica or the
// leader (which then publishes it), from the leader's publication elsewhere. It
// returns when the next refresh is due.
func (m *Manager) refresh(l *loop, text bool) time.Duration {
	fl := m.opts.Fleet
	if fl == nil {
		m.fetch(l, text)
		return m.opts.Interval
	}
	if !fl.Leading() {
		m.follow(l)
		return m.opts.Sync
	}
	got, ok := m.fetch(l, text)
	if ok && fl.Leading() {
		ctx, cancel := context.WithTimeout(m.ctx, m.opts.Timeout)
		err := fl.Publish(ctx, got, m.listTTL())
		cancel()
		if err != nil && m.ctx.Err() == nil {
			m.opts.Log.Warn("drill-down conversations: list not published", "skill", l.skill.Key, "err", err)
		}
	}
	return m.opts.Interval
}

// follow shows the leader's latest list of l's skill; a missing or unreadable one
// keeps what l shows.
func (m *Manager) follow(l *loop) {
	ctx, cancel := context.WithTimeout(m.ctx, m.opts.Timeout)
	got, err := m.opts.Fleet.Published(ctx, l.skill.Key)
	cancel()
	if err != nil {
		if m.ctx.Err() == nil {
			m.opts.Log.Warn("drill-down conversations: published list not read", "skill", l.skill.Key, "err", err)
		}
		return
	}
	if got == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	text := l.textRefs > 0
	if reflect.DeepEqual(got, l.seen) && text == l.seenText {
		return
	}
	l.seen, l.seenText = got, text
	shown := *got // l.seen stays as published
	if !text {
		shown = *withoutText(got)
	}
	shown.Skill = l.skill.Key
	l.list = &shown
	m.bumpLocked(l)
}
