"""How make bench times commands: one mechanism for every part.

Each tool runs once to warm up (page cache, lazy loading), then the tools
run in turn, round after round (A B C A B C ...), so that a machine whose
speed drifts - these are shared, noisy machines - slows every tool alike.
A ratio between two tools is the median of their per-round ratios, not a
ratio of medians; walls are medians; peak RSS is the largest of the runs
(the child's own, from wait4 in bench/run1.c). The load average is printed with every table, as the one
figure that says how busy the machine was."""
import os
import statistics
import subprocess
import tempfile

# bench/run1.c, built by bench/run.sh: times the child alone and reads its
# peak RSS from wait4 (see there why not /usr/bin/time, and why not Python's
# own wait4).
RUN1 = os.environ.get("DR_BENCH_RUN1", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "bench", "run1"))


def run_once(cmd, stdin=None, stdout=None, cwd=None, ok=(0,)):
    """Runs cmd, returns (wall seconds, peak RSS KiB)."""
    with tempfile.NamedTemporaryFile(delete=False) as tf:
        tpath = tf.name
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    fout = open(stdout, "wb") if stdout else subprocess.DEVNULL
    try:
        p = subprocess.run([RUN1, tpath] + cmd, stdin=fin, stdout=fout, stderr=subprocess.PIPE, cwd=cwd)
    finally:
        if stdin:
            fin.close()
        if stdout:
            fout.close()
    with open(tpath) as f:
        got = f.read().split()
    wall, rss = (float(got[0]), int(got[1])) if len(got) == 2 else (0.0, 0)
    os.unlink(tpath)
    if p.returncode not in ok:
        raise SystemExit("bench: %s failed (%d): %s" % (cmd[0], p.returncode, p.stderr[-500:].decode(errors="replace")))
    return wall, rss


def interleaved(tools, runs):
    """tools: a list of dicts with name, cmd and optionally stdin, cwd, ok.
    Returns {name: {"walls": [per round], "rss": KiB}}."""
    res = {t["name"]: {"walls": [], "rss": 0} for t in tools}
    for t in tools:  # warm-up
        run_once(t["cmd"], t.get("stdin"), cwd=t.get("cwd"), ok=t.get("ok", (0,)))
    for _ in range(runs):
        for t in tools:
            w, r = run_once(t["cmd"], t.get("stdin"), cwd=t.get("cwd"), ok=t.get("ok", (0,)))
            res[t["name"]]["walls"].append(w)
            res[t["name"]]["rss"] = max(res[t["name"]]["rss"], r)
    return res


def median_wall(r):
    return statistics.median(r["walls"])


def speed_ratio(a, b, work_a=1.0, work_b=1.0):
    """How many times faster a is than b, per unit of work: the median of the
    rounds' ratios (b's time per unit over a's)."""
    return statistics.median((wb / work_b) / (wa / work_a) for wa, wb in zip(a["walls"], b["walls"]))


def machine_line():
    one, five, fifteen = os.getloadavg()
    return "machine: %d cores, load average %.2f %.2f %.2f; runs interleaved, ratios are medians of per-round ratios" % (
        os.cpu_count() or 0, one, five, fifteen)


def main(argv):
    """python3 bench/timing.py [-n RUNS] 'COMMAND A' 'COMMAND B': the two
    shell commands in turn, A B A B ..., after a warm-up each; prints each
    one's median wall and A's wall over B's as the median of the rounds'
    ratios. What bench/HISTORY.md's A/B figures are measured with."""
    runs = 9
    if len(argv) >= 2 and argv[0] == "-n":
        runs, argv = int(argv[1]), argv[2:]
    if len(argv) != 2 or runs < 1:
        raise SystemExit("usage: python3 bench/timing.py [-n RUNS] 'COMMAND A' 'COMMAND B'")
    tools = [{"name": n, "cmd": ["sh", "-c", c]} for n, c in zip("AB", argv)]
    res = interleaved(tools, runs)
    print(machine_line())
    for n in "AB":
        print("%s: median wall %.3f s over %d rounds, peak %d KiB" % (n, median_wall(res[n]), runs, res[n]["rss"]))
    print("A/B wall: %.3f (median of per-round ratios)" % (1 / speed_ratio(res["A"], res["B"])))


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
