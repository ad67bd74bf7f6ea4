#!/usr/bin/env python3
"""`sluice import --publish` (or with --watch, `sluice watch --publish`) killed with SIGKILL at random moments while it prepares and uploads a
library, then started again, until it finishes; the test instance meanwhile fails some chunks
with 500 and cuts others mid-body (keeping the bytes it received, as PeerTube does). At the end
every file must be on the instance exactly once, byte for byte, and every upload must have
resumed from the instance's offset (no chunk re-sent from zero after a kill).

Usage: scripts/publish-chaos.py [--watch] [--files N] [--kills N] [--sluice PATH] [--out DIR]
"""
import argparse, hashlib, importlib.util, os, random, shutil, signal, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
spec = importlib.util.spec_from_file_location("publish_bench", os.path.join(HERE, "publish-bench.py"))
pb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pb)


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=6)
    ap.add_argument("--kills", type=int, default=12)
    ap.add_argument("--sluice", default=".build/release/sluice")
    ap.add_argument("--out", default="bench-out/publish-chaos")
    ap.add_argument("--watch", action="store_true", help="the watch-folder service instead of import")
    o = ap.parse_args()
    shutil.rmtree(o.out, ignore_errors=True)
    library = os.path.join(o.out, "library")
    os.makedirs(library)
    for index in range(o.files):
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25,hue=h={index * 40}", "-f", "lavfi",
                        "-i", f"sine=frequency={300 + 50 * index}", "-t", "8", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "8M",
                        "-c:a", "aac", "-shortest", os.path.join(library, f"clip-{index}.mp4")], check=True)
    instance, uploads = pb.rb.Instance(None, o.out, 25), pb.Uploads()
    uploads.faults = {"fail": 0.15, "cut": 0.15}
    server, base = pb.serve(instance, uploads)
    state = os.path.join(o.out, "state")
    password = os.path.join(o.out, "password")
    with open(password, "w") as f:
        f.write("chaos\n")
    subprocess.run([o.sluice, "login", "--state", state, "--url", base, "--username", "chaos", "--password-file", password], check=True,
                   capture_output=True)
    command = [o.sluice, "import", library, "--tier", "small", "--output", os.path.join(o.out, "out"), "--state", state,
               "--publish", base, "--channel", "chaos_channel", "--chunk-mb", "1", "--workers", "1"]
    if o.watch:
        inbox = os.path.join(o.out, "inbox")
        os.makedirs(inbox)
        for name in os.listdir(library):
            shutil.copy(os.path.join(library, name), os.path.join(o.out, "." + name))
            os.rename(os.path.join(o.out, "." + name), os.path.join(inbox, name))
        command = [o.sluice, "watch", "--inbox", inbox, "--output", os.path.join(o.out, "out"), "--state", state, "--tier", "small",
                   "--settle", "0.5", "--http", "off", "--workers", "1", "--publish", base, "--channel", "chaos_channel", "--chunk-mb", "1"]
    kills, runs, rng, mid_upload = 0, 0, random.Random(7), 0
    while True:
        runs += 1
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=open(os.path.join(o.out, f"run-{runs}.log"), "w"))
        if kills < o.kills:
            try:
                process.wait(timeout=rng.uniform(0.5, 4))
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                mid_upload += any(0 < u["written"] < u["size"] for u in uploads.uploads.values())
                continue
        elif o.watch:
            # The service runs until every file is on the instance, then stops as SIGTERM asks.
            deadline = time.monotonic() + 600
            while len(uploads.videos) < o.files and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.5)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
            break
        else:
            process.wait(timeout=600)
        if process.returncode == 0:
            break
        if runs > o.kills + 20:
            sys.exit(f"the import did not finish (exit {process.returncode}); see {o.out}/run-{runs}.log")
    server.shutdown()
    sources = {sha(os.path.join(library, name)) for name in os.listdir(library)}
    made = [sha(video["path"]) for video in uploads.videos.values()]
    print(f"{o.files} files, {kills} kills ({mid_upload} with an upload part-way), {runs} runs, {uploads.chunks} chunk requests ({uploads.failed} failed with 500, "
          f"{uploads.cut} cut mid-body), {uploads.restarts} uploads started again from zero after a kill")
    print(f"videos on the instance: {len(made)}; distinct: {len(set(made))}; matching a source byte for byte: {len(set(made) & sources)}")
    ok = len(made) == o.files and set(made) == sources and uploads.restarts == 0
    print("OK: every file published exactly once, every upload resumed" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
