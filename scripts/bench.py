#!/usr/bin/env python3
"""Sluice against the ffmpeg CLI on the same machine, source and ladder, in one run.

The CLI runs as PeerTube would if it decoded once: one process, the split filter feeding one
scale (bicubic) + libx264 + HLS output per rung, with PeerTube's x264 options (veryfast, bf 16,
b_strategy 1, maxrate/bufsize from the same bitrate table, -g 2*fps). Both force keyframes on
the same 2 s grid (RFC 8216 6.2.4 alignment; without it x264's scene cuts restart GOPs off the
grid and the CLI saves the extra I-frames that alignment costs). Sluice runs
`sluice transcode --tier large`. Reported: wall and CPU seconds, peak RSS, output sizes and
per-rung PSNR against the source scaled with the same bicubic scaler, and the ratios.

Usage: scripts/bench.py [--source FILE] [--seconds N] [--grain] [--sluice PATH] [--out DIR]
                        [--tier T | --pipeline FILE]
"""
import argparse, json, os, re, resource, shutil, subprocess, sys, time

LADDER = [1080, 720, 480, 360, 240, 144]


def run_measured(cmd, **kw):
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    out_chunks = []
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{err[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "max_rss_mb": usage.ru_maxrss / 1024}, out


def probe(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-of", "json", "-show_streams", "-show_format", path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def make_source(path, seconds, grain):
    """A 1080p25 source with real picture content: the bundled clip upscaled and looped, as a
    high-quality upload (CRF 18). With grain, film-grain noise at CRF 16 makes a heavy source
    whose decoding alone is a third of the ladder's CPU."""
    sample = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "sample.mp4")
    video_filter = "scale=1920:1080:flags=lanczos" + (",noise=alls=6:allf=t" if grain else "")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-i", sample, "-t", str(seconds),
                    "-vf", video_filter, "-r", "25",
                    "-c:v", "libx264", "-preset", "medium", "-crf", "16" if grain else "18", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "192k", path], check=True)


def cli_command(source, out_dir, plan, audio):
    rungs = plan["renditions"]
    split = f"[0:v]split={len(rungs)}" + "".join(f"[s{i}]" for i in range(len(rungs)))
    scales = ";".join(f"[s{i}]scale={r['width']}:{r['height']}:flags=bicubic[v{i}]" for i, r in enumerate(rungs))
    cmd = ["ffmpeg", "-v", "error", "-y", "-i", source, "-filter_complex", f"{split};{scales}"]
    for i, r in enumerate(rungs):
        fps = r["fps"]
        cmd += ["-map", f"[v{i}]"]
        if audio:
            cmd += ["-map", "0:a:0", "-c:a", "aac", "-b:a", str(audio["bitRate"]), "-ac", "2"]
        cmd += ["-c:v", "libx264", "-preset", "veryfast", "-maxrate:v", str(r["maxBitrate"]),
                "-bufsize:v", str(2 * r["maxBitrate"]), "-b_strategy", "1", "-bf", "16", "-r", str(fps),
                "-g:v", str(fps * 2), "-force_key_frames", "expr:gte(t,n_forced*2)",
                "-pix_fmt", "yuv420p", "-map_metadata", "-1",
                "-hls_time", "4", "-hls_list_size", "0", "-hls_playlist_type", "vod",
                "-hls_segment_type", "fmp4", "-hls_flags", "single_file",
                "-hls_segment_filename", os.path.join(out_dir, f"cli-{r['resolution']}-fragmented.mp4"),
                "-f", "hls", os.path.join(out_dir, f"cli-{r['resolution']}.m3u8")]
    return cmd


