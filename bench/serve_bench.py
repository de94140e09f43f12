"""make bench-serve: `docrules serve` beside json-rules-engine behind Node's
http module (bench/serve-peer), the same reference policy, the same
accounts, on loopback, in one run. bench/serve.sh prepares the inputs and
calls this.

What is measured, each server in turn, round after round (A B A B ...: a
machine whose speed drifts slows both alike, as bench/timing.py does):

- full load: wrk (bench/serve-wrk.lua, POSTing the accounts in a cycle)
  with a fixed number of connections: requests/s, p50, p99 (wrk's, closed
  loop), and the servers' peak RSS (VmHWM of /proc/PID/status; the peer's
  is the sum over its processes, as each is a whole Node);
- p99 at half of docrules' peak requests/s: bench/serve_load.c, an open-loop
  client at a fixed rate (wrk2's way: Debian has no wrk2), latency counted
  from when each request was due;
- a reload under full load: SIGHUP in the middle of a wrk run; answers that
  were not 2xx, socket errors, and p99 beside the rounds without a reload.

wrk, the servers and anything else on the machine share its cores: compare
the two servers within a run, not runs across machines. So that a ratio can
be read against what the machine allows at all, nginx answering a fixed
body without any work (no decision, the request body discarded) is driven
the same way in the same rounds when it is installed (Debian's nginx-light,
the bench group): the most requests/s any HTTP/1.1 server reaches here
under this load generator. Nothing is asserted
here but that both servers answer the reference policy's decisions."""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import http.client


def start(name, cmd, env=None):
    """Starts a server, waits for its "listening on http://ADDR:PORT" line
    on stderr; returns (Popen, port, stderr lines)."""
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         env=env, text=True)
    lines, port = [], []
    ready = threading.Event()

    def drain():
        for line in p.stderr:
            lines.append(line)
            m = re.search(r"listening on http://[^ ]*:(\d+)", line)
            if m and not port:
                port.append(int(m.group(1)))
                ready.set()
        ready.set()

    threading.Thread(target=drain, daemon=True).start()
    if not ready.wait(120) or not port:
        p.kill()
        sys.exit("bench-serve: %s did not say it listens: %s" % (name, "".join(lines)[-800:]))
    return p, port[0], lines


def free_port():
    import socket
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


def start_nginx(out, workers):
    """nginx with a configuration of our own under OUT (none of the system's
    files), in the foreground, answering every request with a fixed body;
    None when nginx is not installed or does not start."""
    import shutil
    exe = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if not exe:
        return None
    d = os.path.abspath(os.path.join(out, "nginx"))
    os.makedirs(d, exist_ok=True)
    port = free_port()
    temps = "".join("  %s_temp_path %s/%s;\n" % (t, d, t) for t in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    with open(os.path.join(d, "nginx.conf"), "w") as f:
        f.write("worker_processes %d;\npid %s/nginx.pid;\nerror_log %s/error.log;\n"
                "events { worker_connections 4096; }\nhttp {\n  access_log off;\n"
                "  keepalive_requests 1000000000;\n%s"
                "  server {\n    listen 127.0.0.1:%d;\n    location / { default_type application/json;\n"
                "      return 200 '{\"id\":\"acc-1\",\"decision\":\"allowed\",\"channels\":[\"online\"]}\\n'; }\n"
                "  }\n}\n" % (workers, d, d, temps, port))
    p = subprocess.Popen([exe, "-p", d, "-e", os.path.join(d, "error.log"), "-c", os.path.join(d, "nginx.conf"),
                          "-g", "daemon off;"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/")
            if c.getresponse().status == 200:
                return p, port
        except OSError:
            time.sleep(0.05)
        if p.poll() is not None:
            break
    p.kill()
    return None


def post(conn, path, body):
    conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    return r.status, r.read()


def check_answers(servers, accounts, shared, n=200):
    """Both servers decide the first n accounts as the reference policy's
    oracle does: a bench of wrong answers would measure nothing."""
    sys.path.insert(0, os.path.join(shared, "bench", "gen"))
    import json
    from reference_policy import decide
    with open(accounts) as f:
        lines = [next(f) for _ in range(n)]
    for s in servers:
        c = http.client.HTTPConnection("127.0.0.1", s["port"], timeout=10)
        for line in lines:
            status, body = post(c, s["path"], line.encode())
            want = decide(json.loads(line))[0]
            got = json.loads(body).get("decision") if status == 200 else None
            if got != want:
                sys.exit("bench-serve: %s answers %d %s for %s; the reference policy says %s"
                         % (s["name"], status, body[:300], line.strip(), want))
        c.close()


def peak_rss_kib(pid):
    """VmHWM of pid and of its children, summed (a Node cluster is several
    processes; docrules serve is one)."""
    total = 0
    for p in [pid] + children(pid):
        try:
            with open("/proc/%d/status" % p) as f:
                total += int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))
        except (OSError, AttributeError):
            pass
    return total


def children(pid):
    out = []
    try:
        for t in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, t)) as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def wrk(a, s, secs, during=None):
    cmd = ["wrk", "-t%d" % a.wrk_threads, "-c%d" % a.conns, "-d%ds" % secs, "--timeout", "5s",
           "-s", a.wrk_script, "http://127.0.0.1:%d%s" % (s["port"], s["path"]), "--", a.accounts]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if during:
        during()
    out, err = p.communicate()
    m = re.search(r"^wrk: (.*)$", out, re.M)
    if p.returncode != 0 or not m:
        sys.exit("bench-serve: wrk failed on %s: %s%s" % (s["name"], out[-500:], err[-500:]))
    return {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}


