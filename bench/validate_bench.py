#!/usr/bin/env python3
"""validate beside markdownlint-cli2 on the same files, in one run: MB/s,
peak RSS and the ratio; and validate on one corpus and on both, to show the
work stays linear in corpus size."""
import argparse
import os
import statistics

from timing import interleaved, machine_line, median_wall


def size(paths):
    n = b = 0
    for p in paths:
        for d, _, names in os.walk(p):
            for f in names:
                if f.endswith(".md"):
                    n += 1
                    b += os.path.getsize(os.path.join(d, f))
    return n, b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docrules", required=True)
    ap.add_argument("--mdl", required=True)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("corpora", nargs="+")
    a = ap.parse_args()
    print("## Validate (%d interleaved round%s)\n" % (a.runs, "" if a.runs == 1 else "s"))
    print(machine_line() + "\n")
    print("| tool | corpus | files | MB | wall s | MB/s | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|")
    # validate exits 1 when it finds errors: a finding is its work, not a failure.
    runs = [(label, paths) for label, paths in [(os.path.basename(a.corpora[0]), a.corpora[:1]), ("both", a.corpora)]]
    tools = [{"name": "docrules " + label, "cmd": [a.docrules, "validate", "-j", "2", "--format", "json"] + paths,
              "ok": (0, 1)} for label, paths in runs]
    # The other report formats CI uses, for their peak memory on one corpus
    # and on both: each writes as it goes, or its memory grows with the corpus.
    other = ["sarif", "junit", "text"]
    tools += [{"name": "docrules %s %s" % (fmt, label),
               "cmd": [a.docrules, "validate", "-j", "2", "--format", fmt] + paths, "ok": (0, 1)}
              for fmt in other for label, paths in runs]
    mdl = os.path.exists(a.mdl)
    if mdl:
        tools += [{"name": "mdl " + os.path.basename(c), "cmd": ["node", os.path.abspath(a.mdl), "**/*.md"], "cwd": c,
                   "ok": (0, 1)} for c in a.corpora]
    res = interleaved(tools, max(a.runs, 3))
    rows = {}
    for label, paths in runs:
        n, b = size(paths)
        r = res["docrules " + label]
        w = median_wall(r)
        rows[label] = (b, w)
        print("| docrules validate -j 2 | %s | %d | %.2f | %.2f | %.1f | %.1f |" % (label, n, b / 1e6, w, b / 1e6 / w, r["rss"] / 1024))
    if mdl:
        mb = mw = 0
        for c in a.corpora:
            n, b = size([c])
            r = res["mdl " + os.path.basename(c)]
            w = median_wall(r)
            mb += b
            mw += w
            print("| markdownlint-cli2 (default rules) | %s | %d | %.2f | %.2f | %.2f | %.1f |" % (os.path.basename(c), n, b / 1e6, w, b / 1e6 / w, r["rss"] / 1024))
        b, w = rows["both"]
        print("\nvalidate -j 2 is %.1fx markdownlint-cli2's throughput on the same files (target >= 20x)."
              % ((b / w) / (mb / mw)))
    one_rss = res["docrules " + runs[0][0]]["rss"]
    both_rss = res["docrules both"]["rss"]
    one_b = rows[os.path.basename(a.corpora[0])][0]
    both_b = rows["both"][0]
    # The time ratio per round, then its median, as every ratio of make bench.
    both_over_one = statistics.median(
        b / o for o, b in zip(res["docrules " + runs[0][0]]["walls"], res["docrules both"]["walls"]))
    print("linearity: %.2fx the bytes took %.2fx the time (linear: the same) and %.2fx the peak memory (flat: 1; "
          "target <= 1.2x)." % (both_b / one_b, both_over_one, both_rss / one_rss))
    print("peak memory, both corpora over %s alone, by --format: json %.2fx, %s." % (
        runs[0][0], both_rss / one_rss,
        ", ".join("%s %.2fx" % (fmt, res["docrules %s both" % fmt]["rss"] / res["docrules %s %s" % (fmt, runs[0][0])]["rss"])
                  for fmt in other)))
    print("Target: peak RSS < 128 MiB.")


if __name__ == "__main__":
    main()
