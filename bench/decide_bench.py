#!/usr/bin/env python3
"""Decisions: docrules batch beside the peers of ../shared/bench on the same
accounts, in one run. Checks first that docrules' decisions equal the
reference oracle's field by field (decision, channel), then times each tool
(median of RUNS after a warm-up) and prints decisions/s, peak RSS and ratios.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

CHANNEL = {"online": "online", "support": "support_call", "portal": "portal"}


def run(cmd, stdin, stdout):
    with tempfile.NamedTemporaryFile(delete=False) as tf:
        tpath = tf.name
    with open(stdin, "rb") as i, open(stdout, "wb") as o:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tpath] + cmd, stdin=i, stdout=o,
                           stderr=subprocess.PIPE)
        wall = time.perf_counter() - t0
    with open(tpath) as f:
        rss = int(f.read().split()[-1])
    os.unlink(tpath)
    if p.returncode:
        raise SystemExit("bench: %s failed: %s" % (cmd[0], p.stderr[-400:]))
    return wall, rss


def measure(cmd, stdin, runs, out="/dev/null"):
    run(cmd, stdin, out)  # warm-up
    walls, rss = [], 0
    for _ in range(runs):
        w, r = run(cmd, stdin, out)
        walls.append(w)
        rss = max(rss, r)
    return statistics.median(walls), rss


def same_as_reference(ours, ref):
    bad = n = 0
    with open(ours) as a, open(ref) as b:
        for la, lb in zip(a, b):
            n += 1
            d, r = json.loads(la), json.loads(lb)
            ch = d.get("channels") or []
            mine = {"id": d.get("id"), "decision": d.get("decision"),
                    "channel": CHANNEL.get(ch[0], ch[0]) if ch else "none"}
            if mine != r:
                bad += 1
                if bad <= 3:
                    print("  differs at line %d: %s vs %s" % (n, mine, r))
    return n, bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docrules", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--peers", required=True, help="folder with the built C peer")
    ap.add_argument("--shared", required=True)
    ap.add_argument("--accounts", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jre-lines", type=int, default=100000)
    a = ap.parse_args()
    b = os.path.join(a.shared, "bench")
    n = sum(1 for _ in open(a.accounts))
    tmp = tempfile.mkdtemp()
    ref = os.path.join(tmp, "ref.ndjson")
    run(["python3", os.path.join(b, "gen", "reference_policy.py")], a.accounts, ref)
    dr = [a.docrules, "batch", "--rules", a.rules, "--corpus", a.corpus]
    brief = dr + ["--fields", "id,decision,channels"]
    ours = os.path.join(tmp, "ours.ndjson")
    run(brief, a.accounts, ours)
    lines, bad = same_as_reference(ours, ref)
    print("## Decisions (%d accounts, %d runs, median)\n" % (n, a.runs))
    print("correctness: docrules vs the reference oracle, field by field: %d lines, %d differ\n"
          % (lines, bad))
    rows = []
    tools = [
        ("docrules batch --fields id,decision,channels, 1 worker", brief, a.accounts, n),
        ("docrules batch --fields id,decision,channels, -j 2", brief + ["-j", "2"], a.accounts, n),
        ("docrules batch (full decisions with citations), 1 worker", dr, a.accounts, n),
        ("C (jansson, if/else)", [os.path.join(a.peers, "policy")], a.accounts, n),
        ("Lua 5.4 + lua-cjson", ["lua5.4", os.path.join(b, "p1-lua", "policy.lua")], a.accounts, n),
    ]
    jre = os.path.join(a.peers, "jre", "run.js")
    if os.path.exists(jre):
        sub = os.path.join(tmp, "sub.ndjson")
        with open(a.accounts) as i, open(sub, "w") as o:
            for k, line in enumerate(i):
                if k >= a.jre_lines:
                    break
                o.write(line)
        tools.append(("json-rules-engine (first %d lines)" % a.jre_lines, ["node", jre], sub,
                      min(n, a.jre_lines)))
    for name, cmd, inp, count in tools:
        wall, rss = measure(cmd, inp, a.runs)
        rows.append((name, count / wall, rss))
    lua = [r for r in rows if r[0].startswith("Lua")][0][1]
    c = [r for r in rows if r[0].startswith("C ")][0][1]
    print("| tool | decisions/s | peak RSS MiB | x plain Lua | x C |")
    print("|---|---|---|---|---|")
    for name, rate, rss in rows:
        print("| %s | %.0f | %.1f | %.2f | %.2f |" % (name, rate, rss / 1024, rate / lua, rate / c))
    print("\nTargets: 1 worker >= 1.0x plain Lua; -j 2 >= 2x C; peak RSS < 32 MiB.")


if __name__ == "__main__":
    main()
