package main

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fullState and diff are the demo wall's first message and a later one, cut down:
// a full state carries every layout tile, a diff the tiles and rows that changed.
const (
	fullState = `<section hx-swap-oob="true" id="tile-queue"><div id="fig-tile-queue-waiting">5</div></section>` +
		`<section hx-swap-oob="true" id="tile-skills"><section id="tile-skill-comm100_3a1">chat</section></section>` +
		`<section hx-swap-oob="true" id="tile-agents"></section><div id="srv-shell" data-rev="k2" hidden hx-swap-oob="true"></div>`
	diff = `<section hx-swap-oob="true" id="tile-queue"><div id="fig-tile-queue-waiting">6</div></section>` +
		`<section id="tile-skill-comm100_3a2">voice</section><template id="tile-agents-rows"><tr></tr></template>`
)

func TestShapeTellsFullStateFromDiff(t *testing.T) {
	full := shapeOf([]byte(fullState), 1)
	if got := len(full.tiles); got != 3 {
		t.Fatalf("full state: %d layout tiles, want 3 (queue, skills, agents; not the skill or rows inside)", got)
	}
	if !shapeOf([]byte(fullState+`<section hx-swap-oob="true" id="tile-today"></section>`), 2).covers(full) {
		t.Error("a full state with one more tile (the new process has more data) does not cover the first")
	}
	if shapeOf([]byte(diff), 3).covers(full) {
		t.Error("a diff covers the full state")
	}
	bare := shapeOf([]byte("full state"), 7)
	if !shapeOf([]byte("full state"), 7).covers(bare) || shapeOf([]byte("12"), 8).covers(bare) {
		t.Error("without tiles, a full state is the same bytes, a broadcast is not")
	}
}

func TestReasonForgetsAddressesAndURLs(t *testing.T) {
	a := fmt.Errorf(`failed to WebSocket dial: failed to send handshake request: Get "http://127.0.0.1:40123/ws?device=abc": dial tcp 127.0.0.5:0->127.0.0.1:40123: connect: %w`, syscall.ECONNREFUSED)
	b := fmt.Errorf(`failed to WebSocket dial: failed to send handshake request: Get "http://127.0.0.1:40123/ws?device=xyz": dial tcp 127.0.9.7:0->127.0.0.1:40123: connect: %w`, syscall.ECONNREFUSED)
	want := "failed to WebSocket dial: failed to send handshake request: Get URL: dial tcp ADDR->ADDR: connect: connection refused"
	if reason(a) != want || reason(b) != want {
		t.Errorf("reasons:\n%s\n%s\nwant both %s", reason(a), reason(b), want)
	}
}

// TestCollectStorm: when each socket came back, whether with a full state, and
// which failed dials are the restart (refused while nothing listened) and which
// are failed handshakes.
func TestCollectStorm(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	up := at(3)
	full, later := shapeOf([]byte(fullState), 1), shapeOf([]byte(fullState), 2)
	refused := fmt.Errorf("dial: %w", syscall.ECONNREFUSED)
	clients := []*client{
		{backAt: []time.Time{at(-60), at(4)}, shapes: []shape{full, later},
			fails: []failure{{at(0.5), refused}, {at(2), refused}}},
		{backAt: []time.Time{at(-60), at(9), at(12)}, shapes: []shape{full, shapeOf([]byte(diff), 3), later},
			fails: []failure{{at(1), refused}, {at(5), errors.New(`failed to WebSocket dial: expected handshake response status code 101 but got 503`)}, {at(6), refused}}},
		{backAt: []time.Time{at(-60)}, shapes: []shape{full}},
	}
	r := collectStorm(clients, t0, up)
	if r.back() != 2 || r.returns[0] != 4*time.Second || r.returns[1] != 9*time.Second {
		t.Fatalf("returns %v, want 4s and 9s", r.returns)
	}
	if r.fullState != 1 || r.again != 1 {
		t.Errorf("full state %d, dropped again %d; want 1 and 1", r.fullState, r.again)
	}
	if r.refused != 3 || r.failed != 2 {
		t.Errorf("refused while down %d, failed %d; want 3 and 2 (the 503, and a refusal once up)", r.refused, r.failed)
	}
	if r.allBack() != -1 {
		t.Errorf("all back %v with a socket still out, want -1", r.allBack())
	}
	if got, want := r.reasonList(), "4× dial: connection refused; 1× failed to WebSocket dial: expected handshake response status code 101 but got 503"; got != want {
		t.Errorf("reasons %q, want %q", got, want)
	}
}

func TestStormReport(t *testing.T) {
	st := &stormResult{sockets: 4, up: 2500 * time.Millisecond, exited: 1500 * time.Millisecond, fullState: 4, refused: 9, hwm: 8 << 20,
		returns: []time.Duration{3 * time.Second, 4 * time.Second, 5 * time.Second, 6500 * time.Millisecond}, reasons: map[string]int{"connect: connection refused": 9}}
	var line strings.Builder
	st.print(&line, "ccdash")
	for _, want := range []string{"all-back-s=6.5", "back-p50-s=4.0", "back-p99-s=5.0", "down-s=2.5", "failed-handshakes=0", "peak-rss-mb=8.0", "peak-rss-per-socket-kb=2048.0", "9× connect: connection refused"} {
		if !strings.Contains(line.String(), want) {
			t.Errorf("storm line lacks %s:\n%s", want, line.String())
		}
	}
	var table strings.Builder
	printStormTable(&table, []tableRow{{sockets: 10000, ccdash: result{name: "ccdash", storm: st}, bare: result{name: "bare"}}})
	if want := "| ccdash | 2.5 s | 4.0 / 5.0 / 6.5 s | 0 | all 4 | 8 MB (2048 KB) |"; !strings.Contains(table.String(), want) {
		t.Errorf("storm table:\n%s\nwant the row %s", table.String(), want)
	}
}
