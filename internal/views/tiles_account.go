package views

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

// todayGroups builds the "right now" and "today" groups of every account; each is
// a child tile of the today tile.
type todayGroups struct {
	tile   templates.TodayTileProps
	groups []templates.TodayGroupProps // now, day, now, day… in account order
}

func (d *data) todayTile() todayGroups {
	p := templates.TodayTileProps{
		TileMeta: templates.TileMeta{ID: idToday, TestID: "today"},
		Title:    "Today",
	}
	var out todayGroups
	if d.snap == nil {
		p.Empty = waitingText
		out.tile = p
		return out
	}
	srcs := make([]string, 0, len(d.snap.Accounts))
	for _, a := range d.snap.Accounts {
		if d.skill != nil && a.Source != d.skill.Source {
			continue // a drill-down shows its own source's account only
		}
		srcs = append(srcs, a.Source)
		t, n := a.Today, a.RightNow
		base := idToday + "-" + escapeID(a.Source)
		now, day := base+"-now", base+"-day"
		util, utilTitle := fmtPctCapped(n.Utilization)
		out.groups = append(out.groups, templates.TodayGroupProps{
			ID: now, Class: "now", Title: "Right now", Stale: d.failing[a.Source], Source: a.Source,
			Figures: []templates.Figure{
				{ID: figID(now, "queue"), Label: "In queue", Value: fmtCount(n.QueueLength), Level: higherWorse(n.QueueLength, int64(d.t.WaitingWarn), int64(d.t.WaitingCrit))},
				{ID: figID(now, "ongoing"), Label: "Ongoing", Value: fmtCount(n.Ongoing)},
				{ID: figID(now, "loggedin"), Label: "Logged in", Value: fmtCount(n.LoggedInAgents)},
				{ID: figID(now, "inchat"), Label: "In chat", Value: fmtCount(n.AgentsInChat)},
				{ID: figID(now, "util"), Label: "Utilization", Value: util, Title: utilTitle},
				{ID: figID(now, "visitors"), Label: "Visitors", Value: fmtCount(n.VisitorsOnSite)},
			},
		}, templates.TodayGroupProps{
			ID: day, Class: "day", Title: "Today", Window: snapshot.DayLabel(t.Since), Stale: d.failing[a.Source], Source: a.Source,
			Figures: d.dayFigures(day, d.kindOf(a.Source), t),
		})
		p.Accounts = append(p.Accounts, templates.AccountBlock{Source: a.Source})
	}
	p.TileMeta = d.meta(idToday, "today", srcs)
	if len(p.Accounts) == 0 {
		if d.v.Scope.All() {
			p.Empty = "No account figures from these sources"
		} else {
			p.Empty = "Account-wide figures are not shown in a limited view"
		}
	}
	out.tile = p
	return out
}

// maxWhy caps the error text shown per source: it is meant to be a short, secret-free
// summary and the page must not grow with whatever a vendor put in it.
const maxWhy = 120

func (d *data) freshnessTile() templates.FreshnessTileProps {
	p := templates.FreshnessTileProps{TileMeta: templates.TileMeta{ID: idFreshness, TestID: "freshness"}}
	if d.snap == nil {
		p.Empty = waitingText
		return p
	}
	staleAfter := strconv.FormatInt(d.t.StaleAfter.Milliseconds(), 10)
	ids := make([]string, 0, len(d.snap.Sources))
	for _, st := range d.snap.Sources {
		ids = append(ids, st.ID)
		r := templates.SourceRow{
			ID:           st.ID,
			TargetID:     figID(idFreshness, escapeID(st.ID)),
			Kind:         st.Kind,
			UpdatedMS:    msString(st.LastSuccess),
			StaleAfterMS: staleAfter,
			Failing:      st.Failing(),
		}
		if r.Failing {
			if !st.LastSuccess.IsZero() {
				r.SinceText = st.LastSuccess.Local().Format("15:04")
				r.SinceMS = r.UpdatedMS
			}
			r.Why = "poll failing"
			if st.LastError != nil && st.LastError.Text != "" {
				r.Why = truncate(st.LastError.Text, maxWhy)
			}
			r.Why += retryText(st)
		}
		p.Sources = append(p.Sources, r)
	}
	if r := d.snap.Replica; r != nil {
		p.Replica = &templates.ReplicaRow{TargetID: figID(idFreshness, "replica"), Text: fmt.Sprintf("%s · term %d", r.Role, r.Term),
			ReceivedMS: msString(r.ReceivedAt), LinkDown: r.LinkDown}
	}
	p.TileMeta = d.meta(idFreshness, "freshness", ids)
	if len(p.Sources) == 0 {
		p.Empty = "No sources configured"
	}
	return p
}

// minShownRetry is the shortest back-off worth showing: below it the next try is
// about as soon as the page's own refresh.
const minShownRetry = time.Minute

// retryText says when a failing source is tried again, as a clock time (the text is
// rendered once per snapshot, so a countdown would go stale), when the wait is long
// enough to matter: a vendor's Retry-After or the back-off after repeated failures.
func retryText(st snapshot.SourceStatus) string {
	if st.NextPoll.IsZero() || st.NextPoll.Sub(st.LastAttempt) < minShownRetry {
		return ""
	}
	return " · next try " + st.NextPoll.Local().Format("15:04")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
