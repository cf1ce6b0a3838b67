package poller

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// running is what Run started: one loop per source, each stoppable on its own.
type running struct {
	ctx   context.Context
	saver *stateSaver
	wg    sync.WaitGroup
	loops map[string]*loopHandle // by source id
}

type loopHandle struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// start runs r's loop under its own cancel, beside the others.
func (rn *running) start(p *Poller, r *sourceRun) {
	ctx, cancel := context.WithCancel(rn.ctx)
	h := &loopHandle{cancel: cancel, done: make(chan struct{})}
	rn.loops[r.cfg.Source.ID()] = h
	rn.wg.Go(func() {
		defer close(h.done)
		p.loop(ctx, r, rn.saver)
	})
}

// stop ends source id's loop (a poll in flight is cut short and not recorded) and
// waits for it.
func (rn *running) stop(id string) {
	if h := rn.loops[id]; h != nil {
		h.cancel()
		<-h.done
		delete(rn.loops, id)
	}
}

// Update changes the sources of a running poller — how a reloaded config reaches it.
// Each source in restart is stopped if it runs and started again with its new
// configuration (a new source is started); each id in remove is stopped, and its
// figures and status leave the next snapshot. Every other source goes on untouched:
// its schedule, back-off, counters and request budget (its Client) stay. A restarted
// source keeps its last good figures, marked by its status, until its first poll
// under the new configuration. Update returns an error, changing nothing, before Run,
// after Run's context ended, or for a nil source or an id used twice.
func (p *Poller) Update(restart []SourceConfig, remove []string) error {
	p.ctl.Lock()
	defer p.ctl.Unlock()
	if p.running == nil {
		return errors.New("poller: update: not running")
	}
	ids, err := restartIDs(restart)
	if err != nil {
		return err
	}
	stopped := slices.Concat(remove, ids)
	for _, id := range stopped {
		p.running.stop(id)
	}
	p.runs = slices.DeleteFunc(p.runs, func(r *sourceRun) bool { return slices.Contains(stopped, r.cfg.Source.ID()) })
	fresh := make([]*sourceRun, 0, len(restart))
	for _, sc := range restart {
		fresh = append(fresh, newSourceRun(sc))
	}
	p.runs = append(p.runs, fresh...)
	p.forget(remove, fresh)
	for _, r := range fresh {
		p.running.start(p, r)
	}
	return nil
}

// restartIDs checks restart and returns its ids.
func restartIDs(restart []SourceConfig) ([]string, error) {
	var ids []string
	for i, sc := range restart {
		if sc.Source == nil {
			return nil, fmt.Errorf("poller: update: source %d is nil", i)
		}
		id := sc.Source.ID()
		if id == "" || slices.Contains(ids, id) {
			return nil, fmt.Errorf("poller: update: source id %q is empty or used twice", id)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// forget drops the removed sources' figures and statuses, readies the fresh runs'
// statuses (a restarted source keeps its last success and figures), and publishes.
func (p *Poller) forget(remove []string, fresh []*sourceRun) {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range remove {
		delete(p.parts, id)
		delete(p.statuses, id)
	}
	for _, r := range fresh {
		id := r.cfg.Source.ID()
		st := p.statuses[id]
		if st == nil {
			st = &snapshot.SourceStatus{ID: id}
			p.statuses[id] = st
		}
		st.Kind, st.NextPoll = r.cfg.Source.Kind(), now
	}
	p.publishLocked(now)
}
