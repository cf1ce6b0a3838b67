package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// convsAuditJS checks the drill-down's conversations list as a person sees it: every
// text cell at least 12 px with a contrast of 4.5:1 against the background it is
// painted on, nothing running out of the page sideways, the open list ordered by
// waiting time (longest first) and no conversation text on a board without
// show_transcripts.
const convsAuditJS = `(() => {
	const tile = document.getElementById('tile-convs');
	const out = {problems: [], rows: 0, lists: 0};
	if (!tile) { out.problems.push('no conversations tile'); return JSON.stringify(out); }
	const lum = c => {
		const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
		const p = m[1].split(',').map(Number);
		if (p.length === 4 && p[3] === 0) return null;
		const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
		return 0.2126 * f(p[0]) + 0.7152 * f(p[1]) + 0.0722 * f(p[2]);
	};
	const bg = el => { for (; el; el = el.parentElement) { const l = lum(getComputedStyle(el).backgroundColor); if (l !== null) return l; } return 1; };
	for (const el of tile.querySelectorAll('th, td, h2, h3, p')) {
		if (!el.textContent.trim() || el.closest('[hidden]') || getComputedStyle(el).display === 'none') continue;
		const cs = getComputedStyle(el);
		const fg = lum(cs.color), b = bg(el);
		const ratio = (Math.max(fg, b) + 0.05) / (Math.min(fg, b) + 0.05);
		const name = el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 30) + '"';
		if (parseFloat(cs.fontSize) < 12) out.problems.push(name + ' is ' + cs.fontSize);
		if (ratio < 4.5) out.problems.push(name + ' has contrast ' + ratio.toFixed(2));
	}
	if (document.documentElement.scrollWidth > window.innerWidth + 1) out.problems.push('the page scrolls sideways');
	out.lists = tile.querySelectorAll('h3').length;
	const rows = [...tile.querySelectorAll('tr.cv-waiting, tr.cv-assigned')];
	out.rows = tile.querySelectorAll('tr[data-testid=conversation]').length;
	let last = -1, assigned = false;
	for (const r of rows) {
		const since = Number(r.querySelector('time[data-ts]').getAttribute('data-ts'));
		const a = r.classList.contains('cv-assigned');
		if (a && !assigned) { assigned = true; last = -1; }
		if (!a && assigned) out.problems.push('a waiting conversation listed after an assigned one');
		if (since < last) out.problems.push('open conversations not longest-waiting first');
		last = since;
		const q = r.querySelector('td.tis');
		if (!a && (!q || !q.textContent.trim())) out.problems.push('a waiting conversation without its time in queue');
		if (a && q) out.problems.push('an assigned conversation ticks a time in queue');
	}
	if (tile.querySelector('.ctx') || /Last message/.test(tile.textContent)) out.problems.push('conversation text on a board without show_transcripts');
	return JSON.stringify(out);
})()`

// TestBrowserConversationsDrillDown opens a LivePerson skill's drill-down on the
// demo (chat and messaging) on a laptop and a phone: the conversations list arrives
// over the socket, is legible (size, contrast), ordered longest-waiting first,
// shows no conversation text by default, and passes axe-core.
func TestBrowserConversationsDrillDown(t *testing.T) {
	browser := newBrowser(t)
	app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 31})
	for _, sc := range []struct {
		name string
		w, h int64
	}{{"laptop", 1440, 900}, {"phone", 390, 844}} {
		t.Run(sc.name, func(t *testing.T) {
			tb := newTab(t, browser, chromedp.WithNewBrowserContext())
			tb.do(t, 10*time.Second, chromedp.EmulateViewport(sc.w, sc.h))
			tb.login(t, app)
			tb.open(t, app.Base+"/boards/demo?skill=liveperson:102")
			tb.waitJS(t, 60*time.Second, "the conversations list fetched and pushed over the socket",
				`(() => { const t = document.getElementById('tile-convs'); return !!t && t.querySelectorAll('h3').length === 2 && !/Fetching/.test(t.textContent) })()`)
			var a struct {
				Problems    []string `json:"problems"`
				Rows, Lists int
			}
			if err := json.Unmarshal([]byte(evalJS[string](t, tb, convsAuditJS)), &a); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d conversations in %d lists", sc.name, a.Rows, a.Lists)
			for _, p := range a.Problems {
				t.Error(p)
			}
			checkAxe(t, tb, "/boards/demo?skill=liveperson:102 ("+sc.name+")")
			tb.do(t, 10*time.Second, chromedp.ScrollIntoView(chromedp.CSS(`#tile-convs`)))
			shoot(t, tb, "drilldown-conversations-"+sc.name, int(sc.w), int(sc.h))
		})
	}
}
