package simulator

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Floors Config.Floor accepts.
const (
	FloorSmall = "small" // the default: 11 skills, 70 agents
	FloorLarge = "large" // 25 skills with names up to 24 characters, 150 agents, busy
)

// largeArrivals scales the large floor's arrivals. It has about 2.1 times the agents
// of the small one; a load well above that (tuned with TestLargeFloor) makes queues
// form on several skills at once, so a wall shows warnings beside calm skills.
const largeArrivals = 3.0

// floorFor returns the builder of the named floor; "" is the small floor. New
// panics on any other name: callers validate the flag first (ValidFloor).
func floorFor(name string) func(*World, *rand.Rand) {
	switch name {
	case "", FloorSmall:
		return buildFloor
	case FloorLarge:
		return buildLargeFloor
	}
	panic(fmt.Sprintf("simulator: unknown floor %q", name))
}

// ValidFloor reports whether name is a floor Config.Floor accepts ("" included).
func ValidFloor(name string) bool {
	return name == "" || name == FloorSmall || name == FloorLarge
}

// buildLargeFloor is the floor of a big contact center: 13 Comm100 departments and
// 12 LivePerson skills (four of them on chat and messaging), 80 + 70 agents. The long
// names are real-world lengths (up to 24 characters), so a wall must show them
// whole. Everything comes from rng, like the small floor.
func buildLargeFloor(w *World, rng *rand.Rand) {
	w.arrivalScale = largeArrivals
	c100 := []struct {
		name   string
		weight float64
	}{
		{"Sales", 0.14}, {"Customer Support", 0.16}, {"Billing & Payments", 0.09},
		{"Returns", 0.07}, {"VIP Concierge", 0.04}, {"Technical Support L1", 0.12},
		{"Technical Support L2", 0.05}, {"International Shipping", 0.06},
		{"Warranty & Repairs", 0.06}, {"Enterprise Accounts EMEA", 0.05},
		{"Loyalty Programme", 0.05}, {"Order Tracking", 0.07}, {"Fraud", 0.04},
	}
	for _, d := range c100 {
		w.Skills = append(w.Skills, &Skill{
			Vendor: VendorComm100, ID: guid(rng), Name: d.name,
			Channels: []snapshot.Channel{snapshot.Chat}, SLATarget: 30 * time.Second,
			Weight: d.weight, Surge: 1,
		})
	}
	chat, msg, both := []snapshot.Channel{snapshot.Chat}, []snapshot.Channel{snapshot.Messaging}, []snapshot.Channel{snapshot.Chat, snapshot.Messaging}
	lp := []struct {
		name   string
		ch     []snapshot.Channel
		weight float64
		sla    time.Duration
	}{
		{"Sales", chat, 0.14, 30 * time.Second},
		{"Customer Care", both, 0.16, 60 * time.Second},
		{"Billing", msg, 0.08, 5 * time.Minute},
		{"Tech Support", msg, 0.10, 5 * time.Minute},
		{"Premium", both, 0.06, 30 * time.Second},
		{"Mobile App Support", chat, 0.08, 30 * time.Second},
		{"Subscriptions & Renewals", both, 0.07, 60 * time.Second},
		{"Small Business Desk", chat, 0.06, 30 * time.Second},
		{"Accessibility Services", msg, 0.04, 5 * time.Minute},
		{"Social Media Care", msg, 0.07, 5 * time.Minute},
		{"Appointments", chat, 0.06, 30 * time.Second},
		{"Partner Helpdesk", both, 0.08, 60 * time.Second},
	}
	for i, s := range lp {
		w.Skills = append(w.Skills, &Skill{
			Vendor: VendorLivePerson, ID: fmt.Sprint(101 + i), Name: s.name, Channels: s.ch,
			SLATarget: s.sla, Weight: s.weight, Surge: 1,
		})
	}
	addReasons(w, rng)
	used := map[string]bool{}
	addAgents(w, rng, VendorComm100, 80, used)
	addAgents(w, rng, VendorLivePerson, 70, used)
}
