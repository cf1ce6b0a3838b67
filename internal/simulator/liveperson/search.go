package liveperson

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
)

// What the Messaging Interactions and Engagement History searches share: paging
// query, the start window filter, id lists, the response envelope.

const (
	lpSearchMaxLimit = 100
	lpMaxBody        = 64 << 10
	lpWindowRound    = 10 * time.Minute // the documented rounding of from/to
)

// searchQuery reads offset, limit, sort and source as documented: limit ≤ 100,
// sort fields from allowed with :asc or :desc (Engagement History's doc also
// writes :des), source ≤ 20 characters and required when needSource.
func searchQuery(r *http.Request, allowed []string, needSource bool) (offset, limit int, desc bool, msg string) {
	q := r.URL.Query()
	offset, limit = 0, 50
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, false, "offset must be a number ≥ 0"
		}
		offset = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > lpSearchMaxLimit {
			return 0, 0, false, "limit must be 1..100"
		}
		limit = n
	}
	if v := q.Get("sort"); v != "" {
		first := strings.Split(v, ",")[0]
		field, order, _ := strings.Cut(first, ":")
		if !slices.Contains(allowed, field) || (order != "asc" && order != "desc" && order != "des") {
			return 0, 0, false, "sort must be <field>:asc or <field>:desc, field one of " + strings.Join(allowed, ", ")
		}
		desc = order != "asc"
	}
	src := q.Get("source")
	if (needSource && src == "") || len(src) > 20 {
		return 0, 0, false, "source is required, at most 20 characters"
	}
	return offset, limit, desc, ""
}

// epoch is an epoch-ms filter bound: the docs send numbers and numeric strings.
type epoch struct {
	t   int64
	set bool
}

func (e *epoch) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("not an epoch time in ms: %s", b)
	}
	e.t, e.set = n, true
	return nil
}

// timeRange is a {from, to} filter, rounded outward to 10 minutes as documented; a
// "to" of −1 means until now.
type timeRange struct {
	From epoch `json:"from"`
	To   epoch `json:"to"`
}

// window validates the range (both bounds, from ≤ to, at most maxSpan) and returns
// it rounded outward, in simulated time: the bounds are the client's clock (real
// time), moved by how far the floor runs ahead of it (a demo at --sim-speed 60).
func (tr *timeRange) window(simNow, realNow time.Time, maxSpan time.Duration) (from, to time.Time, msg string) {
	if tr == nil || !tr.From.set || !tr.To.set {
		return time.Time{}, time.Time{}, "start.from and start.to are required"
	}
	ahead := simNow.Sub(realNow)
	from, to = time.UnixMilli(tr.From.t).Add(ahead), time.UnixMilli(tr.To.t).Add(ahead)
	if tr.To.t == -1 {
		to = simNow
	}
	if to.Before(from) {
		return time.Time{}, time.Time{}, "start.from is after start.to"
	}
	if to.Sub(from) > maxSpan {
		return time.Time{}, time.Time{}, "the start interval is longer than allowed"
	}
	from = from.Truncate(lpWindowRound)
	if r := to.Truncate(lpWindowRound); !r.Equal(to) {
		to = r.Add(lpWindowRound)
	}
	return from, to, ""
}

// idSet reads an id list the docs give as numbers and as strings.
func idSet(raw []json.RawMessage) map[string]bool {
	if raw == nil {
		return nil
	}
	out := map[string]bool{}
	for _, r := range raw {
		out[strings.Trim(string(r), `" `)] = true
	}
	return out
}

// decodeSearch reads a JSON filter body (size-capped); unknown fields are allowed.
func decodeSearch(w http.ResponseWriter, r *http.Request, v any) string {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, lpMaxBody)).Decode(v); err != nil {
		return "the body is not a valid filter: " + err.Error()
	}
	return ""
}

// envelope is the searches' response shape with paging links built from the
// request's URL, as in the Engagement History example.
func envelope(r *http.Request, key string, count, offset, limit int, page []map[string]any) map[string]any {
	link := func(rel string, off int) map[string]any {
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path}
		q := r.URL.Query()
		q.Set("offset", strconv.Itoa(off))
		q.Set("limit", strconv.Itoa(limit))
		u.RawQuery = q.Encode()
		return map[string]any{"rel": rel, "href": u.String()}
	}
	meta := map[string]any{"count": count, "self": link("self", offset),
		"shardsStatusResult": map[string]any{"partialResult": false}}
	if offset+limit < count {
		meta["next"] = link("next", offset+limit)
		meta["last"] = link("last", (count-1)/limit*limit)
	}
	return map[string]any{"_metadata": meta, key: page}
}

// pick chooses one of options by id (not the floor's random stream).
func pick(id string, options ...string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	return options[int(h.Sum32()%uint32(len(options)))]
}

func lpTimeString(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000-0700") }

func writeSearch(w http.ResponseWriter, body map[string]any) {
	simulator.WriteJSON(w, http.StatusOK, body)
}
