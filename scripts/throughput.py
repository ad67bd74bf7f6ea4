#!/usr/bin/env python3
"""Throughput of `sluice watch` against `sluice transcode` run one file after another, on the
same 20 short clips, plus how fast a job starts once it is taken (queued -> running).

Usage: scripts/throughput.py [--clips 20] [--tier small] [--sluice .build/release/sluice]
"""
import argparse, datetime, json, os, shutil, sqlite3, subprocess, sys, tempfile, time


def parse(ts):
    return datetime.datetime.fromisoformat(ts).replace(tzinfo=datetime.timezone.utc).timestamp()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clips", type=int, default=20)
    ap.add_argument("--tier", default="small")
    ap.add_argument("--sluice", default=".build/release/sluice")
    o = ap.parse_args()
    sluice = os.path.abspath(o.sluice)
    root = tempfile.mkdtemp(prefix="sluice-throughput-")
    media = os.path.join(root, "media")
    os.makedirs(media)
    clips = []
    for i in range(o.clips):
        path = os.path.join(media, f"clip{i:02}.mp4")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size=854x480:rate=25,hue=h={i * 17}",
                        "-f", "lavfi", "-i", f"sine=frequency={200 + 20 * i}", "-t", "5", "-c:v", "libx264",
                        "-preset", "ultrafast", "-c:a", "aac", path], check=True)
        clips.append(path)

    start = time.monotonic()
    for clip in clips:
        subprocess.run([sluice, "transcode", clip, "--tier", o.tier, "-o", os.path.join(root, "sequential")],
                       check=True, stdout=subprocess.DEVNULL)
    sequential = time.monotonic() - start

    inbox, out, state = (os.path.join(root, n) for n in ("inbox", "out", "state"))
    os.makedirs(inbox)
    service = subprocess.Popen([sluice, "watch", "--inbox", inbox, "--output", out, "--state", state, "--tier", o.tier,
                                "--settle", "0", "--http", "off", "--log-format", "json"],
                               stdout=subprocess.DEVNULL, stderr=open(os.path.join(root, "service.log"), "w"))
    time.sleep(1)  # let it start (not measured)
    db_path = os.path.join(state, "sluice.sqlite")
    start = time.monotonic()
    for clip in clips:
        os.rename(shutil.copy(clip, os.path.join(inbox, "." + os.path.basename(clip))),
                  os.path.join(inbox, os.path.basename(clip)))
    while True:
        db = sqlite3.connect(db_path)
        done = db.execute("SELECT COUNT(*) FROM job WHERE state IN ('done','duplicate','quarantined')").fetchone()[0]
        db.close()
        if done == len(clips):
            break
        time.sleep(0.05)
    service_time = time.monotonic() - start
    service.terminate()
    service.wait()
    db = sqlite3.connect(db_path)
    rows = db.execute("SELECT createdAt, startedAt, finishedAt, state FROM job ORDER BY id").fetchall()
    # Start latency for jobs taken while a worker was free: the first `workers` jobs.
    workers = os.cpu_count()
    latencies = sorted(parse(s) - parse(c) for c, s, _, _ in rows[:workers])
    report = {"clips": len(clips), "tier": o.tier, "sequential_transcode_s": round(sequential, 2),
              "service_s": round(service_time, 2), "ratio": round(service_time / sequential, 3),
              "states": {s: sum(1 for r in rows if r[3] == s) for s in {r[3] for r in rows}},
              "start_latency_ms_first_jobs": [round(l * 1000, 1) for l in latencies]}
    print(json.dumps(report, indent=2))
    return 0 if report["ratio"] <= 1.1 and max(latencies) < 0.2 else 1


if __name__ == "__main__":
    sys.exit(main())
