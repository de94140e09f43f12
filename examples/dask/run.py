#!/usr/bin/python3
"""docrules batch over a Dask cluster: one NDJSON file in, the decisions out,
exactly what one `docrules batch` over the whole file prints.

    /usr/bin/python3 examples/dask/run.py ACCOUNTS.ndjson [--docrules PATH]
        [--rules DIR] [--corpus DIR] [--as-of YYYY-MM-DD] [--blocksize 16MiB]
        [--workers 2] [--scheduler ADDRESS] [-- MORE BATCH OPTIONS]

`docrules batch` is a pure stdin-to-stdout filter, one line out per line in,
so a file can be cut anywhere between two lines, each piece decided apart
and the answers joined in the pieces' order. Dask cuts the file (by bytes, at
newlines), each worker runs `docrules batch` with its piece on stdin, and
this driver writes the pieces' outputs in order as they arrive.

Without --scheduler it starts a LocalCluster of --workers processes with one
thread each (each process runs one `docrules batch` at a time; give batch
`-j N` after `--` to use more cores per piece). With --scheduler it
connects to a running cluster: see README.md beside this file.

/usr/bin/python3 because Debian's python3-distributed is installed for it,
not for another Python on PATH."""
import argparse
import datetime
import logging
import os
import re
import shutil
import subprocess
import sys


def decide_piece(block, argv, env, cwd):
    """Runs on a worker: one `docrules batch` with the piece on stdin.
    Returns the decisions and how many lines they are."""
    p = subprocess.run(argv, input=block, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    if p.returncode != 0:
        # A usage error or an unreadable rules folder: every piece would say
        # the same, so the first one to fail stops the run with batch's words.
        raise RuntimeError("%s exited %d: %s" % (argv[0], p.returncode, p.stderr.decode(errors="replace").strip()))
    return p.stdout


# A bad line's answer numbers the line within its piece's stdin; the driver,
# which knows how many lines came before the piece, makes it the file's
# line number, so that the joined output is what one batch prints.
BAD_LINE = re.compile(rb'^\{"line":(\d+)', re.M)


def renumber(out, before):
    if before == 0:
        return out
    return BAD_LINE.sub(lambda m: b'{"line":%d' % (int(m.group(1)) + before), out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("accounts", help="an NDJSON file of accounts (a path every worker can read)")
    ap.add_argument("--docrules", default=os.environ.get("DOCRULES", "docrules"),
                    help="the docrules command (default: docrules on PATH, or $DOCRULES)")
    ap.add_argument("--rules", help="passed to docrules batch")
    ap.add_argument("--corpus", help="passed to docrules batch")
    ap.add_argument("--as-of", help="passed to docrules batch")
    ap.add_argument("--blocksize", default="16MiB",
                    help="bytes per piece, cut at the next newline (default 16MiB)")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    ap.add_argument("--scheduler", help="a running Dask scheduler's address, instead of a LocalCluster")
    # Everything after "--" goes to docrules batch as it is.
    args = sys.argv[1:]
    more = args[args.index("--") + 1:] if "--" in args else []
    a = ap.parse_args(args[:args.index("--")] if "--" in args else args)

    docrules = shutil.which(a.docrules)
    if not docrules:
        sys.exit("dask/run.py: no docrules command at '%s' (give --docrules PATH)" % a.docrules)
    argv = [os.path.abspath(docrules), "batch"]
    for opt, val in (("--rules", a.rules), ("--corpus", a.corpus), ("--as-of", a.as_of)):
        if val:
            argv += [opt, val]
    argv += more
    # One "today" for every piece: a run that crosses midnight (UTC, as
    # docrules counts it) on some workers would otherwise decide part of the
    # file with tomorrow's policy.
    env = dict(os.environ)
    env.setdefault("DOCRULES_TODAY", datetime.datetime.now(datetime.timezone.utc).date().isoformat())
    # Relative --rules and --corpus are read from here on every worker, and
    # cited as they were written, as one batch run here would cite them.
    cwd = os.getcwd()
    path = os.path.abspath(a.accounts)
    if not os.path.isfile(path):
        sys.exit("dask/run.py: %s: no such file" % a.accounts)

    from dask.bytes import read_bytes
    import dask
    from distributed import Client, LocalCluster

    if a.scheduler:
        client = Client(a.scheduler)
        cluster = None
    else:
        # No dashboard: nothing to look at in a batch run, and one port
        # fewer to collide with on a shared machine.
        cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        # read_bytes is what dask.bag.read_text reads with: pieces of about
        # blocksize bytes ending at a newline. The bytes are handed to
        # docrules as they are in the file (read_text would decode and
        # re-encode them, and batch's answer to an invalid UTF-8 line points
        # at its bytes).
        _, blocks = read_bytes(path, delimiter=b"\n", blocksize=a.blocksize, sample=False)
        pieces = [dask.delayed(decide_piece)(b, argv, env, cwd) for b in blocks[0]]
        futures = client.compute(pieces)
        before = 0
        w = sys.stdout.buffer
        for f in futures:  # in the file's order, each as soon as it and those before it are done
            out = f.result()
            w.write(renumber(out, before))
            before += out.count(b"\n")
        w.flush()
        # What was cut how: a reader (and the test) can see the file really
        # was decided in pieces.
        print("dask/run.py: %d lines in %d pieces on %d workers" %
              (before, len(pieces), len(client.scheduler_info()["workers"])), file=sys.stderr)
    except RuntimeError as e:
        # Exit 2 as batch does for bad usage or unreadable rules.
        print("dask/run.py: %s" % e, file=sys.stderr)
        sys.exit(2)
    finally:
        client.close()
        if cluster:
            cluster.close()


if __name__ == "__main__":
    main()
