#!/usr/bin/env python3
"""Throughput of `sluice watch` with every job in its own child process (the default) against
the same service running jobs in process (`SLUICE_ISOLATION=none`, today's pool before isolation)
and against `sluice transcode` run one file after another, on the same 20 short clips, in one run,
`--runs` times, interleaved; medians and ratios. Also: how fast a job starts once taken
(queued -> running), and what starting one child costs: forked by the service's job spawner (as
the service does) or started as `sluice job-worker`, until its first answer (a refused request).

Usage: scripts/throughput.py [--clips 20] [--seconds 5] [--tier small] [--runs 3] [--sluice .build/release/sluice]
"""
import argparse, datetime, json, os, shutil, socket, sqlite3, statistics, subprocess, sys, tempfile, time


def parse(ts):
    return datetime.datetime.fromisoformat(ts).replace(tzinfo=datetime.timezone.utc).timestamp()


def make_clips(media, count, seconds):
    clips = []
    for i in range(count):
        path = os.path.join(media, f"clip{i:02}.mp4")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size=854x480:rate=25,hue=h={i * 17}",
                        "-f", "lavfi", "-i", f"sine=frequency={200 + 20 * i}", "-t", str(seconds), "-c:v", "libx264",
                        "-preset", "ultrafast", "-c:a", "aac", path], check=True)
        clips.append(path)
    return clips


def sequential(sluice, clips, tier, root):
    out = tempfile.mkdtemp(prefix="sequential-", dir=root)
    start = time.monotonic()
    for clip in clips:
        subprocess.run([sluice, "transcode", clip, "--tier", tier, "-o", out], check=True, stdout=subprocess.DEVNULL)
    elapsed = time.monotonic() - start
    shutil.rmtree(out)
    return elapsed


def service(sluice, clips, tier, root, isolation):
    base = tempfile.mkdtemp(prefix=f"service-{isolation}-", dir=root)
    inbox, out, state = (os.path.join(base, n) for n in ("inbox", "out", "state"))
    os.makedirs(inbox)
    env = dict(os.environ, SLUICE_ISOLATION=isolation)
    proc = subprocess.Popen([sluice, "watch", "--inbox", inbox, "--output", out, "--state", state, "--tier", tier,
                             "--settle", "0", "--http", "off", "--log-format", "json"], env=env,
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(base, "service.log"), "w"))
    db_path = os.path.join(state, "sluice.sqlite")
    while not os.path.exists(db_path):
        time.sleep(0.05)
    time.sleep(0.5)  # let it finish starting (not measured)
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
    elapsed = time.monotonic() - start
    proc.terminate()
    proc.wait()
    db = sqlite3.connect(db_path)
    rows = db.execute("SELECT createdAt, startedAt, state FROM job ORDER BY id").fetchall()
    latencies = [parse(s) - parse(c) for c, s, _ in rows[:os.cpu_count()]]
    states = {s: sum(1 for r in rows if r[2] == s) for s in {r[2] for r in rows}}
    shutil.rmtree(base)
    return elapsed, latencies, states


def child_start_ms(sluice, count=30):
    times = []
    for _ in range(count):
        start = time.perf_counter()
        subprocess.run([sluice, "job-worker"], input=b'{"version":0}\n', capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def spawner_child_ms(sluice, count=30):
    """From a job's pipes sent to `sluice job-spawner` (as the service does) to its child's
    first answer (a refused request), median."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    env = dict(os.environ, SLUICE_PARENT_PID=str(os.getpid()), SWIFT_BACKTRACE="enable=no")
    spawner = subprocess.Popen([sluice, "job-spawner"], stdin=theirs, env=env)
    theirs.close()
    times = []
    for _ in range(count):
        (r0, w0), (r1, w1), (r2, w2) = os.pipe(), os.pipe(), os.pipe()
        start = time.perf_counter()
        socket.send_fds(ours, [b"f"], [r0, w1, w2])
        for fd in (r0, w1, w2):
            os.close(fd)
        os.write(w0, b'{"version":0}\n')
        os.close(w0)
        os.read(r1, 4096)
        times.append(time.perf_counter() - start)
        os.close(r1)
        os.close(r2)
    ours.close()
    spawner.wait()
    return statistics.median(times) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clips", type=int, default=20)
    ap.add_argument("--tier", default="small")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=5, help="length of each clip")
    ap.add_argument("--sluice", default=".build/release/sluice")
    o = ap.parse_args()
    sluice = os.path.abspath(o.sluice)
    root = tempfile.mkdtemp(prefix="sluice-throughput-")
    media = os.path.join(root, "media")
    os.makedirs(media)
    clips = make_clips(media, o.clips, o.seconds)
    runs = {"sequential": [], "process": [], "none": []}
    latencies, states = [], {}
    for run in range(o.runs):
        runs["sequential"].append(sequential(sluice, clips, o.tier, root))
        # Alternate which service goes first, so a drift of the machine does not favour one.
        for isolation in (("process", "none") if run % 2 == 0 else ("none", "process")):
            elapsed, first, seen = service(sluice, clips, o.tier, root, isolation)
            runs[isolation].append(elapsed)
            if isolation == "process":
                latencies += first
                states = seen
    median = {k: statistics.median(v) for k, v in runs.items()}
    report = {"clips": len(clips), "seconds_each": o.seconds, "tier": o.tier, "runs": o.runs,
              "seconds": {k: [round(x, 2) for x in v] for k, v in runs.items()},
              "median_s": {"sequential_transcode": round(median["sequential"], 2),
                           "service_isolated": round(median["process"], 2),
                           "service_in_process": round(median["none"], 2)},
              "ratio_isolated_vs_in_process": round(median["process"] / median["none"], 3),
              "ratio_isolated_vs_sequential": round(median["process"] / median["sequential"], 3),
              "states_isolated": states,
              "start_latency_ms_first_jobs": sorted(round(l * 1000, 1) for l in latencies),
              "child_started_by_exec_ms_median": round(child_start_ms(sluice), 1),
              "child_forked_by_spawner_ms_median": round(spawner_child_ms(sluice), 1)}
    shutil.rmtree(root)
    print(json.dumps(report, indent=2))
    return 0 if report["ratio_isolated_vs_sequential"] <= 1.1 and max(latencies) < 0.2 else 1


if __name__ == "__main__":
    sys.exit(main())
