package snapshot

import (
	"slices"
	"strings"
)

// Scope limits what a viewer may see: a manager limited to some skills sees only those
// skills, the agents who serve them, and no account-wide figures (which would reveal
// other skills' traffic). The zero Scope sees everything.
type Scope struct {
	// Skills holds the skill Keys the viewer may see; empty means all.
	Skills []string
}

// All reports whether the scope is unrestricted.
func (sc Scope) All() bool { return len(sc.Skills) == 0 }

// Allows reports whether the skill with key is visible.
func (sc Scope) Allows(key string) bool { return sc.All() || slices.Contains(sc.Skills, key) }

// Key is a canonical string for the scope, equal for equal scopes whatever the order
// of skills — the server uses it in board-variant keys so viewers with the same
// scope share renders.
func (sc Scope) Key() string {
	if sc.All() {
		return "*"
	}
	k := slices.Clone(sc.Skills)
	slices.Sort(k)
	return strings.Join(slices.Compact(k), ",")
}

// Restrict returns the part of s that scope may see. An unrestricted scope returns s
// itself (no copy); otherwise a new Snapshot sharing unchanged values with s.
func (s *Snapshot) Restrict(sc Scope) *Snapshot {
	if sc.All() {
		return s
	}
	out := &Snapshot{Version: s.Version, TakenAt: s.TakenAt, Accounts: []Account{}, Skills: []Skill{}, Agents: []Agent{}}
	for _, sk := range s.Skills {
		if sc.Allows(sk.Key) {
			out.Skills = append(out.Skills, sk)
		}
	}
	for _, a := range s.Agents {
		var keep []string
		for _, k := range a.Skills {
			if sc.Allows(k) {
				keep = append(keep, k)
			}
		}
		if len(keep) > 0 {
			a.Skills = keep
			out.Agents = append(out.Agents, a)
		}
	}
	// Source health is not business data and a scoped manager still needs to know
	// whether their figures are fresh.
	out.Sources = s.Sources
	return out
}
