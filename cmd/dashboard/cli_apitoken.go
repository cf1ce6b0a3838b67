package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
)

// scopeList collects repeated --scope flags.
type scopeList []string

func (s *scopeList) String() string { return strings.Join(*s, ",") }
func (s *scopeList) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// runAPIToken is `dashboard api-token create|list|revoke`: read-only tokens for
// integrations, kept hashed in data_dir like device tokens (so, like `token`, it
// works while the server is stopped; the admin page works while it runs), or in the
// fleet's Redis when redis_url is set.
func runAPIToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	usage := fmt.Errorf("usage: dashboard api-token create --name NAME --scope read|announce [--scope …] [--skills KEY,KEY] | api-token list | api-token revoke ID  [--config FILE] [--data-dir DIR]")
	if len(args) == 0 {
		return usage
	}
	var cc cliConfig
	fs := flag.NewFlagSet("api-token "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cc.flags(fs)
	name := fs.String("name", "", "create: who uses the token, e.g. \"Grafana\"")
	skills := fs.String("skills", "", "create: comma-separated skill keys the token may read; empty means all")
	var scopes scopeList
	fs.Var(&scopes, "scope", "create: what the token may do ("+strings.Join(auth.APIScopes, ", ")+"); repeat for several")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch {
	case args[0] == "create" && (fs.NArg() != 0 || *name == "" || len(scopes) == 0):
		return fmt.Errorf("api-token create: --name and --scope are required")
	case args[0] == "list" && fs.NArg() != 0, args[0] == "revoke" && fs.NArg() != 1:
		return usage
	case args[0] != "create" && args[0] != "list" && args[0] != "revoke":
		return usage
	}
	cfg, _, err := cc.load(getenv)
	if err != nil {
		return err
	}
	st, err := openCLIStores(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	store := st.apiTokens
	switch args[0] {
	case "create":
		var keys []string
		for _, k := range strings.Split(*skills, ",") {
			if k = strings.TrimSpace(k); k != "" {
				keys = append(keys, k)
			}
		}
		return apiTokenCreateCmd(ctx, store, *name, scopes, keys, stdout)
	case "list":
		return apiTokenListCmd(ctx, store, stdout)
	}
	if err := store.RevokeAPIToken(ctx, fs.Arg(0)); err != nil {
		return fmt.Errorf("api-token revoke: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "Revoked API token %s; requests with it now get 401.\n", fs.Arg(0))
	return err
}

func apiTokenCreateCmd(ctx context.Context, store auth.APITokenStore, name string, scopes, skills []string, out io.Writer) error {
	tok, secret, err := store.CreateAPIToken(ctx, name, scopes, skills)
	if err != nil {
		return fmt.Errorf("api-token create: %w", err)
	}
	which := "every skill"
	if len(tok.Skills) > 0 {
		which = strings.Join(tok.Skills, ", ")
	}
	_, err = fmt.Fprintf(out, "Created API token %s (%q), scopes %s, for %s.\n"+
		"Send it as \"Authorization: Bearer <token>\"; it is shown only now:\n\n  %s\n\n"+
		"Revoke with: dashboard api-token revoke %s\n", tok.ID, tok.Name, strings.Join(tok.Scopes, ","), which, secret, tok.ID)
	return err
}

func apiTokenListCmd(ctx context.Context, store auth.APITokenStore, out io.Writer) error {
	toks, err := store.ListAPITokens(ctx)
	if err != nil {
		return fmt.Errorf("api-token list: %w", err)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSCOPES\tSKILLS\tCREATED\tSTATUS")
	for _, t := range toks {
		skills, status := strings.Join(t.Skills, ","), "active"
		if skills == "" {
			skills = "all"
		}
		if t.Revoked {
			status = "revoked"
		}
		fmt.Fprintf(tw, "%s\t%q\t%s\t%s\t%s\t%s\n", t.ID, t.Name, strings.Join(t.Scopes, ","), skills, t.CreatedAt.UTC().Format(time.RFC3339), status)
	}
	return tw.Flush()
}
