package field

import (
	"errors"
	"fmt"
	"strings"
)

// Error is one refused configuration value. Path is the YAML path of the value relative
// to the section the rule was applied to ("sla_target", "thresholds.waiting_warn",
// "skills[2]"); Within makes it absolute as the error travels outward.
type Error struct {
	Path string
	Msg  string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Errorf returns an *Error for the value at path.
func Errorf(path, format string, args ...any) error {
	return &Error{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// Within prefixes the path of every *Error in err (including each error of an
// errors.Join) with prefix, joining with "." unless the path starts with "[".
// Errors that are not field errors are wrapped as an *Error at prefix itself, so the
// user still learns which key the problem belongs to. Within(prefix, nil) is nil.
func Within(prefix string, err error) error {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range joined.Unwrap() {
			out = append(out, Within(prefix, e))
		}
		return errors.Join(out...)
	}
	var fe *Error
	if errors.As(err, &fe) {
		return &Error{Path: join(prefix, fe.Path), Msg: fe.Msg}
	}
	return &Error{Path: prefix, Msg: err.Error()}
}

func join(prefix, path string) string {
	switch {
	case prefix == "":
		return path
	case path == "":
		return prefix
	case strings.HasPrefix(path, "["):
		return prefix + path
	}
	return prefix + "." + path
}

// All returns every *Error in err, flattening errors.Join; nil when there is none.
func All(err error) []*Error {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*Error
		for _, e := range joined.Unwrap() {
			out = append(out, All(e)...)
		}
		return out
	}
	var fe *Error
	if errors.As(err, &fe) {
		return []*Error{fe}
	}
	return nil
}
