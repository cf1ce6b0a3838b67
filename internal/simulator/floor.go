package simulator

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Comm100 status ids as realTime/Agents reports them in currentStatusId. Online and
// offline are the built-in ids seen in the vendor's examples; away uses the GUID of
// the away status (the system one or a custom one).
const (
	Comm100StatusOnline  = "00000000-0000-0000-0000-000000000000"
	Comm100StatusOffline = "00000000-0000-0000-0000-000000000002"
	// Comm100SystemAway is the id of the built-in "Away" status (vendor example).
	Comm100SystemAway = "5827eacf-c08e-4eb9-b09c-00155d081d0b"
)

// Custom away reasons both vendors' floors use (besides the plain away).
var customReasons = []string{"Lunch", "Meeting", "Training"}

// shiftPlan is one shift template: start hour, length in hours and how many agents of
// a floor (out of every 20) work it. The plan follows the daily arrival curve.
type shiftPlan struct {
	start, hours float64
	per20        int
}

var shiftPlans = []shiftPlan{
	{22, 8, 1},   // night
	{6, 8, 4},    // early
	{8, 8.5, 6},  // day
	{10, 8.5, 5}, // mid
	{13, 8.5, 3}, // late
	{16, 8, 1},   // evening
}

var firstNames = []string{"Ava", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Hugo",
	"Isla", "Jack", "Kira", "Liam", "Mia", "Noah", "Olivia", "Priya", "Quinn", "Ravi", "Sofia",
	"Tom", "Uma", "Victor", "Wen", "Xavier", "Yara", "Zoe", "Aisha", "Bruno", "Carmen", "Dmitri"}

var lastNames = []string{"Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes",
	"Ito", "Jensen", "Khan", "Lopez", "Martin", "Novak", "Okafor", "Patel", "Rossi", "Silva",
	"Tanaka", "Usman", "Varga", "Walsh", "Young", "Zhang", "Moreau", "Kowalski", "Nguyen"}

// buildFloor creates the default floor: six Comm100 departments with 40 agents and a
// LivePerson account with five skills and 30 agents. Everything comes from rng, so
// the floor is the same for the same seed.
func buildFloor(w *World, rng *rand.Rand) {
	c100 := []struct {
		name   string
		weight float64
	}{
		{"Sales", 0.25}, {"Support", 0.30}, {"Billing", 0.13}, {"Returns", 0.10},
		{"VIP", 0.06}, {"Technical", 0.16},
	}
	for _, d := range c100 {
		w.Skills = append(w.Skills, &Skill{
			Vendor: VendorComm100, ID: guid(rng), Name: d.name,
			Channels: []snapshot.Channel{snapshot.Chat}, SLATarget: 30 * time.Second,
			Weight: d.weight, Surge: 1,
		})
	}
	lp := []struct {
		id, name string
		ch       []snapshot.Channel
		weight   float64
		sla      time.Duration
	}{
		{"101", "Sales", []snapshot.Channel{snapshot.Chat}, 0.25, 30 * time.Second},
		{"102", "Customer Care", []snapshot.Channel{snapshot.Chat, snapshot.Messaging}, 0.30, 60 * time.Second},
		{"103", "Billing", []snapshot.Channel{snapshot.Messaging}, 0.15, 5 * time.Minute},
		{"104", "Tech Support", []snapshot.Channel{snapshot.Messaging}, 0.18, 5 * time.Minute},
		{"105", "Premium", []snapshot.Channel{snapshot.Chat, snapshot.Messaging}, 0.12, 30 * time.Second},
	}
	for _, s := range lp {
		w.Skills = append(w.Skills, &Skill{
			Vendor: VendorLivePerson, ID: s.id, Name: s.name, Channels: s.ch,
			SLATarget: s.sla, Weight: s.weight, Surge: 1,
		})
	}

	addReasons(w, rng)
	used := map[string]bool{}
	addAgents(w, rng, VendorComm100, 40, used)
	addAgents(w, rng, VendorLivePerson, 30, used)
}

// addReasons adds both vendors' away reasons: Comm100's system Away and the custom ones.
func addReasons(w *World, rng *rand.Rand) {
	w.Reasons = append(w.Reasons, Reason{Vendor: VendorComm100, ID: Comm100SystemAway, Name: "Away", System: true})
	for i, name := range customReasons {
		w.Reasons = append(w.Reasons, Reason{Vendor: VendorComm100, ID: guid(rng), Name: name, Order: i + 1})
	}
	for i, name := range customReasons {
		w.Reasons = append(w.Reasons, Reason{Vendor: VendorLivePerson, ID: fmt.Sprint(i + 1), Name: name, Order: i + 1})
	}
}

// addAgents adds n agents of vendor v: shifts by shiftPlans, a primary skill by weight
// plus up to two more, 1–4 slots.
func addAgents(w *World, rng *rand.Rand, v Vendor, n int, used map[string]bool) {
	skills := w.SkillsOf(v)
	for i := range n {
		first, last := uniqueName(rng, used)
		a := &Agent{
			Vendor: v, FirstName: first, LastName: last, Name: first + " " + last,
			Email:    strings.ToLower(first+"."+last) + "@example.com",
			MaxChats: 1 + rng.IntN(4),
		}
		if v == VendorComm100 {
			a.ID = guid(rng)
		} else {
			a.ID = fmt.Sprint(3_000_001 + i)
		}
		// Spread agents over the plan in order, so every floor gets the same mix.
		plan := planFor(i, n)
		jitter := time.Duration(rng.IntN(31)-15) * time.Minute
		a.ShiftStart = time.Duration(plan.start*float64(time.Hour)) + jitter
		a.ShiftEnd = a.ShiftStart + time.Duration(plan.hours*float64(time.Hour))

		primary := pickWeighted(rng, skills)
		a.Skills = []string{primary.ID}
		for range rng.IntN(3) {
			extra := skills[rng.IntN(len(skills))]
			if !a.Serves(extra.ID) {
				a.Skills = append(a.Skills, extra.ID)
			}
		}
		w.Agents = append(w.Agents, a)
	}
}

// planFor returns the shift template of the i-th of n agents.
func planFor(i, n int) shiftPlan {
	total := 0
	for _, p := range shiftPlans {
		total += p.per20
	}
	slot := i * total / n
	for _, p := range shiftPlans {
		if slot < p.per20 {
			return p
		}
		slot -= p.per20
	}
	return shiftPlans[len(shiftPlans)-1]
}

func pickWeighted(rng *rand.Rand, skills []*Skill) *Skill {
	sum := 0.0
	for _, s := range skills {
		sum += s.Weight
	}
	x := rng.Float64() * sum
	for _, s := range skills {
		x -= s.Weight
		if x < 0 {
			return s
		}
	}
	return skills[len(skills)-1]
}

func uniqueName(rng *rand.Rand, used map[string]bool) (string, string) {
	for {
		f, l := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		if !used[f+" "+l] {
			used[f+" "+l] = true
			return f, l
		}
	}
}

// guid returns a random version-4 GUID drawn from rng (deterministic for a seed).
func guid(rng *rand.Rand) string {
	hi, lo := rng.Uint64(), rng.Uint64()
	hi = hi&^0xf000 | 0x4000     // version 4
	lo = lo&^(0xc<<60) | 0x8<<60 // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x",
		hi>>32, (hi>>16)&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}
