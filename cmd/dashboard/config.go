package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is the YAML config file. Every field says its default; `dashboard --config`
// refuses to start on any unknown key or invalid value, naming the key.
type Config struct {
	// Listen is the address to serve on. Empty means 127.0.0.1:8080; --addr overrides.
	Listen string `yaml:"listen"`
	// PublicURL is how browsers reach the server (scheme://host[:port]), used for printed
	// URLs and WebSocket origin checks. Empty means http://<listen>.
	PublicURL string `yaml:"public_url"`
	// DataDir holds device tokens and other state. Empty means ./data.
	DataDir string `yaml:"data_dir"`
	// LogLevel is debug, info, warn or error. Empty means info.
	LogLevel string `yaml:"log_level"`
	// Sources are the vendor accounts to poll. Empty means the built-in simulator (demo).
	Sources []SourceConfig `yaml:"sources"`
	// Boards are the dashboards to serve. Empty means one default board, "demo".
	Boards []BoardConfig `yaml:"boards"`

	// Users may sign in. Empty means nobody (the demo makes an admin at start-up).
	Users []UserConfig `yaml:"users"`
	// Sessions bounds signed-in sessions.
	Sessions SessionConfig `yaml:"sessions"`
	// RedisURL keeps sessions in Redis (shared by replicas). Empty means in memory.
	RedisURL string `yaml:"redis_url"`
	// TrustProxy believes the reverse proxy's X-Forwarded-Proto (Secure cookies) and
	// X-Forwarded-For (login throttling per address). Default false.
	TrustProxy bool `yaml:"trust_proxy"`
	// EmbedKey signs embed links: base64, at least 32 bytes. Empty means a key made
	// on first start and kept in data_dir/embed.key.
	EmbedKey string `yaml:"embed_key"`
	// EmbedOrigins may frame embed links (scheme://host[:port]). Empty means none but
	// this server itself.
	EmbedOrigins []string `yaml:"embed_origins"`
}

// SourceConfig is one vendor account.
type SourceConfig struct {
	// ID names the source in keys, pages and metrics. Empty means the kind.
	ID string `yaml:"id"`
	// Kind is "comm100" or "liveperson".
	Kind string `yaml:"kind"`
	// Interval between polls. Zero means 10s (the vendors' refresh rate); minimum 1s.
	Interval Duration `yaml:"interval"`
	// Timeout bounds one HTTP request. Zero means 10s.
	Timeout Duration `yaml:"timeout"`
	// Budget caps requests per window. Zero means the vendor's documented limit
	// (Comm100: 300 per 5m); LivePerson publishes none, so zero means 120 per 1m.
	Budget BudgetConfig `yaml:"budget"`

	// Comm100 holds Comm100 settings when Kind is comm100.
	Comm100 *Comm100Config `yaml:"comm100"`
	// LivePerson holds LivePerson settings when Kind is liveperson.
	LivePerson *LivePersonConfig `yaml:"liveperson"`
}

// BudgetConfig is a request budget.
type BudgetConfig struct {
	Requests int      `yaml:"requests"`
	Per      Duration `yaml:"per"`
}

// Comm100Config is a Comm100 Live Chat account (API v4).
type Comm100Config struct {
	// BaseURL is the API base including the version, e.g. https://api15.comm100.io/v4.
	BaseURL string `yaml:"base_url"`
	// TokenURL is the OAuth endpoint, e.g. https://dash15.comm100.io/oauth/token. Only
	// for OAuth (client_id + password).
	TokenURL string `yaml:"token_url"`
	// SiteID is the Comm100 site id.
	SiteID int `yaml:"site_id"`
	// Email is the agent login used for the API.
	Email string `yaml:"email"`
	// APIKey selects API-key auth (HTTP Basic + siteId).
	APIKey string `yaml:"api_key"`
	// ClientID and Password select OAuth password-grant auth (recommended by Comm100).
	ClientID string `yaml:"client_id"`
	Password string `yaml:"password"`
}

// Duration is a time.Duration written as "10s" in YAML.
type Duration time.Duration

// UnmarshalYAML parses Go duration syntax.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("not a duration (use e.g. 10s, 5m): %q", n.Value)
	}
	*d = Duration(v)
	return nil
}

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// envRef matches ${NAME} references, expanded from the environment so secrets can stay
// out of the file. Only this form is expanded: a "$" inside a password stays as is.
var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// The marker a reference becomes before parsing; names hold no '.', so it is unambiguous.
const envMarkPrefix, envMarkSuffix = "CCDASHENV.", ".END"

var envMark = regexp.MustCompile(`CCDASHENV\.([A-Za-z_][A-Za-z0-9_]*)\.END`)

// LoadConfig reads and validates the config file at path.
func LoadConfig(path string, getenv func(string) string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return ParseConfig(raw, getenv)
}

