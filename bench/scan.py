#!/usr/bin/env python3
"""scan.py DIR [FATHOM] - `make bench`: the layer cache's second runs and
`fathom scan`, against a real docker-registry started here in a temporary
directory, with tests/cli/flaky_proxy.py (count mode) in front of it when
requests are counted: its log proves which blobs were downloaded. Times are
taken against the registry itself (the proxy is Python).

Images (made once under DIR/scan/, from mkbench.py's):
  many-files:1   the 1 GB, 97,000-entry image (four layers, gzip)
  many-files:2   the same four layers and one of its own: a new tag
  big-gzip.tar   an OCI archive of the four layers and /usr/bin, gzip
                 (about 560 MB)
  fx/...         the scan set (tests/fixtures/scanset.py --scale 40: 22
                 images FROM three bases, a second tag, a multi-arch index)

Cases: the second run of `fathom --ci` on many-files:1 (target <= 0.3 s,
no layer blob requested) and on big-gzip.tar (target <= 0.2 s); the new
tag (only its own layer downloaded); `fathom scan` of the registry (the
scan set and both many-files tags) with an empty cache (--jobs 4 and 1)
and a full one (each distinct layer downloaded once, then none). Warm
runs: the fastest of 7; cold ones: once each, the cache emptied before.
Prints one table; exits 1 when a target is missed.
"""
import collections
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import mkbench  # noqa: E402

RUNS = 7
MB = 1 << 20


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_http(url):
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("bench: %s does not answer" % url)


def make_images(d):
    """The images of the cases, each made once."""
    s = os.path.join(d, "scan")
    os.makedirs(s, exist_ok=True)
    base = [os.path.join(d, "layers", "l%d.tar" % i) for i in range(4)]
    gz = [os.path.join(d, "gz", "l%d.tar.gz" % i) for i in range(4)]
    media = "application/vnd.oci.image.layer.v1.tar+gzip"
    own = os.path.join(s, "own.tar")

    def own_layer(out):
        with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
            mkbench.add_bytes(t, "app/new-tag.txt", b"a layer of the new tag's own\n" * 100)
    mkbench.atomic(own, own_layer)
    mkbench.atomic(own + ".gz", mkbench.compress(["igzip", "-c"], own))
    mkbench.atomic(os.path.join(s, "new-tag.tar"),
                   mkbench.oci_archive(base + [own], gz + [own + ".gz"], media))
    ubin = os.path.join(s, "usr-bin.tar")
    mkbench.atomic(ubin, mkbench.gnu_tar(["usr/bin"]))
    mkbench.atomic(ubin + ".gz", mkbench.compress(["igzip", "-c"], ubin))
    mkbench.atomic(os.path.join(s, "big-gzip.tar"),
                   mkbench.oci_archive(base + [ubin], gz + [ubin + ".gz"], media))
    if not os.path.exists(os.path.join(s, "set", "list")):
        shutil.rmtree(os.path.join(s, "set"), ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "fixtures", "scanset.py"),
                        os.path.join(s, "set"), "--scale", "40"], check=True,
                       stdout=subprocess.DEVNULL)
    return s


