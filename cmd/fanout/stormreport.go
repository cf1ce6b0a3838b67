package main

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// stormResult is a reconnect storm: every socket dropped at once by a restart,
// times counted from the restart (the old process's SIGINT).
type stormResult struct {
	sockets   int
	exited    time.Duration   // the old process has exited
	up        time.Duration   // the new process serves
	returns   []time.Duration // each socket back (its first message), sorted
	fullState int             // sockets back whose first message was a full state
	again     int             // sockets back that were dropped again
	failed    int             // dials that failed other than refused while nothing listened
	refused   int             // dials refused while no process listened: the restart itself
	reasons   map[string]int  // every failed dial, refused ones included, by reason
	hwm       int64           // the new process's peak RSS (VmHWM), bytes
}

func (r *stormResult) back() int { return len(r.returns) }

// allBack is when the last socket came back; -1 when some never did.
func (r *stormResult) allBack() time.Duration {
	if r.back() < r.sockets || r.back() == 0 {
		return -1
	}
	return r.returns[len(r.returns)-1]
}

func (r *stormResult) print(w io.Writer, name string) {
	fmt.Fprintf(w, "%s storm sockets=%d back=%d full-state=%d all-back-s=%s back-p50-s=%.1f back-p99-s=%.1f down-s=%.1f old-exit-s=%.1f failed-handshakes=%d refused-while-down=%d dropped-again=%d peak-rss-mb=%.1f peak-rss-per-socket-kb=%.1f\n",
		name, r.sockets, r.back(), r.fullState, secs(r.allBack()), quantile(r.returns, 50).Seconds(), quantile(r.returns, 99).Seconds(),
		r.up.Seconds(), r.exited.Seconds(), r.failed, r.refused, r.again, mb(r.hwm), float64(r.hwm)/1024/float64(r.sockets))
	if len(r.reasons) > 0 {
		fmt.Fprintf(w, "%s storm failed dials by reason: %s\n", name, r.reasonList())
	}
}

// reasonList is the reasons, most frequent first: "17860× connect: connection refused; …".
func (r *stormResult) reasonList() string {
	keys := slices.Collect(maps.Keys(r.reasons))
	slices.SortFunc(keys, func(a, b string) int {
		if d := r.reasons[b] - r.reasons[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d× %s", r.reasons[k], k)
	}
	return strings.Join(parts, "; ")
}

// secs is d in seconds, "not all" when it is -1 (allBack: someone never came back).
func secs(d time.Duration) string {
	if d < 0 {
		return "not-all"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64)
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// quantile is the q-th percentile of sorted d (0 when empty).
func quantile(d []time.Duration, q int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[(len(d)-1)*q/100]
}

var (
	quoted = regexp.MustCompile(`"[^"]*"`)
	ipPort = regexp.MustCompile(`\d+\.\d+\.\d+\.\d+:\d+`)
)

// reason is err without what differs from socket to socket (its URL, with the
// device token, and its addresses), so equal causes count together.
func reason(err error) string {
	s := quoted.ReplaceAllString(err.Error(), "URL")
	return ipPort.ReplaceAllString(s, "ADDR")
}

// shape is what a connection's first message carried: the wall's layout tiles
// (id="tile-queue", "tile-agents" …: one word after "tile-"; the skills, rows and
// sources inside them come and go with the data), hashed, or, from a server
// without tiles, the message's hash.
type shape struct {
	key   uint64
	tiles []uint64
}

// shapeOf scans with bytes.Index, not a regexp: ten thousand full states of 30 KB
// land within seconds, on the cores the server under test needs.
func shapeOf(data []byte, key uint64) shape {
	s := shape{key: key}
	for {
		i := bytes.Index(data, []byte(`id="tile-`))
		if i < 0 {
			return s
		}
		data = data[i+len(`id="`):]
		end := bytes.IndexByte(data, '"')
		if end < 0 {
			return s
		}
		if word := data[len("tile-"):end]; len(word) > 0 && !bytes.ContainsFunc(word, notWordChar) {
			h := fnv.New64a()
			_, _ = h.Write(data[:end])
			s.tiles = append(s.tiles, h.Sum64())
		}
		data = data[end:]
	}
}

// notWordChar is what a layout tile's id ("tile-" and one word) cannot hold.
func notWordChar(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }

// covers says s is a full state like full, the first message of a socket's first
// connection: a full state carries every layout tile, a diff only those that
// changed; without tiles (the bare server) a full state is the same bytes.
func (s shape) covers(full shape) bool {
	if len(full.tiles) == 0 {
		return s.key == full.key
	}
	for _, t := range full.tiles {
		if !slices.Contains(s.tiles, t) {
			return false
		}
	}
	return true
}

// peakRSS is the process's peak resident set size (VmHWM) in bytes.
func peakRSS(pid int) (int64, error) { return statusKB(pid, "VmHWM:") }

// statusKB reads one "Name: N kB" line of /proc/PID/status, in bytes.
func statusKB(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("proc status: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("proc status: no %s in /proc/%d/status", field, pid)
}
