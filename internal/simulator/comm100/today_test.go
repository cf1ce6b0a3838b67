package comm100

import (
	"net/url"
	"testing"
	"time"
)

// TestTodayWindowValidation: the day parameters of realTime/Today and Agents are
// 400s when they cannot name a window the floor has: a bad offset or time, a start
// in the future or more than a day before the end.
func TestTodayWindowValidation(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	real := r.clock.Now()
	wall := func(d time.Duration) string { return real.Add(d).UTC().Format("2006-01-02T15:04:05") }
	tests := []struct {
		name string
		q    url.Values
		want int
	}{
		{"no window", url.Values{}, 200},
		{"since 6 h ago", url.Values{"utcOffset": {"0"}, "startTime": {wall(-6 * time.Hour)}}, 200},
		{"rfc3339 with end", url.Values{"startTime": {real.Add(-time.Hour).Format(time.RFC3339)}, "endTime": {real.Format(time.RFC3339)}}, 200},
		{"offset too wide", url.Values{"utcOffset": {"900"}, "startTime": {wall(-time.Hour)}}, 400},
		{"offset not a number", url.Values{"utcOffset": {"+01:00"}, "startTime": {wall(-time.Hour)}}, 400},
		{"bad start", url.Values{"startTime": {"yesterday"}}, 400},
		{"start in the future", url.Values{"startTime": {wall(time.Hour)}}, 400},
		{"more than a day", url.Values{"startTime": {wall(-25 * time.Hour)}}, 400},
		{"end before start", url.Values{"startTime": {wall(-time.Hour)}, "endTime": {wall(-2 * time.Hour)}}, 400},
	}
	for _, tc := range tests {
		for _, path := range []string{"/v4/livechat/realTime/Today", "/v4/livechat/realTime/Agents"} {
			if code, body := r.get(t, path+"?siteId=10000&"+tc.q.Encode(), r.apiKey()); code != tc.want {
				t.Errorf("%s %s: status %d (%s), want %d", tc.name, path, code, body, tc.want)
			}
		}
	}
}
