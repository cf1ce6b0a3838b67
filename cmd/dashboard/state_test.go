package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ccdash/ccdash/internal/bolt"
)

// A data_dir from before sessions were stored holds devices.db: its device links must
// keep working once the file is ccdash.db.
func TestOldDevicesFileKeepsItsDevices(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old, err := bolt.Open(filepath.Join(dir, oldStateFile))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := bolt.NewDeviceStore(old)
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := devs.Create(t.Context(), "lobby", "Old TV")
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db, devices, err := openDevices(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if d, err := devices.Verify(t.Context(), secret); err != nil || d.Name != "Old TV" {
		t.Errorf("old device after the move = %+v, %v; want it verified", d, err)
	}
	if _, err := os.Stat(filepath.Join(dir, oldStateFile)); !os.IsNotExist(err) {
		t.Errorf("%s still there (%v); want it renamed to %s", oldStateFile, err, stateFile)
	}
}
