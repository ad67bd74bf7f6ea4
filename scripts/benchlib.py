"""What the runner benches share: the CPU of a process tree, a loopback test instance, and a
registered `sluice runner serve` against it."""
import os, subprocess, sys, tempfile, threading
from http.server import ThreadingHTTPServer


def tree_cpu(pid):
    """CPU seconds of a live process and all its live descendants, each with the CPU of the
    children it has already reaped (/proc/PID/stat utime, stime, cutime, cstime). Sluice's job
    children are forked by its spawner, which a plain rusage of Sluice would not include."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    total = sum(int(x) for x in fields[11:15]) / tick
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            children = open(f"/proc/{pid}/task/{task}/children").read().split()
        except OSError:
            continue
        total += sum(tree_cpu(int(child)) for child in children)
    return total


def serve(make_handler):
    """A loopback test instance: `make_handler(base)` gives the request handler class for its
    base URL. Returns the server (shut it down when done) and the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = make_handler(base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def start_runner(sluice, base, folder, arguments=(), state=None):
    """Registers a Sluice runner on the instance at `base` (state in `state`, else a new folder
    under `folder`) and starts `sluice runner serve` with `arguments`. Returns the process and its
    log's path."""
    state = state or tempfile.mkdtemp(dir=folder)
    subprocess.run([sluice, "runner", "register", "--state", state, "--url", base, "--registration-token", "t",
                    "--name", "bench"], check=True, capture_output=True)
    log = os.path.join(folder, "sluice.log")
    return subprocess.Popen([sluice, "runner", "serve", "--state", state, "--http", "off", "--log-format", "json",
                             *arguments], stderr=open(log, "w")), log


def fail(reason, log):
    """Ends the bench with `reason` and the end of Sluice's log."""
    sys.exit(f"{reason}; Sluice's log ({log}) ends:\n" + open(log).read()[-2000:])
