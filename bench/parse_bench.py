#!/usr/bin/env python3
"""Parse throughput: docrules extract --stats against the libyaml+cmark-gfm
harness and md4c, per corpus, in one run. Median wall time of N runs after
one warm-up; peak RSS is the largest of the runs (GNU time %M)."""
import argparse
import os
import statistics
import subprocess
import tempfile
import time


def corpus_size(root):
    files = total = 0
    for d, _, names in os.walk(root):
        for n in names:
            if n.endswith(".md"):
                files += 1
                total += os.path.getsize(os.path.join(d, n))
    return files, total


def measure(cmd, runs):
    walls, rss = [], 0
    for i in range(runs + 1):
        with tempfile.NamedTemporaryFile(delete=False) as tf:
            tpath = tf.name
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tpath] + cmd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - t0
        with open(tpath) as f:
            kb = int(f.read().split()[-1])
        os.unlink(tpath)
        if p.returncode != 0:
            raise SystemExit("bench: %s failed (%d): %s" % (cmd[0], p.returncode, p.stderr[-500:]))
        if i == 0:
            continue  # warm-up: page cache
        walls.append(wall)
        rss = max(rss, kb)
    return statistics.median(walls), min(walls), max(walls), rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--docrules", required=True)
    ap.add_argument("--peers", required=True)
    ap.add_argument("corpora", nargs="+")
    a = ap.parse_args()
    print("## Parse: the document model of every file (%d runs, median)\n" % a.runs)
    print("| corpus | tool | files | MB | wall s (min-max) | MB/s | peak RSS MiB | x harness |")
    print("|---|---|---|---|---|---|---|---|")
    for c in a.corpora:
        files, size = corpus_size(c)
        tools = [
            ("docrules extract --stats", [a.docrules, "extract", "--stats", c]),
            ("C harness (libyaml + cmark-gfm parse+walk)", [os.path.join(a.peers, "mdparse"), c]),
            ("md4c md_html, per file", [os.path.join(a.peers, "md4c_html"), c]),
        ]
        res = {}
        for name, cmd in tools:
            res[name] = measure(cmd, a.runs)
        base = size / 1e6 / res[tools[1][0]][0]
        for name, _ in tools:
            med, lo, hi, rss = res[name]
            mbs = size / 1e6 / med
            print("| %s | %s | %d | %.2f | %.3f (%.3f-%.3f) | %.1f | %.1f | %.2f |" % (
                os.path.basename(c.rstrip("/")), name, files, size / 1e6, med, lo, hi, mbs,
                rss / 1024, mbs / base))
    print("\nTarget: docrules >= 0.8x the harness's MB/s, peak RSS < 64 MiB.")


if __name__ == "__main__":
    main()
