package alerts

import (
	"fmt"
)

// boardRules is one immutable generation of the boards' alert settings.
type boardRules struct {
	byID  map[string]Board
	order []string
}

func newBoardRules(boards []Board) (*boardRules, error) {
	rs := &boardRules{byID: make(map[string]Board, len(boards))}
	for _, b := range boards {
		if err := b.Validate(); err != nil {
			return nil, fmt.Errorf("alerts: board %q: %w", b.ID, err)
		}
		rs.byID[b.ID] = b
		rs.order = append(rs.order, b.ID)
	}
	return rs, nil
}

func (rs *boardRules) rule(board, id string) (Rule, bool) {
	for _, r := range rs.byID[board].Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// watches is what decides which readings an alert of rule id on board stands for:
// the rule itself and the board's skill filter. (Limits compare by their printed
// form: an unset limit is NaN, which equals nothing.)
func (rs *boardRules) watches(board, id string) (string, bool) {
	r, ok := rs.rule(board, id)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("%#v|%q", r, rs.byID[board].Skills), true
}

// SetBoards replaces the boards' alert settings (a reloaded config; boards left out
// have no alerting). An alert whose rule is unchanged keeps its state — sustain and
// escalation clocks, acknowledgement — and goes on under the new board settings; an
// alert whose rule is gone or changed is forgotten (deleted from the store at the
// next write) without a "cleared" event: the new rule raises it again if the figure
// still breaches it. On error nothing changes.
func (e *Engine) SetBoards(boards []Board) error {
	next, err := newBoardRules(boards)
	if err != nil {
		return err
	}
	e.mu.Lock()
	prev := e.rules.Load()
	e.rules.Store(next)
	for id, a := range e.alerts {
		was, _ := prev.watches(a.Board, a.Rule)
		now, ok := next.watches(a.Board, a.Rule)
		if !ok || now != was {
			delete(e.alerts, id)
			e.dirty[id] = true
		}
	}
	// Banners re-render: a board may have gained or lost its alerting.
	e.afterChangeLocked(true, nil)
	e.mu.Unlock()
	return nil
}
