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

Reported: the time to publish (from the optimize job's accept to the completion of the top HLS
job, which is when PeerTube publishes the video), wall time and CPU time (the runner and every
process it starts) per way, medians of --runs, and the ratios.

Then the reaction (--reaction N uploads, default 20): N short uploads one after another, each
queued while the runner is idle, and for every job the time from its queueing (the upload, or its
release by the job before it) to its accept. The test instance serves socket.io's /runners
namespace (Engine.IO v4 over WebSocket, §9) and emits `available-jobs` whenever a job becomes
pending; Sluice runs with its defaults (5 s poll, notifications on); the official way is told at
once, as its socket would tell it.

Two uploads: a phone-like one (15 Mb/s, over PeerTube's bitrate limit, so the optimize job must
encode) and a web-ready one (6 Mb/s, copy gate passes: the official runner still encodes the
optimize web video, as its processWebVideoTranscoding always does, and copies the top HLS rung
from that; Sluice copies the source's video into the optimize file and the top rung).

Usage: scripts/runner-bench.py [--only phone|web] [--runs N] [--seconds N] [--sluice PATH] [--out DIR] [--reaction N]
                               [--timeline]
"""
import argparse, base64, hashlib, json, os, re, resource, shutil, signal, statistics, struct, subprocess, sys, tempfile, \
    threading, time, uuid
from http.server import BaseHTTPRequestHandler
import urllib.request

import benchlib
from benchlib import fail, start_runner, tree_cpu
# The uploads, PeerTube's bitrate table and its copy rules are bench.py's (same folder).
from bench import HLS, SOURCES, audio_copyable, bpp_bitrate, fps_of, make_source, probe, quick_transcode_allowed

AVG_BPP = [(144, .19), (240, .17), (360, .15), (480, .12), (720, .11), (1080, .10), (1440, .09), (2160, .08)]
TIMELINE = False
LOWER = [720, 480, 360, 240, 144]
NOTES = {"phone": "the optimize job must encode", "web": "the copy gate passes"}


class Instance:
    """The jobs of the uploads and the runner API over them."""

    def __init__(self, source, folder, fps, top=1080, lower=LOWER, podcast=True):
        self.lock = threading.Condition()
        self.folder = folder
        self.runners = {}
        self.jobs = []
        self.files = {}
        self.sockets = []
        self.stopped = False
        self.video = None
        if source:
            self.add_upload(source, fps, top, lower, podcast)

    def add_upload(self, source, fps, top=1080, lower=LOWER, podcast=True):
        """PeerTube 8.2's chain for an HLS-only upload: the optimize job, whose success releases
        the HLS jobs and the podcast audio. Returns the video's uuid."""
        with self.lock:
            video = str(uuid.uuid4())
            self.video = video
            self.files[video] = source
            parent = self.job(video, "vod-web-video-transcoding", top, fps, "pending", 100)
            self.job(video, "vod-hls-transcoding", top, fps, "waiting", 100, parent)
            for res in (r for r in lower if r < top):
                self.job(video, "vod-hls-transcoding", res, fps, "waiting", 10000, parent)
            if podcast:
                self.job(video, "vod-web-video-transcoding", 0, 0, "waiting", 10000, parent)
            self.pending_now()
            return video

    def job(self, video, type_, res, fps, state, priority, parent=None):
        job = {"uuid": str(uuid.uuid4()), "video": video, "type": type_, "resolution": res, "fps": fps, "state": state,
               "priority": priority, "parent": parent and parent["uuid"], "token": None,
               "queued": time.monotonic() if state == "pending" else None, "accepted": None, "completed": None}
        self.jobs.append(job)
        return job

    def pending_now(self):
        """A job became pending: PeerTube's sendAvailableJobsPingToRunners (called with the lock held)."""
        for sock in list(self.sockets):
            if not ws_send(sock, '42/runners,["available-jobs"]'):
                self.sockets.remove(sock)
        self.lock.notify_all()

    def published(self):
        """Seconds from the optimize job's accept to the completion of the first job that publishes
        the video (the top-resolution HLS job, PeerTube's canMoveVideoState), as an uploader waits."""
        optimize = next(j for j in self.jobs if j["parent"] is None)
        top = next(j for j in self.jobs if j["type"] == "vod-hls-transcoding" and j["resolution"] == optimize["resolution"])
        return top["completed"] - optimize["accepted"]

    def done(self, video=None):
        return all(j["state"] == "completed" for j in self.jobs if video is None or j["video"] == video)

    def payload(self, job, base):
        suffix = "/audio" if job["resolution"] == 0 else ""
        url = f"{base}/api/v1/runners/jobs/{job['uuid']}/files/videos/{job['video']}/max-quality{suffix}"
        output = {"resolution": job["resolution"], "fps": job["fps"]}
        if job["type"] == "vod-hls-transcoding":
            output["separatedAudio"] = False
        return {"input": {"videoFileUrl": url, "separatedAudioFileUrl": []}, "output": output}


WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def ws_send(sock, text):
    """One unmasked text frame (server to client); False when the client is gone."""
    data = text.encode()
    head = bytes([0x81, len(data)]) if len(data) < 126 else bytes([0x81, 126]) + struct.pack(">H", len(data))
    try:
        sock.sendall(head + data)
        return True
    except OSError:
        return False


def ws_read(rfile):
    """One client frame: (opcode, payload), unmasked; None at the end of the connection."""
    head = rfile.read(2)
    if len(head) < 2:
        return None
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if length == 126:
        length = struct.unpack(">H", rfile.read(2))[0]
    elif length == 127:
        length = struct.unpack(">Q", rfile.read(8))[0]
    mask = rfile.read(4) if head[1] & 0x80 else b"\0\0\0\0"
    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(rfile.read(length)))
    return opcode, payload


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

        def socket_io(self):
            """socket.io's /runners namespace over a WebSocket (runner-protocol.md §9)."""
            accept = base64.b64encode(hashlib.sha1((self.headers["Sec-WebSocket-Key"] + WS_GUID).encode()).digest()).decode()
            self.send_response(101)
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.send_header("Sec-WebSocket-Accept", accept)
            self.end_headers()
            self.wfile.flush()
            sock = self.connection
            ws_send(sock, '0{"sid":"%s","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}' % uuid.uuid4())
            while True:
                frame = ws_read(self.rfile)
                if frame is None or frame[0] == 8:
                    break
                text = frame[1].decode(errors="replace")
                if text.startswith("40/runners,"):
                    auth = json.loads(text[len("40/runners,"):] or "{}")
                    with instance.lock:
                        if auth.get("runnerToken") in instance.runners:
                            ws_send(sock, '40/runners,{"sid":"%s"}' % uuid.uuid4())
                            instance.sockets.append(sock)
                            instance.lock.notify_all()
                        else:
                            ws_send(sock, '44/runners,{"message":"Invalid runner token."}')
            with instance.lock:
                if sock in instance.sockets:
                    instance.sockets.remove(sock)
            self.close_connection = True

        def do_GET(self):
            if self.path.startswith("/socket.io/") and self.headers.get("Upgrade", "").lower() == "websocket":
                return self.socket_io()
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
                        job["accepted"] = time.monotonic()
                        return self.reply(200, {"job": {"uuid": job_uuid, "jobToken": job["token"],
                                                        "payload": instance.payload(job, base)}})
                    job = self.held(job_uuid, fields)
                    if not job:
                        return self.reply(404, {"detail": "Unknown runner job"})
                    if action == "update":
                        return self.reply(204)
                    if action in ("abort", "error"):
                        job["state"], job["token"] = "pending", None
                        instance.pending_now()
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
                job["state"], job["completed"] = "completed", time.monotonic()
                if job["type"] == "vod-web-video-transcoding" and job["resolution"] > 0:
                    instance.files[job["video"]] = files["payload[videoFile]"]
                for child in instance.jobs:
                    if child["parent"] == job["uuid"] and child["state"] == "waiting":
                        child["state"], child["queued"] = "pending", time.monotonic()
                instance.pending_now()
            self.reply(204)
    return Handler


