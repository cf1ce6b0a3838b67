package main

import (
	"regexp"
	"strings"
	"testing"
)

const goodComm100 = `
sources:
  - kind: comm100
    interval: 15s
    comm100:
      base_url: https://api15.comm100.io/v4
      site_id: 10000
      email: wallboard@example.com
      api_key: ${C100_KEY}
`

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseConfigGood(t *testing.T) {
	t.Parallel()
	c, err := ParseConfig([]byte(goodComm100), env(map[string]string{"C100_KEY": "s3cret"}))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Sources[0]
	if s.ID != "comm100" || s.Interval.D().Seconds() != 15 || s.Comm100.APIKey != "s3cret" {
		t.Errorf("got %+v %+v", s, s.Comm100)
	}
	if c.Listen != "127.0.0.1:8080" {
		t.Errorf("listen default: got %q", c.Listen)
	}
}

func TestParseConfigEmptyIsDemo(t *testing.T) {
	t.Parallel()
	c, err := ParseConfig(nil, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) != 0 {
		t.Errorf("got sources %+v", c.Sources)
	}
}

// testHash is a bcrypt hash (cost 10) of "test", so user cases fail on one key only.
const testHash = "$2a$10$dErLzEkLMm9/cVUfNBh5GOK0GrZjhaSIDgq/J5EtyumkaFEF55ONW"

// goName matches what must never reach a user: Go field names (SLATarget, ConsumerKey,
// AgentSource), lowerCamel wire names (slaTarget, accountId) and the internal names
// the config used to be translated into.
var goName = regexp.MustCompile(`\b([A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*|[A-Z]{2,}[a-z][A-Za-z0-9]*|[a-z]+[A-Z][A-Za-z0-9]*)\b|agentmetrics|\bInterval\b|\bviews:|\bpoller:`)

// wordsUsers know are product names, not Go names.
var wordsUsers = strings.NewReplacer("LivePerson", "", "OAuth", "", "Comm100", "")

