#!/usr/bin/env bash
# `make run`: starts `sluice watch` on ./inbox -> ./out (state in ./state), drops the bundled
# sample into the inbox the safe way (copy under a hidden name, then rename), prints the master
# playlist of its package, and keeps serving until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
sluice=.build/release/sluice
tier=${TIER:-mid}
mkdir -p inbox out state
"$sluice" watch --inbox inbox --output out --state state --tier "$tier" --settle 2 --log-format text &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid' INT TERM
cp Fixtures/sample.mp4 inbox/.sample.mp4.part
mv inbox/.sample.mp4.part "inbox/sample-$(date +%Y%m%d-%H%M%S).mp4"
master=""
for _ in $(seq 1 600); do
  master=$("$sluice" status --state state --json 2>/dev/null | python3 -c '
import glob, json, sys
text = sys.stdin.read()
if not text.strip():
    sys.exit()  # the service has not created its job store yet
jobs = json.loads(text)["jobs"]
last = jobs[-1] if jobs else {}
if last.get("state") in ("done", "duplicate") and last.get("outputDirectory"):
    print(glob.glob(last["outputDirectory"] + "/*-master.m3u8")[0])
elif last.get("state") == "quarantined":
    print("FAILED: " + last.get("reason", ""))
' || true)
  [ -n "$master" ] && break
  sleep 0.5
done
echo
echo "Package: $master"
echo "Sluice is watching ./inbox: copy videos in (under a .part name, then rename), see 'sluice status --state state',"
echo "http://127.0.0.1:8080/api/jobs and /metrics. Ctrl-C stops it; unfinished jobs resume at the next start."
wait $pid