// ParseConfig parses and validates a config file's bytes. ${NAME} references are
// expanded after parsing, inside scalar values only, so a secret holding YAML syntax
// ("#", ": ", quotes, "*", newlines) is taken literally: it cannot truncate, inject keys
// or reach a parse error.
func ParseConfig(raw []byte, getenv func(string) string) (*Config, error) {
	// "${" and "}" are YAML flow indicators: `{api_key: ${KEY}}` would not parse. Each
	// reference becomes a marker made of plain-scalar characters first; expandEnv then
	// replaces markers inside values.
	raw = envRef.ReplaceAll(raw, []byte(envMarkPrefix+"$1"+envMarkSuffix))
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("config: %s", yamlMessage(err))
	}
	var c Config
	if doc.Kind == 0 { // empty file: the demo
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		return &c, nil
	}
	var missing, secrets []string
	expandEnv(&doc, false, getenv, &missing, &secrets)
	if len(missing) > 0 {
		return nil, fmt.Errorf("config: environment variable %s is referenced but not set", strings.Join(missing, ", "))
	}
	// yaml.v3's Node.Decode cannot reject unknown keys, so the expanded tree goes back
	// through a Decoder with KnownFields.
	expanded, err := yaml.Marshal(&doc)
	if err != nil {
		return nil, fmt.Errorf("config: %s", redactAll(yamlMessage(err), secrets))
	}
	dec := yaml.NewDecoder(bytes.NewReader(expanded))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config: %s", redactAll(yamlMessage(err), secrets))
	}
	if err := c.Validate(); err != nil {
		if msg := err.Error(); redactAll(msg, secrets) != msg {
			return nil, fmt.Errorf("config: %s", redactAll(msg, secrets))
		}
		return nil, fmt.Errorf("config: %w", err)
	}
	return &c, nil
}

// expandEnv replaces ${NAME} in scalar values (never keys), collecting unset names and
// the substituted values (so errors can redact them).
func expandEnv(n *yaml.Node, isKey bool, getenv func(string) string, missing, secrets *[]string) {
	switch n.Kind {
	case yaml.ScalarNode:
		if isKey {
			// Keys are never expanded: put back what the user wrote.
			n.Value = envMark.ReplaceAllString(n.Value, "$${$1}")
			return
		}
		if !envMark.MatchString(n.Value) {
			return
		}
		n.Value = envMark.ReplaceAllStringFunc(n.Value, func(m string) string {
			name := envMark.FindStringSubmatch(m)[1]
			v := getenv(name)
			if v == "" {
				*missing = append(*missing, name)
			}
			*secrets = append(*secrets, v)
			return v
		})
		// A plain ${SITE_ID} may still hold a number; anything else stays a string,
		// emitted double-quoted so every byte survives the round trip.
		if n.Style == 0 && isPlainNumber(n.Value) {
			n.Tag = ""
			return
		}
		n.Tag, n.Style = "!!str", yaml.DoubleQuotedStyle
	case yaml.MappingNode:
		for i, c := range n.Content {
			expandEnv(c, i%2 == 0, getenv, missing, secrets)
		}
	default:
		for _, c := range n.Content {
			expandEnv(c, false, getenv, missing, secrets)
		}
	}
}

var plainNumber = regexp.MustCompile(`^-?[0-9]+$`)

func isPlainNumber(s string) bool { return plainNumber.MatchString(s) }

