#!/usr/bin/env python3
"""A 1080p30 live transcoded to 720/480/360/240 (and its audio) for --seconds: `sluice runner serve`
against the official runner's way, on the same machine, from the same RTMP stream, in one run.

The stream: a 1080p30 file (testsrc2 and a tone, x264 at 6 Mb/s, a keyframe every 2 s, AAC 128k)
published in real time (`ffmpeg -re -c copy -f flv -listen 1`), an RTMP server for one player.

The official runner's way (apps/peertube-runner process-live.ts, runner-live-and-studio.md §1.2):
one ffmpeg reading the RTMP URL with PeerTube 8.2's live options (`-threads 2 -sc_threshold 0`, a
split to each resolution with `scale=w=-2:h=R,fps=30`, libx264 veryfast, GOP 2 s, `-b:v/-maxrate`
T, `-bufsize` 2T, bf 16, b_strategy 1, the AAC copied, `-f hls` with 4 s MPEG-TS segments and
`delete_segments+independent_segments+program_date_time+temp_file`). Its ffprobe of the stream
first is left out (the one-player server would need restarting), which favours it on latency. It
sends a chunk once the next one exists, so its first chunk of a resolution reaches the instance
when that resolution's second chunk is written.

Sluice: registered with a loopback test instance that queues the live job
(`live-rtmp-hls-transcoding`, `toTranscode` in PeerTube's order, segmentDuration 4) and records
each chunk update as it arrives.

Reported, medians of --runs: CPU seconds (the runner and every process it starts; ffmpeg for the
official way), the ratio, and the latency from the start (the job's accept, or ffmpeg's start) to
the first chunk of each resolution at the instance.

Usage: scripts/live-bench.py [--runs N] [--seconds N] [--sluice PATH] [--out DIR]
"""
import argparse, json, os, re, resource, shutil, signal, socket, statistics, subprocess, sys, tempfile, threading, time, uuid
from http.server import BaseHTTPRequestHandler

from benchlib import fail, serve, start_runner, tree_cpu

RESOLUTIONS = [480, 360, 720, 240]  # PeerTube's walk order of the enabled ones (§1.1)
AVG_BPP = {240: .17, 360: .15, 480: .12, 720: .11}
SOURCE_BITRATE = 6_000_000


def target_bitrate(res, fps=30, ratio=16 / 9):
    average = int(res * res * ratio * fps * AVG_BPP[res])
    minimum = int(res * res * ratio * fps * 0.02)
    return max(minimum, min(average, int(SOURCE_BITRATE * 1.3)))


class LiveInstance:
    """The runner routes for one live job, recording when each chunk arrives."""

    def __init__(self, rtmp_url):
        self.lock = threading.Condition()
        self.rtmp_url = rtmp_url
        self.job = {"uuid": str(uuid.uuid4()), "state": "pending", "token": None}
        self.accepted_at = None
        self.first_chunk = {}
        self.chunks = 0
        self.ended = None

    def payload(self):
        to_transcode = [{"resolution": r, "fps": 30} for r in RESOLUTIONS] + [{"resolution": 0, "fps": 0}]
        return {"input": {"rtmpUrl": self.rtmp_url},
                "output": {"toTranscode": to_transcode, "segmentDuration": 4, "segmentListSize": 15}}


