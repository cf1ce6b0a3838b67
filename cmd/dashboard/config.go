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

	"github.com/ccdash/ccdash/internal/field"
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
	// Playlists are boards shown in turn on the devices bound to them
	// (config_playlists.go). Empty means none but those made on /admin/screens.
	Playlists []PlaylistConfig `yaml:"playlists"`

	// Users may sign in. Empty means nobody (the demo makes an admin at start-up).
	Users []UserConfig `yaml:"users"`
	// Sessions bounds signed-in sessions.
	Sessions SessionConfig `yaml:"sessions"`
	// RedisURL makes this server one replica of a fleet sharing Redis: one poller for
	// all, sessions and stores in Redis (redis://, rediss:// or
	// redis+sentinel://host:port,…/db?master=name). Empty means a single replica.
	RedisURL string `yaml:"redis_url"`
	// Cluster tunes the replicas' leader lease (config_cluster.go).
	Cluster ClusterConfig `yaml:"cluster"`
	// TrustProxy believes the reverse proxy's X-Forwarded-Proto (Secure cookies) and
	// X-Forwarded-For (login throttling per address). Default false.
	TrustProxy bool `yaml:"trust_proxy"`
	// EmbedKey signs embed links: base64, at least 32 bytes. Empty means a key made
	// on first start and kept in data_dir/embed.key.
	EmbedKey string `yaml:"embed_key"`
	// EmbedOrigins may frame embed links (scheme://host[:port]). Empty means none but
	// this server itself.
	EmbedOrigins []string `yaml:"embed_origins"`
	// History says how long the floor is remembered (data_dir/history.db).
	History HistoryConfig `yaml:"history"`

	// HTTP holds the server's timeouts and connection limits (config_http.go).
	HTTP HTTPConfig `yaml:"http"`
	// MetricsToken is the bearer token that opens /metrics to other hosts. Empty means
	// /metrics answers loopback only.
	MetricsToken string `yaml:"metrics_token"`
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
			return nil, configError(err, nil)
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
		return nil, configError(err, secrets)
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
// yaml's words for Go types ("not found in type main.SourceConfig") become the
// user's (unknown key).
func yamlMessage(err error) string {
	msg := strings.ReplaceAll(strings.TrimPrefix(err.Error(), "yaml: "), "\n", "; ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:;   ", "")
	msg = yamlUnknown.ReplaceAllString(msg, "unknown key $1")
	return strings.ReplaceAll(msg, "main.", "")
}

var yamlUnknown = regexp.MustCompile(`field (\S+) not found in type \S+`)

// Validate checks the whole config and fills defaults. It reports every problem, each
// a field error at its full YAML path (sources[0].liveperson.sla_target); the rules
// themselves live where they are owned and are only placed in the file here.
func (c *Config) Validate() error {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	var errs []error
	switch c.LogLevel {
	case "", "debug", "info", "warn", "error":
	default:
		errs = append(errs, field.Errorf("log_level", "must be debug, info, warn or error (got %q)", c.LogLevel))
	}
	if c.PublicURL != "" {
		errs = append(errs, field.Within("public_url", checkURL(c.PublicURL)))
	}
	errs = append(errs, c.validateSources(), c.validateBoards(), c.validatePlaylists(), c.validateAlerts(), c.validateAuth(), c.History.validate(), c.validateHTTP(), c.validateCluster())
	return errors.Join(errs...)
}

// configError is what ParseConfig returns: one "config: <yaml path>: <why>" line per
// problem, with substituted environment values redacted.
func configError(err error, secrets []string) error {
	var lines []string
	for _, line := range strings.Split(err.Error(), "\n") {
		lines = append(lines, "config: "+redactAll(line, secrets))
	}
	return errors.New(strings.Join(lines, "\n"))
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
