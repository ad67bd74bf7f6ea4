#!/usr/bin/env python3
"""A studio edit with every task (PeerTube's complex edit, scaled to a 20 s 1080p25 video): cut,
outro, removed segments, watermark, intro. Sluice's runner (one pass: one graph reading every
input, one encode) against PeerTube's edition (one ffmpeg per task, each decoding and encoding
the previous task's output, with PeerTube's VOD options), on the same machine, in one run.

Sluice runs as `sluice runner serve --jobs video-studio-transcoding` against a loopback test
instance that queues the job, serves the video and the task files and takes the result; its time
runs from the job's accept to its success. The per-task way runs PeerTube's five commands in turn
(ffmpeg-edition.ts, runner-live-and-studio.md §2.2; the intro and outro fitted with a scale where
PeerTube chains scale2ref, drawbox and overlay, which only costs it more).

Reported, medians of --runs: wall time, CPU time, and the result's duration (20 s expected).

Usage: scripts/studio-bench.py [--runs N] [--sluice PATH] [--out DIR]
"""
import argparse, json, os, re, resource, shutil, signal, statistics, subprocess, tempfile, threading, time, uuid
from http.server import BaseHTTPRequestHandler

from benchlib import fail, serve, start_runner, tree_cpu

FPS = 25
VOD = ["-c:v", "libx264", "-preset", "veryfast", "-b_strategy", "1", "-bf", "16", "-maxrate", "5000000", "-bufsize", "10000000",
       "-g", str(2 * FPS), "-pix_fmt", "yuv420p", "-map_metadata", "-1", "-c:a", "aac", "-b:a", "192k", "-movflags", "faststart"]


def tasks(files):
    return [{"name": "cut", "options": {"start": 2, "end": 18}},
            {"name": "add-outro", "options": {"file": files["outro"]}},
            {"name": "remove-segments", "options": {"segments": [{"start": 0, "end": 2}, {"start": 15, "end": 16}]}},
            {"name": "add-watermark", "options": {"file": files["watermark"], "watermarkSizeRatio": 0.1,
                                                  "horizontalMarginRatio": 0.05, "verticalMarginRatio": 0.05}},
            {"name": "add-intro", "options": {"file": files["intro"]}}]


def per_task(media, work):
    """PeerTube's edition: one ffmpeg per task on the last one's output."""
    steps = [
        ["-i", media["main"], "-ss", "2", "-to", "18", "-vf", f"fps={FPS}"],
        ["-i", "{prev}", "-i", media["outro"], "-filter_complex",
         f"[1:v]scale=1920:1080,setsar=1,fps={FPS},format=yuv420p[o];[0:v]setsar=1,format=yuv420p[m];"
         f"[1:a]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[oa];"
         "[0:a]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[ma];[m][ma][o][oa]concat=n=2:v=1:a=1[cv][a];[cv]fps={FPS}[v]",
         "-map", "[v]", "-map", "[a]"],
        ["-i", "{prev}", "-filter_complex",
         "[0:v]split=2[v1][v2];[0:a]asplit=2[a1][a2];[v1]trim=2:15,setpts=PTS-STARTPTS[p1];[a1]atrim=2:15,asetpts=PTS-STARTPTS[q1];"
         f"[v2]trim=16:21,setpts=PTS-STARTPTS[p2];[a2]atrim=16:21,asetpts=PTS-STARTPTS[q2];[p1][q1][p2][q2]concat=n=2:v=1:a=1[cv][a];[cv]fps={FPS}[v]",
         "-map", "[v]", "-map", "[a]"],
        ["-i", "{prev}", "-i", media["watermark"], "-filter_complex",
         f"[1:v]scale=w=-1:h=108[w];[0:v][w]overlay=x=main_w-overlay_w-(main_h*0.05):y=main_h*0.05,fps={FPS}[v]",
         "-map", "[v]", "-map", "0:a"],
        ["-i", "{prev}", "-i", media["intro"], "-f", "lavfi", "-t", "2", "-i", "anullsrc=r=48000:cl=stereo", "-filter_complex",
         f"[1:v]scale=1920:1080,setsar=1,fps={FPS},format=yuv420p[i];[0:v]setsar=1,format=yuv420p[m];"
         "[2:a]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[ia];"
         "[0:a]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[ma];"
         f"[i][ia][m][ma]concat=n=2:v=1:a=1[cv][a];[cv]fps={FPS}[v]", "-map", "[v]", "-map", "[a]"],
    ]
    previous = None
    for index, step in enumerate(steps):
        output = os.path.join(work, f"output-edition-{index}.mp4")
        arguments = [previous if a == "{prev}" else a.replace("{FPS}", str(FPS)) for a in step]
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *arguments, *VOD, output], check=True)
        if previous:
            os.remove(previous)
        previous = output
    return previous


class StudioInstance:
    def __init__(self, media):
        self.lock = threading.Condition()
        self.media = media
        self.uuid, self.video, self.token = str(uuid.uuid4()), str(uuid.uuid4()), None
        self.state, self.accepted_at, self.done_at, self.result = "pending", None, None, None

    def payload(self, base):
        files = f"{base}/api/v1/runners/jobs/{self.uuid}/files/videos/{self.video}"
        names = {"outro": "outro.mp4", "watermark": "watermark.png", "intro": "intro.mp4"}
        return {"input": {"videoFileUrl": f"{files}/max-quality", "separatedAudioFileUrl": []},
                "tasks": tasks({k: f"{files}/studio/task-files/{v}" for k, v in names.items()}), "output": {}}


