package redisstore

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/redistest"
	"github.com/ccdash/ccdash/internal/storetest"
)

// fresh hands each store of a test its own key prefix on one real redis-server.
type fresh struct {
	c *redis.Client
	n atomic.Int64
}

func newFresh(t testing.TB) *fresh {
	t.Helper()
	srv := redistest.Start(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	t.Cleanup(func() { c.Close() })
	return &fresh{c: c}
}

func (f *fresh) prefix() string { return Prefix(fmt.Sprintf("test%d", f.n.Add(1))) }

func TestDevices(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	storetest.Devices(t, func(t *testing.T) auth.DeviceStore { return NewDeviceStore(f.c, f.prefix()) })
}

// TestDevicesShared: a device made through one replica's store verifies, and its
// revocation shows, through another's.
func TestDevicesShared(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	p := f.prefix()
	a, b := NewDeviceStore(f.c, p), NewDeviceStore(f.c, p)
	d, secret, err := a.Create(t.Context(), "lobby", "Lobby TV")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b.Verify(t.Context(), secret); err != nil || got.ID != d.ID {
		t.Fatalf("other replica Verify = %+v, %v", got, err)
	}
	if err := b.Revoke(t.Context(), d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Verify(t.Context(), secret); err != auth.ErrRevoked {
		t.Errorf("after revoke elsewhere Verify = %v, want ErrRevoked", err)
	}
}

// TestSharedKey: the first key stored wins on every replica.
func TestSharedKey(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	k := f.prefix() + "csrf_key"
	a, err := SharedKey(t.Context(), f.c, k, func() []byte { return []byte("first") })
	if err != nil {
		t.Fatal(err)
	}
	b, err := SharedKey(t.Context(), f.c, k, func() []byte { return []byte("second") })
	if err != nil || string(a) != "first" || string(b) != "first" {
		t.Errorf("keys = %q, %q (%v); want both the first", a, b, err)
	}
}

func TestHistory(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	storetest.History(t, func(t *testing.T) history.Store { return NewHistory(f.c, f.prefix()) })
}

func TestEmbedLinks(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	storetest.EmbedLinks(t, NewEmbedLinkStore(f.c, f.prefix()))
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	storetest.APITokens(t, func(t *testing.T) auth.APITokenStore { return NewAPITokenStore(f.c, f.prefix()) })
}

func TestStateSince(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	// One prefix per directory: reopening the same dir is a restart on the same Redis.
	var mu sync.Mutex
	prefixes := map[string]string{}
	storetest.StateSince(t, func(t *testing.T, dir string) (poller.StateSinceStore, func()) {
		mu.Lock()
		defer mu.Unlock()
		if prefixes[dir] == "" {
			prefixes[dir] = f.prefix()
		}
		return NewStateSinceStore(f.c, prefixes[dir]), func() {}
	})
}
