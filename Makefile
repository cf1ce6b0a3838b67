# ccdash — the front door. `make run` builds everything and starts the demo on the
# built-in simulator; `make test` is what CI runs.
SHELL := /bin/bash
GO    ?= go
BIN   := bin/dashboard
ADDR  ?= 127.0.0.1:8080

VENDOR_JS := web/static/vendor/htmx.min.js web/static/vendor/ws.js
TEMPL_SRC := $(shell find web/templates -name '*.templ' 2>/dev/null)

# Fuzz targets run briefly in `make test` (package:Target). FUZZTIME=1m for longer.
FUZZTIME ?= 4s
FUZZ := $(shell grep -rhoE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' internal | sort -u | sed 's/func //')

# Release builds and the vulnerability check use the newest toolchain the project may
# take from the Go module proxy: the machines' Go 1.26.8 standard library has
# vulnerabilities the binary calls (fixed in 1.26.10 and 1.27.3; `make vulncheck`).
RELEASE_GO := GOTOOLCHAIN=go1.27.3 $(GO)

# The Go vulnerability database, as the pinned golang.org/x/vulndb module's OSV files,
# indexed by cmd/mkvulndb for an offline govulncheck (CI reaches only the module proxy).
VULNDB_VERSION := v0.0.0-20261105234957-e22db6528018
VULNDB := bin/vulndb-$(VULNDB_VERSION)

.PHONY: all run build test test-unit test-race fuzz bench bench-fanout bench-fanout-full bench-soak generate check-generated ldflags package package-check lint tidy-check vulncheck assets clean

all: build

## run: build and start the demo board on the built-in simulator
run: build
	./$(BIN) --addr $(ADDR)

# What `dashboard version`, /healthz and the admin pages show. Releases are tagged
# vX.Y.Z; an untagged build is 0.0.0+git.<commit>.
COMMIT     ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null)
VERSION    ?= $(or $(shell git describe --tags --match 'v[0-9]*' --abbrev=0 2>/dev/null | sed 's/^v//'),0.0.0+git.$(or $(COMMIT),unknown))
BUILD_DATE ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS    := -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.buildDate=$(BUILD_DATE)

