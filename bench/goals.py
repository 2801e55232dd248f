#!/usr/bin/env python3
"""goals.py DIR [FATHOM] - `make bench`: fathom against the physical limit on
the images of bench/mkbench.py, one table: the work, fathom's seconds, the
reference measured in the same run, the ratio, the goal, peak RSS, and
whether the goal is met.

  --ci and files on usr.tar (about 1 GB, 90,000 entries)   against cat of it
  inspect and history on usr.tar                            against 0.05 s
  --ci of many-files from a local docker-registry           against skopeo copy
                                                            of it to an OCI dir
  squash of base.tar                                        against cp of it,
                                                            and bytes written

Every fathom run reads no layer cache (--no-cache, XDG_CACHE_HOME empty) but
the ones named cached. Each command runs RUNS times in turns; its time is
the fastest (noise only ever adds), its memory the largest peak RSS. Exits 1
when a goal is missed.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

RUNS = 5
MB = 1 << 20


def run_once(cmd, env=None):
    start = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M", "sh", "-c", "{ " + cmd + "; } >/dev/null 2>&1"],
                       stderr=subprocess.PIPE, text=True, env=env)
    secs = time.perf_counter() - start
    if r.returncode not in (0, 1):
        sys.exit("bench: %s failed: %s" % (cmd, r.stderr))
    return secs, int(r.stderr.strip().splitlines()[-1]) * 1024


def measure_all(cmds, env=None, before=None):
    out = {}
    for _ in range(RUNS):
        for name, cmd in cmds.items():
            if before is not None:
                before(name)
            secs, rss = run_once(cmd, env)
            best, peak = out.get(name, (secs, rss))
            out[name] = (min(best, secs), max(peak, rss))
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def registry(tmp, image):
    """A docker-registry on loopback holding image as bench/many:1."""
    port = free_port()
    conf = os.path.join(tmp, "registry.yml")
    with open(conf, "w") as f:
        f.write("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n"
                "    rootdirectory: %s/data\nhttp:\n  addr: 127.0.0.1:%d\n" % (tmp, port))
    proc = subprocess.Popen(["docker-registry", "serve", conf], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    subprocess.run(["skopeo", "copy", "-q", "--dest-tls-verify=false", "oci-archive:" + image,
                    "docker://127.0.0.1:%d/bench/many:1" % port], check=True)
    return proc, "127.0.0.1:%d" % port


def write_bytes(cmd, env):
    """Bytes a command writes to storage (/proc/PID/io of its shell's tree)."""
    r = subprocess.run(["sh", "-c", cmd + " >/dev/null 2>&1; cat /proc/$$/io"], env=env,
                       stdout=subprocess.PIPE, text=True)
    for line in r.stdout.splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    return 0


def main():
    d = sys.argv[1]
    fathom = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "build/release/fathom")
    p = lambda *a: os.path.join(d, *a)
    tmp = tempfile.mkdtemp(prefix="fathom-bench-")
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"))
    subprocess.run("cat %s %s %s >/dev/null" % (p("usr.tar"), p("base.tar"), p("many-files.tar")),
                   shell=True, check=True)
    rows, ok = [], True

    def row(work, secs, ref, ref_name, goal, rss, kind="ratio"):
        nonlocal ok
        if kind == "ratio":
            ratio = secs / ref
            met = ratio <= goal
            shown = ("%.3f" % ref, ref_name, "%.2f" % ratio, "<= %.1fx" % goal)
        else:
            met = secs <= goal
            shown = ("-", ref_name, "-", "< %.2f s" % goal)
        ok = ok and met
        rows.append((work, "%.3f" % secs) + shown + ("%d MB" % (rss // MB), "yes" if met else "NO"))

    ci = fathom + " --no-cache --ci --lowestEfficiency disabled --highestUserWastedPercent disabled "
    m = measure_all({
        "cat": "cat " + p("usr.tar"),
        "ci": ci + p("usr.tar"),
        "files": fathom + " files --no-cache " + p("usr.tar"),
        "inspect": fathom + " inspect --no-cache " + p("usr.tar"),
        "history": fathom + " history --no-cache " + p("usr.tar"),
    }, env)
    t = lambda k: m[k][0]
    row("--ci, usr.tar (docker-archive)", t("ci"), t("cat"), "cat", 1.5, m["ci"][1])
    row("files, usr.tar", t("files"), t("cat"), "cat", 1.5, m["files"][1])
    row("inspect, usr.tar", t("inspect"), 0, "reading the config", 0.05, m["inspect"][1], "abs")
    row("history, usr.tar", t("history"), 0, "reading the config", 0.05, m["history"][1], "abs")

    if shutil.which("docker-registry") and shutil.which("skopeo"):
        proc, reg = registry(tmp, p("many-files.tar"))
        try:
            oci = os.path.join(tmp, "oci")
            m = measure_all({
                "skopeo": "rm -rf %s; skopeo copy -q --src-tls-verify=false docker://%s/bench/many:1 "
                          "oci:%s:latest" % (oci, reg, oci),
                "registry": ci + "--insecure registry://%s/bench/many:1" % reg,
            }, env)
            row("--ci, many-files from a registry (verified)", t("registry"), t("skopeo"),
                "skopeo copy", 1.3, m["registry"][1])
        finally:
            proc.terminate()
            proc.wait()

    out = os.path.join(tmp, "sq.tar")
    m = measure_all({
        "cp": "cp %s %s.cp" % (p("base.tar"), out),
        "squash": "%s squash --no-cache %s -o %s.new --compress none && mv %s.new %s" %
                  (fathom, p("base.tar"), out, out, out),
    }, env)
    row("squash, base.tar (docker-archive)", t("squash"), t("cp"), "cp", 2.0, m["squash"][1])
    wrote = write_bytes("%s squash --no-cache %s -o %s.w --compress none" % (fathom, p("base.tar"), out), env)
    size = os.path.getsize(out + ".w")
    shutil.rmtree(tmp, ignore_errors=True)

    head = ("work", "fathom s", "ref s", "reference", "ratio", "goal", "peak RSS", "met")
    w = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        print("  ".join(r[i].ljust(w[i]) for i in range(len(r))).rstrip())
    print("squash wrote %.0f MB for an output of %.0f MB (%.2fx)" % (wrote / MB, size / MB,
                                                                      wrote / size if size else 0))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
