package views

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBrowser(t *testing.T) {
	t.Parallel()
	tests := []struct{ ua, want string }{
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome 120 · Linux"},
		{"Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.88 Safari/537.36 WebAppManager", "Chrome 87 · webOS TV"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox 121 · Windows"},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "Headless Chrome 131 · Linux"},
		{"", "unknown"},
		{"curl/8.5.0", "unknown"},
	}
	for _, tt := range tests {
		if got := Browser(tt.ua); got != tt.want {
			t.Errorf("Browser(%q) = %q, want %q", tt.ua, got, tt.want)
		}
	}
}

func FuzzBrowser(f *testing.F) {
	f.Add("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0 Safari/537.36")
	f.Add("Edg/999999999999 Tizen")
	f.Fuzz(func(t *testing.T, ua string) {
		got := Browser(ua)
		if got == "" || len(got) > 60 || !utf8.ValidString(got) && utf8.ValidString(ua) {
			t.Fatalf("Browser(%q) = %q", ua, got)
		}
	})
}

func TestQRCodeSVG(t *testing.T) {
	t.Parallel()
	svg, err := QRCodeSVG("https://wall.example.com/admin/screens?code=123456", "QR <code>")
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if !strings.HasPrefix(s, "<svg ") || !strings.Contains(s, `aria-label="QR &lt;code&gt;"`) || strings.Count(s, "h1v1h-1z") < 200 {
		t.Errorf("QR SVG = %.300s", s)
	}
}

func TestControlEscapesTheName(t *testing.T) {
	t.Parallel()
	got := string(Control(ControlIdentify, `TV "<b>"`, 7))
	if !strings.Contains(got, `data-name="TV &#34;&lt;b&gt;&#34;"`) || !strings.Contains(got, `data-seq="7"`) || !strings.Contains(got, `id="srv-ctl"`) {
		t.Errorf("Control = %s", got)
	}
}
