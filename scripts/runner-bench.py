#!/usr/bin/env python3
"""One 1080p upload's whole remote-runner job chain: `sluice runner serve` against the official
runner's way, on the same machine, the same test instance and the same source, in one run.

The test instance (in this script, loopback only) follows runner-protocol.md: registration,
/jobs/request (10 pending jobs), accept, update, success (multipart), error, POST file downloads,
/api/v1/config, and PeerTube 8.2's chain for an HLS-only upload: an optimize web-video job at the
top resolution, whose success releases the HLS jobs (1080, 720, 480, 360, 240, 144) and the
podcast audio web video (resolution 0).

The official runner's way (apps/peertube-runner, §10): two jobs at a time, each its own download
and its own ffmpeg with PeerTube's VOD options (libx264 veryfast, -r fps, -g 2*fps, bf 16,
b_strategy 1, maxrate/bufsize from PeerTube's table, AAC copied when compliant; HLS fMP4 single
file, 4 s), the top HLS rung stream-copied when the input already matches (8.x `canCopyForHLS`).

Reported: wall time and CPU time (the runner and every process it starts) per way, medians of
--runs, and the ratios.

Two uploads: a phone-like one (15 Mb/s, over PeerTube's bitrate limit, so the optimize job must
encode) and a web-ready one (6 Mb/s, copy gate passes: the official runner still encodes the
optimize web video, as its processWebVideoTranscoding always does, and copies the top HLS rung
from that; Sluice copies the source's video into the optimize file and the top rung).

Usage: scripts/runner-bench.py [--only phone|web] [--runs N] [--seconds N] [--sluice PATH] [--out DIR]
"""
import argparse, json, os, re, resource, shutil, signal, statistics, subprocess, sys, tempfile, threading, time, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import urllib.request

# The uploads, PeerTube's bitrate table and its copy rules are bench.py's (same folder).
from bench import HLS, SOURCES, audio_copyable, bpp_bitrate, fps_of, make_source, probe, quick_transcode_allowed

AVG_BPP = [(144, .19), (240, .17), (360, .15), (480, .12), (720, .11), (1080, .10), (1440, .09), (2160, .08)]
LOWER = [720, 480, 360, 240, 144]
NOTES = {"phone": "the optimize job must encode", "web": "the copy gate passes"}


class Instance:
    """The jobs of one upload and the runner API over them."""

    def __init__(self, source, folder, fps):
        self.lock = threading.Condition()
        self.folder = folder
        self.runners = {}
        self.jobs = []
        self.video = str(uuid.uuid4())
        self.files = {self.video: source}
        parent = self.job("vod-web-video-transcoding", 1080, fps, "pending", 100)
        self.job("vod-hls-transcoding", 1080, fps, "waiting", 100, parent)
        for res in LOWER:
            self.job("vod-hls-transcoding", res, fps, "waiting", 10000, parent)
        self.job("vod-web-video-transcoding", 0, 0, "waiting", 10000, parent)

    def job(self, type_, res, fps, state, priority, parent=None):
        job = {"uuid": str(uuid.uuid4()), "type": type_, "resolution": res, "fps": fps, "state": state,
               "priority": priority, "parent": parent and parent["uuid"], "token": None}
        self.jobs.append(job)
        return job

    def done(self):
        return all(j["state"] == "completed" for j in self.jobs)

    def payload(self, job, base):
        suffix = "/audio" if job["resolution"] == 0 else ""
        url = f"{base}/api/v1/runners/jobs/{job['uuid']}/files/videos/{self.video}/max-quality{suffix}"
        output = {"resolution": job["resolution"], "fps": job["fps"]}
        if job["type"] == "vod-hls-transcoding":
            output["separatedAudio"] = False
        return {"input": {"videoFileUrl": url, "separatedAudioFileUrl": []}, "output": output}


