#!/usr/bin/env python3
"""Publishing a 1080p upload into PeerTube, Sluice's way against the official way, on the same
machine, the same test instance and the same source, in one run.

The test instance is runner-bench.py's (PeerTube 8.2's chain for an HLS-only upload, the runner
API, /api/v1/config) with the REST side a publishing client uses (peertube-upload-api.md): OAuth
password and refresh grants, the channel, the resumable upload (init, 308 + Range chunks, the
final chunk that makes the video and queues its jobs), the video's state, the thumbnail.

- Sluice: `sluice login`, `sluice runner serve` and `sluice publish FILE` with the same state
  folder: the package is prepared first (one decode, the instance's ladder), then the original
  is uploaded and the runner answers every job from the package.
- The official way: the same original uploaded with the same protocol (8 MB chunks), then
  transcoded by the official runner's way (two jobs at a time, one ffmpeg each).

Reported, medians of --runs: upload start to published (the top HLS job completed), upload end
to published, and Sluice's preparation time (which a watch folder or an import spends before
the upload, while the file waits anyway).

Usage: scripts/publish-bench.py [--only phone|web] [--runs N] [--seconds N] [--sluice PATH] [--out DIR]
"""
import argparse, datetime, importlib.util, json, os, random, shutil, statistics, subprocess, sys, tempfile, time, \
    urllib.request, uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
spec = importlib.util.spec_from_file_location("runner_bench", os.path.join(HERE, "runner-bench.py"))
rb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rb)
from bench import SOURCES, make_source  # noqa: E402
import benchlib  # noqa: E402

CHUNK = 8 << 20


class Uploads:
    """The REST side's state: tokens, uploads in progress, the videos made and when."""

    def __init__(self):
        self.tokens = set()
        self.uploads = {}
        self.videos = {}
        self.started = None
        self.ended = None
        # Faults (publish-chaos.py): the share of chunks answered 500, and cut after half their bytes.
        self.faults = {"fail": 0.0, "cut": 0.0}
        self.random = random.Random(11)
        self.chunks = self.failed = self.cut = self.restarts = 0


