#!/usr/bin/env python3
"""validate beside markdownlint-cli2 on the same files, in one run: MB/s,
peak RSS and the ratio; and validate on one corpus and on both, to show the
work stays linear in corpus size."""
import argparse
import os
import statistics
import subprocess
import tempfile
import time


def size(paths):
    n = b = 0
    for p in paths:
        for d, _, names in os.walk(p):
            for f in names:
                if f.endswith(".md"):
                    n += 1
                    b += os.path.getsize(os.path.join(d, f))
    return n, b


def measure(cmd, runs, cwd=None, ok=(0, 1)):
    walls, rss = [], 0
    for _ in range(runs):
        with tempfile.NamedTemporaryFile(delete=False) as tf:
            tp = tf.name
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tp] + cmd, cwd=cwd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        walls.append(time.perf_counter() - t0)
        with open(tp) as f:
            rss = max(rss, int(f.read().split()[-1]))
        os.unlink(tp)
        if p.returncode not in ok:
            raise SystemExit("bench: %s failed (%d): %s" % (cmd[0], p.returncode, p.stderr[-300:]))
    return statistics.median(walls), rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docrules", required=True)
    ap.add_argument("--mdl", required=True)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("corpora", nargs="+")
    a = ap.parse_args()
    print("## Validate (%d run%s, median)\n" % (a.runs, "" if a.runs == 1 else "s"))
    print("| tool | corpus | files | MB | wall s | MB/s | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|")
    rows = {}
    for label, paths in [(os.path.basename(a.corpora[0]), a.corpora[:1]), ("both", a.corpora)]:
        n, b = size(paths)
        w, r = measure([a.docrules, "validate", "-j", "2", "--format", "json"] + paths, max(a.runs, 3))
        rows[label] = (b, w)
        print("| docrules validate -j 2 | %s | %d | %.2f | %.2f | %.1f | %.1f |" % (label, n, b / 1e6, w, b / 1e6 / w, r / 1024))
    if os.path.exists(a.mdl):
        mb = mw = 0
        for c in a.corpora:
            n, b = size([c])
            w, r = measure(["node", os.path.abspath(a.mdl), "**/*.md"], a.runs, cwd=c)
            mb += b
            mw += w
            print("| markdownlint-cli2 (default rules) | %s | %d | %.2f | %.2f | %.2f | %.1f |" % (os.path.basename(c), n, b / 1e6, w, b / 1e6 / w, r / 1024))
        b, w = rows["both"]
        print("\nvalidate -j 2 is %.1fx markdownlint-cli2's throughput on the same files (target >= 20x)."
              % ((b / w) / (mb / mw)))
    one_b, one_w = rows[os.path.basename(a.corpora[0])]
    both_b, both_w = rows["both"]
    print("linearity: %.2fx the bytes took %.2fx the time (linear: the same)." % (both_b / one_b, both_w / one_w))
    print("Target: peak RSS < 128 MiB.")


if __name__ == "__main__":
    main()
