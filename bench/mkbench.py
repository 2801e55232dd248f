#!/usr/bin/env python3
"""mkbench.py DIR - makes the benchmark images once, from this machine's own
files (never downloaded), into DIR:

  layers/l0..l3.tar   /usr/share, /usr/include, /usr/lib/python3, /etc with
                      /var/lib/dpkg, as GNU tar writes them (about 1 GB and
                      80,000 entries together)
  layers/wh3k.tar, layers/wh30k.tar
                      3,000 and 30,000 whiteouts of single files of l0 (what
                      `apt-get purge` leaves)
  base.tar, wh3k.tar, wh30k.tar
                      docker-archives of l0..l3, and of l0..l3 plus a whiteout
                      layer
  gz/, zst/           the layers compressed with igzip and zstd, and
  base-gzip.tar, base-zstd.tar
                      oci-archives of them
  layers/m0..m9.tar, million.tar
                      1,000,000 entries in 10 layers (later layers rewrite and
                      delete some of the earlier ones' files)
  layers/u0..u3.tar, usr.tar
                      /usr/share, /usr/include, /usr/share/doc again, /etc:
                      a docker-archive of about 1 GB and 90,000 entries, the
                      per-entry cost's image
  many/, many-files.tar
                      seven gzip layers of the directories with the most
                      files this machine has (about 100,000 entries), an
                      OCI archive for the registry case
  entries             tar entries per image, for bytes per entry

Each file is made only when missing; a partial one is never left behind.
"""
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

GNU_TAR_LAYERS = [["usr/share"], ["usr/include"], ["usr/lib/python3"], ["etc", "var/lib/dpkg"]]
USR_LAYERS = [["usr/share"], ["usr/include"], ["usr/share/doc"], ["etc"]]
# the directories with many small files, those this machine has
MANY_LAYERS = [["usr/share/man"], ["usr/share/locale", "usr/share/icons"], ["usr/include"],
               ["usr/share/doc"], ["usr/lib/python3", "usr/share/perl5", "usr/share/zoneinfo"],
               ["root/.pyenv/versions/3.11.7/lib/python3.11", "usr/lib/node_modules"],
               ["etc", "var/lib/dpkg", "usr/share/X11"]]


def done(path):
    return os.path.exists(path)


def atomic(path, make):
    if done(path):
        return
    tmp = path + ".tmp"
    make(tmp)
    os.rename(tmp, path)


def gnu_tar(dirs):
    def make(out):
        present = [x for x in dirs if os.path.exists("/" + x)] or ["etc"]
        subprocess.run(["tar", "-cf", out, "-C", "/", "--ignore-failed-read",
                        "--warning=none"] + present, check=False)
    return make


def whiteouts(l0, n):
    def make(out):
        names = subprocess.run(["tar", "-tvf", l0], check=True, stdout=subprocess.PIPE,
                               text=True, errors="surrogateescape").stdout.splitlines()
        files = [l.split(None, 5)[5] for l in names if l.startswith("-")]
        files = [f for f in files if " -> " not in f and " link to " not in f][:n]
        if len(files) < n:
            sys.exit("mkbench: l0 has only %d files" % len(files))
        with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as t:
            for f in files:
                d, b = os.path.split(f)
                ti = tarfile.TarInfo(os.path.join(d, ".wh." + b))
                t.addfile(ti)
    return make


def million(i):
    """Layer i of the 1,000,000-entry image: 100,000 entries."""
    def make(out):
        with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as t:
            n = 0
            for d in range(100):
                ti = tarfile.TarInfo("app/l%d/d%03d" % (i, d))
                ti.type = tarfile.DIRTYPE
                ti.mode = 0o755
                t.addfile(ti)
                n += 1
            for k in range(99_900 - (900 if i else 0)):
                ti = tarfile.TarInfo("app/l%d/d%03d/f%05d" % (i, k % 100, k))
                data = b"x" * (k % 97) if k % 4 == 0 else b""
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
            if i:
                # rewrite 600 files of the layer below, delete 300
                for k in range(600):
                    ti = tarfile.TarInfo("app/l%d/d%03d/f%05d" % (i - 1, k % 100, k))
                    data = b"y" * 10
                    ti.size = len(data)
                    t.addfile(ti, io.BytesIO(data))
                for k in range(600, 900):
                    t.addfile(tarfile.TarInfo("app/l%d/d%03d/.wh.f%05d" % (i - 1, k % 100, k)))
    return make


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def add_file(t, name, path):
    ti = t.gettarinfo(path, arcname=name)
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = ""
    ti.mtime = 0
    with open(path, "rb") as f:
        t.addfile(ti, f)


def add_bytes(t, name, data):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))


def config(layers):
    return json.dumps({
        "architecture": "amd64", "os": "linux", "config": {},
        "history": [{"created_by": "/bin/sh -c #(nop) ADD %s in / " % os.path.basename(l)}
                    for l in layers],
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha256(l) for l in layers]},
    }).encode()