def make_handler(instance):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, body=None):
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.answer(404, {"detail": "not found"})

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            path = self.path.split("?")[0]
            job = instance.job
            with instance.lock:
                if path.endswith("/register"):
                    return self.answer(200, {"id": 1, "runnerToken": "ptrt-bench"})
                if path.endswith("/jobs/request"):
                    jobs = [] if job["state"] != "pending" else [
                        {"uuid": job["uuid"], "type": "live-rtmp-hls-transcoding", "payload": instance.payload()}]
                    return self.answer(200, {"availableJobs": jobs})
                if path.endswith("/accept"):
                    job["state"], job["token"] = "processing", "ptrjt-" + str(uuid.uuid4())
                    instance.accepted_at = time.monotonic()
                    return self.answer(200, {"job": {"uuid": job["uuid"], "jobToken": job["token"], "payload": instance.payload()}})
                if path.endswith("/update"):
                    name = re.search(rb'name="payload\[videoChunkFilename\]"\r\n\r\n([a-z0-9-]+\.ts)', body)
                    kind = re.search(rb'name="payload\[type\]"\r\n\r\n([a-z-]+)', body)
                    if name and kind and kind.group(1) == b"add-chunk":
                        variant = name.group(1).decode()[0]
                        instance.first_chunk.setdefault(variant, time.monotonic())
                        instance.chunks += 1
                    return self.answer(204)
                if path.endswith("/success") or path.endswith("/error") or path.endswith("/abort"):
                    job["state"] = "completed" if path.endswith("/success") else "errored"
                    instance.ended = time.monotonic()
                    instance.lock.notify_all()
                    return self.answer(204)
            self.answer(404, {"detail": "unknown route"})

    return Handler


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def publish(source):
    """The stream as an RTMP server for one player; returns (process, url) once it listens."""
    port = free_port()
    url = f"rtmp://127.0.0.1:{port}/live/bench-key"
    process = subprocess.Popen(["ffmpeg", "-v", "error", "-nostdin", "-re", "-i", source, "-c", "copy", "-f", "flv",
                                "-listen", "1", url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hex_port = f":{port:04X} "
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if any(hex_port in line and " 0A " in line for line in open("/proc/net/tcp")):
            return process, url
        time.sleep(0.02)
    process.kill()
    sys.exit("the RTMP publisher did not listen")


def official_command(url, folder):
    split = "".join(f"[vtemp{r}]" for r in RESOLUTIONS)
    graph = f"[v:0]split={len(RESOLUTIONS)}{split};" + ";".join(f"[vtemp{r}]scale=w=-2:h={r},fps=30[vout{r}]" for r in RESOLUTIONS)
    command = ["ffmpeg", "-v", "error", "-nostdin", "-i", url, "-threads", "2", "-sc_threshold", "0", "-max_muxing_queue_size", "1024",
               "-map_metadata", "-1", "-pix_fmt", "yuv420p", "-filter_complex", graph]
    for index, res in enumerate(RESOLUTIONS):
        rate = target_bitrate(res)
        command += ["-map", f"[vout{res}]", f"-c:v:{index}", "libx264", f"-g:v:{index}", "60", f"-maxrate:v:{index}", str(rate),
                    f"-bufsize:v:{index}", str(2 * rate), f"-b:v:{index}", str(rate)]
    command += ["-preset", "veryfast", "-b_strategy", "1", "-bf", "16", "-map", "a:0", "-c:a:0", "copy"]
    stream_map = "a:0,agroup:Audio,default:yes " + " ".join(f"v:{i},agroup:Audio" for i in range(len(RESOLUTIONS)))
    command += ["-hls_time", "4", "-hls_list_size", "15",
                "-hls_flags", "delete_segments+independent_segments+program_date_time+temp_file",
                "-hls_segment_filename", f"{folder}/%v-%06d.ts", "-master_pl_name", "master.m3u8", "-f", "hls",
                "-var_stream_map", stream_map, f"{folder}/%v.m3u8"]
    return command


def run_official(source, folder):
    publisher, url = publish(source)
    out = tempfile.mkdtemp(dir=folder)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    ffmpeg = subprocess.Popen(official_command(url, out), stderr=open(os.path.join(folder, "official.log"), "w"))
    first = {}
    variants = [str(i) for i in range(len(RESOLUTIONS) + 1)]
    # A chunk is sent when the next one is written: chunk 0 of a variant goes up when its chunk 1 exists.
    while ffmpeg.poll() is None:
        for variant in variants:
            if variant not in first and os.path.exists(f"{out}/{variant}-000001.ts"):
                first[variant] = time.monotonic() - start
        time.sleep(0.02)
    publisher.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # The publisher's own CPU (a stream copy) is in the children's too: measure it alone and take it off.
    return cpu, first


def run_sluice(source, folder, sluice):
    publisher, url = publish(source)
    instance = LiveInstance(url)
    server, base = serve(lambda base: make_handler(instance))
    runner, log = start_runner(sluice, base, folder, ["--poll", "0.5", "--no-notifications", "--jobs", "live-rtmp-hls-transcoding",
                                                      "--niceness", "0"])
    with instance.lock:
        while instance.ended is None:
            instance.lock.wait(timeout=1)
            if runner.poll() is not None:
                fail("the Sluice runner stopped", log)
    cpu = tree_cpu(runner.pid)
    fields = open(f"/proc/{runner.pid}/stat").read().rsplit(")", 1)[1].split()
    own = sum(int(x) for x in fields[11:13]) / os.sysconf("SC_CLK_TCK")
    print(f"  (the runner process itself: {own:.1f} s of {cpu:.1f} s)", flush=True)
    runner.send_signal(signal.SIGTERM)
    runner.wait()
    publisher.wait()
    server.shutdown()
    if instance.job["state"] != "completed":
        fail(f"the live ended {instance.job['state']}", log)
    first = {variant: at - instance.accepted_at for variant, at in instance.first_chunk.items()}
    return cpu, first


def publisher_cpu(source, folder):
    """CPU of the publisher alone (one player that reads and drops the stream)."""
    publisher, url = publish(source)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", url, "-c", "copy", "-f", "null", "-"], check=False)
    publisher.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def make_source(path, seconds):
    if os.path.exists(path):
        return
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-f", "lavfi",
                    "-i", "sine=frequency=440:sample_rate=48000", "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast",
                    "-b:v", "6M", "-maxrate", "6M", "-bufsize", "12M", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac",
                    "-b:a", "128k", path], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--sluice", default=".build/release/sluice")
    parser.add_argument("--out", default="bench-out/live")
    parser.add_argument("--only", choices=["sluice", "official"], help="run one way only (for profiling)")
    o = parser.parse_args()
    os.makedirs(o.out, exist_ok=True)
    source = os.path.join(o.out, f"live-1080p30-{o.seconds}s.mp4")
    make_source(source, o.seconds)
    names = {"0": "audio", **{str(i + 1): f"{r}p" for i, r in enumerate(RESOLUTIONS)}}
    results = {"sluice": [], "official": []}
    publisher = []
    for run in range(o.runs):
        folder = tempfile.mkdtemp(dir=o.out)
        publisher.append(publisher_cpu(source, folder))
        for way in [o.only] if o.only else ["sluice", "official"]:
            cpu, first = run_sluice(source, folder, o.sluice) if way == "sluice" else run_official(source, folder)
            if way == "official":
                cpu -= publisher[-1]
            results[way].append((cpu, first))
            late = ", ".join(f"{names[v]} {first[v]:.1f} s" for v in sorted(first))
            print(f"run {run + 1} {way:8}: CPU {cpu:6.1f} s; first chunk: {late}", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
    if o.only:
        return
    cpu = {way: statistics.median(c for c, _ in runs) for way, runs in results.items()}
    print(f"\n1080p30 live, {o.seconds} s, to {'/'.join(map(str, sorted(RESOLUTIONS, reverse=True)))} + audio; medians of {o.runs}:")
    print(f"  CPU: Sluice {cpu['sluice']:.1f} s, official way {cpu['official']:.1f} s, ratio {cpu['sluice'] / cpu['official']:.3f}")
    for variant in sorted(names):
        s = statistics.median(f[variant] for _, f in results["sluice"] if variant in f)
        off = statistics.median(f[variant] for _, f in results["official"] if variant in f)
        print(f"  first {names[variant]:>5} chunk at the instance: Sluice {s:.2f} s, official way {off:.2f} s, ratio {s / off:.3f}")


if __name__ == "__main__":
    main()
