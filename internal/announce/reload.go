package announce

import (
	"context"
	"fmt"
	"slices"
)

// Reload replaces the active announcements with what the Store holds now: replicas
// sharing one Store call it when another replica posted or withdrew (the store's
// change notification), so every wall shows the same. It changes Version, and wakes
// the walls, only when the set differs from the one in memory.
func (f *Feed) Reload(ctx context.Context) error {
	kept, err := f.opts.Store.List(ctx)
	if err != nil {
		return fmt.Errorf("announce: reload: %w", err)
	}
	f.writeMu.Lock()
	defer f.writeMu.Unlock()
	now := f.now()
	next := make(map[string]Announcement, len(kept))
	for _, a := range kept {
		if !a.Expired(now) {
			next[a.ID] = a
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if sameSet(f.active, next) {
		return nil
	}
	f.active = next
	f.changedLocked()
	return nil
}

// sameSet reports whether a and b hold the same announcements.
func sameSet(a, b map[string]Announcement) bool {
	if len(a) != len(b) {
		return false
	}
	for id, x := range a {
		y, ok := b[id]
		if !ok || x.Text != y.Text || x.Level != y.Level || x.By != y.By || !slices.Equal(x.Boards, y.Boards) ||
			!x.PostedAt.Equal(y.PostedAt) || !x.ExpiresAt.Equal(y.ExpiresAt) {
			return false
		}
	}
	return true
}
