package comm100

import (
	"slices"
	"strings"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// normalizeComm100 turns the parsed answers of one poll into the source's Part.
// Departments become chat skills; a department's queue figures come from its
// realTime/Queue entry, and stay unknown when the vendor did not list it. Agents come
// from realTime/Agents, with names, departments and away reasons from the look-ups.
func normalizeComm100(src string, lk *comm100Lookups, agents []c100Agent, queue []c100QueueEntry,
	names map[string]string, acct snapshot.Account) snapshot.Part {
	part := snapshot.Part{Source: src, Accounts: []snapshot.Account{acct}}

	queues := make(map[string]c100QueueEntry, len(queue))
	for _, e := range queue {
		queues[e.DepartmentID] = e
	}
	members := map[string][]string{} // agent id → department ids
	skills := map[string]bool{}
	for _, d := range lk.departments {
		e, queued := queues[d.ID]
		if !d.Chat && !queued {
			continue
		}
		skills[d.ID] = true
		q := snapshot.Queue{Channel: snapshot.Chat}
		if queued {
			q = e.Queue
		}
		name := d.Name
		if name == "" {
			name = e.DepartmentName
		}
		part.Skills = append(part.Skills, c100Skill(src, d.ID, name, q))
		for _, a := range d.AgentIDs {
			members[a] = append(members[a], d.ID)
		}
	}
	// A department can be queued before the cached look-ups know it (created since
	// the last refresh): show it under the name the queue entry carries.
	for _, e := range queue {
		if !skills[e.DepartmentID] {
			skills[e.DepartmentID] = true
			part.Skills = append(part.Skills, c100Skill(src, e.DepartmentID, e.DepartmentName, e.Queue))
		}
	}
	for id, ga := range lk.agents {
		members[id] = append(members[id], ga.DepartmentIDs...)
	}

	for _, a := range agents {
		ag := snapshot.Agent{
			Key:          snapshot.Key(src, a.ID),
			ID:           a.ID,
			Source:       src,
			Name:         a.Name,
			Open:         a.Open,
			MaxSlots:     a.MaxSlots,
			HandledToday: a.HandledToday,
			Skills:       []string{},
		}
		if ga, ok := lk.agents[a.ID]; ok && ag.Name == "" {
			ag.Name = ga.Name
		}
		if ag.Name == "" {
			ag.Name = a.ID
		}
		ag.State, ag.Reason = comm100State(a, lk, names)
		if o, ok := a.Open.Get(); ok {
			if m, ok := a.MaxSlots.Get(); ok {
				ag.Load = snapshot.Some(float64(o) / float64(m))
			}
		}
		for _, d := range members[a.ID] {
			if skills[d] {
				ag.Skills = append(ag.Skills, snapshot.Key(src, d))
			}
		}
		slices.Sort(ag.Skills)
		ag.Skills = slices.Compact(ag.Skills)
		part.Agents = append(part.Agents, ag)
	}
	return part
}

func c100Skill(src, id, name string, q snapshot.Queue) snapshot.Skill {
	if name == "" {
		name = id
	}
	return snapshot.Skill{Key: snapshot.Key(src, id), ID: id, Source: src, Name: name, Queues: []snapshot.Queue{q}}
}

// comm100State maps a status id to a state and away reason. Built-in online and
// offline ids are fixed; away ids come from the away-status catalogue (the system
// "Away" status has no reason to show); anything else is looked up by name in
// livechat/agents, where custom away statuses appear under their own name.
func comm100State(a c100Agent, lk *comm100Lookups, names map[string]string) (snapshot.AgentState, string) {
	switch a.StatusID {
	case comm100Online:
		return snapshot.OnlineState(a.Open, a.MaxSlots), ""
	case comm100Offline:
		return snapshot.Offline, ""
	}
	if st, ok := lk.away[a.StatusID]; ok {
		if st.System {
			return snapshot.Away, ""
		}
		return snapshot.Away, st.Name
	}
	name := names[a.ID]
	switch strings.ToLower(name) {
	case "":
		return snapshot.Unknown, ""
	case "online":
		return snapshot.OnlineState(a.Open, a.MaxSlots), ""
	case "offline":
		return snapshot.Offline, ""
	case "away":
		return snapshot.Away, ""
	default:
		return snapshot.Away, name
	}
}