def make_handler(instance, base, folder):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, body=None, data=None, kind="application/json"):
            data = data if data is not None else (json.dumps(body).encode() if body is not None else b"")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.answer(404, {"detail": "not found"})

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            path = self.path.split("?")[0]
            with instance.lock:
                if path.endswith("/register"):
                    return self.answer(200, {"id": 1, "runnerToken": "ptrt-bench"})
                if path.endswith("/jobs/request"):
                    jobs = [{"uuid": instance.uuid, "type": "video-studio-transcoding", "payload": instance.payload(base)}] \
                        if instance.state == "pending" else []
                    return self.answer(200, {"availableJobs": jobs})
                if path.endswith("/accept"):
                    instance.state, instance.token, instance.accepted_at = "processing", "ptrjt-bench", time.monotonic()
                    return self.answer(200, {"job": {"uuid": instance.uuid, "jobToken": instance.token, "payload": instance.payload(base)}})
                if path.endswith("/max-quality"):
                    return self.answer(200, data=open(instance.media["main"], "rb").read(), kind="video/mp4")
                match = re.search(r"/task-files/(outro\.mp4|watermark\.png|intro\.mp4)$", path)
                if match:
                    key = match.group(1).split(".")[0]
                    return self.answer(200, data=open(instance.media[key], "rb").read(), kind="application/octet-stream")
                if path.endswith("/update"):
                    return self.answer(204)
                if path.endswith("/success") or path.endswith("/error"):
                    instance.state = "completed" if path.endswith("/success") else "errored"
                    instance.done_at = time.monotonic()
                    start = body.find(b"\r\n\r\n", body.find(b'name="payload[videoFile]"'))
                    if path.endswith("/success") and start > 0:
                        result = os.path.join(folder, "sluice-result.mp4")
                        end = body.rfind(b"\r\n--")
                        open(result, "wb").write(body[start + 4:end])
                        instance.result = result
                    instance.lock.notify_all()
                    return self.answer(204)
            self.answer(404, {"detail": "unknown route"})

    return Handler


def run_sluice(media, folder, sluice):
    instance = StudioInstance(media)
    server, base = serve(lambda base: make_handler(instance, base, folder))
    runner, log = start_runner(sluice, base, folder, ["--poll", "0.5", "--no-notifications", "--jobs", "video-studio-transcoding",
                                                      "--niceness", "0"])
    idle = tree_cpu(runner.pid)
    with instance.lock:
        while instance.done_at is None:
            instance.lock.wait(timeout=1)
            if runner.poll() is not None:
                fail("the Sluice runner stopped", log)
    cpu = tree_cpu(runner.pid) - idle
    runner.send_signal(signal.SIGTERM)
    runner.wait()
    server.shutdown()
    if instance.state != "completed":
        fail("the edit failed", log)
    return instance.done_at - instance.accepted_at, cpu, instance.result


def duration(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
                         capture_output=True, text=True).stdout
    return float(out.strip() or 0)


def make_media(folder):
    def make(name, arguments):
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *arguments, path], check=True)
        return path
    return {
        "main": make("main-1080p25-20s.mp4", ["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25", "-f", "lavfi", "-i",
                                              "sine=frequency=440:sample_rate=48000", "-t", "20", "-c:v", "libx264", "-preset",
                                              "veryfast", "-b:v", "5M", "-c:a", "aac", "-b:a", "128k"]),
        "outro": make("outro-720p.mp4", ["-f", "lavfi", "-i", "testsrc=size=1280x720:rate=50", "-f", "lavfi", "-i",
                                         "sine=frequency=880:sample_rate=44100", "-t", "5", "-c:v", "libx264", "-preset", "veryfast",
                                         "-c:a", "aac"]),
        "intro": make("intro-silent.mp4", ["-f", "lavfi", "-i", "testsrc=size=640x480:rate=30", "-t", "2", "-c:v", "libx264",
                                           "-preset", "veryfast", "-pix_fmt", "yuv420p"]),
        "watermark": make("watermark.png", ["-f", "lavfi", "-i", "color=c=0xFF00FF:size=200x100", "-frames:v", "1"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sluice", default=".build/release/sluice")
    parser.add_argument("--out", default="bench-out/studio")
    o = parser.parse_args()
    os.makedirs(o.out, exist_ok=True)
    media = make_media(o.out)
    results = {"sluice": [], "per-task": []}
    for run in range(o.runs):
        folder = tempfile.mkdtemp(dir=o.out)
        wall, cpu, result = run_sluice(media, folder, o.sluice)
        results["sluice"].append((wall, cpu, duration(result)))
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
        result = per_task(media, folder)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        results["per-task"].append((time.monotonic() - start, cpu, duration(result)))
        for way in results:
            print(f"run {run + 1} {way:8}: wall {results[way][-1][0]:5.1f} s, CPU {results[way][-1][1]:5.1f} s, "
                  f"result {results[way][-1][2]:.2f} s", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
    median = {way: [statistics.median(r[i] for r in runs) for i in range(3)] for way, runs in results.items()}
    print(f"\nStudio edit of a 20 s 1080p25 video with all five tasks; medians of {o.runs}:")
    for i, label in enumerate(["wall", "CPU"]):
        s, p = median["sluice"][i], median["per-task"][i]
        print(f"  {label}: Sluice {s:.1f} s, one ffmpeg per task {p:.1f} s, ratio {s / p:.3f}")
    print(f"  result: Sluice {median['sluice'][2]:.2f} s, per task {median['per-task'][2]:.2f} s (tasks: 20 s)")


if __name__ == "__main__":
    main()
