package liveperson

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestOAuth1BaseStringRFC5849(t *testing.T) {
	t.Parallel()
	// RFC 5849 §3.4.1.1: query and form-body parameters, repeated names, encoded
	// characters; the protocol parameters come from the Authorization header.
	u, _ := url.Parse("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b")
	params := u.Query()
	params.Add("c2", "")
	params.Add("a3", "2 q")
	for k, v := range map[string]string{
		"oauth_consumer_key": "9djdj82h48djs9d2", "oauth_token": "kkk9d7dh3k39sjv7",
		"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "137131201", "oauth_nonce": "7d8f3e4a",
		"oauth_signature": "ignored", "realm": "Example",
	} {
		params.Add(k, v)
	}
	got := oauth1BaseString("POST", u, params)
	want := "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q" +
		"%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_" +
		"key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m" +
		"ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk" +
		"9d7dh3k39sjv7"
	if got != want {
		t.Errorf("base string:\n got %s\nwant %s", got, want)
	}
}

func TestOAuth1SignatureVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		version bool
		ts      string
		nonce   string
		want    string
	}{
		// OAuth Core 1.0 Appendix A.5 / the well-known photos.example.net vector.
		{name: "core-1.0 photos", version: true, ts: "1191242096", nonce: "kllo9940pd9333jh", want: "tR3+Ty81lMeYAr/Fid0kMTYa/WM="},
		// RFC 5849 §1.2 (no oauth_version).
		{name: "rfc5849 §1.2", ts: "137131202", nonce: "chapoH", want: "MdpQcU8iPSUjWoN/UDMsK2sui9I="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, _ := url.Parse("http://photos.example.net/photos?file=vacation.jpg&size=original")
			p := u.Query()
			p.Set("oauth_consumer_key", "dpf43f3p2l4k3l03")
			p.Set("oauth_token", "nnch734d00sl2jdk")
			p.Set("oauth_signature_method", "HMAC-SHA1")
			p.Set("oauth_timestamp", tc.ts)
			p.Set("oauth_nonce", tc.nonce)
			if tc.version {
				p.Set("oauth_version", "1.0")
			}
			got := oauth1Signature(oauth1BaseString("GET", u, p), "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")
			if got != tc.want {
				t.Errorf("signature = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestOAuth1SignHeader signs a real request end to end and checks the header carries
// the RFC vector's signature, percent-encoded, and that a JSON body is not signed.
func TestOAuth1SignHeader(t *testing.T) {
	t.Parallel()
	signer := &oauth1{
		consumerKey: "dpf43f3p2l4k3l03", consumerSecret: "kd94hf93k423kf44",
		token: "nnch734d00sl2jdk", tokenSecret: "pfkkdhi9sl3r4s00",
		now:   func() time.Time { return time.Unix(1191242096, 0) },
		nonce: func() string { return "kllo9940pd9333jh" },
	}
	tests := []struct {
		name string
		body string
		ct   string
	}{
		{name: "no body"},
		{name: "json body ignored", body: `{"filters":{}}`, ct: "application/json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original", strings.NewReader(tc.body))
			if tc.ct != "" {
				req.Header.Set("Content-Type", tc.ct)
			}
			if err := signer.sign(req); err != nil {
				t.Fatal(err)
			}
			h := req.Header.Get("Authorization")
			if !strings.HasPrefix(h, "OAuth ") || !strings.Contains(h, `oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"`) {
				t.Errorf("Authorization = %s, want the RFC signature", h)
			}
			if strings.Contains(h, "kd94hf93k423kf44") || strings.Contains(h, "pfkkdhi9sl3r4s00") {
				t.Errorf("Authorization leaks a secret: %s", h)
			}
			b, _ := io.ReadAll(req.Body)
			if string(b) != tc.body {
				t.Errorf("body = %q, want %q", b, tc.body)
			}
		})
	}
}

func TestOAuth1SignFormBody(t *testing.T) {
	t.Parallel()
	// A form body is part of the base string: signing twice with different bodies
	// must give different signatures, and the body must survive signing.
	sig := func(body string) string {
		req, _ := http.NewRequest("POST", "http://example.com/request", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		s := &oauth1{consumerKey: "k", consumerSecret: "s", token: "t", tokenSecret: "ts",
			now: func() time.Time { return time.Unix(1, 0) }, nonce: func() string { return "n" }}
		if err := s.sign(req); err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(req.Body)
		if string(b) != body {
			t.Errorf("body = %q, want %q", b, body)
		}
		return req.Header.Get("Authorization")
	}
	if a, b := sig("a=1"), sig("a=2"); a == b {
		t.Errorf("form body not signed: %s", a)
	}
}