class Registry:
    """docker-registry in a temporary directory, and a counting proxy."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="fathom-bench-registry.")
        self.addr = "127.0.0.1:%d" % free_port()
        with open(os.path.join(self.dir, "config.yml"), "w") as f:
            f.write("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n"
                    "    rootdirectory: %s/data\nhttp:\n  addr: %s\n" % (self.dir, self.addr))
        self.reg = subprocess.Popen(["docker-registry", "serve",
                                     os.path.join(self.dir, "config.yml")],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http("http://%s/v2/" % self.addr)
        self.proxy_addr = "127.0.0.1:%d" % free_port()
        self.log = os.path.join(self.dir, "requests.log")
        self.proxy = subprocess.Popen([sys.executable,
                                       os.path.join(ROOT, "tests", "cli", "flaky_proxy.py"),
                                       self.proxy_addr.split(":")[1], self.addr, self.log,
                                       "count"])
        wait_http("http://%s/v2/" % self.proxy_addr)

    def push(self, src, ref, *extra):
        subprocess.run(["skopeo", "copy", "-q", "--dest-tls-verify=false"] + list(extra) +
                       [src, "docker://%s/%s" % (self.addr, ref)], check=True)

    def blobs(self, configs):
        """Layer blobs requested since the log was emptied: {digest: count}."""
        n = collections.Counter()
        if os.path.exists(self.log):
            for line in open(self.log):
                path = line.split()[1]
                if "/blobs/" in path and path.rsplit("/", 1)[1] not in configs:
                    n[path.rsplit("/", 1)[1]] += 1
        open(self.log, "w").close()
        return n

    def stop(self):
        for p in (self.proxy, self.reg):
            p.terminate()
            p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def run(cmd, env):
    """Runs cmd; its seconds and peak RSS."""
    start = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, env=env)
    secs = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit("bench: %s failed: %s" % (" ".join(cmd), r.stderr))
    return secs, int(r.stderr.strip().splitlines()[-1]) * 1024, r.stdout


def configs_of(fathom, refs, env):
    """The config digests (image IDs) of the images: not layers."""
    out = run([fathom, "scan", "--format", "json", "--insecure"] + refs, env)[2]
    return {i["digest"] for i in json.loads(out)["images"]}


def main():
    d = sys.argv[1]
    fathom = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "build/release/fathom")
    s = make_images(d)
    cache = tempfile.mkdtemp(prefix="fathom-bench-cache.")
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    for k in ("CI", "DOCKER_CONFIG"):
        env.pop(k, None)
    reg = Registry()
    rows, ok = [], True

    def row(case, secs, target, requests, met, rss=None):
        nonlocal ok
        ok = ok and met
        rows.append((case, "%.3f" % secs, target, requests,
                     "%d MB" % (rss // MB) if rss else "-", "yes" if met else "NO"))

    def clear():
        shutil.rmtree(cache, ignore_errors=True)
        os.makedirs(cache)

    def best(cmd, n=RUNS):
        t = [run(cmd, env) for _ in range(n)]
        return min(x[0] for x in t), max(x[1] for x in t)

    try:
        reg.push("oci-archive:" + os.path.join(d, "base-gzip.tar"), "bench/many-files:1")
        reg.push("oci-archive:" + os.path.join(s, "new-tag.tar"), "bench/many-files:2")
        for line in open(os.path.join(s, "set", "list")):
            f, ref, *all_ = line.split()
            reg.push("oci-archive:" + os.path.join(s, "set", f), ref, *(["--all"] if all_ else []))
        direct = "registry://" + reg.addr
        counted = "registry://" + reg.proxy_addr
        ci = [fathom, "--ci", "--lowestEfficiency", "disabled", "--highestUserWastedPercent",
              "disabled", "--insecure"]
        configs = configs_of(fathom, [direct + "/bench/many-files:1",
                                      direct + "/bench/many-files:2"], env)

        # the registry image: cold, then warm
        clear()
        secs, rss, _ = run(ci + [direct + "/bench/many-files:1"], env)
        row("registry many-files:1, cache empty", secs, "-", "-", True, rss)
        secs, rss = best(ci + [direct + "/bench/many-files:1"])
        run(ci + [counted + "/bench/many-files:1"], env)
        n = reg.blobs(configs)
        row("registry many-files:1, second run", secs, "<= 0.3 s", "%d layers" % sum(n.values()),
            secs <= 0.3 and not n, rss)
        secs, rss, _ = run(ci + [counted + "/bench/many-files:2"], env)
        n = reg.blobs(configs)
        row("registry many-files:2 (new tag), after :1", secs, "1 layer", "%d layers" % sum(n.values()),
            sum(n.values()) == 1, rss)

        # the archive: no cache, cold, warm
        big = os.path.join(s, "big-gzip.tar")
        size = os.path.getsize(big) // MB
        ci_file = [c for c in ci if c != "--insecure"]
        secs, rss, _ = run(ci_file + ["--no-cache", big], env)
        row("OCI archive %d MB gzip, --no-cache" % size, secs, "-", "-", True, rss)
        clear()
        secs, rss, _ = run(ci_file + [big], env)
        row("OCI archive %d MB gzip, cache empty" % size, secs, "-", "-", True, rss)
        secs, rss = best(ci_file + [big])
        row("OCI archive %d MB gzip, second run" % size, secs, "<= 0.2 s", "-", secs <= 0.2, rss)

        # fathom scan of the whole registry
        scan = [fathom, "scan", "--insecure", "--format", "json"]
        out = json.loads(run(scan + [direct], env)[2])
        configs = {i["digest"] for i in out["images"]}
        images, distinct = len(out["images"]), out["totals"]["distinctLayers"]
        what = "scan, %d images, %d distinct layers" % (images, distinct)
        clear()
        reg.blobs(configs)
        secs, rss, _ = run(scan + [counted, "--jobs", "4"], env)
        n = reg.blobs(configs)
        row(what + ", cache empty (counted)", secs, "each once",
            "%d layers, %d twice" % (sum(n.values()), sum(1 for c in n.values() if c > 1)),
            len(n) == distinct and all(c == 1 for c in n.values()), rss)
        for jobs in (4, 1):
            clear()
            secs, rss, _ = run(scan + [direct, "--jobs", str(jobs)], env)
            row(what + ", cache empty, --jobs %d" % jobs, secs, "-", "-", True, rss)
        secs, rss = best(scan + [direct], 3)
        run(scan + [counted], env)
        n = reg.blobs(configs)
        row(what + ", second run", secs, "none", "%d layers" % sum(n.values()), not n, rss)
    finally:
        reg.stop()
        shutil.rmtree(cache, ignore_errors=True)

    head = ("case", "seconds", "target", "downloaded", "peak RSS", "met")
    w = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        print("  ".join(r[i].ljust(w[i]) for i in range(len(r))).rstrip())
    print("warm runs: the fastest of %d; cold ones once, the cache emptied before; "
          "downloads counted by a proxy's log (configs left out)" % RUNS)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
