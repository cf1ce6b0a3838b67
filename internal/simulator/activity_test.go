package simulator

import (
	"testing"
	"time"
)

// TestWindowsAgreeWithDayCounters: the presence record and the event log, over the
// window since midnight, give exactly what the engine counted for the day as it went
// (state times, reasons and chat time per agent; every DayStats figure per vendor).
// The windowed answers of the vendor routes rest on them.
func TestWindowsAgreeWithDayCounters(t *testing.T) {
	t.Parallel()
	s := New(Config{Seed: 9, Manual: true, Start: time.Date(2025, 3, 12, 13, 0, 0, 0, time.UTC), WarmUp: 4 * time.Hour})
	s.Advance(90 * time.Minute)
	s.View(func(w *World) {
		from := w.Midnight().Add(-time.Second) // windows are (from, now]; the day counts midnight
		for _, a := range w.Agents {
			got := w.ActivitySince(a, from)
			if got.Status != a.StatusTimeToday || got.Chatting != a.ChatTimeToday {
				t.Errorf("agent %s: window %v chat %v, day counters %v chat %v", a.ID, got.Status, got.Chatting, a.StatusTimeToday, a.ChatTimeToday)
			}
			for id, d := range a.ReasonTimeToday {
				if got.Reasons[id] != d {
					t.Errorf("agent %s reason %s: %v, want %v", a.ID, id, got.Reasons[id], d)
				}
			}
			if n := w.HandledSince(a.ID, from); n != a.HandledToday {
				t.Errorf("agent %s handled %d, want %d", a.ID, n, a.HandledToday)
			}
		}
		for _, v := range []Vendor{VendorComm100, VendorLivePerson} {
			if got, want := w.DaySince(v, from), w.TodayOf(v); got != want {
				t.Errorf("%s: window %+v\nday counters %+v", v, got, want)
			}
		}
	})
}

// TestPresenceRecordIsBounded: the record forgets what lies wholly outside the
// event retention, so a demo that runs for weeks does not grow.
func TestPresenceRecordIsBounded(t *testing.T) {
	t.Parallel()
	s := New(Config{Seed: 2, Manual: true, Start: time.Date(2025, 3, 12, 8, 0, 0, 0, time.UTC), WarmUp: -1})
	s.Advance(26 * time.Hour)
	s.View(func(w *World) {
		cut := w.Now.Add(-eventRetention)
		for _, a := range w.Agents {
			if len(a.spans) > 1 && !a.spans[1].start.After(cut) {
				t.Errorf("agent %s keeps spans older than the retention: %v", a.ID, a.spans[1].start)
			}
		}
	})
}
