package alerts

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"time"
)

// ackTimeout bounds how long a follower's acknowledgement waits for the shared store.
const ackTimeout = 5 * time.Second

// AckRequest is an acknowledgement posted on a follower, for the leader to apply.
type AckRequest struct {
	ID   string    `json:"id"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// Shared is what replicas share beside the Store: the lease holder alone evaluates,
// writes and sends webhooks; the followers show what it wrote and hand it the
// acknowledgements posted on them (so it never overwrites one with its own state).
// Implementation: internal/redisstore.
type Shared interface {
	// PostAck queues r for the leader, now or after a failover.
	PostAck(ctx context.Context, r AckRequest) error
	// TakeAcks removes and returns the queued acknowledgements, oldest first.
	TakeAcks(ctx context.Context) ([]AckRequest, error)
	// Watch calls reload after each write or posted ack by any replica, until ctx is done.
	Watch(ctx context.Context, reload func(context.Context))
}

func (e *Engine) leads() bool { return e.opts.Leads == nil || e.opts.Leads() }

// applyAck records ack on alert id, logs it and sends it (the leader, or one replica).
func (e *Engine) applyAck(id string, ack Ack) (Alert, error) {
	e.mu.Lock()
	a, ok := e.alerts[id]
	_, posted := e.pending[id]
	delete(e.pending, id)
	if !ok || !a.Visible() {
		e.mu.Unlock()
		return Alert{}, ErrNotFound
	}
	if a.Ack != nil && !posted {
		out := *a
		e.mu.Unlock()
		return out, nil
	}
	next := *a
	next.Ack = &ack
	e.alerts[id] = &next
	e.dirty[id] = true
	events := []Event{{Kind: EventAck, At: ack.At, Alert: next}}
	e.afterChangeLocked(true, events)
	e.mu.Unlock()
	e.emit(events)
	return next, nil
}

// postAck hands the acknowledgement to the leader and silences the alert here at once.
func (e *Engine) postAck(id string, ack Ack) (Alert, error) {
	ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
	defer cancel()
	if err := e.opts.Shared.PostAck(ctx, AckRequest{ID: id, By: ack.By, At: ack.At, Note: ack.Note}); err != nil {
		return Alert{}, fmt.Errorf("alerts: ack: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	a, ok := e.alerts[id]
	if !ok {
		return Alert{}, ErrNotFound
	}
	next := *a
	next.Ack = &ack
	e.alerts[id] = &next
	e.pending[id] = ack
	e.afterChangeLocked(true, nil)
	return next, nil
}

// sync follows the other replicas: the leader applies the acknowledgements posted on
// followers; a follower loads the leader's state and latest log.
func (e *Engine) sync(ctx context.Context) {
	if e.leads() {
		reqs, err := e.opts.Shared.TakeAcks(ctx)
		if err != nil && ctx.Err() == nil {
			e.log.Warn("alerts: posted acknowledgements not read", "err", err)
		}
		for _, r := range reqs {
			_, _ = e.applyAck(r.ID, Ack{By: r.By, At: r.At, Note: r.Note}) // gone meanwhile: nothing to silence
		}
		return
	}
	if err := e.reload(ctx); err != nil && ctx.Err() == nil {
		e.log.Warn("alerts: state not reloaded", "err", err)
	}
}

// reload replaces the alerts and the latest log with the store's, keeping this
// replica's posted acknowledgements until the leader has written them.
func (e *Engine) reload(ctx context.Context) error {
	saved, err := e.opts.Store.Active(ctx)
	if err != nil {
		return fmt.Errorf("alerts: reload state: %w", err)
	}
	recent, err := e.opts.Store.Events(ctx, e.now().Add(-LogRetention), recentEvents)
	if err != nil {
		return fmt.Errorf("alerts: reload log: %w", err)
	}
	next := make(map[string]*Alert, len(saved))
	for _, a := range saved {
		if _, ok := e.rule(a.Board, a.Rule); ok {
			next[a.ID] = &a
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for id, ack := range maps.Clone(e.pending) {
		a, ok := next[id]
		if !ok || a.Ack != nil {
			delete(e.pending, id) // written by the leader, or cleared
			continue
		}
		a.Ack = &ack
	}
	if reflect.DeepEqual(next, e.alerts) && reflect.DeepEqual(recent, e.recent) {
		return nil
	}
	e.alerts, e.recent = next, recent
	e.afterChangeLocked(true, nil)
	return nil
}
