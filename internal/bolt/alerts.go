package bolt

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/ccdash/ccdash/internal/alerts"
)

var (
	bucketAlerts   = []byte("alerts")     // alert id → alerts.Alert JSON
	bucketAlertLog = []byte("alerts_log") // 8-byte unix nanos + 8-byte sequence → alerts.Event JSON
)

// Alerts is the alerts.Store kept in the database file.
type Alerts struct{ d *DB }

var _ alerts.Store = (*Alerts)(nil)

// NewAlerts returns the alert store of d, creating its buckets.
func NewAlerts(d *DB) (*Alerts, error) {
	if err := d.createBuckets(bucketAlerts, bucketAlertLog); err != nil {
		return nil, err
	}
	return &Alerts{d: d}, nil
}

// Active implements alerts.Store.
func (s *Alerts) Active(ctx context.Context) ([]alerts.Alert, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []alerts.Alert
	err := s.d.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketAlerts).ForEach(func(k, v []byte) error {
			var a alerts.Alert
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("alert %q: %w", k, err)
			}
			out = append(out, a)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: alerts: %w", err)
	}
	return out, nil
}

// Save implements alerts.Store.
func (s *Alerts) Save(ctx context.Context, put []alerts.Alert, del []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.d.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketAlerts)
		for _, a := range put {
			v, err := json.Marshal(a)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(a.ID), v); err != nil {
				return err
			}
		}
		for _, id := range del {
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bolt: alerts: save: %w", err)
	}
	return nil
}

// Append implements alerts.Store. Keys sort by time, so Events and Prune seek.
func (s *Alerts) Append(ctx context.Context, events []alerts.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.d.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketAlertLog)
		for _, ev := range events {
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			v, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			if err := b.Put(logKey(ev.At, seq), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bolt: alert log: append: %w", err)
	}
	return nil
}

func logKey(at time.Time, seq uint64) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, uint64(max(at.UnixNano(), 0)))
	binary.BigEndian.PutUint64(k[8:], seq)
	return k
}

// Events implements alerts.Store.
func (s *Alerts) Events(ctx context.Context, since time.Time, limit int) ([]alerts.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []alerts.Event
	err := s.d.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketAlertLog).Cursor()
		for k, v := c.Seek(logKey(since, 0)); k != nil; k, v = c.Next() {
			var ev alerts.Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return fmt.Errorf("event %x: %w", k, err)
			}
			out = append(out, ev)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: alert log: %w", err)
	}
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, nil
}

// Prune implements alerts.Store.
func (s *Alerts) Prune(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	err := s.d.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketAlertLog)
		end := logKey(before, 0)
		// Collect first: deleting under a moving cursor can skip keys in bbolt.
		var old [][]byte
		c := b.Cursor()
		for k, _ := c.First(); k != nil && string(k) < string(end); k, _ = c.Next() {
			old = append(old, append([]byte(nil), k...))
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("bolt: alert log: prune: %w", err)
	}
	return n, nil
}
