package server

import (
	"context"
	"testing"

	"github.com/ccdash/ccdash/internal/auth"
)

// TestReloadScreensAppliesARebindMadeElsewhere: a device rebound by another replica
// (its binding changed in the shared device store, not through this server) moves to
// its new board on the socket it has once this server reloads its screens, as a
// replica does on the playlist store's notification.
func TestReloadScreensAppliesARebindMadeElsewhere(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) { o.Boards = append(o.Boards, boardNamed("sales")) })
	ctx := context.Background()
	d, secret, err := e.devices.Create(ctx, "lobby", "TV")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = screenSocket(t, e, secret)
	before := waitTopic(t, e, d.ID, "lobby")
	if err := e.devices.Bind(ctx, d.ID, auth.Binding{Board: "sales"}); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.ReloadScreens(ctx); err != nil {
		t.Fatal(err)
	}
	if after := waitTopic(t, e, d.ID, "sales"); after.ID != before.ID {
		t.Errorf("the rebind opened a new socket")
	}
}
