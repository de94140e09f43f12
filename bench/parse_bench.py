#!/usr/bin/env python3
"""Parse throughput: docrules extract --stats against the libyaml+cmark-gfm
harness and md4c, per corpus, in one run (bench/timing.py: interleaved
rounds, medians of per-round ratios; peak RSS the largest of the runs)."""
import argparse
import os

from timing import interleaved, machine_line, median_wall, speed_ratio


def corpus_size(root):
    files = total = 0
    for d, _, names in os.walk(root):
        for n in names:
            if n.endswith(".md"):
                files += 1
                total += os.path.getsize(os.path.join(d, n))
    return files, total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--docrules", required=True)
    ap.add_argument("--peers", required=True)
    ap.add_argument("corpora", nargs="+")
    a = ap.parse_args()
    print("## Parse: the document model of every file (%d interleaved rounds)\n" % a.runs)
    print(machine_line() + "\n")
    print("| corpus | tool | files | MB | wall s (min-max) | MB/s | peak RSS MiB | x harness | x docrules -j 1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for c in a.corpora:
        files, size = corpus_size(c)
        tools = [
            ("docrules extract --stats", [a.docrules, "extract", "--stats", c]),
            ("docrules extract --stats -j 2", [a.docrules, "extract", "--stats", "-j", "2", c]),
            ("C harness (libyaml + cmark-gfm parse+walk)", [os.path.join(a.peers, "mdparse"), c]),
            ("md4c md_html, per file", [os.path.join(a.peers, "md4c_html"), c]),
        ]
        res = interleaved([{"name": name, "cmd": cmd} for name, cmd in tools], a.runs)
        one, harness = res[tools[0][0]], res[tools[2][0]]
        for name, _ in tools:
            r = res[name]
            med = median_wall(r)
            print("| %s | %s | %d | %.2f | %.3f (%.3f-%.3f) | %.1f | %.1f | %.2f | %s |" % (
                os.path.basename(c.rstrip("/")), name, files, size / 1e6, med, min(r["walls"]), max(r["walls"]),
                size / 1e6 / med, r["rss"] / 1024, speed_ratio(r, harness),
                "%.2f" % speed_ratio(r, one) if name.startswith("docrules") else ""))
    print("\nTargets (issue #15): docrules >= 1.0x the harness on one core, >= 1.8x it with -j 2 (the harness"
          " has one thread); peak RSS < 64 MiB.")


if __name__ == "__main__":
    main()
