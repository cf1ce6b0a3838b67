package server

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// The states of a screen, on /admin/screens and in ccdash_screens{state}: a fixed set,
// so the metric's labels stay bounded.
var screenStates = []string{"live", "stale", "offline", "missing"}

var stateText = map[string]string{
	"live":    "Live",
	"stale":   "Stale — not reading",
	"offline": "Offline",
	"missing": "Missing — not seen for a while",
}

// screenReport is every wall display as the screens page and the metric see it.
type screenReport struct {
	rows   []views.ScreenRow
	counts map[string]int
}

// screenReport joins the device store (every device not revoked) with the hub's
// device sockets: one row per open socket, or one row for a device without any.
func (s *Server) screenReport(ctx context.Context) (screenReport, error) {
	rep := screenReport{counts: map[string]int{}}
	if s.auth.opts.Devices == nil {
		return rep, nil
	}
	devs, err := s.auth.opts.Devices.List(ctx)
	if err != nil {
		return rep, failed("Reading the devices failed.", fmt.Errorf("list devices: %w", err))
	}
	byDevice := map[string][]hub.SocketInfo{}
	for _, sock := range s.hub.Sockets("device:") {
		id := auth.DeviceID(sock.Key)
		byDevice[id] = append(byDevice[id], sock)
	}
	now := s.now()
	snap := s.opts.Store.Load()
	for _, d := range devs {
		if d.Revoked {
			continue
		}
		socks := byDevice[d.ID]
		slices.SortFunc(socks, func(a, b hub.SocketInfo) int { return a.Since.Compare(b.Since) })
		for _, sock := range socks {
			row := s.socketRow(d, sock, snap, now)
			rep.rows = append(rep.rows, row)
			rep.counts[row.State]++
		}
		if len(socks) == 0 {
			row := s.offlineRow(d, now)
			rep.rows = append(rep.rows, row)
			rep.counts[row.State]++
		}
	}
	return rep, nil
}

func (s *Server) deviceRow(d auth.Device, state string) views.ScreenRow {
	row := views.ScreenRow{DeviceID: d.ID, Name: d.Name, State: state, StateText: stateText[state], Binding: "board:" + d.Board}
	row.Shows = s.boardTitle(d.Board)
	if d.Playlist != "" {
		row.Binding = "playlist:" + d.Playlist
		row.Shows = "Playlist " + s.playlistTitle(d.Playlist)
	}
	return row
}

func (s *Server) socketRow(d auth.Device, sock hub.SocketInfo, snap *snapshot.Snapshot, now time.Time) views.ScreenRow {
	row := s.deviceRow(d, s.socketState(sock, now))
	row.Connected = true
	row.Since, row.SinceMS = sock.Since.UTC().Format(time.RFC3339), strconv.FormatInt(sock.Since.UnixMilli(), 10)
	row.Addr, row.Browser = sock.Addr, views.Browser(sock.UserAgent)
	row.LastMessage = "none yet"
	if !sock.LastWrite.IsZero() {
		row.LastMessage = sinceText(now.Sub(sock.LastWrite))
	}
	if v, ok := s.live.variantOf(sock.Topic); ok {
		if d.Playlist != "" {
			row.Shows += " › " + v.Board.Title
		} else {
			row.Shows = v.Board.Title
		}
		row.Data, row.DataStale = freshness(snap, v.Board.Thresholds.WithDefaults().StaleAfter, now)
	}
	if sock.Queued > 0 || row.State == "stale" {
		row.Data, row.DataStale = row.Data+" (behind)", true
	}
	return row
}

func (s *Server) offlineRow(d auth.Device, now time.Time) views.ScreenRow {
	state := "offline"
	if d.LastSeen.IsZero() || now.Sub(d.LastSeen) > s.screens.opts.OfflineAfter {
		state = "missing"
	}
	row := s.deviceRow(d, state)
	row.LastMessage = "never seen"
	if !d.LastSeen.IsZero() {
		row.LastMessage = "seen " + sinceText(now.Sub(d.LastSeen))
	}
	return row
}

// freshness is the age of the data a screen shows: its oldest source's last success.
func freshness(snap *snapshot.Snapshot, staleAfter time.Duration, now time.Time) (string, bool) {
	if snap == nil || len(snap.Sources) == 0 {
		return "no data yet", true
	}
	var oldest time.Time
	for _, src := range snap.Sources {
		if oldest.IsZero() || src.LastSuccess.Before(oldest) {
			oldest = src.LastSuccess
		}
	}
	if oldest.IsZero() {
		return "no data yet", true
	}
	age := now.Sub(oldest)
	return "updated " + sinceText(age), age > staleAfter
}

func (s *Server) boardTitle(id string) string {
	if b, ok := s.boardSet().board(id); ok {
		return b.Title
	}
	return id
}

func (s *Server) playlistTitle(id string) string {
	if p, ok := s.screens.playlist(id); ok {
		return cmpOr(p.Title, p.ID)
	}
	return id + " (gone)"
}

// screensCollector exports ccdash_screens{state}: wall displays by state.
type screensCollector struct {
	s    *Server
	desc *prometheus.Desc
}

func (c screensCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c screensCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rep, err := c.s.screenReport(ctx)
	if err != nil {
		c.s.log.Warn("screens metric", "err", err)
		return
	}
	for _, st := range screenStates {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(rep.counts[st]), st)
	}
}

func newScreensCollector(s *Server) prometheus.Collector {
	return screensCollector{s: s, desc: prometheus.NewDesc("ccdash_screens",
		"Wall display connections by state: live, stale (connected, not reading), offline (device without a socket), missing (not seen for screens' offline_after).",
		[]string{"state"}, nil)}
}