def serve(instance):
    return benchlib.serve(lambda base: make_handler(instance, base))


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        data = response.read()
        return json.loads(data) if data else {}


def official_way(base, folder, instance, finished):
    """Two jobs at a time, one download and one ffmpeg each (apps/peertube-runner, §10). Idle, a
    worker waits to be told a job is pending, as the official runner's socket tells it."""
    token = post(f"{base}/api/v1/runners/register", {"registrationToken": "t", "name": "official"})["runnerToken"]

    def worker():
        while True:
            jobs = post(f"{base}/api/v1/runners/jobs/request", {"runnerToken": token})["availableJobs"]
            if not jobs:
                with instance.lock:
                    if finished():
                        return
                    if not any(j["state"] == "pending" for j in instance.jobs):
                        instance.lock.wait(timeout=1)
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

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    return threads


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


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_official(source, folder, fps):
    instance = Instance(source, folder, fps)
    server, base = serve(instance)
    cpu, start = children_cpu(), time.monotonic()
    for thread in official_way(base, folder, instance, instance.done):
        thread.join()
    wall = time.monotonic() - start
    server.shutdown()
    return wall, children_cpu() - cpu, instance.published()


def run_sluice(source, folder, fps, sluice, timeout=600):
    instance = Instance(source, folder, fps)
    server, base = serve(instance)
    start = time.monotonic()
    process, log = start_runner(sluice, base, folder)
    samples = []
    if TIMELINE:
        threading.Thread(target=sample_cpu, args=(process, start, samples), daemon=True).start()
    with instance.lock:
        while not instance.done():
            instance.lock.wait(timeout=1)
            # A runner that died, or a chain that stopped moving, fails the bench instead of hanging it.
            if process.poll() is not None or time.monotonic() - start > timeout:
                process.kill()
                server.shutdown()
                fail(f"the Sluice runner did not finish the chain in {timeout} s", log)
    wall = time.monotonic() - start
    cpu = tree_cpu(process.pid)
    if TIMELINE:
        print_timeline(instance, start, samples)
        shutil.copy(log, os.path.join(os.path.dirname(folder), "sluice-last.log"))
    process.send_signal(signal.SIGTERM)
    process.wait()
    server.shutdown()
    return wall, cpu, instance.published()


