#!/usr/bin/env python3
"""run.py DIR [FATHOM] - `make bench`: times fathom on the benchmark images
(bench/mkbench.py) against reference commands, with the files in the page
cache, and prints one table: case, fathom seconds, reference seconds, ratio,
peak RSS, bytes per tar entry, and whether each target is met.

Each command runs 7 times, all commands in turns; its time is the fastest
run (the machine's noise only ever adds), its memory the largest peak RSS
(/usr/bin/time). Exits 1 when a target is missed.
"""
import json
import os
import subprocess
import sys
import time

RUNS = 7
MB = 1 << 20


def run_once(cmd):
    start = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M", "sh", "-c", cmd + " >/dev/null"],
                       stderr=subprocess.PIPE, text=True)
    secs = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit("bench: %s failed: %s" % (cmd, r.stderr))
    return secs, int(r.stderr.strip().splitlines()[-1]) * 1024


def measure_all(cmds):
    """Runs the commands in turns, RUNS times: noise that comes and goes
    hits them alike. Returns {name: (fastest seconds, largest peak RSS)}."""
    out = {}
    for _ in range(RUNS):
        for name, cmd in cmds.items():
            secs, rss = run_once(cmd)
            best, peak = out.get(name, (secs, rss))
            out[name] = (min(best, secs), max(peak, rss))
    return out


def main():
    d = sys.argv[1]
    fathom = sys.argv[2] if len(sys.argv) > 2 else "build/release/fathom"
    entries = json.load(open(os.path.join(d, "entries")))
    p = lambda *a: os.path.join(d, *a)
    # everything into the page cache first
    subprocess.run("cat %s/*.tar %s/layers/*.tar %s/gz/* %s/zst/* >/dev/null" % (d, d, d, d),
                   shell=True, check=True)

    rows, ok = [], True

    def row(case, secs, ref, ref_name, limit, rss, n):
        nonlocal ok
        ratio = secs / ref if ref else 0
        mem_limit = 150 * n + 64 * MB
        met_time = ratio <= limit if limit else True
        met_mem = rss <= mem_limit
        ok = ok and met_time and met_mem
        rows.append((case, "%.3f" % secs, "%.3f" % ref if ref else "-", ref_name,
                     "%.2f" % ratio if ref else "-", "<= %.1f" % limit if limit else "-",
                     "%d MB" % (rss // MB), "%d" % (rss // n),
                     "yes" if met_time and met_mem else "NO"))

    # the layer cache would answer the gzip and zstd cases after their first run
    ci = fathom + " --no-cache --ci --lowestEfficiency disabled --highestUserWastedPercent disabled "
    layers = lambda sub, ext: " ".join(p(sub, "l%d%s" % (i, ext)) for i in range(4))
    m = measure_all({
        "base": ci + p("base.tar"),
        "cat": "cat " + p("base.tar"),
        "tar": "for l in %s; do tar -tf $l; done" % layers("layers", ".tar"),
        "wh3k": ci + p("wh3k.tar"),
        "wh30k": ci + p("wh30k.tar"),
        "gzip": ci + p("base-gzip.tar"),
        "igzip": "for l in %s; do igzip -dc $l; done" % layers("gz", ".tar.gz"),
        "zstd": ci + p("base-zstd.tar"),
        "unzstd": "for l in %s; do zstd -q -dc $l; done" % layers("zst", ".tar.zst"),
        "one": ci.replace(" --ci ", " --jobs 1 --ci ") + p("base.tar"),
        "million": ci + p("million.tar"),
    })
    t = lambda k: m[k][0]
    row("1 uncompressed, 1 GB", t("base"), t("cat"), "cat", 1.5, m["base"][1], entries["base"])
    row("1 uncompressed, 1 GB", t("base"), t("tar"), "tar -tf", 4.0, m["base"][1], entries["base"])
    row("2 + 3,000 whiteouts", t("wh3k"), t("base"), "case 1", 1.5, m["wh3k"][1], entries["wh3k"])
    row("2 + 30,000 whiteouts", t("wh30k"), t("base"), "case 1", 1.5, m["wh30k"][1], entries["wh30k"])
    row("3 gzip layers", t("gzip"), t("igzip"), "igzip -dc", 1.2, m["gzip"][1], entries["base"])
    row("3 zstd layers", t("zstd"), t("unzstd"), "zstd -dc", 1.2, m["zstd"][1], entries["base"])
    row("4 one thread (--jobs 1)", t("one"), t("base"), "case 1", 0, m["one"][1], entries["base"])
    row("5 1,000,000 entries", t("million"), 0, "-", 0, m["million"][1], entries["million"])

    head = ("case", "fathom s", "ref s", "ref", "ratio", "target", "peak RSS", "B/entry", "met")
    w = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        print("  ".join(r[i].ljust(w[i]) for i in range(len(r))).rstrip())
    print("memory target: peak RSS <= 150 bytes per tar entry + 64 MB, on every image")
    print("entries: %s" % ", ".join("%s %d" % kv for kv in entries.items()))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
