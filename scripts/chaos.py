#!/usr/bin/env python3
"""Crash test of `sluice watch`: 20 files dropped at once (good, broken, some twice, one copied
slowly over 10 s), the service killed with SIGKILL at random moments and restarted each time.

Checks at the end: every source is in STATE/done or STATE/quarantine (none lost), each distinct
good content is published exactly once and passes PeerTube's checker, each broken file is
quarantined with a reason file, the slow file was taken only after its copy ended, and the
output holds no partial or temporary entry.

Usage: scripts/chaos.py [--kills 8] [--sluice .build/release/sluice] [--checker ../shared/tools/check_peertube_hls.py]
"""
import argparse, glob, json, os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, threading, time


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True)


def make_media(folder):
    good = []
    for i in range(9):
        path = os.path.join(folder, f"good{i}.mp4")
        ffmpeg("-f", "lavfi", "-i", f"testsrc2=size=480x270:rate=25,hue=h={i * 40}", "-f", "lavfi",
               "-i", f"sine=frequency={300 + 50 * i}", "-t", str(3 + i % 3), "-c:v", "libx264", "-preset", "ultrafast",
               "-c:a", "aac", path)
        good.append(path)
    slow = os.path.join(folder, "slow-source.mp4")
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=480x270:rate=25", "-f", "lavfi", "-i", "sine", "-t", "6",
           "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", slow)
    broken = {}
    broken["empty.mp4"] = b""
    broken["random.mkv"] = os.urandom(300_000)
    broken["notes.mp4"] = b"this is not a video\n" * 100
    with open(good[0], "rb") as f:
        broken["truncated.mp4"] = f.read()[:20_000]
    return good, slow, broken


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=8)
    ap.add_argument("--sluice", default=".build/release/sluice")
    ap.add_argument("--checker", default="../shared/tools/check_peertube_hls.py")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    o = ap.parse_args()
    random.seed(o.seed)
    sluice = os.path.abspath(o.sluice)
    root = tempfile.mkdtemp(prefix="sluice-chaos-")
    media, inbox, out, state = (os.path.join(root, n) for n in ("media", "inbox", "out", "state"))
    for d in (media, inbox):
        os.makedirs(d)
    good, slow, broken = make_media(media)

    def start():
        log = open(os.path.join(root, "service.log"), "a")
        return subprocess.Popen([sluice, "watch", "--inbox", inbox, "--output", out, "--state", state, "--tier", "small",
                                 "--settle", "3", "--workers", "2", "--http", "off", "--log-format", "json"],
                                stdout=log, stderr=log)

    service = start()
    # 20 files: 9 good, 4 broken, 6 duplicates of good ones under other names, 1 copied slowly.
    for path in good:
        shutil.copy(path, os.path.join(inbox, os.path.basename(path)))
    for name, data in broken.items():
        with open(os.path.join(inbox, name), "wb") as f:
            f.write(data)
    for i in range(6):
        shutil.copy(good[i], os.path.join(inbox, f"again-{i}.mp4"))
    slow_done = {}

    def copy_slowly():
        data = open(slow, "rb").read()
        target = os.path.join(inbox, "slow.mp4")
        with open(target, "wb") as f:
            for k in range(20):
                f.write(data[k * len(data) // 20:(k + 1) * len(data) // 20])
                f.flush()
                time.sleep(0.5)
        slow_done["at"] = time.time()

    copier = threading.Thread(target=copy_slowly)
    copier.start()

    kills = 0
    while kills < o.kills:
        time.sleep(random.uniform(0.3, 3.0))
        service.send_signal(signal.SIGKILL)
        service.wait()
        kills += 1
        service = start()
    copier.join()

    deadline = time.time() + 300
    def pending():
        if not os.path.exists(os.path.join(state, "sluice.sqlite")):
            return 99
        db = sqlite3.connect(os.path.join(state, "sluice.sqlite"))
        n = db.execute("SELECT COUNT(*) FROM job WHERE state IN ('queued','running')").fetchone()[0]
        db.close()
        return n + len([n for n in os.listdir(inbox)])
    while time.time() < deadline and pending() > 0:
        time.sleep(0.5)
    service.send_signal(signal.SIGTERM)
    service.wait(timeout=60)

    problems = []
    db = sqlite3.connect(os.path.join(state, "sluice.sqlite"))
    jobs = db.execute("SELECT id, file, state, fingerprint, outputDirectory, createdAt FROM job ORDER BY id").fetchall()
    names = [os.path.basename(p) for p in good] + list(broken) + [f"again-{i}.mp4" for i in range(6)] + ["slow.mp4"]
    done = os.listdir(os.path.join(state, "done"))
    quarantine = os.listdir(os.path.join(state, "quarantine"))
    for name in names:
        where = [n for n in done + quarantine if n == name or n.startswith(os.path.splitext(name)[0] + " (")]
        if not where:
            problems.append(f"{name} is neither in done/ nor in quarantine/")
    for name in broken:
        if name not in quarantine or name + ".reason.txt" not in quarantine:
            problems.append(f"{name} not quarantined with a reason file")
    if os.listdir(os.path.join(state, "work")):
        problems.append(f"work/ still holds {os.listdir(os.path.join(state, 'work'))}")
    leftovers = [n for n in os.listdir(out) if n.startswith(".")]
    if leftovers:
        problems.append(f"output holds temporary entries {leftovers}")
    packages = sorted(os.listdir(out))
    distinct_good = 10  # 9 good clips + the slow one
    if len(packages) != distinct_good:
        problems.append(f"{len(packages)} packages published for {distinct_good} distinct good contents")
    done_jobs = [j for j in jobs if j[2] == "done"]
    if len({j[3] for j in done_jobs}) != len(done_jobs):
        problems.append("the same content was published twice")
    failed_checks = 0
    for package in packages:
        src = next((j for j in done_jobs if j[4] and j[4].endswith(package)), None)
        source = os.path.join(state, "done", src[1]) if src else None
        args = ["python3", o.checker, os.path.join(out, package), "--tier", "small", "--strict"]
        if source and os.path.exists(source):
            args += ["--source", source]
        res = subprocess.run(args, capture_output=True, text=True)
        if res.returncode != 0:
            failed_checks += 1
            problems.append(f"package {package} fails the checker: {res.stdout.strip().splitlines()[-1]}")
    slow_job = next((j for j in jobs if j[1] == "slow.mp4"), None)
    if not slow_job:
        problems.append("the slow file never became a job")
    else:
        # createdAt is UTC with milliseconds: a file taken the moment its writer closes it must not
        # look taken before (whole seconds alone are up to one second early).
        stamp = slow_job[5]
        created = time.mktime(time.strptime(stamp[:19], "%Y-%m-%d %H:%M:%S")) - time.timezone \
            + (float("0" + stamp[19:]) if len(stamp) > 19 else 0)
        if created < slow_done["at"] - 0.5:
            problems.append(f"the slow file was taken {slow_done['at'] - created:.1f} s before its copy ended")
    states = {}
    for j in jobs:
        states[j[2]] = states.get(j[2], 0) + 1
    print(json.dumps({"seed": o.seed, "kills": kills, "jobs": len(jobs), "states": states, "packages": len(packages),
                      "checker_failures": failed_checks, "problems": problems, "folder": root}, indent=2))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
