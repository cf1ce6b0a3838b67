package views

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/web/templates"
)

// kindAlerts keys the alert banner in a Tileset. It is not a configurable tile kind:
// every wall and manager page of a board with alert rules carries it.
const kindAlerts TileKind = "alerts"

// alertsID is the banner's element id.
const alertsID = "tile-alerts"

// AlertState is what the alert banner of one variant shows, as the alert engine has
// it: the board's shown alerts in the variant's scope, recent log events (manager
// view) and the board's sound settings.
type AlertState struct {
	Alerts []alerts.Alert
	Log    []alerts.Event
	Board  alerts.Board
}

// AddAlerts renders the alert banner of variant v into ts. Embeds carry no banner.
func (ts *Tileset) AddAlerts(ctx context.Context, v Variant, st AlertState) error {
	if v.Audience == Embed {
		return nil
	}
	html, err := render(ctx, templates.AlertsTile(alertsProps(v, st)), 512)
	if err != nil {
		return err
	}
	ts.add(alertsID, html, "")
	ts.kinds[kindAlerts] = alertsID
	return nil
}

func alertsProps(v Variant, st AlertState) templates.AlertsTileProps {
	p := templates.AlertsTileProps{Manager: v.Audience == Manager}
	var sounding []string
	loud := ""
	for _, a := range st.Alerts {
		it := templates.AlertItem{ID: a.ID, Text: a.Text(), Level: string(a.Level), Escalated: a.Status == alerts.Escalated,
			SinceMS: msString(a.RaisedAt), Acked: a.Acked()}
		if a.Ack != nil {
			it.AckBy, it.AckNote = a.Ack.By, a.Ack.Note
		} else {
			p.Pulse = true
			if p.Manager {
				it.AckAction = "/boards/" + v.Board.ID + "/alerts/ack"
			}
			if st.Board.SoundFor(a.Level) {
				sounding = append(sounding, a.ID)
				if loud != string(alerts.Crit) {
					loud = string(a.Level)
				}
			}
		}
		p.Items = append(p.Items, it)
	}
	if len(sounding) > 0 {
		slices.Sort(sounding)
		p.Sound, p.SoundKey = loud, strings.Join(sounding, " ")
		p.SoundEveryMS = strconv.FormatInt(st.Board.SoundInterval().Milliseconds(), 10)
	}
	if !p.Manager && len(p.Items) > wallAlertRows {
		p.Items, p.More = p.Items[:wallAlertRows-1], moreAlerts(p.Items[wallAlertRows-1:])
	}
	if p.Manager {
		for _, ev := range st.Log {
			l := templates.AlertLogItem{AtMS: msString(ev.At), Kind: string(ev.Kind), Text: ev.Alert.Text()}
			if ev.Kind == alerts.EventAck && ev.Alert.Ack != nil {
				l.By, l.Note = ev.Alert.Ack.By, ev.Alert.Ack.Note
			}
			p.Log = append(p.Log, l)
		}
	}
	return p
}

// moreAlerts sums up the alerts a wall's banner has no room for: "+23 more alerts:
// 5 ◆ CRIT, 18 ▲ WARN" (acknowledged ones included in the count).
func moreAlerts(rest []templates.AlertItem) string {
	crit, warn := 0, 0
	for _, a := range rest {
		if a.Level == string(alerts.Crit) {
			crit++
		} else {
			warn++
		}
	}
	var parts []string
	if crit > 0 {
		parts = append(parts, strconv.Itoa(crit)+" ◆ CRIT")
	}
	if warn > 0 {
		parts = append(parts, strconv.Itoa(warn)+" ▲ WARN")
	}
	noun := " more alerts: "
	if len(rest) == 1 {
		noun = " more alert: "
	}
	return "+" + strconv.Itoa(len(rest)) + noun + strings.Join(parts, ", ")
}
