package server

import (
	"context"

	"github.com/ccdash/ccdash/internal/convs"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// The conversations behind a drill-down (issue 17): a manager drill-down of a skill
// whose source lists conversations carries a conversations tile. Its socket is a
// viewer of that skill's fetch loop (convs.Manager.Watch) for as long as it is open,
// so vendor requests are made only while someone looks, once for every viewer. The
// list is a tile of the variant like any other: rendered once per variant when it
// changes, diffed, fanned out by the hub.

// conversationsSkill returns the drill-down skill of v when v shows a conversations
// list: a manager drill-down, a source that can list, a skill in the snapshot.
func conversationsSkill(m *convs.Manager, v views.Variant, snap *snapshot.Snapshot) (snapshot.Skill, bool) {
	if m == nil || snap == nil || v.Audience != views.Manager || v.Skill == "" {
		return snapshot.Skill{}, false
	}
	sk, ok := snap.Restrict(v.Scope).Skill(v.Skill)
	if !ok || !m.Supports(sk) || !v.Board.Wants(sk) {
		return snapshot.Skill{}, false
	}
	return sk, true
}

// conversationsState is what v's conversations tile shows from m now, and the
// list's version (0 when v has no list).
func conversationsState(m *convs.Manager, v views.Variant, snap *snapshot.Snapshot) (*views.ConversationsState, uint64) {
	sk, ok := conversationsSkill(m, v, snap)
	if !ok {
		return nil, 0
	}
	list, ver := m.Get(sk.Key)
	return &views.ConversationsState{Channels: sk.Channels(), List: list}, ver
}

// addConversations adds v's conversations tile to ts and returns the version shown.
func (l *live) addConversations(ctx context.Context, ts *views.Tileset, v views.Variant, snap *snapshot.Snapshot) (uint64, error) {
	st, ver := conversationsState(l.convs, v, snap)
	if st == nil {
		return 0, nil
	}
	return ver, ts.AddConversations(ctx, v, *st)
}

// convsVersion is the version of v's list now (0 without one).
func (l *live) convsVersion(v views.Variant) uint64 {
	_, ver := conversationsState(l.convs, v, l.store.Load())
	return ver
}

// convsChanged is the manager's change channel; nil (never ready) without one.
func (l *live) convsChanged() <-chan struct{} {
	if l.convs == nil {
		return nil
	}
	return l.convs.Changed()
}

// watchConversations makes the socket of br a viewer of its drill-down's list and
// returns the release its end calls (a no-op when br shows no list). A viewer of a
// board with show_transcripts asks for the customer's text; others never do.
func (s *Server) watchConversations(br boardRequest) func() {
	sk, ok := conversationsSkill(s.opts.Conversations, br.variant, s.opts.Store.Load())
	if !ok {
		return func() {}
	}
	release, _ := s.opts.Conversations.Watch(sk, br.variant.Board.ShowTranscripts)
	return release
}
