package server

import (
	"io/fs"
	"net/http"

	"github.com/ccdash/ccdash/web/static"
)

// staticHandler serves the embedded CSS, JS and npm libraries. Files are versioned by
// the binary, so a short cache is safe and a deploy is picked up within minutes.
func staticHandler() http.Handler {
	files := http.FileServerFS(static.FS)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := fs.Stat(static.FS, r.URL.Path); err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=300")
		files.ServeHTTP(w, r)
	})
}
