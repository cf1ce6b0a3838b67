package liveperson

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// oauth1 signs requests with a LivePerson API key: OAuth 1.0 (RFC 5849) HMAC-SHA1,
// the signature in the Authorization header. Query parameters and form-encoded bodies
// are part of the signature base string; JSON bodies are not (RFC 5849 §3.4.1.3.1
// only covers application/x-www-form-urlencoded, and LivePerson verifies it that way).
type oauth1 struct {
	consumerKey    string // LivePerson "App key"
	consumerSecret string // "Secret"
	token          string // "Access token"
	tokenSecret    string // "Access token secret"
	// now is the clock for oauth_timestamp. Nil means time.Now.
	now func() time.Time
	// nonce returns a fresh oauth_nonce. Nil means 16 random bytes in hex.
	nonce func() string
}

// sign adds the Authorization header to req. It reads and restores a form body.
func (o *oauth1) sign(req *http.Request) error {
	now := time.Now
	if o.now != nil {
		now = o.now
	}
	nonce := o.nonce
	if nonce == nil {
		nonce = randomNonce
	}
	oauth := map[string]string{
		"oauth_consumer_key":     o.consumerKey,
		"oauth_token":            o.token,
		"oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp":        strconv.FormatInt(now().Unix(), 10),
		"oauth_nonce":            nonce(),
		"oauth_version":          "1.0",
	}
	params, err := requestParams(req)
	if err != nil {
		return fmt.Errorf("oauth1: %w", err)
	}
	for k, v := range oauth {
		params.Add(k, v)
	}
	base := oauth1BaseString(req.Method, req.URL, params)
	oauth["oauth_signature"] = oauth1Signature(base, o.consumerSecret, o.tokenSecret)

	keys := make([]string, 0, len(oauth))
	for k := range oauth {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("OAuth ")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `%s="%s"`, percentEncode(k), percentEncode(oauth[k]))
	}
	req.Header.Set("Authorization", b.String())
	return nil
}

// requestParams collects the query parameters and, for form-encoded bodies, the body
// parameters (RFC 5849 §3.4.1.3.1). The body is put back for sending.
func requestParams(req *http.Request) (url.Values, error) {
	params := url.Values{}
	for k, vs := range req.URL.Query() {
		params[k] = append(params[k], vs...)
	}
	ct, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" || req.Body == nil || req.Body == http.NoBody {
		return params, nil
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading form body: %w", err)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("parsing form body: %w", err)
	}
	for k, vs := range form {
		params[k] = append(params[k], vs...)
	}
	return params, nil
}

// oauth1BaseString builds the RFC 5849 §3.4.1 signature base string from the method,
// the request URL (its query is ignored: pass query parameters in params) and every
// parameter to sign except oauth_signature and realm.
func oauth1BaseString(method string, u *url.URL, params url.Values) string {
	type pair struct{ k, v string }
	var pairs []pair
	for k, vs := range params {
		if k == "oauth_signature" || k == "realm" {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, pair{percentEncode(k), percentEncode(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	norm := make([]string, len(pairs))
	for i, p := range pairs {
		norm[i] = p.k + "=" + p.v
	}
	return strings.ToUpper(method) + "&" + percentEncode(baseURI(u)) + "&" + percentEncode(strings.Join(norm, "&"))
}

// baseURI is the RFC 5849 §3.4.1.2 base string URI: lower-case scheme and host,
// default ports dropped, no query or fragment.
func baseURI(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port != "" && !(scheme == "http" && port == "80") && !(scheme == "https" && port == "443") {
		host += ":" + port
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path
}

// oauth1Signature is HMAC-SHA1 of base keyed by the encoded secrets (RFC 5849 §3.4.2),
// base64-encoded.
func oauth1Signature(base, consumerSecret, tokenSecret string) string {
	mac := hmac.New(sha1.New, []byte(percentEncode(consumerSecret)+"&"+percentEncode(tokenSecret)))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// percentEncode is RFC 5849 §3.6 encoding: everything but ALPHA, DIGIT, '-', '.',
// '_' and '~' becomes %XX with upper-case hex (url.QueryEscape differs on ' ' and '~').
func percentEncode(s string) string {
	const hexdig = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdig[c>>4])
		b.WriteByte(hexdig[c&15])
	}
	return b.String()
}

func randomNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}