// redactAll hides substituted environment values in an error message, including the
// shortened form yaml.v3 quotes in type errors (cannot unmarshal !!str `abcdefg...`).
func redactAll(msg string, secrets []string) string {
	msg = yamlQuoted.ReplaceAllStringFunc(msg, func(q string) string {
		shown := strings.TrimSuffix(strings.Trim(q, "`"), "...")
		for _, s := range secrets {
			if shown != "" && strings.Contains(s, shown) {
				return "`[redacted]`"
			}
		}
		return q
	})
	for _, s := range secrets {
		if len(s) >= 3 {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	return msg
}

var yamlQuoted = regexp.MustCompile("`[^`]*`")

// yamlMessage keeps yaml's line-numbered messages on one line.
func yamlMessage(err error) string {
	return strings.ReplaceAll(strings.TrimPrefix(err.Error(), "yaml: "), "\n", "; ")
}

// keyError names the offending key.
type keyError struct {
	Key, Reason string
}

func (e *keyError) Error() string { return e.Key + ": " + e.Reason }

func bad(key, format string, a ...any) error {
	return &keyError{Key: key, Reason: fmt.Sprintf(format, a...)}
}

// Validate checks the whole config and fills defaults; the first problem is returned
// with the key that holds it.
func (c *Config) Validate() error {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	switch c.LogLevel {
	case "", "debug", "info", "warn", "error":
	default:
		return bad("log_level", "must be debug, info, warn or error (got %q)", c.LogLevel)
	}
	if c.PublicURL != "" {
		if err := checkURL(c.PublicURL); err != nil {
			return bad("public_url", "%v", err)
		}
	}
	ids := map[string]bool{}
	for i := range c.Sources {
		s := &c.Sources[i]
		key := fmt.Sprintf("sources[%d]", i)
		if err := s.validate(key); err != nil {
			return err
		}
		if ids[s.ID] {
			return bad(key+".id", "duplicate source id %q", s.ID)
		}
		ids[s.ID] = true
	}
	if err := c.validateBoards(); err != nil {
		return err
	}
	return c.validateAuth()
}

func (s *SourceConfig) validate(key string) error {
	switch s.Kind {
	case "comm100", "liveperson":
	case "":
		return bad(key+".kind", "missing (comm100 or liveperson)")
	default:
		return bad(key+".kind", "unknown kind %q (comm100 or liveperson)", s.Kind)
	}
	if s.ID == "" {
		s.ID = s.Kind
	}
	if !validID(s.ID) {
		return bad(key+".id", "%q: use letters, digits, '-' and '_'", s.ID)
	}
	if s.Interval == 0 {
		s.Interval = Duration(10 * time.Second)
	}
	if s.Interval.D() < time.Second {
		return bad(key+".interval", "must be at least 1s (got %s)", s.Interval.D())
	}
	if s.Timeout < 0 || (s.Timeout > 0 && s.Timeout.D() < 100*time.Millisecond) {
		return bad(key+".timeout", "must be at least 100ms (got %s)", s.Timeout.D())
	}
	if s.Budget.Requests < 0 || s.Budget.Per < 0 {
		return bad(key+".budget", "requests and per must not be negative")
	}
	if (s.Budget.Requests == 0) != (s.Budget.Per == 0) {
		return bad(key+".budget", "set both requests and per, or neither")
	}
	switch s.Kind {
	case "comm100":
		if s.LivePerson != nil {
			return bad(key+".liveperson", "not allowed for kind comm100")
		}
		if s.Comm100 == nil {
			return bad(key+".comm100", "missing (base_url, site_id, email and api_key or client_id+password)")
		}
		return s.Comm100.validate(key + ".comm100")
	default:
		if s.Comm100 != nil {
			return bad(key+".comm100", "not allowed for kind liveperson")
		}
		if s.LivePerson == nil {
			return bad(key+".liveperson", "missing (account_id and API key or OAuth 2 credentials)")
		}
		return s.LivePerson.validate(key + ".liveperson")
	}
}

func (c *Comm100Config) validate(key string) error {
	if c.BaseURL == "" {
		return bad(key+".base_url", "missing (e.g. https://api15.comm100.io/v4)")
	}
	if err := checkURL(c.BaseURL); err != nil {
		return bad(key+".base_url", "%v", err)
	}
	if c.SiteID <= 0 {
		return bad(key+".site_id", "missing or not a positive number")
	}
	if c.Email == "" {
		return bad(key+".email", "missing (the agent login the API acts as)")
	}
	apiKey := c.APIKey != ""
	oauth := c.ClientID != "" || c.Password != ""
	switch {
	case apiKey && oauth:
		return bad(key+".api_key", "set either api_key or client_id+password, not both")
	case !apiKey && !oauth:
		return bad(key+".api_key", "missing credentials: set api_key, or client_id and password")
	case oauth && c.ClientID == "":
		return bad(key+".client_id", "missing (OAuth needs client_id and password)")
	case oauth && c.Password == "":
		return bad(key+".password", "missing (OAuth needs client_id and password)")
	case oauth && c.TokenURL == "":
		return bad(key+".token_url", "missing (OAuth token endpoint, e.g. https://dash15.comm100.io/oauth/token)")
	}
	if c.TokenURL != "" {
		if err := checkURL(c.TokenURL); err != nil {
			return bad(key+".token_url", "%v", err)
		}
	}
	return nil
}

// checkURL accepts absolute http(s) URLs only. Errors show the URL without userinfo
// or query, which may hold credentials.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		if u.Opaque != "" { // "user:pass@host" parses as scheme "user"
			return fmt.Errorf("must start with https:// (got scheme %q)", u.Scheme)
		}
		return fmt.Errorf("must start with https:// (got %q)", redactedURL(u))
	}
	if u.Host == "" {
		return fmt.Errorf("has no host: %q", redactedURL(u))
	}
	return nil
}

func redactedURL(u *url.URL) string {
	r := *u
	r.User, r.RawQuery, r.ForceQuery, r.Fragment, r.RawFragment = nil, "", false, "", ""
	return r.String()
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

func validID(s string) bool { return idPattern.MatchString(s) }