def load_at(a, s, rate):
    out = subprocess.run([a.load, "127.0.0.1", str(s["port"]), s["path"], "%.0f" % rate, str(a.secs),
                          str(a.conns), a.accounts], stdout=subprocess.PIPE, text=True, check=True).stdout
    return {k: float(v) for k, v in (kv.split("=") for kv in out.split())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docrules", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--node-path", help="node_modules holding json-rules-engine; none: no peer")
    ap.add_argument("--accounts", required=True)
    ap.add_argument("--load", required=True, help="bench/serve_load.c, built")
    ap.add_argument("--wrk-script", default="bench/serve-wrk.lua")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--secs", type=int, default=5)
    ap.add_argument("--conns", type=int, default=32)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--out", default="build/bench", help="where nginx's configuration is written")
    a = ap.parse_args()

    servers = []
    ceiling = None
    has_serve = subprocess.run([a.docrules, "serve", "--help"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL).returncode == 0
    try:
        if has_serve:
            p, port, log = start("docrules serve", [a.docrules, "serve", "-j", str(a.jobs), "--listen", "127.0.0.1:0",
                                                    "--rules", a.rules, "--corpus", a.corpus])
            # The fields the peer answers (its "channel" is our "channels").
            servers.append({"name": "docrules serve -j %d" % a.jobs, "proc": p, "port": port, "log": log,
                            "path": "/v1/decide?fields=id,decision,channels"})
        else:
            print("bench-serve: %s has no serve command (not merged yet?): the peer alone" % a.docrules)
        if a.node_path:
            env = dict(os.environ, NODE_PATH=a.node_path)
            p, port, log = start("the peer", ["node", "bench/serve-peer/server.js",
                                              os.path.join(a.shared, "bench", "p1-json-rules-engine", "rules.json"),
                                              "--workers", str(a.jobs), "--listen", "127.0.0.1:0"], env)
            servers.append({"name": "json-rules-engine, node:http x%d" % a.jobs, "proc": p, "port": port, "log": log,
                            "path": "/v1/decide"})
        if not servers:
            sys.exit("bench-serve: nothing to measure")
        check_answers(servers, a.accounts, a.shared)
        # The ceiling comes last: the ratios and rates below are the first two's.
        ng = start_nginx(a.out, a.jobs)
        if ng:
            ceiling = {"name": "nginx x%d, fixed answer, no work" % a.jobs, "proc": ng[0], "port": ng[1],
                       "log": [], "path": "/v1/decide"}
            servers.append(ceiling)
        else:
            print("bench-serve: nginx is not installed (Debian's nginx-light) or did not start: "
                  "no row for the machine's ceiling")

        for s in servers:  # warm-up: JIT, caches, connections
            wrk(a, s, 1)
        for s in servers:
            s["rounds"] = []
        for _ in range(a.rounds):
            for s in servers:
                s["rounds"].append(wrk(a, s, a.secs))
        for s in servers:
            s["rss"] = peak_rss_kib(s["proc"].pid)

        print("serve, reference policy, loopback: wrk -t%d -c%d, %d s x %d rounds, servers in turn"
              % (a.wrk_threads, a.conns, a.secs, a.rounds))
        print("%-36s %11s %8s %8s %10s" % ("", "requests/s", "p50 ms", "p99 ms", "peak RSS"))
        for s in servers:
            r = s["rounds"]
            s["rps"] = statistics.median(x["rps"] for x in r)
            s["p99"] = statistics.median(x["p99_us"] for x in r) / 1000
            bad = sum(x["non2xx"] + x["connect"] + x["read"] + x["write"] + x["timeout"] for x in r)
            print("%-36s %11.0f %8.2f %8.2f %6.1f MiB%s" % (
                s["name"], s["rps"], statistics.median(x["p50_us"] for x in r) / 1000, s["p99"], s["rss"] / 1024,
                "  (%d errors or non-2xx)" % bad if bad else ""))
        if ceiling:
            servers.remove(ceiling)
        def ratio(x, y):
            rs = [u["rps"] / v["rps"] for u, v in zip(x["rounds"], y["rounds"])]
            return statistics.median(rs), ", ".join("%.2f" % r for r in rs)
        if len(servers) == 2:
            print("%s / peer, requests/s: %.2fx (median of per-round ratios: %s)" % (
                (servers[0]["name"],) + ratio(servers[0], servers[1])))
        if ceiling:
            for s in servers:
                print("%s / the ceiling: %.2fx (%s)" % ((s["name"],) + ratio(s, ceiling)))
            if len(servers) == 2:
                print("the ceiling / peer: %.2fx: no HTTP server on this machine and load generator reaches more"
                      % ratio(ceiling, servers[1])[0])

        # Half of docrules' peak (the peer's when docrules is not there).
        rate = servers[0]["rps"] / 2
        print("p99 at %.0f requests/s (half of %s's peak; open loop, bench/serve_load.c, %d connections, %d s):"
              % (rate, servers[0]["name"].split(",")[0], a.conns, a.secs))
        def at(s, rate, label):
            r = load_at(a, s, rate)
            print("  %-34s p50 %.2f ms, p99 %.2f ms, max %.2f ms; %.0f/s done%s" % (
                label, r["p50_ms"], r["p99_ms"], r["max_ms"], r["rate"],
                "; %d late, %d non-2xx, %d errors" % (r["late"], r["non2xx"], r["errors"])
                if r["late"] or r["non2xx"] or r["errors"] else ""))
        for s in servers:
            at(s, rate, s["name"])
        # A peer slower than half of docrules' peak only queues at that
        # rate; at half of its own it says what its latency is.
        for s in servers[1:]:
            if s["rps"] / 2 < rate:
                print("  at %.0f requests/s, half of its own peak:" % (s["rps"] / 2))
                at(s, s["rps"] / 2, s["name"])

        print("reload under full load (SIGHUP %d s into a %d s wrk run):" % (a.secs, 2 * a.secs))
        for s in servers:
            def hup(s=s):
                time.sleep(a.secs)
                s["proc"].send_signal(signal.SIGHUP)
            r = wrk(a, s, 2 * a.secs, hup)
            alive = s["proc"].poll() is None
            c = http.client.HTTPConnection("127.0.0.1", s["port"], timeout=10)
            try:
                c.request("GET", "/healthz")
                health = c.getresponse().status
            except OSError:
                health = "no answer"
            print("  %-34s %d requests, non-2xx %d, socket errors %d (connect %d, read %d, write %d, timeout %d); "
                  "p99 %.2f ms (%.2f without reload); %s, /healthz %s" % (
                      s["name"], r["requests"], r["non2xx"], r["connect"] + r["read"] + r["write"] + r["timeout"],
                      r["connect"], r["read"], r["write"], r["timeout"], r["p99_us"] / 1000, s["p99"],
                      "running" if alive else "DIED", health))
        for s in servers:
            said = [x.strip() for x in s["log"][1:] if x.strip()]
            if said:
                print("  %s said on stderr: %s" % (s["name"], " | ".join(said[-3:])))
        print("load average: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    finally:
        if ceiling:
            ceiling["proc"].send_signal(signal.SIGQUIT)  # nginx's graceful stop
            try:
                ceiling["proc"].wait(10)
            except subprocess.TimeoutExpired:
                ceiling["proc"].kill()
        for s in servers:
            if s["proc"].poll() is None:
                s["proc"].send_signal(signal.SIGTERM)
        for s in servers:
            try:
                rc = s["proc"].wait(30)
                if rc != 0:
                    print("bench-serve: %s exited %d after SIGTERM" % (s["name"], rc))
            except subprocess.TimeoutExpired:
                s["proc"].kill()
                print("bench-serve: %s did not stop within 30 s of SIGTERM" % s["name"])


if __name__ == "__main__":
    main()
