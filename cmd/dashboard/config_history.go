package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ccdash/ccdash/internal/field"
)

// HistoryConfig is the history: section.
type HistoryConfig struct {
	// Retention is how long minute points and agent timelines are kept ("7d", "36h");
	// every snapshot is kept for the last 24 h regardless. Zero means 7d; at least 24h.
	Retention Days `yaml:"retention"`
	// Queue bounds the snapshots waiting to be written; a full queue drops and counts
	// (ccdash_history_dropped_total). Zero means 64.
	Queue int `yaml:"queue"`
}

// Days is a duration that also accepts whole days ("7d"), the unit retention is
// thought in.
type Days time.Duration

// UnmarshalYAML parses "7d" or Go duration syntax ("36h").
func (d *Days) UnmarshalYAML(n *yaml.Node) error {
	if days, ok := strings.CutSuffix(n.Value, "d"); ok {
		v, err := strconv.Atoi(days)
		if err != nil || v < 0 {
			return fmt.Errorf("not a number of days (use e.g. 7d or 36h): %q", n.Value)
		}
		*d = Days(time.Duration(v) * 24 * time.Hour)
		return nil
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("not a duration (use e.g. 7d or 36h): %q", n.Value)
	}
	*d = Days(v)
	return nil
}

func (h *HistoryConfig) validate() error {
	var errs []error
	if h.Retention == 0 {
		h.Retention = Days(7 * 24 * time.Hour)
	}
	if r := time.Duration(h.Retention); r < 24*time.Hour || r > 366*24*time.Hour {
		errs = append(errs, field.Errorf("retention", "must be between 1d and 366d (got %s)", r))
	}
	if h.Queue < 0 || h.Queue > 100000 {
		errs = append(errs, field.Errorf("queue", "must be between 1 and 100000, or 0 for the default 64 (got %d)", h.Queue))
	}
	return field.Within("history", errors.Join(errs...))
}
