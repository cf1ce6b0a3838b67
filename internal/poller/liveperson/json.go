package liveperson

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// lpDecode decodes a LivePerson answer. Unknown fields are ignored (vendors add
// fields); every number goes through poller.Num, so a string or null where a number
// was documented is "unknown", not a failed poll (the policy is documented there).
func lpDecode(b []byte, v any) error { return json.Unmarshal(b, v) }

// lpID is an id LivePerson sends as a number in one method and a string in another
// (skillId 2434921912 vs "2"). It is kept as the decimal string.
type lpID string

func (id *lpID) UnmarshalJSON(b []byte) error {
	*id = ""
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] == 'n' {
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil
		}
		*id = lpID(strings.TrimSpace(s))
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return nil
	}
	if i, err := n.Int64(); err == nil {
		*id = lpID(strconv.FormatInt(i, 10))
	}
	return nil
}

// known reports whether the id names something: LivePerson writes "NA", 0 or -1
// where there is none (agentCurrentStatusReasonId "NA" in the KMM example).
func (id lpID) known() bool { return id != "" && id != "NA" && id != "-1" && id != "0" }
