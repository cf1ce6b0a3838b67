package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
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

// maxFormBytes caps the body RequireCSRF parses to find the token; ccdash's forms are a
// few fields.
const maxFormBytes = 64 << 10

// CSRFToken returns the request session's CSRF token, creating it (32 random bytes,
// base64url) on first use. Put it in every form as a hidden csrf_token field. Creating it
// starts a session cookie for anonymous visitors too, which the login form needs.
func CSRFToken(ctx context.Context, sm *scs.SessionManager) string {
	if tok := sm.GetString(ctx, sessCSRF); tok != "" {
		return tok
	}
	tok := newRandomToken()
	sm.Put(ctx, sessCSRF, tok)
	return tok
}

// newRandomToken returns 32 bytes from crypto/rand, base64url without padding.
// crypto/rand.Read never fails (Go 1.24+ aborts the process instead).
func newRandomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// RequireCSRF returns middleware that refuses state-changing requests (any method but
// GET, HEAD, OPTIONS, TRACE) with 403 unless they carry the session's CSRF token in the
// csrf_token form field or the X-CSRF-Token header, and are not cross-origin by
// Sec-Fetch-Site/Origin (http.CrossOriginProtection, a second, independent check).
// It must run inside sm.LoadAndSave. Form bodies are capped at 64 KiB.
func RequireCSRF(sm *scs.SessionManager) func(http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
				next.ServeHTTP(w, r)
				return
			}
			if err := cop.Check(r); err != nil {
				http.Error(w, "forbidden: cross-origin request", http.StatusForbidden)
				return
			}
			want := sm.GetString(r.Context(), sessCSRF)
			got := submittedCSRF(w, r)
			switch {
			case want == "":
				// No token was ever issued to this session (expired session or a
				// forged post): nothing can match, and "" must never equal "".
				http.Error(w, "forbidden: session expired, reload the page", http.StatusForbidden)
			case got == "":
				http.Error(w, "forbidden: missing CSRF token", http.StatusForbidden)
			case subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1:
				http.Error(w, "forbidden: invalid CSRF token", http.StatusForbidden)
			default:
				next.ServeHTTP(w, r)
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