def docker_archive(layers):
    def make(out):
        with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
            names = []
            for i, l in enumerate(layers):
                names.append("%d/layer.tar" % i)
                add_file(t, names[-1], l)
            add_bytes(t, "config.json", config(layers))
            add_bytes(t, "manifest.json", json.dumps([{
                "Config": "config.json", "RepoTags": ["bench:latest"], "Layers": names}]).encode())
    return make


def oci_archive(layers, blobs, media):
    def make(out):
        with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
            descs = []
            for b in blobs:
                h = sha256(b)
                add_file(t, "blobs/sha256/" + h, b)
                descs.append({"mediaType": media, "digest": "sha256:" + h,
                              "size": os.path.getsize(b)})
            cfg = config(layers)
            add_bytes(t, "blobs/sha256/" + hashlib.sha256(cfg).hexdigest(), cfg)
            man = json.dumps({"schemaVersion": 2,
                              "mediaType": "application/vnd.oci.image.manifest.v1+json",
                              "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                         "digest": "sha256:" + hashlib.sha256(cfg).hexdigest(),
                                         "size": len(cfg)},
                              "layers": descs}).encode()
            add_bytes(t, "blobs/sha256/" + hashlib.sha256(man).hexdigest(), man)
            add_bytes(t, "index.json", json.dumps({"schemaVersion": 2, "manifests": [{
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": "sha256:" + hashlib.sha256(man).hexdigest(), "size": len(man),
                "platform": {"architecture": "amd64", "os": "linux"}}]}).encode())
            add_bytes(t, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
    return make


def compress(cmd, src):
    def make(out):
        with open(src, "rb") as i, open(out, "wb") as o:
            subprocess.run(cmd, stdin=i, stdout=o, check=True)
    return make


def count_entries(layers):
    return sum(1 for l in layers for _ in tarfile.open(l))


def main():
    d = sys.argv[1]
    for sub in ("layers", "gz", "zst"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    L = lambda n: os.path.join(d, "layers", n)
    base = [L("l%d.tar" % i) for i in range(4)]
    for path, dirs in zip(base, GNU_TAR_LAYERS):
        atomic(path, gnu_tar(dirs))
    atomic(L("wh3k.tar"), whiteouts(base[0], 3_000))
    atomic(L("wh30k.tar"), whiteouts(base[0], 30_000))
    atomic(os.path.join(d, "base.tar"), docker_archive(base))
    atomic(os.path.join(d, "wh3k.tar"), docker_archive(base + [L("wh3k.tar")]))
    atomic(os.path.join(d, "wh30k.tar"), docker_archive(base + [L("wh30k.tar")]))
    gz = [os.path.join(d, "gz", "l%d.tar.gz" % i) for i in range(4)]
    zst = [os.path.join(d, "zst", "l%d.tar.zst" % i) for i in range(4)]
    for l, g, z in zip(base, gz, zst):
        atomic(g, compress(["igzip", "-c"], l))
        atomic(z, compress(["zstd", "-q", "-c", "-3", "-T0"], l))
    atomic(os.path.join(d, "base-gzip.tar"),
           oci_archive(base, gz, "application/vnd.oci.image.layer.v1.tar+gzip"))
    atomic(os.path.join(d, "base-zstd.tar"),
           oci_archive(base, zst, "application/vnd.oci.image.layer.v1.tar+zstd"))
    mil = [L("m%d.tar" % i) for i in range(10)]
    for i, m in enumerate(mil):
        atomic(m, million(i))
    atomic(os.path.join(d, "million.tar"), docker_archive(mil))

    usr = [L("u%d.tar" % i) for i in range(4)]
    for path, dirs in zip(usr, USR_LAYERS):
        atomic(path, gnu_tar(dirs))
    atomic(os.path.join(d, "usr.tar"), docker_archive(usr))
    os.makedirs(os.path.join(d, "many"), exist_ok=True)
    many = [os.path.join(d, "many", "m%d.tar" % i) for i in range(len(MANY_LAYERS))]
    for path, dirs in zip(many, MANY_LAYERS):
        atomic(path, gnu_tar(dirs))
    manygz = [m + ".gz" for m in many]
    for m, g in zip(many, manygz):
        atomic(g, compress(["igzip", "-c"], m))
    atomic(os.path.join(d, "many-files.tar"),
           oci_archive(many, manygz, "application/vnd.oci.image.layer.v1.tar+gzip"))

    def entries(out):
        n = {"base": count_entries(base)}
        n["usr"] = count_entries(usr)
        n["many"] = count_entries(many)
        n["wh3k"] = n["base"] + 3_000
        n["wh30k"] = n["base"] + 30_000
        n["million"] = count_entries(mil)
        with open(out, "w") as f:
            json.dump(n, f)
    atomic(os.path.join(d, "entries"), entries)


if __name__ == "__main__":
    main()
