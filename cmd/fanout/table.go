package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// parseCounts reads --table: socket counts separated by commas.
func parseCounts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--table: %q is not a socket count", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// tableRow is one socket count measured four ways.
type tableRow struct {
	sockets                        int
	ccdash, bare, ccIdle, bareIdle result
}

// runTable measures ccdash and the bare server at each socket count, with
// traffic (o.duration) and idle (idleFor), one after the other, printing each
// result as it comes and a Markdown table of all at the end. The traffic runs at
// the largest count end with a reconnect storm (measured after their figures),
// which gets a table of its own.
func runTable(ctx context.Context, o options, counts []int, idleFor time.Duration, stdout io.Writer) error {
	rows := make([]tableRow, 0, len(counts))
	largest := slices.Max(counts)
	for _, n := range counts {
		row := tableRow{sockets: n}
		for _, run := range []struct {
			bare, idle bool
			into       *result
		}{{false, false, &row.ccdash}, {true, false, &row.bare}, {false, true, &row.ccIdle}, {true, true, &row.bareIdle}} {
			ro := o
			ro.sockets, ro.bare, ro.idle, ro.storm = n, run.bare, run.idle, n == largest && !run.idle
			if run.idle {
				ro.duration = idleFor
			}
			res, err := probe(ctx, ro)
			if err != nil {
				return fmt.Errorf("%d sockets (bare %v, idle %v): %w", n, run.bare, run.idle, err)
			}
			res.print(stdout)
			*run.into = res
		}
		rows = append(rows, row)
	}
	printTable(stdout, rows, o.duration, idleFor)
	printStormTable(stdout, rows)
	return nil
}

func printTable(w io.Writer, rows []tableRow, traffic, idle time.Duration) {
	fmt.Fprintf(w, "\n| sockets | spread p50 / p99, ccdash | spread p50 / p99, bare | median message, ccdash / bare | RSS per socket, ccdash / bare | CPU per delivered message, ccdash / bare | idle CPU per socket-second, ccdash / bare |\n")
	fmt.Fprintf(w, "| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %.1f / %.1f ms | %.1f / %.1f ms | %d / %d B | %.0f / %.0f KB | %.0f / %.0f µs | %.2f / %.2f µs |\n",
			thousands(r.sockets),
			ms(r.ccdash.spreadP50), ms(r.ccdash.spreadP99), ms(r.bare.spreadP50), ms(r.bare.spreadP99),
			r.ccdash.msgP50, r.bare.msgP50,
			r.ccdash.rssPerSocket/1024, r.bare.rssPerSocket/1024,
			us(r.ccdash.cpuPerMsg), us(r.bare.cpuPerMsg),
			us(r.ccIdle.cpuPerSocketPerSecond), us(r.bareIdle.cpuPerSocketPerSecond))
	}
	fmt.Fprintf(w, "\n(traffic measured for %v per run, idle for %v; fanout --table)\n", traffic, idle)
}

// printStormTable is the reconnect storms of rows (the largest count's), a row
// per server.
func printStormTable(w io.Writer, rows []tableRow) {
	for _, r := range rows {
		if r.ccdash.storm == nil {
			continue
		}
		fmt.Fprintf(w, "\n| reconnect storm, %s sockets | down | back p50 / p99 / all | failed handshakes | first message a full state | peak RSS (per socket) |\n", thousands(r.sockets))
		fmt.Fprintf(w, "| --- | --- | --- | --- | --- | --- |\n")
		for _, res := range []result{r.ccdash, r.bare} {
			if st := res.storm; st != nil {
				fmt.Fprintf(w, "| %s | %.1f s | %.1f / %.1f / %s s | %d | %s | %.0f MB (%.0f KB) |\n",
					res.name, st.up.Seconds(), quantile(st.returns, 50).Seconds(), quantile(st.returns, 99).Seconds(), secs(st.allBack()),
					st.failed, fraction(st.fullState, st.sockets), mb(st.hwm), float64(st.hwm)/1024/float64(st.sockets))
			}
		}
		fmt.Fprintf(w, "\n(down: restart until the new process serves; back: restart until a socket has its first message again; fanout --storm)\n")
	}
}

// fraction is "n of total", or "all" when n is total.
func fraction(n, total int) string {
	if n == total {
		return "all " + thousands(total)
	}
	return thousands(n) + " of " + thousands(total)
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// thousands writes n with a comma between groups of three digits: 10,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