def sample_cpu(process, start, samples):
    """The runner's CPU (its whole tree) every half second, for --timeline."""
    while process.poll() is None:
        samples.append((time.monotonic() - start, tree_cpu(process.pid)))
        time.sleep(0.5)


def print_timeline(instance, start, samples):
    """Each job's accept and completion, and how busy the cores were between, from the runner's start."""
    for job in instance.jobs:
        print(f"    {job['type']:28}{job['resolution']:>6}  accepted {job['accepted'] - start:6.2f}"
              f"  completed {job['completed'] - start:6.2f}")
    for (t0, c0), (t1, c1) in zip(samples[::4], samples[4::4]):
        print(f"    {t0:6.1f}-{t1:5.1f} s: {(c1 - c0) / (t1 - t0) / os.cpu_count():4.0%} of the cores")


def reaction(o, who, clip):
    """Uploads one after another, each queued while the runner is idle: seconds from each job's
    queueing to its accept, for the uploads' first jobs and for every job."""
    folder = tempfile.mkdtemp(dir=o.out)
    instance = Instance(None, folder, 25)
    server, base = serve(instance)
    if who.startswith("sluice"):
        # Its defaults: 5 s poll, notifications on; "sluice-poll" without notifications, for comparison.
        process, log = start_runner(o.sluice, base, folder, ["--no-notifications"] if who == "sluice-poll" else [])
        with instance.lock:
            deadline = time.monotonic() + 30
            while who == "sluice" and not instance.sockets and time.monotonic() < deadline:
                instance.lock.wait(timeout=1)
    else:
        threads = official_way(base, folder, instance, lambda: instance.stopped)
    for _ in range(o.reaction):
        video = instance.add_upload(clip, 25, top=360, lower=[240], podcast=False)
        deadline = time.monotonic() + 120
        with instance.lock:
            while not instance.done(video):
                instance.lock.wait(timeout=1)
                if time.monotonic() > deadline:
                    sys.exit(f"{who}: an upload was not done in 120 s")
    with instance.lock:
        instance.stopped = True
        instance.lock.notify_all()
    if who.startswith("sluice"):
        process.send_signal(signal.SIGTERM)
        process.wait()
    else:
        for thread in threads:
            thread.join()
    server.shutdown()
    waits = [j["accepted"] - j["queued"] for j in instance.jobs]
    firsts = [j["accepted"] - j["queued"] for j in instance.jobs if j["parent"] is None]
    shutil.rmtree(folder, ignore_errors=True)
    return firsts, waits


