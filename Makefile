# Sluice: `make run` and `make test` do all the set-up on a fresh Debian/Ubuntu machine with Swift 6.
SHELL := /bin/bash
APT_PACKAGES := libavcodec-dev libavformat-dev libavfilter-dev libavutil-dev libswscale-dev libswresample-dev pkg-config ffmpeg
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SLUICE := .build/release/sluice
TIER ?= mid

.PHONY: deps build run test bench corpus clean

## Installs FFmpeg's libraries, headers and CLI if any is missing.
deps:
	@if ! pkg-config --exists libavformat libavcodec libavfilter libswscale libswresample libavutil 2>/dev/null \
	     || ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then \
	  echo "Installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi

build: deps
	swift build -c release

## Transcodes the bundled sample into ./out and prints the master playlist's path.
run: build
	@$(SLUICE) transcode Fixtures/sample.mp4 --tier $(TIER) --output out

test: deps
	swift test

## Sluice against the ffmpeg CLI on the same 1080p source and ladder (see scripts/bench.sh).
bench: build
	scripts/bench.sh

## Transcodes a generated corpus of every supported input and checks each with PeerTube's checker.
corpus: build
	mkdir -p .corpus && cd .corpus && ../Fixtures/make-corpus.sh
	scripts/check-corpus.sh .corpus large

clean:
	rm -rf .build out .corpus bench-out
