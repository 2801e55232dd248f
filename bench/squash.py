#!/usr/bin/env python3
"""squash.py DIR [FATHOM] - `make bench`: `fathom squash` of the 1 GB
benchmark image (DIR/base.tar, bench/mkbench.py) into docker-archive and
OCI outputs, uncompressed and gzip, against cp of the same file (and cp
with the fsync that fathom does before it renames its output). Prints one
table: seconds, ratio to cp and to cp + fsync, peak RSS, the bytes given
to write(2) against the output's size.

Each command runs RUNS times, all in turns, with the input in the page
cache and the outputs on its disk; its time is the fastest run, its
memory and bytes the largest. Exits 1 when a squash writes more than its
output (plus 1%): each byte of the new layer is written once. The times
are for reading: the goal, twice cp, depends on the cores free for the
threads that digest and compress beside the tar being made.
"""
import os
import shutil
import subprocess
import sys
import time

RUNS = 3
MB = 1 << 20


def run_once(cmd, outdir):
    """Seconds, peak RSS and bytes written (wchar, the command's and its
    children's, read from the shell that waited for them)."""
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    script = '"$@" >/dev/null || exit; sed -n "s/^wchar: //p" /proc/$$/io'
    start = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M", "bash", "-c", script, "bash"] + cmd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    secs = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit("bench: %s failed: %s" % (" ".join(cmd), r.stderr))
    rss = int(r.stderr.strip().splitlines()[-1]) * 1024
    return secs, rss, int(r.stdout.strip())


def size_of(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    d = sys.argv[1]
    fathom = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "build/release/fathom")
    base = os.path.join(d, "base.tar")
    outdir = os.path.join(d, "squash-out")
    out = os.path.join(outdir, "out")
    subprocess.run(["cat", base], stdout=subprocess.DEVNULL, check=True)
    cmds = {
        "cp": ["cp", base, out],
        "cp+fsync": ["sh", "-c", 'cp "$0" "$1" && sync "$1"', base, out],
    }
    for fmt in ("docker-archive", "oci"):
        for comp in ("none", "gzip"):
            cmds["%s %s" % (fmt, comp)] = [fathom, "squash", base, "-o", out, "--format", fmt,
                                           "--compress", comp]
    best, sizes = {}, {}
    for _ in range(RUNS):
        for name, cmd in cmds.items():
            secs, rss, wrote = run_once(cmd, outdir)
            sizes[name] = size_of(out)
            b = best.get(name, (secs, rss, wrote))
            best[name] = (min(b[0], secs), max(b[1], rss), max(b[2], wrote))
    shutil.rmtree(outdir, ignore_errors=True)

    cp, cps = best["cp"][0], best["cp+fsync"][0]
    head = ("case", "seconds", "x cp", "x cp+fsync", "peak RSS", "written", "output", "met")
    rows, ok = [], True
    for name, (secs, rss, wrote) in best.items():
        squash = not name.startswith("cp")
        met = True
        if squash:
            met = wrote <= sizes[name] * 1.01 + MB
            ok = ok and met
        rows.append((name, "%.2f" % secs, "%.2f" % (secs / cp), "%.2f" % (secs / cps),
                     "%d MB" % (rss // MB), "%d MB" % (wrote // MB), "%d MB" % (sizes[name] // MB),
                     ("yes" if met else "NO") if squash else "-"))
    w = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        print("  ".join(r[i].ljust(w[i]) for i in range(len(r))).rstrip())
    print("target: written <= the output + 1%% (each byte once); %d CPUs, load %.1f" %
          (os.cpu_count(), os.getloadavg()[0]))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