## build: the dashboard binary (with the front-end libraries embedded), version stamped
build: assets generate
	$(RELEASE_GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/dashboard

## package: the .deb (binary, hardened systemd unit, /etc/ccdash/ccdash.yaml) in bin/
ARCH ?= $(shell $(GO) env GOARCH)
DEB  := bin/ccdash_$(VERSION)_$(ARCH).deb
package: build
	VERSION='$(VERSION)' ARCH='$(ARCH)' $(GO) tool nfpm package --config packaging/nfpm.yaml --packager deb --target $(DEB)
	@echo "built $(DEB)"

## package-check: build the .deb, inspect it, install it here and check its config
## (what CI does; needs root for dpkg -i)
package-check: package
	packaging/check-deb.sh $(DEB)

# ldflags prints the version stamp, for the test that checks `dashboard version`.
ldflags:
	@echo '$(LDFLAGS)'


## assets: install the pinned npm packages and copy what the pages load
assets: $(VENDOR_JS)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

web/static/vendor/htmx.min.js: node_modules/.package-lock.json
	cp node_modules/htmx.org/dist/htmx.min.js $@

web/static/vendor/ws.js: node_modules/.package-lock.json
	cp node_modules/htmx-ext-ws/dist/ws.js $@

## generate: regenerate templ components (generated files are committed)
generate:
	$(GO) tool templ generate

## check-generated: fail if committed *_templ.go files are stale
check-generated: generate
	@git diff --exit-code -- '*_templ.go' || { echo "generated templ files are stale: run 'make generate' and commit"; exit 1; }

## lint: formatting, vet and staticcheck (pinned in go.mod as a Go tool)
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$')); [ -z "$$out" ] || { echo "gofmt needed: $$out"; exit 1; }
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

## tidy-check: fail if go.mod/go.sum are not what `go mod tidy` makes
tidy-check:
	$(GO) mod tidy -diff

## vulncheck: govulncheck offline against the pinned database; lists every vulnerability
## found and fails only on one in a function the code calls
vulncheck: $(VULNDB)
	$(RELEASE_GO) tool govulncheck -db file://$(abspath $(VULNDB)) -show verbose ./...

$(VULNDB):
	@dir=$$($(GO) mod download -json golang.org/x/vulndb@$(VULNDB_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p'); \
	  [ -d "$$dir/data/osv" ] || { echo "golang.org/x/vulndb@$(VULNDB_VERSION): no data/osv"; exit 1; }; \
	  $(GO) run ./cmd/mkvulndb -osv "$$dir/data/osv" -out $@

## test: everything CI checks — generated files, lint, unit/integration/browser tests,
## the race detector on the concurrent packages, brief fuzzing
test: assets check-generated lint test-unit test-race fuzz

test-unit:
	$(GO) test -count=1 -timeout 20m ./...

# The packages with goroutines and shared state; auth is left out because bcrypt under
# the race detector takes minutes and its state is one mutex-guarded map.
RACE_PKGS := ./internal/hub ./internal/server ./internal/screens ./internal/poller/... ./internal/snapshot ./internal/simulator/... ./internal/views ./internal/bolt ./internal/alerts ./internal/announce ./internal/history ./internal/cluster ./internal/redisstore
test-race:
	$(GO) test -race -count=1 -timeout 20m $(RACE_PKGS)

# Fuzzing runs on the release toolchain: Go 1.26's fuzz coordinator can report a bare
# "context deadline exceeded" failure when -fuzztime ends while a starved worker is
# mid-call (golang/go#75804, fixed in Go 1.27), which a loaded CI machine hits.
fuzz:
	@set -e; for t in $(FUZZ); do \
	  pkg=$$(grep -rl --include='*_test.go' "^func $$t(" internal | head -1 | xargs dirname); \
	  echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
	  $(RELEASE_GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) ./$$pkg; \
	done

## bench: benchmarks with allocations and custom metrics (p99, bytes/conn), then the
## fan-out probe at 1,000 sockets
bench: assets
	$(GO) test -run '^$$' -bench . -skip '^BenchmarkWallPageWeek$$' -benchmem -timeout 30m ./...
	$(MAKE) bench-fanout
	$(MAKE) bench-soak

## bench-soak: push a week of the demo's diffs (60,480 messages) into one wall page
## in Chromium; report JS heap growth and DOM nodes before and after
bench-soak: assets
	$(GO) test -run '^$$' -bench '^BenchmarkWallPageWeek$$' -benchtime 1x -timeout 3h ./cmd/dashboard

## bench-fanout: open FANOUT_SOCKETS WebSocket clients on the demo wall, and on a bare
## coder/websocket push server for reference; report spread, message size, RSS and CPU
FANOUT_SOCKETS ?= 1000
FANOUT_DURATION ?= 60s
bench-fanout: build
	$(GO) build -o bin/fanout ./cmd/fanout
	./bin/fanout --sockets $(FANOUT_SOCKETS) --duration $(FANOUT_DURATION) --bare
	./bin/fanout --sockets $(FANOUT_SOCKETS) --duration $(FANOUT_DURATION)

## bench-fanout-full: ccdash and the bare server at 1,000, 5,000 and 10,000 sockets,
## with traffic and idle, back to back; prints the README's table (also kept in
## bin/fanout-table.md). Run it on an idle machine: it takes about half an hour.
FANOUT_TABLE ?= 1000,5000,10000
FANOUT_IDLE ?= 30s
bench-fanout-full: build
	$(GO) build -o bin/fanout ./cmd/fanout
	set -o pipefail; ./bin/fanout --table $(FANOUT_TABLE) --duration $(FANOUT_DURATION) --idle-duration $(FANOUT_IDLE) | tee bin/fanout-table.md

clean:
	rm -rf bin node_modules $(VENDOR_JS)
