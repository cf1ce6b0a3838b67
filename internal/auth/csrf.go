package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"mime"
	"net/http"

	"github.com/alexedwards/scs/v2"
)

// CSRFFormField and CSRFHeader are where RequireCSRF looks for the token.
const (
	CSRFFormField = "csrf_token"
	CSRFHeader    = "X-CSRF-Token"
)

// CSRFCookieName holds the random nonce every form token is bound to.
const CSRFCookieName = "ccdash_csrf"

// maxFormBytes caps the body RequireCSRF parses to find the token; ccdash's forms are a
// few fields.
const maxFormBytes = 64 << 10

// csrfMAC prefixes what is signed, so a MAC made with the same key for another purpose
// can never pass as a CSRF token.
const csrfMAC = "ccdash/csrf/v1\x00"

type csrfCtxKey struct{}

// csrfState is what RequireCSRF hands CSRFToken through the request context.
type csrfState struct {
	w     http.ResponseWriter
	key   []byte
	sm    *scs.SessionManager
	nonce string // from the cookie, or new
	fresh bool   // nonce not yet sent as a cookie
}

// CSRFToken returns the token to put in a form's hidden csrf_token field. It is a signed
// double-submit token: HMAC(key, nonce, session token) where the nonce lives in the
// ccdash_csrf cookie, so no server state is made for anyone (an anonymous visitor's
// login form stores nothing). It sets the cookie on first use; call it before writing
// the response. It returns "" outside RequireCSRF.
func CSRFToken(ctx context.Context) string {
	st, ok := ctx.Value(csrfCtxKey{}).(*csrfState)
	if !ok {
		return ""
	}
	if st.fresh {
		st.fresh = false
		http.SetCookie(st.w, &http.Cookie{
			Name: CSRFCookieName, Value: st.nonce, Path: "/",
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: st.sm.Cookie.Secure,
		})
	}
	return csrfSum(st.key, st.nonce, st.sm.Token(ctx))
}

// csrfSum binds the nonce to the session token ("" before sign-in): a token taken from
// one session is worthless in another, even with the nonce cookie planted.
func csrfSum(key []byte, nonce, sessionToken string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(csrfMAC))
	m.Write([]byte(nonce))
	m.Write([]byte{0})
	m.Write([]byte(sessionToken))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// newRandomToken returns 32 bytes from crypto/rand, base64url without padding.
// crypto/rand.Read never fails (Go 1.24+ aborts the process instead).
func newRandomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// wellFormedNonce accepts what newRandomToken makes and nothing else.
func wellFormedNonce(s string) bool {
	if len(s) != 43 {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil && len(b) == 32
}

// RequireCSRF returns middleware that refuses state-changing requests (any method but
// GET, HEAD, OPTIONS, TRACE) with 403 unless they carry, in the csrf_token form field or
// the X-CSRF-Token header, the token CSRFToken made for their ccdash_csrf cookie and
// session, and are not cross-origin by Sec-Fetch-Site/Origin (http.CrossOriginProtection,
// a second, independent check). key (at least MinKeyBytes; keep it across restarts so
// open forms still work) signs the tokens. It must run inside sm.LoadAndSave. Form
// bodies are capped at 64 KiB.
func RequireCSRF(key []byte, sm *scs.SessionManager) func(http.Handler) http.Handler {
	if len(key) < MinKeyBytes {
		panic("auth: RequireCSRF: key shorter than MinKeyBytes")
	}
	cop := http.NewCrossOriginProtection()
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			st := &csrfState{w: w, key: key, sm: sm}
			if c, err := r.Cookie(CSRFCookieName); err == nil && wellFormedNonce(c.Value) {
				st.nonce = c.Value
			}
			switch r.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
				if st.nonce == "" {
					st.nonce, st.fresh = newRandomToken(), true
				}
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), csrfCtxKey{}, st)))
				return
			}
			if err := cop.Check(r); err != nil {
				http.Error(w, "forbidden: cross-origin request", http.StatusForbidden)
				return
			}
			got := submittedCSRF(w, r)
			switch {
			case st.nonce == "":
				http.Error(w, "forbidden: no CSRF cookie; reload the page (cookies must be enabled)", http.StatusForbidden)
			case got == "":
				http.Error(w, "forbidden: missing CSRF token", http.StatusForbidden)
			case !hmac.Equal([]byte(got), []byte(csrfSum(key, st.nonce, sm.Token(r.Context())))):
				// Forged, or made for a session that has ended since the form was shown.
				http.Error(w, "forbidden: invalid CSRF token; reload the page", http.StatusForbidden)
			default:
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), csrfCtxKey{}, st)))
			}
		})
	}
}

// submittedCSRF returns the token from the header, or else from a form body.
func submittedCSRF(w http.ResponseWriter, r *http.Request) string {
	if tok := r.Header.Get(CSRFHeader); tok != "" {
		return tok
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" && ct != "multipart/form-data" {
		return ""
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	// PostFormValue parses the body once; the handler then reads r.PostForm as usual.
	// Only the body counts: a token in the URL would leak through logs and Referer.
	return r.PostFormValue(CSRFFormField)
}
