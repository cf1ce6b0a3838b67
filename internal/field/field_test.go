package field

import (
	"errors"
	"fmt"
	"testing"
)

func TestWithinPrefixesEveryPath(t *testing.T) {
	err := errors.Join(
		Errorf("sla_target", "must be a multiple of 5s (got 7s)"),
		Errorf("[2]", "unknown skill"),
		fmt.Errorf("plain failure"),
	)
	got := Within("sources[0].liveperson", err)
	want := []string{
		"sources[0].liveperson.sla_target: must be a multiple of 5s (got 7s)",
		"sources[0].liveperson[2]: unknown skill",
		"sources[0].liveperson: plain failure",
	}
	all := All(got)
	if len(all) != len(want) {
		t.Fatalf("All: got %d errors, want %d (%v)", len(all), len(want), got)
	}
	for i, e := range all {
		if e.Error() != want[i] {
			t.Errorf("error %d: got %q, want %q", i, e.Error(), want[i])
		}
	}
}

func TestWithinNestsAndKeepsNil(t *testing.T) {
	if Within("x", nil) != nil {
		t.Fatal("Within(nil) must be nil")
	}
	err := Within("boards[1]", Within("thresholds", Errorf("waiting_warn", "must be ≥ 0")))
	if got, want := err.Error(), "boards[1].thresholds.waiting_warn: must be ≥ 0"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	var fe *Error
	if !errors.As(err, &fe) || fe.Path != "boards[1].thresholds.waiting_warn" {
		t.Fatalf("errors.As: got %#v", fe)
	}
}