def bench_reaction(o):
    clip = os.path.join(o.out, "reaction-360p.mp4")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i",
                    "sine=frequency=440", "-t", "3", "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", "-shortest", clip],
                   check=True)
    results = {who: reaction(o, who, clip) for who in ("sluice", "official", "sluice-poll")}
    print(f"\nReaction: {o.reaction} uploads (3 s 360p, HLS 360/240), each queued while the runner is idle; "
          "seconds from a job's queueing to its accept")
    print(f"{'':34}{'official way':>14}{'Sluice':>10}{'Sluice, polling only':>22}")
    for label, index in (("upload to accept, median", 0), ("upload to accept, max", 0), ("any job to accept, median", 1),
                         ("any job to accept, max", 1)):
        pick = max if "max" in label else statistics.median
        print(f"{label:34}{pick(results['official'][index]):14.2f}{pick(results['sluice'][index]):10.2f}"
              f"{pick(results['sluice-poll'][index]):22.2f}")
    return {who: {"uploadToAccept": r[0], "jobToAccept": r[1]} for who, r in results.items()}


def bench_source(name, o):
    source = os.path.join(o.out, f"upload-{name}-1080p25.mp4")
    make_source(source, o.seconds, SOURCES[name])
    results = {"sluice": [], "official": []}
    for run in range(o.runs):
        for who in (["sluice", "official"] if run % 2 == 0 else ["official", "sluice"]):
            folder = tempfile.mkdtemp(dir=o.out)
            wall, cpu, published = run_sluice(source, folder, 25, o.sluice) if who == "sluice" else run_official(source, folder, 25)
            results[who].append((wall, cpu, published))
            print(f"  {name} run {run + 1} {who}: published after {published:.2f} s, {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
            shutil.rmtree(folder, ignore_errors=True)
    med = {w: tuple(statistics.median(r[i] for r in rs) for i in range(3)) for w, rs in results.items()}
    print(f"\nOne {SOURCES[name]['label']} ({NOTES[name]}) upload, {o.seconds} s, HLS 1080/720/480/360/240/144 + podcast audio, "
          f"{os.cpu_count()} cores, medians of {o.runs}")
    print(f"{'':12}{'official way':>14}{'Sluice':>10}{'ratio':>8}")
    print(f"{'published':12}{med['official'][2]:14.2f}{med['sluice'][2]:10.2f}{med['sluice'][2] / med['official'][2]:8.3f}")
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
    ap.add_argument("--reaction", type=int, default=20, help="uploads for the reaction measure (0: skip it)")
    ap.add_argument("--timeline", action="store_true", help="print each Sluice run's jobs and CPU over time")
    o = ap.parse_args()
    global TIMELINE
    TIMELINE = o.timeline
    shutil.rmtree(o.out, ignore_errors=True)
    os.makedirs(o.out)
    report = {name: bench_source(name, o) for name in ([o.only] if o.only else ["phone", "web"]) if o.runs > 0}
    if o.reaction > 0:
        report["reaction"] = bench_reaction(o)
    with open(os.path.join(o.out, "runner-bench.json"), "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
