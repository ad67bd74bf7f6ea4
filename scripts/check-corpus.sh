#!/usr/bin/env bash
# Transcodes every file in a folder and checks each package with PeerTube's checker.
# Usage: scripts/check-corpus.sh DIR [TIER] [CHECKER]   (broken files are expected to be refused)
set -u
dir=${1:?corpus folder}; tier=${2:-large}
checker=${3:-../shared/tools/check_peertube_hls.py}
sluice=${SLUICE:-.build/release/sluice}
out=$(mktemp -d); pass=0; fail=0
for f in "$dir"/*; do
  name=$(basename "$f"); dest="$out/$name"; mkdir -p "$dest"
  start=$(date +%s.%N)
  if dir_json=$("$sluice" transcode "$f" --tier "$tier" -o "$dest" --json 2>"$dest.err"); then
    video_dir=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["directory"])' <<<"$dir_json")
    if res=$(python3 "$checker" "$video_dir" --source "$f" --tier "$tier" --strict 2>&1); then
      pass=$((pass+1)); printf 'PASS %-22s %5.1fs %s\n' "$name" "$(echo "$(date +%s.%N) - $start" | bc)" "$(tail -1 <<<"$res")"
    else
      fail=$((fail+1)); printf 'FAIL %-22s\n%s\n' "$name" "$res"
    fi
  else
    printf 'REFUSED %-19s %5.1fs %s\n' "$name" "$(echo "$(date +%s.%N) - $start" | bc)" "$(tail -1 "$dest.err")"
  fi
done
echo "passed $pass, failed $fail (outputs in $out)"
