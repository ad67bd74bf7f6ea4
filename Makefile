# Sluice: `make run` and `make test` do all the set-up on a fresh Debian/Ubuntu machine with Swift 6.
SHELL := /bin/bash
APT_PACKAGES := libavcodec-dev libavformat-dev libavfilter-dev libavutil-dev libswscale-dev libswresample-dev pkg-config ffmpeg gcc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SLUICE := .build/release/sluice
TIER ?= mid

.PHONY: deps build run transcode test bench runner-bench live-bench studio-bench publish-bench publish-chaos chaos throughput corpus clean

## Installs FFmpeg's libraries, headers and CLI if any is missing.
deps:
	@if ! pkg-config --exists libavformat libavcodec libavfilter libswscale libswresample libavutil 2>/dev/null \
	     || ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null || ! command -v gcc >/dev/null; then \
	  echo "Installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi

build: deps
	swift build -c release

## Starts the watch-folder service on ./inbox -> ./out, drops the bundled sample in, prints the
## master playlist of its package, and keeps watching until Ctrl-C.
run: build
	@TIER=$(TIER) scripts/run-demo.sh

## One-off transcode of the bundled sample into ./out (no service).
transcode: build
	@$(SLUICE) transcode Fixtures/sample.mp4 --tier $(TIER) --output out

test: deps
	swift test

## Sluice against the ffmpeg CLI on the same 1080p source and ladder (see scripts/bench.sh).
bench: build
	scripts/bench.sh

## One 1080p upload's remote-runner job chain: `sluice runner serve` against the official runner's way.
runner-bench: build
	python3 scripts/runner-bench.py

## A 1080p30 live to 720/480/360/240: CPU and first-chunk latency against the official runner's way.
live-bench: build
	python3 scripts/live-bench.py

## A studio edit with every task: Sluice's one pass against PeerTube's one ffmpeg per task.
studio-bench: build
	python3 scripts/studio-bench.py

## Publishing a 1080p upload: Sluice's prepared publish against uploading it and the official runner's way.
publish-bench: build
	python3 scripts/publish-bench.py

## Kills `sluice import --publish` at random moments, with chunk faults, then checks each file is on the instance once.
publish-chaos: build
	scripts/publish-chaos.py

## Kills the service at random moments while it works through 20 files, then checks nothing was lost.
chaos: build
	scripts/chaos.py

## 20 clips through the service against one-after-another transcodes.
throughput: build
	scripts/throughput.py

## Transcodes a generated corpus of every supported input and checks each with PeerTube's checker.
corpus: build
	mkdir -p .corpus && cd .corpus && ../Fixtures/make-corpus.sh
	scripts/check-corpus.sh .corpus large

clean:
	rm -rf .build out inbox state .corpus bench-out
