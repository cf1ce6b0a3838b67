package simulator

import (
	"encoding/json"
	"testing"
	"time"
)

func TestFaultJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     Fault
	}{
		{"duration text", `{"vendor":"liveperson","kind":"slow","delay":"1.5s","count":2}`,
			Fault{Vendor: VendorLivePerson, Kind: FaultSlow, Delay: 1500 * time.Millisecond, Count: 2}},
		{"seconds", `{"kind":"rate_limited","retryAfter":3}`,
			Fault{Kind: FaultRateLimited, RetryAfter: 3 * time.Second}},
		{"status", `{"vendor":"all","kind":"server_error","status":500}`,
			Fault{Vendor: VendorAll, Kind: FaultServerError, Status: 500}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got Fault
			if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("decoded %+v, want %+v", got, tc.want)
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			var again Fault
			if err := json.Unmarshal(b, &again); err != nil || again != got {
				t.Errorf("round trip %s gave %+v, want %+v", b, again, got)
			}
		})
	}
	for _, bad := range []string{`{"kind":"slow","delay":"soon"}`, `{"kind":"server_error","status":404}`, `{"kind":"slow","count":-1}`} {
		var f Fault
		if err := json.Unmarshal([]byte(bad), &f); err == nil {
			t.Errorf("%s: accepted as %+v, want an error", bad, f)
		}
	}
}
