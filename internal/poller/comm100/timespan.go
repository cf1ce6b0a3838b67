package comm100

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// maxTimeSpanDays keeps a parsed span inside time.Duration (about 292 years).
const maxTimeSpanDays = 106751

var errTimeSpan = errors.New("not a TimeSpan")

// parseTimeSpan reads .NET TimeSpan text in the invariant "c" format that Comm100
// uses for intradayLinearChatTime: [-][d.]hh:mm:ss[.fffffff], e.g. "06:53:57.0500000",
// "1.02:03:04", "00:00:00". Hours are 0-23, minutes and seconds 0-59, the fraction 1-7
// digits (ticks of 100 ns).
func parseTimeSpan(s string) (time.Duration, error) {
	in := s
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var days int64
	// A day part is separated by '.' before the first ':'; a '.' after the seconds
	// starts the fraction.
	if colon := strings.IndexByte(s, ':'); colon > 0 {
		if dot := strings.IndexByte(s[:colon], '.'); dot >= 0 {
			d, err := timeSpanDigits(s[:dot], 1, 8)
			if err != nil || d > maxTimeSpanDays {
				return 0, fmt.Errorf("%w: %.40q", errTimeSpan, in)
			}
			days = d
			s = s[dot+1:]
		}
	}
	frac, hasFrac := "", false
	if dot := strings.IndexByte(s, '.'); dot >= 0 {
		s, frac, hasFrac = s[:dot], s[dot+1:], true
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, fmt.Errorf("%w: %.40q", errTimeSpan, in)
	}
	h, errH := timeSpanDigits(parts[0], 1, 2)
	m, errM := timeSpanDigits(parts[1], 2, 2)
	sec, errS := timeSpanDigits(parts[2], 2, 2)
	if errH != nil || errM != nil || errS != nil || h > 23 || m > 59 || sec > 59 {
		return 0, fmt.Errorf("%w: %.40q", errTimeSpan, in)
	}
	var ticks int64
	if hasFrac {
		f, err := timeSpanDigits(frac, 1, 7)
		if err != nil {
			return 0, fmt.Errorf("%w: %.40q", errTimeSpan, in)
		}
		ticks = f * int64(math.Pow10(7-len(frac)))
	}
	total := time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour +
		time.Duration(m)*time.Minute + time.Duration(sec)*time.Second + time.Duration(ticks)*100
	if total < 0 {
		return 0, fmt.Errorf("%w: %.40q", errTimeSpan, in)
	}
	if neg {
		total = -total
	}
	return total, nil
}

// digits parses an unsigned decimal of min..max ASCII digits.
func timeSpanDigits(s string, min, max int) (int64, error) {
	if len(s) < min || len(s) > max {
		return 0, errTimeSpan
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errTimeSpan
		}
	}
	return strconv.ParseInt(s, 10, 64)
}
