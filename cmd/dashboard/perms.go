package main

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// secretKeys are the config keys whose values are secrets (see the README's Security
// section); redis_url only when it holds a password.
var secretKeys = []string{
	"embed_key", "password_hash", "metrics_token", "password", "api_key", "secret",
	"access_token", "access_token_secret", "client_secret", "redis_url",
}

// onlyEnvRef is a value that is one ${NAME} reference: the secret is not in the file.
var onlyEnvRef = regexp.MustCompile(`^\$\{[A-Za-z_][A-Za-z0-9_]*\}$`)

// warnConfigPerms logs a warning when the config file at path can be read by other
// users and holds secrets written into it (not ${ENV} references). It only warns: a
// config readable by a group may be deliberate, and nothing is lost by starting.
func warnConfigPerms(path string, log *slog.Logger) {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o044 == 0 {
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return
	}
	var doc yaml.Node
	if yaml.Unmarshal(raw, &doc) != nil {
		return
	}
	var keys []string
	literalSecrets(&doc, "", &keys)
	if len(keys) == 0 {
		return
	}
	log.Warn(fmt.Sprintf("config file %s is readable by other users (mode %04o) and holds secrets in %s: "+
		"chmod 600 it, or move them to ${ENV} references", path, fi.Mode().Perm(), strings.Join(keys, ", ")))
}

// literalSecrets appends the YAML paths of secret keys with a literal value under n.
func literalSecrets(n *yaml.Node, path string, keys *[]string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			literalSecrets(c, path, keys)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			literalSecrets(c, path+"["+strconv.Itoa(i)+"]", keys)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			p := k
			if path != "" {
				p = path + "." + k
			}
			if v.Kind == yaml.ScalarNode && slices.Contains(secretKeys, k) && isLiteralSecret(k, v.Value) {
				*keys = append(*keys, p)
			}
			literalSecrets(v, p, keys)
		}
	}
}

func isLiteralSecret(key, v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || onlyEnvRef.MatchString(v) {
		return false
	}
	if key == "redis_url" {
		// redis://user:password@host — only the part before @ is secret.
		at := strings.LastIndex(v, "@")
		return at >= 0 && strings.Contains(v[:at], ":") && !onlyEnvRef.MatchString(v[strings.LastIndex(v[:at], ":")+1:at])
	}
	return true
}

// checkNotWritableByOthers refuses path (the data_dir, or a key or state file in it)
// when users other than its owner may write it (for a directory: write by all; for
// a file: by its group or all). Whoever can write there can plant sessions, device
// tokens or a signing key of their own.
func checkNotWritableByOthers(path, what string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return nil // not made yet: ccdash creates it owner-only
	}
	mask := fs.FileMode(0o022)
	if fi.IsDir() {
		mask = 0o002
	}
	if perm := fi.Mode().Perm(); perm&mask != 0 {
		return fmt.Errorf("%s %s is writable by other users (mode %04o), so they could plant sessions or keys; "+
			"make it owner-only (chmod %s %s) and start again", what, path, perm, map[bool]string{true: "700", false: "600"}[fi.IsDir()], path)
	}
	return nil
}
