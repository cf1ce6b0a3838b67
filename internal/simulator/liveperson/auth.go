package liveperson

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
)

// lpClockSkew is how far an OAuth 1.0 timestamp may be from the server clock.
const lpClockSkew = 5 * time.Minute

// lpAuthorized checks a LivePerson data call: an OAuth 1.0 signature made with the
// account's API key (verified for real: base string, HMAC-SHA1, timestamp window —
// written here independently of the connector's signer in internal/poller/liveperson
// on purpose: sharing the code would let one bug sign and accept the same wrong
// signature, and the tests would never see it),
// or a live Sentinel bearer token.
func (s *server) lpAuthorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	acct := s.cfg.LivePerson
	if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
		return s.tokens.Valid(tok, s.clock())
	}
	rest, ok := strings.CutPrefix(h, "OAuth ")
	if !ok || acct.ConsumerKey == "" {
		return false
	}
	p := parseOAuthHeader(rest)
	if !simulator.SecretEqual(p["oauth_consumer_key"], acct.ConsumerKey) || !simulator.SecretEqual(p["oauth_token"], acct.Token) ||
		p["oauth_signature_method"] != "HMAC-SHA1" || p["oauth_nonce"] == "" {
		return false
	}
	ts, err := strconv.ParseInt(p["oauth_timestamp"], 10, 64)
	if err != nil {
		return false
	}
	if d := s.clock().Sub(time.Unix(ts, 0)); d > lpClockSkew || d < -lpClockSkew {
		return false
	}
	params := url.Values{}
	for k, v := range r.URL.Query() {
		params[k] = v
	}
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		body, _ := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<20))
		form, _ := url.ParseQuery(string(body))
		for k, v := range form {
			params[k] = append(params[k], v...)
		}
	}
	for k, v := range p {
		if k != "oauth_signature" && k != "realm" {
			params.Add(k, v)
		}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := strings.ToUpper(r.Method) + "&" + pctEncode(scheme+"://"+strings.ToLower(r.Host)+r.URL.EscapedPath()) + "&" + pctEncode(normParams(params))
	mac := hmac.New(sha1.New, []byte(pctEncode(acct.ConsumerSecret)+"&"+pctEncode(acct.TokenSecret)))
	mac.Write([]byte(base))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(p["oauth_signature"]))
}

// parseOAuthHeader reads `k="v", k2="v2"` with percent-decoded values.
func parseOAuthHeader(s string) map[string]string {
	out := map[string]string{}
	for part := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		if dv, err := url.PathUnescape(v); err == nil {
			v = dv
		}
		out[k] = v
	}
	return out
}

func normParams(p url.Values) string {
	var pairs []string
	for k, vs := range p {
		for _, v := range vs {
			pairs = append(pairs, pctEncode(k)+"="+pctEncode(v))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

// pctEncode is RFC 5849 §3.6 percent-encoding.
func pctEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
	}
	return b.String()
}

// lpAuth wraps an LP data handler: 401 unless authorized, 404 for another account.
func (s *server) lpAuth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("account") != s.cfg.LivePerson.AccountID {
			simulator.WriteError(w, http.StatusUnauthorized, "unknown site")
			return
		}
		if !s.lpAuthorized(r) {
			simulator.WriteError(w, http.StatusUnauthorized, "unauthorized")
			return
		}
		next(w, r)
	}
}

// handleLPDomain serves the Domain API: every service lives on this simulator.
func (s *server) handleLPDomain(w http.ResponseWriter, r *http.Request) {
	acct := r.PathValue("account")
	if acct != s.cfg.LivePerson.AccountID {
		simulator.WriteError(w, http.StatusUnauthorized, "unknown site")
		return
	}
	entry := func(svc string) map[string]string {
		return map[string]string{"service": svc, "account": acct, "baseURI": r.Host}
	}
	if svc := r.PathValue("service"); svc != "" {
		simulator.WriteJSON(w, http.StatusOK, entry(svc))
		return
	}
	var list []map[string]string
	for _, svc := range []string{"leDataReporting", "msgEwtAPI", "agentManagerWorkspace", "msgHist", "engHistDomain", "sentinel", "accountConfigReadOnly", "agentVep"} {
		list = append(list, entry(svc))
	}
	simulator.WriteJSON(w, http.StatusOK, map[string]any{"baseURIs": list})
}

// handleLPToken is Sentinel v2 client credentials.
func (s *server) handleLPToken(w http.ResponseWriter, r *http.Request) {
	acct := s.cfg.LivePerson
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		simulator.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	if r.PathValue("account") != acct.AccountID || !simulator.SecretEqual(r.PostForm.Get("client_id"), acct.ClientID) ||
		!simulator.SecretEqual(r.PostForm.Get("client_secret"), acct.ClientSecret) {
		simulator.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	ttl := acct.TokenTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	tok := s.tokens.Issue(ttl, false, s.clock())
	simulator.WriteJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(ttl / time.Second)})
}
