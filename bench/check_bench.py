"""One `docrules check`, as a user runs it, from the files, from a compiled
bundle and from a warm cache, on the bundled corpus and on a big one, and
`docrules build` of the big one's bundle: make bench's decide part (and
PART=check alone). One-shot commands, timed by bench/timing.py like the rest
of make bench: whole processes, interleaved round after round, medians, and
ratios that are medians of per-round ratios. Nothing is asserted; each row
says its target and whether the median meets it."""
import argparse
import os
import subprocess

from timing import interleaved, machine_line, median_wall, speed_ratio

ACCOUNT = "examples/office365-30-licenses.json"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docrules", required=True)
    ap.add_argument("--bulk", required=True, help="a big corpus (../shared/corpus-bulk)")
    ap.add_argument("--out", required=True, help="where bundles and the cache go (build/bench)")
    ap.add_argument("--runs", type=int, default=20)
    a = ap.parse_args()
    dr = a.docrules
    # The cache of every command here, not the user's: the warm-cache rows
    # read what the warm-up below wrote, and nothing else does.
    cache = os.path.abspath(os.path.join(a.out, "xdg-cache"))
    os.environ["XDG_CACHE_HOME"] = cache
    # The same decision every day, as in the README's figures.
    os.environ.setdefault("DOCRULES_TODAY", "2026-12-02")
    small = os.path.join(a.out, "check-bundled.drb")
    big = os.path.join(a.out, "check-bulk.drb")
    timed = os.path.join(a.out, "check-bulk-timed.drb")
    subprocess.run([dr, "build", "-o", small], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([dr, "build", "--corpus", a.bulk, "-o", big], check=True, stdout=subprocess.DEVNULL)
    # Warm the cache: one check per corpus writes its entry.
    check = [dr, "check", ACCOUNT, "--format", "json"]
    subprocess.run(check, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(check + ["--corpus", a.bulk], check=True, stdout=subprocess.DEVNULL)
    # The account is allowed: any other status is a failure to report, not
    # a time to print.
    ok = (0,)
    rows = [
        # name, cmd, target seconds (None: no target), the row it is a ratio to
        ("bundled corpus, --no-cache (the files)", check + ["--no-cache"], 0.030, None),
        ("bundled corpus, --bundle", check + ["--bundle", small], 0.010, 0),
        ("bundled corpus, warm cache", check, 0.010, 0),
        ("corpus-bulk, --no-cache (the files)", check + ["--corpus", a.bulk, "--no-cache"], None, None),
        ("corpus-bulk, --bundle", check + ["--bundle", big], 0.015, 3),
        ("corpus-bulk, warm cache", check + ["--corpus", a.bulk], 0.015, 3),
        ("docrules build --corpus corpus-bulk", [dr, "build", "--corpus", a.bulk, "-o", timed], 2.0, None),
    ]
    tools = [{"name": r[0], "cmd": r[1], "ok": ok} for r in rows]
    res = interleaved(tools, a.runs)
    os.unlink(timed)
    print("## One check: files, bundle, warm cache (%s; %d interleaved rounds)\n" % (ACCOUNT, a.runs))
    print(machine_line() + "\n")
    print("| run | median | peak RSS MiB | x its --no-cache | target | met |")
    print("|---|---|---|---|---|---|")
    for name, cmd, target, base in rows:
        r = res[name]
        m = median_wall(r)
        ratio = "%.3fx" % speed_ratio(res[rows[base][0]], r) if base is not None else ""
        print("| %s | %s | %.1f | %s | %s | %s |" % (
            name, "%.2f s" % m if m >= 1 else "%.1f ms" % (m * 1000), r["rss"] / 1024, ratio,
            "" if target is None else ("<= %g ms" % (target * 1000) if target < 1 else "< %g s" % target),
            "" if target is None else ("yes" if m <= target else "NO")))
    print("\nWalls are whole processes (start to exit, timed around the child by bench/run1.c), medians of the rounds;\n"
          "'x its --no-cache' is the median of the per-round ratios of the row's wall to that corpus's --no-cache.\n"
          "The cache is %s, warmed before the rounds." % cache)


if __name__ == "__main__":
    main()