def make_publish_handler(instance, base, uploads):
    parent = rb.make_handler(instance, base)

    class Handler(parent):
        def authorized(self):
            header = self.headers.get("Authorization", "")
            if header[len("Bearer "):] in uploads.tokens:
                return True
            self.reply(401, {"status": 401, "code": "invalid_token", "detail": "Token is invalid"})
            return False

        def do_GET(self):
            path = self.path.split("?")[0]
            if path == "/api/v1/oauth-clients/local":
                return self.reply(200, {"client_id": "c", "client_secret": "s"})
            if path.startswith("/api/v1/video-channels/"):
                return self.reply(200, {"id": 1, "name": path.rsplit("/", 1)[1]})
            if path == "/api/v1/users/me/videos":
                if not self.authorized():
                    return
                data = [{"id": v["id"], "uuid": u, "shortUUID": u[:8], "name": v["name"], "state": {"id": 2, "label": "To transcode"}}
                        for u, v in uploads.videos.items()]
                return self.reply(200, {"total": len(data), "data": data[::-1]})
            if path.startswith("/api/v1/videos/") and path.endswith("/source"):
                if not self.authorized():
                    return
                video = next((v for v in uploads.videos.values() if str(v["id"]) == path.split("/")[4]), None)
                if video is None:
                    return self.reply(404, {"detail": "Video not found"})
                return self.reply(200, {"inputFilename": video["filename"], "size": video["size"], "createdAt": video["created"]})
            if path.startswith("/api/v1/videos/"):
                if not self.authorized():
                    return
                video = path.rsplit("/", 1)[1]
                with instance.lock:
                    top = [j for j in instance.jobs if j["video"] == video and j["type"] == "vod-hls-transcoding"
                           and j["parent"] is not None and j["priority"] == 100]
                    published = any(j["state"] == "completed" for j in top)
                return self.reply(200, {"id": 1, "uuid": video, "shortUUID": video[:8], "name": "bench",
                                        "state": {"id": 1 if published else 2, "label": "Published" if published else "To transcode"}})
            return super().do_GET()

        def do_POST(self):
            path = self.path.split("?")[0]
            if path == "/api/v1/users/token":
                self.body()
                token = uuid.uuid4().hex
                uploads.tokens.add(token)
                return self.reply(200, {"token_type": "Bearer", "access_token": token, "refresh_token": uuid.uuid4().hex,
                                        "expires_in": 86399, "refresh_token_expires_in": 1209599})
            if path == "/api/v1/videos/upload-resumable":
                fields = json.loads(self.body() or b"{}")
                if not self.authorized():
                    return
                upload_id = uuid.uuid4().hex
                folder = instance.folder
                if any(u["filename"] == fields.get("filename") and u["written"] > 0 for u in uploads.uploads.values()):
                    uploads.restarts += 1  # an upload of this file with bytes on the instance, begun again
                uploads.uploads[upload_id] = {"size": int(self.headers["X-Upload-Content-Length"]), "name": fields.get("name"),
                                              "filename": fields.get("filename"), "path": os.path.join(folder, "upload-" + upload_id),
                                              "written": 0}
                open(uploads.uploads[upload_id]["path"], "wb").close()
                uploads.started = uploads.started or time.monotonic()
                self.send_response(201)
                self.send_header("Location", f"//127.0.0.1/api/v1/videos/upload-resumable?upload_id={upload_id}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            return super().do_POST()

        def do_PUT(self):
            path, _, query = self.path.partition("?")
            data = self.body()
            if not self.authorized():
                return
            if path.startswith("/api/v1/videos/") and path != "/api/v1/videos/upload-resumable":
                return self.reply(204)
            upload = uploads.uploads.get(query.split("upload_id=")[-1])
            if upload is None:
                return self.reply(404, {"error": {"code": "FileNotFound"}})
            spec_ = self.headers.get("Content-Range", "").replace("bytes ", "")
            if not spec_.startswith("*"):
                start = int(spec_.split("-")[0])
                uploads.chunks += 1
                if start == 0 and upload["written"] > 0:
                    uploads.restarts += 1
                roll = uploads.random.random()
                if roll < uploads.faults["fail"]:
                    uploads.failed += 1
                    return self.reply(500, {"status": 500, "detail": "Internal Server Error"})
                cut = roll < uploads.faults["fail"] + uploads.faults["cut"]
                if cut:
                    uploads.cut += 1
                    data = data[:len(data) // 2]
                with open(upload["path"], "r+b") as f:
                    f.seek(start)
                    f.write(data)
                upload["written"] = max(upload["written"], start + len(data))
                if cut:
                    return self.reply(500, {"status": 500, "detail": "the connection was cut"})
            if upload["written"] < upload["size"]:
                self.send_response(308)
                self.send_header("Range", f"bytes=0-{upload['written'] - 1}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            uploads.ended = time.monotonic()
            video = instance.add_upload(upload["path"], 25)
            del uploads.uploads[query.split("upload_id=")[-1]]
            uploads.videos[video] = {"id": len(uploads.videos) + 1, "path": upload["path"], "name": upload["name"],
                                     "filename": upload["filename"], "size": upload["size"],
                                     "created": datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")}
            return self.reply(200, {"video": {"id": uploads.videos[video]["id"], "uuid": video, "shortUUID": video[:8]}})

    return Handler


def serve(instance, uploads):
    return benchlib.serve(lambda base: make_publish_handler(instance, base, uploads))


def published_at(instance):
    """When the top HLS job completed (PeerTube publishes then)."""
    with instance.lock:
        top = [j for j in instance.jobs if j["type"] == "vod-hls-transcoding" and j["priority"] == 100 and j["completed"]]
        return top[0]["completed"] if top else None


def upload_python(base, source):
    """The official CLI's side of an upload: the resumable protocol, 8 MB chunks."""
    token = json.loads(urllib.request.urlopen(urllib.request.Request(f"{base}/api/v1/users/token", data=b"grant_type=password")).read())["access_token"]
    size = os.path.getsize(source)
    request = urllib.request.Request(f"{base}/api/v1/videos/upload-resumable", method="POST", data=b'{"name": "bench", "channelId": 1, "filename": "x.mp4"}',
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                              "X-Upload-Content-Length": str(size), "X-Upload-Content-Type": "video/mp4"})
    location = urllib.request.urlopen(request).headers["Location"]
    upload_id = location.split("upload_id=")[1]
    with open(source, "rb") as f:
        offset = 0
        while offset < size:
            chunk = f.read(CHUNK)
            request = urllib.request.Request(f"{base}/api/v1/videos/upload-resumable?upload_id={upload_id}", method="PUT", data=chunk,
                                             headers={"Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream",
                                                      "Content-Range": f"bytes {offset}-{offset + len(chunk) - 1}/{size}"})
            try:
                urllib.request.urlopen(request).read()
            except urllib.error.HTTPError as error:
                if error.code != 308:
                    raise
            offset += len(chunk)


def run_official(source, folder):
    instance, uploads = rb.Instance(None, folder, 25), Uploads()
    server, base = serve(instance, uploads)
    upload_python(base, source)
    for thread in rb.official_way(base, folder, instance, lambda: published_at(instance) is not None):
        thread.join()
    server.shutdown()
    return {"prepare": 0.0, "fromStart": published_at(instance) - uploads.started, "fromEnd": published_at(instance) - uploads.ended}


def run_sluice(source, folder, sluice, extra=()):
    instance, uploads = rb.Instance(None, folder, 25), Uploads()
    server, base = serve(instance, uploads)
    state = tempfile.mkdtemp(dir=folder)
    password = os.path.join(folder, "password")
    with open(password, "w") as f:
        f.write("bench\n")
    subprocess.run([sluice, "login", "--state", state, "--url", base, "--username", "bench", "--password-file", password], check=True,
                   capture_output=True)
    runner, _ = benchlib.start_runner(sluice, base, folder, state=state)
    started = time.monotonic()
    subprocess.run([sluice, "publish", source, "--state", state, "--url", base, "--channel", "bench_channel", "--tier", "large",
                    "--log-format", "json", *extra], check=True, capture_output=True, timeout=900)
    runner.terminate()
    runner.wait()
    server.shutdown()
    return {"prepare": uploads.started - started, "fromStart": published_at(instance) - uploads.started,
            "fromEnd": published_at(instance) - uploads.ended, "bytes": sum(v["size"] for v in uploads.videos.values())}


def bench_source(name, o):
    source = os.path.join(o.out, f"upload-{name}-1080p25.mp4")
    make_source(source, o.seconds, SOURCES[name])
    results = {"sluice": [], "official": []}
    for run in range(o.runs):
        for who in (["sluice", "official"] if run % 2 == 0 else ["official", "sluice"]):
            folder = tempfile.mkdtemp(dir=o.out)
            result = run_sluice(source, folder, o.sluice) if who == "sluice" else run_official(source, folder)
            results[who].append(result)
            print(f"  {name} run {run + 1} {who}: prepared in {result['prepare']:.2f} s, published {result['fromStart']:.2f} s after the "
                  f"upload started, {result['fromEnd']:.2f} s after it ended", flush=True)
            shutil.rmtree(folder, ignore_errors=True)
    med = {w: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for w, rs in results.items()}
    print(f"\nPublishing one {SOURCES[name]['label']} upload, {o.seconds} s, {os.path.getsize(source) / 1e6:.1f} MB, "
          f"HLS 1080 to 144 + podcast audio, {os.cpu_count()} cores, medians of {o.runs}")
    print(f"{'':36}{'official way':>14}{'Sluice':>10}{'ratio':>8}")
    for label, key in (("upload start to published (s)", "fromStart"), ("upload end to published (s)", "fromEnd")):
        print(f"{label:36}{med['official'][key]:14.2f}{med['sluice'][key]:10.2f}{med['sluice'][key] / med['official'][key]:8.3f}")
    print(f"{'Sluice preparing before the upload (s)':36}{'':14}{med['sluice']['prepare']:10.2f}", flush=True)
    folder = tempfile.mkdtemp(dir=o.out)
    prepared = run_sluice(source, folder, o.sluice, ["--upload", "prepared"])
    shutil.rmtree(folder, ignore_errors=True)
    original = os.path.getsize(source)
    print(f"--upload prepared (one run): {prepared['bytes'] / 1e6:.1f} MB sent instead of {original / 1e6:.1f} MB "
          f"({prepared['bytes'] / original:.2f}x), published {prepared['fromStart']:.2f} s after the upload started\n", flush=True)
    results["prepared"] = [prepared]
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=sorted(SOURCES))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--sluice", default=".build/release/sluice")
    ap.add_argument("--out", default="bench-out/publish")
    o = ap.parse_args()
    shutil.rmtree(o.out, ignore_errors=True)
    os.makedirs(o.out)
    report = {name: bench_source(name, o) for name in ([o.only] if o.only else ["phone", "web"])}
    with open(os.path.join(o.out, "publish-bench.json"), "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