def psnr(output, source, width, height):
    graph = f"[1:v]scale={width}:{height}:flags=bicubic[ref];[0:v][ref]psnr"
    res = subprocess.run(["ffmpeg", "-v", "info", "-nostats", "-i", output, "-i", source, "-filter_complex", graph,
                          "-f", "null", "-"], capture_output=True, text=True)
    m = re.search(r"average:([0-9.]+|inf)", res.stderr)
    return float(m.group(1)) if m else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source")
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--sluice", default=".build/release/sluice")
    ap.add_argument("--out", default="bench-out")
    ap.add_argument("--tier", default="large")
    ap.add_argument("--pipeline", help="a pipeline file for Sluice instead of --tier (e.g. with video.parallelism: frames)")
    ap.add_argument("--grain", action="store_true", help="add film grain to the generated source (heavy to decode)")
    o = ap.parse_args()
    shutil.rmtree(o.out, ignore_errors=True)
    os.makedirs(o.out)
    source = o.source or os.path.join(o.out, "source-1080p25.mp4")
    if not o.source:
        make_source(source, o.seconds, o.grain)
    ladder = ["--pipeline", o.pipeline] if o.pipeline else ["--tier", o.tier]
    _, plan_json = run_measured([o.sluice, "plan", source, *ladder, "--json"])
    plan = json.loads(plan_json)
    duration = float(probe(source)["format"]["duration"])

    cli_dir = os.path.join(o.out, "cli")
    os.makedirs(cli_dir)
    cli, _ = run_measured(cli_command(source, cli_dir, plan, plan.get("audio")))
    sluice_dir = os.path.join(o.out, "sluice")
    sluice, result_json = run_measured([o.sluice, "transcode", source, *ladder, "-o", sluice_dir, "--json"])
    result = json.loads(result_json)

    rows = []
    for r in plan["renditions"]:
        res = r["resolution"]
        cli_file = os.path.join(cli_dir, f"cli-{res}-fragmented.mp4")
        ours = next(x for x in result["renditions"] if x["resolution"] == res)
        our_file = os.path.join(result["directory"], ours["file"])
        rows.append({"resolution": res, "size": f"{r['width']}x{r['height']}",
                     "cli_bytes": os.path.getsize(cli_file), "sluice_bytes": os.path.getsize(our_file),
                     "cli_psnr": psnr(cli_file, source, r["width"], r["height"]),
                     "sluice_psnr": psnr(our_file, source, r["width"], r["height"])})

    report = {"source": source, "duration": duration, "cores": os.cpu_count(), "cli": cli, "sluice": sluice,
              "ratio": {"wall": sluice["wall"] / cli["wall"], "cpu": sluice["cpu"] / cli["cpu"],
                        "max_rss": sluice["max_rss_mb"] / cli["max_rss_mb"]},
              "renditions": rows}
    with open(os.path.join(o.out, "bench.json"), "w") as f:
        json.dump(report, f, indent=2)

    print(f"Source: {source} ({duration:.1f} s, 1080p25), {o.pipeline or 'tier ' + o.tier}, {os.cpu_count()} cores\n")
    print(f"{'':14}{'ffmpeg CLI':>12}{'Sluice':>12}{'ratio':>9}")
    print(f"{'wall (s)':14}{cli['wall']:12.2f}{sluice['wall']:12.2f}{report['ratio']['wall']:9.3f}")
    print(f"{'CPU (s)':14}{cli['cpu']:12.2f}{sluice['cpu']:12.2f}{report['ratio']['cpu']:9.3f}")
    print(f"{'peak RSS (MB)':14}{cli['max_rss_mb']:12.1f}{sluice['max_rss_mb']:12.1f}{report['ratio']['max_rss']:9.3f}")
    print(f"{'x realtime':14}{duration / cli['wall']:12.2f}{duration / sluice['wall']:12.2f}\n")
    print(f"{'rung':>6} {'size':>10} {'CLI bytes':>11} {'Sluice bytes':>13} {'size ratio':>10} {'CLI PSNR':>9} {'Sluice PSNR':>12} {'dPSNR':>7}")
    for row in rows:
        print(f"{row['resolution']:>5}p {row['size']:>10} {row['cli_bytes']:>11} {row['sluice_bytes']:>13} "
              f"{row['sluice_bytes'] / row['cli_bytes']:>10.3f} {row['cli_psnr']:>9.2f} {row['sluice_psnr']:>12.2f} "
              f"{row['sluice_psnr'] - row['cli_psnr']:>+7.2f}")
    total_cli = sum(r["cli_bytes"] for r in rows)
    total_ours = sum(r["sluice_bytes"] for r in rows)
    print(f"{'total':>6} {'':>10} {total_cli:>11} {total_ours:>13} {total_ours / total_cli:>10.3f}")


if __name__ == "__main__":
    main()
