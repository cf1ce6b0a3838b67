package server

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
)

// operatorRequest reports whether r may read what is for the operator (/metrics, the
// details of /readyz): a request with the bearer token metrics_token, or one from
// loopback that no proxy forwarded (a reverse proxy on the same machine connects
// from loopback on behalf of anyone, and says so in a forwarding header).
func (s *Server) operatorRequest(r *http.Request) bool {
	if tok := s.opts.MetricsToken; tok != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(tok)) == 1 {
			return true
		}
	}
	for _, h := range []string{"X-Forwarded-For", "Forwarded", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	ip := net.ParseIP(hostOf(r.RemoteAddr))
	return ip != nil && ip.IsLoopback()
}

// operatorOnly guards /metrics: open on loopback, the bearer token elsewhere.
func (s *Server) operatorOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case s.operatorRequest(r):
			next.ServeHTTP(w, r)
		case s.opts.MetricsToken == "":
			s.failJSON(w, r, refuse(errForbidden, "metrics are served on loopback only; set metrics_token to read them from elsewhere"))
		default:
			w.Header().Set("WWW-Authenticate", `Bearer realm="ccdash metrics"`)
			s.failJSON(w, r, refuse(errSignIn, "send the metrics_token as Authorization: Bearer <token>"))
		}
	})
}
