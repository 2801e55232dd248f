#!/usr/bin/env python3
"""image_layers.py IMAGE: one line per layer of a saved image (docker-archive,
oci-archive, OCI layout directory): the sha256 of its stored bytes, computed
here, and its media type (or "-" in a docker-archive).  Exits 1 when a
digest that the archive names does not match the bytes.  --config prints the
image config instead, --manifest the docker-archive manifest.json or the
OCI manifest."""

import hashlib
import json
import os
import sys
import tarfile


class Image:
    def __init__(self, path):
        self.dir = path if os.path.isdir(path) else None
        self.tar = None if self.dir else tarfile.open(path)

    def read(self, name):
        if self.dir:
            with open(os.path.join(self.dir, name), "rb") as f:
                return f.read()
        return self.tar.extractfile(name).read()

    def names(self):
        if self.dir:
            return []
        return self.tar.getnames()


def blob(img, digest):
    data = img.read("blobs/sha256/" + digest.split(":", 1)[1])
    got = "sha256:" + hashlib.sha256(data).hexdigest()
    if got != digest:
        sys.exit("%s: the bytes have the digest %s" % (digest, got))
    return data


def main():
    args = sys.argv[1:]
    what = "layers"
    if args[0] in ("--config", "--manifest"):
        what = args.pop(0)[2:]
    img = Image(args[0])
    if "manifest.json" in img.names():
        m = json.loads(img.read("manifest.json"))[0]
        if what == "manifest":
            print(json.dumps(m, sort_keys=True))
        elif what == "config":
            print(img.read(m["Config"]).decode())
        else:
            for layer in m["Layers"]:
                print("sha256:" + hashlib.sha256(img.read(layer)).hexdigest(), "-")
        return
    index = json.loads(img.read("index.json"))
    d = index["manifests"][0]
    man = json.loads(blob(img, d["digest"]))
    if what == "manifest":
        print(json.dumps({"index": d, "manifest": man}, sort_keys=True))
    elif what == "config":
        print(blob(img, man["config"]["digest"]).decode())
    else:
        for layer in man["layers"]:
            data = blob(img, layer["digest"])
            if len(data) != layer["size"]:
                sys.exit("%s: %d bytes, not %d" % (layer["digest"], len(data), layer["size"]))
            print(layer["digest"], layer["mediaType"])


main()
