package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/views"
)

// handleAPITokens lists integrations' API tokens (admins).
func (s *Server) handleAPITokens(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	s.renderAPITokens(w, r, http.StatusOK, p, views.APITokensPageProps{})
}

// handleAPITokenCreate makes a token and shows its secret once.
func (s *Server) handleAPITokenCreate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	if s.opts.APITokens == nil {
		s.renderAPITokens(w, r, http.StatusServiceUnavailable, p, views.APITokensPageProps{Error: "API tokens are not enabled on this server."})
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	var skills []string
	for _, k := range strings.Split(r.PostFormValue("skills"), ",") {
		if k = strings.TrimSpace(k); k != "" && k != "all" {
			skills = append(skills, k)
		}
	}
	tok, secret, err := s.opts.APITokens.CreateAPIToken(r.Context(), name, []string{r.PostFormValue("scope")}, skills)
	if errors.Is(err, auth.ErrInvalidAPIToken) {
		s.renderAPITokens(w, r, http.StatusBadRequest, p, views.APITokensPageProps{Error: "The token was not created: " + strings.TrimPrefix(err.Error(), auth.ErrInvalidAPIToken.Error()+": ") + "."})
		return
	}
	if err != nil {
		s.failHTML(w, r, failed("Creating the API token failed.", fmt.Errorf("create API token: %w", err)))
		return
	}
	s.log.Info("API token created", "token", tok.ID, "scopes", tok.Scopes, "skills", tok.Skills, "by", p.Name)
	s.renderAPITokens(w, r, http.StatusOK, p, views.APITokensPageProps{NewToken: secret, NewName: tok.Name})
}

// handleAPITokenRevoke revokes one token: its next request gets 401.
func (s *Server) handleAPITokenRevoke(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	if s.opts.APITokens == nil {
		s.failHTML(w, r, refuse(errNotFound, "API tokens are not enabled on this server."))
		return
	}
	id := chi.URLParam(r, "id")
	err := s.opts.APITokens.RevokeAPIToken(r.Context(), id)
	if errors.Is(err, auth.ErrUnknownAPIToken) {
		s.renderAPITokens(w, r, http.StatusNotFound, p, views.APITokensPageProps{Error: "There is no such API token."})
		return
	}
	if err != nil {
		s.failHTML(w, r, failed("Revoking the API token failed.", fmt.Errorf("revoke API token %s: %w", id, err)))
		return
	}
	s.log.Info("API token revoked", "token", id, "by", p.Name)
	http.Redirect(w, r, "/admin/api-tokens", http.StatusSeeOther)
}

func (s *Server) renderAPITokens(w http.ResponseWriter, r *http.Request, code int, p auth.Principal, props views.APITokensPageProps) {
	props.CSRF, props.User, props.Version, props.Scopes = auth.CSRFToken(r.Context()), p.Name, s.opts.Build.String(), auth.APIScopes
	if s.opts.APITokens != nil {
		toks, err := s.opts.APITokens.ListAPITokens(r.Context())
		if err != nil {
			s.failHTML(w, r, failed("Listing API tokens failed.", fmt.Errorf("list API tokens: %w", err)))
			return
		}
		for _, t := range toks {
			skills := strings.Join(t.Skills, ", ")
			if skills == "" {
				skills = "all"
			}
			props.Tokens = append(props.Tokens, views.APITokenRow{ID: t.ID, Name: t.Name, Scopes: strings.Join(t.Scopes, ", "), Skills: skills,
				Created: t.CreatedAt.UTC().Format(time.RFC3339), CreatedMS: strconv.FormatInt(t.CreatedAt.UnixMilli(), 10), Revoked: t.Revoked})
		}
	}
	s.renderHTML(w, r, code, views.APITokensPage(props))
}
