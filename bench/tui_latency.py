#!/usr/bin/env python3
"""tui_latency.py IMAGE [FATHOM] - `make bench`: the explorer's speed on a big
image. Runs the real fathom in tmux (120x40), sends a long sequence of key
presses one at a time, and reports:

  first screen   from the analysis finishing to the first screen drawn
                 (fathom's own clock, FATHOM_TUI_TRACE), and from launch
  per key        for each kind of key: count, p50, p99, max, from the key
                 read to the screen written (fathom's clock); and "sent to
                 drawn" from `tmux send-keys` until fathom reports the key
                 drawn (adds tmux and this script's polling, ~1-3 ms)

Targets (issue 5): first screen <= 1 s after the analysis; every key
<= 30 ms at the 99th percentile. Exits 1 when one is missed.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

FIRST_LIMIT_US = 1_000_000
KEY_P99_LIMIT_US = 30_000
COLS, ROWS = 120, 40


def sequence():
    """(kind, tmux key) pairs: what the issue names, in a plausible order,
    with the tree in many states (collapsed, filtered, hidden, by size)."""
    seq = []
    add = lambda kind, keys: seq.extend((kind, k) for k in keys)
    for _ in range(3):
        add("switch layer", ["Up"] * 9 + ["Down"] * 9)
        add("compare mode", ["C-a"])
        add("switch layer (aggregated)", ["Up"] * 4 + ["Down"] * 4)
        add("compare mode", ["C-l"])
        add("switch pane", ["Tab"])
        add("move", ["j"] * 40 + ["Down"] * 20 + ["k"] * 20 + ["Up"] * 10)
        add("page", ["NPage"] * 15 + ["PPage"] * 10 + ["d"] * 5 + ["u"] * 5)
        add("collapse", ["Space", "Space", "l", "h"])
        add("collapse all", ["C-Space"])
        add("move", ["j"] * 10)
        add("collapse all", ["C-Space"])
        add("hide option", ["C-a", "C-a", "C-r", "C-r", "C-u", "C-u"])
        add("sort toggle", ["C-o"])
        add("page", ["NPage"] * 5)
        add("sort toggle", ["C-o"])
        add("filter open/close", ["C-f"])
        add("filter char", list("f0012"))
        add("filter char", ["BSpace"] * 5)
        add("filter char", list("d0[0-9]+/f1"))
        add("filter open/close", ["Enter"])
        add("move", ["j"] * 10)
        add("switch pane", ["Tab", "Tab"])
        add("switch layer", ["Up"] * 5 + ["Down"] * 5)
        add("switch pane", ["Tab"])
        add("filter open/close", ["C-f", "Escape"])
        add("hide option", ["C-u", "C-u"])
        add("switch pane", ["Tab", "Tab"])
    return seq


def tmux(sock, *args):
    subprocess.run(["tmux", "-S", sock] + list(args), check=True)


def keys_drawn(trace):
    with open(trace) as f:
        return [int(l.split()[2]) for l in f if l.startswith("key ")]


def first_screen(trace):
    with open(trace) as f:
        for l in f:
            if l.startswith("first-screen "):
                return int(l.split()[1])
    return None


def peak_rss(sock):
    """fathom's peak RSS (VmHWM), in bytes: the pane's shell's child."""
    shell = subprocess.run(["tmux", "-S", sock, "list-panes", "-F", "#{pane_pid}"],
                           capture_output=True, text=True).stdout.split()[0]
    kids = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
    for pid in kids:
        try:
            with open("/proc/%s/status" % pid) as f:
                if "fathom" not in open("/proc/%s/comm" % pid).read():
                    continue
                for l in f:
                    if l.startswith("VmHWM:"):
                        return int(l.split()[1]) * 1024
        except OSError:
            pass
    return 0


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    image = os.path.abspath(sys.argv[1])
    fathom = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "build/release/fathom")
    with tempfile.TemporaryDirectory() as tmp:
        sock, trace = os.path.join(tmp, "sock"), os.path.join(tmp, "trace")
        conf = os.path.join(tmp, "tmux.conf")
        open(conf, "w").write("set -g status off\n")
        open(trace, "w").close()
        cmd = ("cd %s && env -i PATH=/usr/bin:/bin HOME=%s LANG=C.UTF-8 TERM=tmux-256color "
               "PAGER=true FATHOM_TUI_TRACE=%s %s %s; echo EXITED $?; sleep 600"
               % (tmp, tmp, trace, fathom, image))
        launched = time.perf_counter()
        tmux(sock, "-f", conf, "new-session", "-d", "-x", str(COLS), "-y", str(ROWS), cmd)
        try:
            while first_screen(trace) is None:
                if time.perf_counter() - launched > 120:
                    sys.exit("tui_latency: no first screen after 120 s")
                time.sleep(0.002)
            wall_first = time.perf_counter() - launched
            first_us = first_screen(trace)

            per_kind, sent_to_drawn = {}, []
            for kind, key in sequence():
                want = len(keys_drawn(trace)) + 1
                t0 = time.perf_counter()
                tmux(sock, "send-keys", key)
                while True:
                    drawn = keys_drawn(trace)
                    if len(drawn) >= want:
                        break
                    if time.perf_counter() - t0 > 10:
                        sys.exit("tui_latency: key %s not drawn after 10 s" % key)
                    time.sleep(0.0005)
                sent_to_drawn.append((time.perf_counter() - t0) * 1e6)
                if len(drawn) > want:
                    sys.exit("tui_latency: one key drew more than once")
                per_kind.setdefault(kind, []).append(drawn[-1])
            peak = peak_rss(sock)
        finally:
            subprocess.run(["tmux", "-S", sock, "kill-server"], stderr=subprocess.DEVNULL)

    allkeys = [us for v in per_kind.values() for us in v]
    ok_first = first_us <= FIRST_LIMIT_US
    ok_keys = pct(allkeys, 99) <= KEY_P99_LIMIT_US
    print("explorer on %s, %dx%d, %d key presses" % (os.path.basename(image), COLS, ROWS,
                                                     len(allkeys)))
    print("first screen: %.0f ms after the analysis (target <= %d ms: %s); %.2f s from launch"
          % (first_us / 1000, FIRST_LIMIT_US // 1000, "yes" if ok_first else "NO", wall_first))
    print("peak RSS of the explorer after the keys: %d MB" % (peak >> 20))
    head = ("key kind", "count", "p50 ms", "p99 ms", "max ms")
    rows = [(k, str(len(v)), "%.2f" % (statistics.median(v) / 1000), "%.2f" % (pct(v, 99) / 1000),
             "%.2f" % (max(v) / 1000)) for k, v in per_kind.items()]
    rows.append(("all keys", str(len(allkeys)), "%.2f" % (statistics.median(allkeys) / 1000),
                 "%.2f" % (pct(allkeys, 99) / 1000), "%.2f" % (max(allkeys) / 1000)))
    rows.append(("sent to drawn", str(len(sent_to_drawn)),
                 "%.2f" % (statistics.median(sent_to_drawn) / 1000),
                 "%.2f" % (pct(sent_to_drawn, 99) / 1000), "%.2f" % (max(sent_to_drawn) / 1000)))
    w = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        print("  ".join(r[i].ljust(w[i]) for i in range(len(r))).rstrip())
    print("per key target: p99 <= %d ms over all keys: %s" % (KEY_P99_LIMIT_US // 1000,
                                                              "yes" if ok_keys else "NO"))
    sys.exit(0 if ok_first and ok_keys else 1)


if __name__ == "__main__":
    main()
