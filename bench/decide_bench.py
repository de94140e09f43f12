#!/usr/bin/env python3
"""Decisions: docrules batch beside the peers of ../shared/bench on the same
accounts, in one run. Checks first that docrules' decisions equal the
reference oracle's field by field (decision, channel), then times each tool
(bench/timing.py: interleaved rounds, medians of per-round ratios) and
prints decisions/s, peak RSS and ratios.
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile

from timing import interleaved, machine_line, median_wall, run_once, speed_ratio

CHANNEL = {"online": "online", "support": "support_call", "portal": "portal"}


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
    ap.add_argument("--realistic", help="accounts for the bundled rules (bench/gen_realistic.py)")
    ap.add_argument("--bundled-rules", default="rules")
    a = ap.parse_args()
    b = os.path.join(a.shared, "bench")
    n = sum(1 for _ in open(a.accounts))
    # Every file made here goes in one folder, removed however the run ends
    # (the reference oracle's output alone is tens of MB).
    tmp = tempfile.mkdtemp()
    try:
        decide(a, b, n, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def decide(a, b, n, tmp):
    ref = os.path.join(tmp, "ref.ndjson")
    run_once(["python3", os.path.join(b, "gen", "reference_policy.py")], a.accounts, ref)
    dr = [a.docrules, "batch", "--rules", a.rules, "--corpus", a.corpus]
    brief = dr + ["--fields", "id,decision,channels"]
    ours = os.path.join(tmp, "ours.ndjson")
    run_once(brief, a.accounts, ours)
    lines, bad = same_as_reference(ours, ref)
    print("## Decisions (%d accounts, %d interleaved rounds)\n" % (n, a.runs))
    print(machine_line() + "\n")
    print("correctness: docrules vs the reference oracle, field by field: %d lines, %d differ\n"
          % (lines, bad))
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
    res = interleaved([{"name": name, "cmd": cmd, "stdin": inp} for name, cmd, inp, _ in tools], a.runs)
    count = {name: c for name, _, _, c in tools}
    lua = [t[0] for t in tools if t[0].startswith("Lua")][0]
    c = [t[0] for t in tools if t[0].startswith("C ")][0]
    print("| tool | decisions/s (median) | peak RSS MiB | x plain Lua | x C |")
    print("|---|---|---|---|---|")
    for name, _, _, k in tools:
        r = res[name]
        print("| %s | %.0f | %.1f | %.2f | %.2f |" % (
            name, k / median_wall(r), r["rss"] / 1024, speed_ratio(r, res[lua], k, count[lua]),
            speed_ratio(r, res[c], k, count[c])))
    print("\nTargets: 1 worker >= 1.0x plain Lua; -j 2 >= 2x C; peak RSS < 32 MiB.")
    if a.realistic:
        realistic(a, dr, res[tools[2][0]], n, tmp)


PAIR = "two 1-worker processes at once, half the accounts each (the machine's ceiling for -j 2)"
REF_BRIEF = "reference policy, --fields id,decision,channels, 1 worker"


def realistic(a, ref_cmd, ref_full, ref_n, tmp):
    """Our own policies (the bundled rules) on the realistic mix, beside the
    reference policy's full decisions measured above."""
    with open(a.realistic) as f:
        lines = f.readlines()
    m = len(lines)
    # The same work as -j 2's, split as it splits it: each process starts
    # up once and decides half the accounts. (Two processes deciding all of
    # them each, as this was until 2026-12-05, spread their start-up over
    # twice the work, a ceiling -j 2 cannot reach on the same input.)
    halves = []
    for k, part in enumerate((lines[:m // 2], lines[m // 2:])):
        halves.append(os.path.join(tmp, "half-%d.ndjson" % k))
        with open(halves[-1], "w") as f:
            f.writelines(part)
    del lines
    ours = [a.docrules, "batch", "--rules", a.bundled_rules, "--corpus", a.corpus]
    tools = [
        ("bundled rules, full decisions, 1 worker", ours),
        ("bundled rules, full decisions, -j 2", ours + ["-j", "2"]),
        # What the machine allows -j 2: two independent processes of one
        # worker each, side by side, share nothing of ours (no queue, no
        # main thread), so their rate over one's is the VM's own ceiling.
        (PAIR, ["sh", "-c", 'f1=$0 f2=$1; shift; "$@" < "$f1" > /dev/null & "$@" < "$f2" > /dev/null; wait']
         + halves + ours),
        ("bundled rules, --fields id,decision,channels, 1 worker", ours + ["--fields", "id,decision,channels"]),
        ("bundled rules, --explain, 1 worker", ours + ["--explain"]),
        # The reference policy with the same --fields, in these rounds, so
        # that the --fields target is a ratio within one table, not of rates
        # from two tables that this VM's drift moves apart.
        (REF_BRIEF, ref_cmd + ["--fields", "id,decision,channels"]),
        ("reference policy, full decisions, 1 worker", ref_cmd),
    ]
    res = interleaved([{"name": name, "cmd": cmd, "stdin": a.realistic if name.startswith("bundled") else a.accounts}
                       for name, cmd in tools], a.runs)
    counts = {name: (m if name.startswith("bundled") or name == PAIR else ref_n) for name, _ in tools}
    ref = res[tools[-1][0]]
    one = res[tools[0][0]]
    print("\n## Our own policies on realistic accounts (%d, bench/gen_realistic.py; %d interleaved rounds)\n"
          % (m, a.runs))
    # Every decision checked against the policies restated by hand.
    out = os.path.join(tmp, "realistic.ndjson")
    run_once(ours, a.realistic, out)
    oracle = subprocess.run(["python3", os.path.join(os.path.dirname(os.path.abspath(__file__)), "realistic_oracle.py"),
                             a.realistic, out], capture_output=True, text=True)
    print(oracle.stdout.strip() + "\n")
    os.unlink(out)
    brief = res[REF_BRIEF]
    print("| run | decisions/s (median) | peak RSS MiB | x reference policy full | x reference policy, same --fields "
          "| x 1 worker |")
    print("|---|---|---|---|---|---|")
    for name, _ in tools:
        r = res[name]
        same = ("%.2f" % speed_ratio(r, brief, counts[name], counts[REF_BRIEF])) if "--fields" in name else ""
        print("| %s | %.0f | %.1f | %.2f | %s | %.2f |" % (name, counts[name] / median_wall(r), r["rss"] / 1024,
                                                         speed_ratio(r, ref, counts[name], counts[tools[-1][0]]),
                                                         same, speed_ratio(r, one, counts[name], m)))
    print("\n-j 2 over the machine's ceiling: %.2f" % speed_ratio(res[tools[1][0]], res[PAIR], m, m))
    print("Targets (issue 15): full decisions >= 0.5x the reference policy's, --fields >= 0.5x its --fields;"
          " -j 2 >= 1.9x one worker.")


if __name__ == "__main__":
    main()