def make_handler(instance, base):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body=None, content_type="application/json"):
            data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def body(self):
            return self.rfile.read(int(self.headers.get("Content-Length", 0)))

        def do_GET(self):
            if self.path == "/api/v1/config":
                return self.reply(200, {"transcoding": {"hls": {"enabled": True, "splitAudioAndVideo": False},
                                                        "web_videos": {"enabled": False},
                                                        "enabledResolutions": LOWER + [1080],
                                                        "alwaysTranscodePodcastOptimizedAudio": True}})
            self.reply(404, {"detail": "not found"})

        def held(self, uuid_, fields):
            for job in instance.jobs:
                if job["uuid"] == uuid_ and job["token"] and job["token"] == fields.get("jobToken") \
                        and fields.get("runnerToken") in instance.runners:
                    return job
            return None

        def do_POST(self):
            raw = self.body()
            path = self.path.split("?")[0]
            route = path[len("/api/v1/runners/"):]
            if route.endswith("/success"):
                return self.success(route.split("/")[1], raw)
            fields = json.loads(raw or b"{}")
            with instance.lock:
                if route == "register":
                    token = "ptrt-" + str(uuid.uuid4())
                    instance.runners[token] = fields.get("name")
                    return self.reply(200, {"id": len(instance.runners), "runnerToken": token})
                if route == "jobs/request":
                    if fields.get("runnerToken") not in instance.runners:
                        return self.reply(404, {"detail": "Unknown runner token", "code": "unknown_runner_token"})
                    types = fields.get("jobTypes")
                    pending = [j for j in instance.jobs if j["state"] == "pending" and (types is None or j["type"] in types)]
                    pending.sort(key=lambda j: j["priority"])
                    return self.reply(200, {"availableJobs": [{"uuid": j["uuid"], "type": j["type"],
                                                               "payload": instance.payload(j, base)} for j in pending[:10]]})
                parts = route.split("/")
                if len(parts) >= 3 and parts[0] == "jobs":
                    job_uuid, action = parts[1], parts[2]
                    if action == "accept":
                        job = next((j for j in instance.jobs if j["uuid"] == job_uuid), None)
                        if not job or job["state"] != "pending":
                            return self.reply(400, {"detail": "This runner job is not in pending state"})
                        job["state"], job["token"] = "processing", "ptrjt-" + str(uuid.uuid4())
                        return self.reply(200, {"job": {"uuid": job_uuid, "jobToken": job["token"],
                                                        "payload": instance.payload(job, base)}})
                    job = self.held(job_uuid, fields)
                    if not job:
                        return self.reply(404, {"detail": "Unknown runner job"})
                    if action == "update":
                        return self.reply(204)
                    if action in ("abort", "error"):
                        job["state"], job["token"] = "pending", None
                        if action == "error":
                            print(f"  /error {job['type']} {job['resolution']}p: {fields.get('message')}", flush=True)
                        return self.reply(204)
                    if action == "files":
                        video = parts[4]
                        with open(instance.files[video], "rb") as f:
                            data = f.read()
                        return self.reply(200, data, "video/mp4")
            self.reply(404, {"detail": "not found"})

        def success(self, job_uuid, raw):
            boundary = re.search(r"boundary=(.+)", self.headers.get("Content-Type", "")).group(1).encode()
            fields, files = {}, {}
            for part in raw.split(b"--" + boundary)[1:-1]:
                head, _, content = part.partition(b"\r\n\r\n")
                content = content[:-2] if content.endswith(b"\r\n") else content
                name = re.search(rb'name="([^"]+)"', head).group(1).decode()
                if b"filename=" in head:
                    path = os.path.join(instance.folder, str(uuid.uuid4()))
                    with open(path, "wb") as f:
                        f.write(content)
                    files[name] = path
                else:
                    fields[name] = content.decode()
            with instance.lock:
                job = self.held(job_uuid, fields)
                if not job:
                    return self.reply(404, {"detail": "Unknown runner job"})
                job["state"] = "completed"
                if job["type"] == "vod-web-video-transcoding" and job["resolution"] > 0:
                    instance.files[instance.video] = files["payload[videoFile]"]
                for child in instance.jobs:
                    if child["parent"] == job["uuid"] and child["state"] == "waiting":
                        child["state"] = "pending"
                instance.lock.notify_all()
            self.reply(204)
    return Handler


