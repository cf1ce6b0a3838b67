package cluster

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, url string
		sentinel  []string
		master    string
		db        int
		password  string
		wantErr   string
	}{
		{name: "plain", url: "redis://127.0.0.1:6379/2", db: 2},
		{name: "tls", url: "rediss://u:pw@redis.example:6380/0", password: "pw"},
		{name: "sentinel", url: "redis+sentinel://:s3cret@10.0.0.1:26379,10.0.0.2:26379/1?master=ccdash",
			sentinel: []string{"10.0.0.1:26379", "10.0.0.2:26379"}, master: "ccdash", db: 1, password: "s3cret"},
		{name: "sentinel no db", url: "redis+sentinel://h:26379?master=m", sentinel: []string{"h:26379"}, master: "m"},
		{name: "sentinel no master", url: "redis+sentinel://h:26379/0", wantErr: "master"},
		{name: "sentinel bad host", url: "redis+sentinel://h/0?master=m", wantErr: "host:port"},
		{name: "sentinel bad db", url: "redis+sentinel://h:1/x?master=m", wantErr: "database"},
		{name: "sentinel unknown param", url: "redis+sentinel://h:1?master=m&pool=3", wantErr: "unknown parameter"},
		{name: "scheme", url: "http://pw@h:1", wantErr: "scheme"},
		{name: "no scheme", url: "h:6379", wantErr: "not a redis"},
		{name: "bad redis", url: "redis://h:1/notadb", wantErr: "not a valid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, f, err := ParseURL(tc.url)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseURL(%q) = %v, want error with %q", tc.url, err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "pw") || strings.Contains(err.Error(), "s3cret") {
					t.Errorf("error quotes the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.sentinel != nil {
				if f == nil || strings.Join(f.SentinelAddrs, " ") != strings.Join(tc.sentinel, " ") || f.MasterName != tc.master || f.DB != tc.db || f.Password != tc.password {
					t.Errorf("failover options = %+v", f)
				}
				return
			}
			if o == nil || o.DB != tc.db || o.Password != tc.password {
				t.Errorf("options = %+v", o)
			}
		})
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"redis://h:1/0", "rediss://u:p@h:2", "redis+sentinel://:p@a:1,b:2/3?master=m", "redis+sentinel://@/?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, fo, err := ParseURL(s)
		if err == nil && (o == nil) == (fo == nil) {
			t.Fatalf("ParseURL(%q): want exactly one of the options", s)
		}
		if fo != nil && (fo.MasterName == "" || len(fo.SentinelAddrs) == 0) {
			t.Fatalf("ParseURL(%q) = %+v without master or sentinels", s, fo)
		}
	})
}