// TestParseConfigBad: every message of a bad config names the YAML path of the value
// (sources[0].liveperson.sla_target, boards[0].id), each problem on its own line, and
// none names a Go field, so an operator can fix the file from the message alone.
func TestParseConfigBad(t *testing.T) {
	t.Parallel()
	lp := "sources:\n  - kind: liveperson\n    liveperson:\n      account_id: \"123\"\n      client_id: a\n      client_secret: b\n"
	tests := []struct {
		name, yaml, wantKey string
	}{
		{"unknown kind", "sources:\n  - kind: genesys\n", "sources[0].kind"},
		{"missing kind", "sources:\n  - id: x\n", "sources[0].kind"},
		{"unknown key", "sources:\n  - kind: comm100\n    intervall: 5s\n", "intervall"},
		{"interval below 1s", strings.Replace(goodComm100, "15s", "500ms", 1), "sources[0].interval"},
		{"bad duration", strings.Replace(goodComm100, "15s", "soon", 1), "not a duration"},
		{"missing credentials", strings.Replace(goodComm100, "api_key: ${C100_KEY}", "", 1), "sources[0].comm100.api_key"},
		{"both credentials", strings.Replace(goodComm100, "api_key: ${C100_KEY}", "api_key: k\n      client_id: a\n      password: b\n      token_url: https://x/t", 1), "sources[0].comm100.api_key"},
		{"bad url", strings.Replace(goodComm100, "https://api15.comm100.io/v4", "api15.comm100.io", 1), "sources[0].comm100.base_url"},
		{"ftp url", strings.Replace(goodComm100, "https://", "ftp://", 1), "sources[0].comm100.base_url"},
		{"missing site", strings.Replace(goodComm100, "site_id: 10000", "", 1), "sources[0].comm100.site_id"},
		{"oauth without token url", strings.Replace(goodComm100, "api_key: ${C100_KEY}", "client_id: a\n      password: b", 1), "sources[0].comm100.token_url"},
		{"unset env", strings.Replace(goodComm100, "C100_KEY", "NOPE", 1), "NOPE"},
		{"missing comm100 block", "sources:\n  - kind: comm100\n", "sources[0].comm100"},
		{"liveperson block on comm100", goodComm100 + "    liveperson: {account_id: \"1\"}\n", "sources[0].liveperson"},
		{"lp missing creds", "sources:\n  - kind: liveperson\n    liveperson:\n      account_id: \"123\"\n", "sources[0].liveperson.app_key"},
		{"lp both creds", lp + "      app_key: a\n      secret: b\n      access_token: c\n      access_token_secret: d\n", "sources[0].liveperson.client_id"},
		{"lp api key part missing", "sources:\n  - kind: liveperson\n    liveperson: {account_id: \"1\", app_key: a, secret: b, access_token: c}\n", "sources[0].liveperson.access_token_secret"},
		{"lp bad account", strings.Replace(lp, `"123"`, `"12/3"`, 1), "sources[0].liveperson.account_id"},
		{"lp bad domain url", lp + "      domain_url: api.liveperson.net\n", "sources[0].liveperson.domain_url"},
		{"lp bucket not divisor", lp + "      timeframe: 60\n      bucket: 31\n", "sources[0].liveperson.bucket"},
		{"lp timeframe too long", lp + "      timeframe: 2000\n", "sources[0].liveperson.timeframe"},
		{"lp sla target not 5s", lp + "      sla_target: 7s\n", "sources[0].liveperson.sla_target"},
		{"lp unknown agents", lp + "      agents: kmmm\n", "sources[0].liveperson.agents"},
		{"day bad zone", lp + "    day: {time_zone: Europe/Berlín}\n", "sources[0].day.time_zone"},
		{"day zone Local", lp + "    day: {time_zone: Local}\n", "sources[0].day.time_zone"},
		{"day bad reset", lp + "    day: {reset: \"6:00\"}\n", "sources[0].day.reset"},
		{"day reset 24:00", strings.Replace(goodComm100, "comm100:\n", "day: {reset: \"24:00\"}\n    comm100:\n", 1), "sources[0].day.reset"},
		{"lp bad host", lp + "      hosts: {leDataReporting: 'a/b'}\n", "sources[0].liveperson.hosts.leDataReporting"},
		{"duplicate source", goodComm100 + "  - kind: comm100\n    comm100: {base_url: 'https://x', site_id: 1, email: e, api_key: k}\n", "sources[1].id"},
		{"bad log level", "log_level: loud\n", "log_level"},
		{"bad public url", "public_url: wall.example.com\n", "public_url"},
		{"unknown tile", "boards:\n  - id: lobby\n    tiles: [queue, weather]\n", "boards[0].tiles[1]"},
		{"tile twice", "boards:\n  - id: lobby\n    tiles: [queue, queue]\n", "boards[0].tiles[1]"},
		{"board without id", "boards:\n  - title: Lobby\n", "boards[0].id"},
		{"board id with capital", "boards:\n  - id: Sales\n", "boards[0].id"},
		{"board id with space", "boards:\n  - id: floor 2\n", "boards[0].id"},
		{"duplicate board", "boards:\n  - id: a\n  - id: a\n", "boards[1].id"},
		{"empty board skill", "boards:\n  - id: a\n    skills: ['']\n", "boards[0].skills[0]"},
		{"sl threshold as percent", "boards:\n  - id: a\n    thresholds: {service_level_warn: 80}\n", "boards[0].thresholds.service_level_warn"},
		{"waiting inverted", "boards:\n  - id: a\n    thresholds: {waiting_warn: 9, waiting_crit: 4}\n", "boards[0].thresholds.waiting_warn"},
		{"negative waiting", "boards:\n  - id: a\n    thresholds: {waiting_crit: -1}\n", "boards[0].thresholds.waiting_crit"},
		{"longest wait inverted", "boards:\n  - id: a\n    thresholds: {longest_wait_warn: 5m}\n", "boards[0].thresholds.longest_wait_warn"},
		{"sl crit above warn", "boards:\n  - id: a\n    thresholds: {service_level_warn: 0.5, service_level_crit: 0.7}\n", "boards[0].thresholds.service_level_crit"},
		{"negative stale", "boards:\n  - id: a\n    thresholds: {stale_after: -1s}\n", "boards[0].thresholds.stale_after"},
		{"user without hash", "users:\n  - {name: a, role: admin}\n", "users[0].password_hash"},
		{"user plain password", "users:\n  - {name: a, role: admin, password_hash: hunter2}\n", "users[0].password_hash"},
		{"unknown role", "users:\n  - {name: a, role: root, password_hash: '" + testHash + "'}\n", "users[0].role"},
		{"duplicate user", "users:\n  - {name: a, role: admin, password_hash: '" + testHash + "'}\n  - {name: a, role: viewer, password_hash: '" + testHash + "'}\n", "users[1].name"},
		{"short embed key", "embed_key: c2hvcnQtU0VDUkVULWtleQ==\n", "embed_key"},
		{"embed key not base64", "embed_key: not*base64*SECRET\n", "embed_key"},
		{"embed origin with path", "embed_origins: [https://crm.example.com/app]\n", "embed_origins"},
		{"embed origin without scheme", "embed_origins: [crm.example.com]\n", "embed_origins[0]"},
		{"embed origin glob", "embed_origins: ['https://*']\n", "embed_origins[0]"},
		{"second embed origin glob", "embed_origins: [https://crm.example.com, 'https://*.example.com']\n", "embed_origins[1]"},
		{"bad redis url", "redis_url: http://user:SECRET@redis:6379\n", "redis_url"},
		{"negative session", "sessions: {lifetime: -1h}\n", "sessions.lifetime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseConfig([]byte(tt.yaml), env(map[string]string{"C100_KEY": "k"}))
			if err == nil {
				t.Fatal("got no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "config: "+tt.wantKey) && !strings.Contains(msg, tt.wantKey) {
				t.Errorf("error %q does not name %q", msg, tt.wantKey)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("one problem, yet not one line: %q", msg)
			}
			if m := goName.FindString(wordsUsers.Replace(strings.ReplaceAll(msg, tt.wantKey, ""))); m != "" {
				t.Errorf("error %q names %q, not a YAML key", msg, m)
			}
			if strings.Contains(msg, "SECRET") || strings.Contains(msg, "c2hvcnQtU0VDUkVULWtleQ") {
				t.Errorf("error repeats a secret value: %q", msg)
			}
		})
	}
}

// TestParseConfigEveryErrorOnItsOwnLine: a file with several problems reports them
// all, one line each, each naming its path — what check-config prints.
func TestParseConfigEveryErrorOnItsOwnLine(t *testing.T) {
	t.Parallel()
	y := "log_level: loud\nsources:\n  - kind: comm100\n    interval: 1ms\n    comm100: {base_url: x, site_id: 1, email: e, api_key: k}\nboards:\n  - id: Sales\n    thresholds: {waiting_warn: 9, waiting_crit: 4}\n"
	_, err := ParseConfig([]byte(y), env(nil))
	if err == nil {
		t.Fatal("got no error")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{"log_level", "sources[0].interval", "sources[0].comm100.base_url", "boards[0].id", "boards[0].thresholds.waiting_warn"}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], "config: "+w+": ") {
			t.Errorf("line %d %q: want it to start with config: %s:", i, lines[i], w)
		}
	}
}