def serve(instance):
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = make_handler(instance, base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        data = response.read()
        return json.loads(data) if data else {}


def official_way(base, folder, source_info):
    """Two jobs at a time, one download and one ffmpeg each (apps/peertube-runner, §10)."""
    token = post(f"{base}/api/v1/runners/register", {"registrationToken": "t", "name": "official"})["runnerToken"]

    def worker():
        while True:
            jobs = post(f"{base}/api/v1/runners/jobs/request", {"runnerToken": token})["availableJobs"]
            if not jobs:
                if instance_done():
                    return
                time.sleep(0.2)
                continue
            job = jobs[0]
            try:
                accepted = post(f"{base}/api/v1/runners/jobs/{job['uuid']}/accept", {"runnerToken": token})["job"]
            except Exception:
                continue
            credentials = {"runnerToken": token, "jobToken": accepted["jobToken"]}
            post(f"{base}/api/v1/runners/jobs/{job['uuid']}/update", credentials)
            work = tempfile.mkdtemp(dir=folder)
            input_path = os.path.join(work, "input")
            request = urllib.request.Request(job["payload"]["input"]["videoFileUrl"], data=json.dumps(credentials).encode(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request) as response, open(input_path, "wb") as f:
                shutil.copyfileobj(response, f)
            files = run_ffmpeg(job, input_path, work)
            upload(base, job["uuid"], credentials, files)
            shutil.rmtree(work, ignore_errors=True)

    instance_done = lambda: all_done[0]()
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


all_done = [lambda: False]


def run_ffmpeg(job, input_path, work):
    info = probe(input_path)
    video = next((s for s in info["streams"] if s["codec_type"] == "video"), None)
    audio = next((s for s in info["streams"] if s["codec_type"] == "audio"), None)
    res, fps = job["payload"]["output"]["resolution"], job["payload"]["output"]["fps"]
    copy_audio = audio is not None and audio_copyable(info)
    audio_args = ["-c:a", "copy"] if copy_audio else ["-c:a", "aac", "-ac", "2"]
    # ffmpeg.threads = 2 is an output option in PeerTube's command wrapper: x264 gets 2 threads,
    # the decoder chooses its own.
    base = ["ffmpeg", "-v", "error", "-y", "-i", input_path, "-threads", "2"]
    if res == 0:
        out = os.path.join(work, "output.mp4")
        subprocess.run(base + ["-vn", *audio_args, "-f", "mp4", "-movflags", "faststart", out], check=True)
        return [("payload[videoFile]", out, "video/mp4")]
    width, height = video["width"], video["height"]
    input_bitrate = int(info["format"].get("bit_rate") or 0)
    target = max(bpp_bitrate([(r, .02) for r, _ in AVG_BPP], res, width / height, fps, 10000),
                 min(bpp_bitrate(AVG_BPP, res, width / height, fps, 192000), int(input_bitrate * 1.3)))
    x264 = ["-vf", f"scale=w=-2:h={res}", "-c:v", "libx264", "-preset", "veryfast", "-maxrate:v", str(target),
            "-bufsize:v", str(2 * target), "-b_strategy", "1", "-bf", "16", "-r", str(fps), "-g:v", str(2 * fps),
            "-pix_fmt", "yuv420p", "-map_metadata", "-1"]
    if job["type"] == "vod-web-video-transcoding":
        out = os.path.join(work, f"output-{job['uuid']}.mp4")
        subprocess.run(base + x264 + audio_args + ["-f", "mp4", "-movflags", "faststart", "-max_muxing_queue_size", "1024", out], check=True)
        return [("payload[videoFile]", out, "video/mp4")]
    name = str(uuid.uuid4())
    playlist = os.path.join(work, f"{name}-{res}.m3u8")
    media = os.path.join(work, f"{name}-{res}-fragmented.mp4")
    # 8.x canCopyForHLS: canDoQuickAudioTranscode, canDoQuickVideoTranscode, same resolution and fps.
    can_copy = quick_transcode_allowed(info) and min(width, height) == res and fps_of(video) == fps
    codec = ["-c", "copy"] if can_copy else x264 + audio_args
    subprocess.run(base + codec + HLS + ["-hls_segment_filename", media, "-f", "hls", playlist], check=True)
    text = open(playlist).read().replace(f'URI="{media}"', f'URI="{os.path.basename(media)}"')
    open(playlist, "w").write(text)
    return [("payload[videoFile]", media, "video/mp4"), ("payload[resolutionPlaylistFile]", playlist, "application/vnd.apple.mpegurl")]


def upload(base, job_uuid, credentials, files):
    boundary = "bench" + uuid.uuid4().hex
    chunks = []
    for name, value in credentials.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for field, path, content_type in files:
        with open(path, "rb") as f:
            data = f.read()
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{os.path.basename(path)}"\r\n'
                      f'Content-Type: {content_type}\r\n\r\n'.encode() + data + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    request = urllib.request.Request(f"{base}/api/v1/runners/jobs/{job_uuid}/success", data=b"".join(chunks),
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    urllib.request.urlopen(request).read()


def tree_cpu(pid):
    """CPU seconds of a live process and all its live descendants, each with the CPU of the
    children it has already reaped (/proc/PID/stat utime, stime, cutime, cstime). Sluice's job
    children are forked by its spawner, which a plain rusage of Sluice would not include."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += sum(int(x) for x in fields[11:15]) / tick
    except OSError:
        return 0.0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            children = open(f"/proc/{pid}/task/{task}/children").read().split()
        except OSError:
            continue
        total += sum(tree_cpu(int(child)) for child in children)
    return total


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_official(source, folder, fps):
    instance = Instance(source, folder, fps)
    server, base = serve(instance)
    all_done[0] = instance.done
    cpu, start = children_cpu(), time.monotonic()
    official_way(base, folder, None)
    wall = time.monotonic() - start
    server.shutdown()
    return wall, children_cpu() - cpu


def run_sluice(source, folder, fps, sluice, timeout=600):
    instance = Instance(source, folder, fps)
    server, base = serve(instance)
    state = tempfile.mkdtemp(dir=folder)
    subprocess.run([sluice, "runner", "register", "--state", state, "--url", base, "--registration-token", "t",
                    "--name", "sluice"], check=True, capture_output=True)
    start = time.monotonic()
    process = subprocess.Popen([sluice, "runner", "serve", "--state", state, "--poll", "0.5", "--http", "off",
                                "--log-format", "json"], stderr=open(os.path.join(folder, "sluice.log"), "w"))
    log = os.path.join(folder, "sluice.log")
    with instance.lock:
        while not instance.done():
            instance.lock.wait(timeout=1)
            # A runner that died, or a chain that stopped moving, fails the bench instead of hanging it.
            if process.poll() is not None or time.monotonic() - start > timeout:
                process.kill()
                server.shutdown()
                sys.exit(f"the Sluice runner did not finish the chain in {timeout} s; its log ({log}) ends:\n"
                         + open(log).read()[-2000:])
    wall = time.monotonic() - start
    cpu = tree_cpu(process.pid)
    process.send_signal(signal.SIGTERM)
    process.wait()
    server.shutdown()
    return wall, cpu


def bench_source(name, o):
    source = os.path.join(o.out, f"upload-{name}-1080p25.mp4")
    make_source(source, o.seconds, SOURCES[name])
    results = {"sluice": [], "official": []}
    for run in range(o.runs):
        for who in (["sluice", "official"] if run % 2 == 0 else ["official", "sluice"]):
            folder = tempfile.mkdtemp(dir=o.out)
            wall, cpu = run_sluice(source, folder, 25, o.sluice) if who == "sluice" else run_official(source, folder, 25)
            results[who].append((wall, cpu))
            print(f"  {name} run {run + 1} {who}: {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
            shutil.rmtree(folder, ignore_errors=True)
    med = {w: (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs)) for w, rs in results.items()}
    print(f"\nOne {SOURCES[name]['label']} ({NOTES[name]}) upload, {o.seconds} s, HLS 1080/720/480/360/240/144 + podcast audio, "
          f"{os.cpu_count()} cores, medians of {o.runs}")
    print(f"{'':12}{'official way':>14}{'Sluice':>10}{'ratio':>8}")
    print(f"{'wall (s)':12}{med['official'][0]:14.2f}{med['sluice'][0]:10.2f}{med['sluice'][0] / med['official'][0]:8.3f}")
    print(f"{'CPU (s)':12}{med['official'][1]:14.2f}{med['sluice'][1]:10.2f}{med['sluice'][1] / med['official'][1]:8.3f}\n",
          flush=True)
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=sorted(SOURCES))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--sluice", default=".build/release/sluice")
    ap.add_argument("--out", default="bench-out/runner")
    o = ap.parse_args()
    shutil.rmtree(o.out, ignore_errors=True)
    os.makedirs(o.out)
    report = {name: bench_source(name, o) for name in ([o.only] if o.only else ["phone", "web"])}
    with open(os.path.join(o.out, "runner-bench.json"), "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
