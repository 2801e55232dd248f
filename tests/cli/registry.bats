#!/usr/bin/env bats
# Images straight from a registry: Debian's docker-registry (the
# distribution server) on loopback, plain and with htpasswd auth, filled
# with skopeo; each image must read as from its archive file.
load helpers
load servers

GOOD="basic links opaque replace parents symparent whiteout dup names blobs paxglobal"

# An OCI archive whose index.json points at one index of the arm and amd
# images: what skopeo copy --all takes as a multi-arch image.
nested_armamd() {
	python3 - "$FIX/armamd.oci-none.tar" "$1" <<'PY'
import hashlib, io, json, sys, tarfile
src, out = sys.argv[1], sys.argv[2]
with tarfile.open(src) as t:
    members = [(m, t.extractfile(m).read() if m.isfile() else None) for m in t.getmembers()]
index = json.loads(dict((m.name, d) for m, d in members)["index.json"])
inner = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                    "manifests": index["manifests"]}).encode()
digest = hashlib.sha256(inner).hexdigest()
top = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                  "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json",
                                 "digest": "sha256:" + digest, "size": len(inner)}]}).encode()
with tarfile.open(out, "w") as o:
    for m, d in members:
        if m.name == "index.json":
            continue
        o.addfile(m, io.BytesIO(d) if d is not None else None)
    for name, d in (("blobs/sha256/" + digest, inner), ("index.json", top)):
        ti = tarfile.TarInfo(name)
        ti.size = len(d)
        o.addfile(ti, io.BytesIO(d))
PY
}

setup_file() {
	srv_start_registry
	local fx
	for fx in $GOOD; do
		srv_push "oci-archive:$FIX/$fx.oci-gzip.tar" "fx/$fx:1"
	done
	srv_push "oci-archive:$FIX/basic.oci-zstd.tar" fx/basic:zstd
	srv_push "docker-archive:$FIX/basic.docker-legacy.tar" fx/basic:docker
	if [ -f "$SHARED/test-docker-image.tar" ]; then
		srv_push "docker-archive:$SHARED/test-docker-image.tar" dive/test:1
	fi
	nested_armamd "$BATS_FILE_TMPDIR/armamd.tar"
	srv_push "oci-archive:$BATS_FILE_TMPDIR/armamd.tar" multi:1 --all
	PLAIN=$REG
	PLAIN_DIR=$SRV_REG
	srv_start_registry fathom:s3cret
	srv_push "oci-archive:$FIX/basic.oci-gzip.tar" private/basic:1 --dest-creds fathom:s3cret
	AUTH=$REG
	AUTH_DIR=$SRV_REG
	export PLAIN PLAIN_DIR AUTH AUTH_DIR
}

teardown_file() {
	SRV_REG=$PLAIN_DIR srv_stop_registry
	SRV_REG=$AUTH_DIR srv_stop_registry
}

setup() {
	export HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME"
}

@test "registry://: every fixture reads as from its archive file" {
	local fx failed=0
	for fx in $GOOD; do
		"$FATHOM" files "$FIX/$fx.oci-gzip.tar" >"$BATS_TEST_TMPDIR/a"
		if ! "$FATHOM" files --insecure "registry://$PLAIN/fx/$fx:1" >"$BATS_TEST_TMPDIR/b" 2>"$BATS_TEST_TMPDIR/err" ||
		   ! cmp -s "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"; then
			echo "$fx differs: $(cat "$BATS_TEST_TMPDIR/err")"
			diff "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b" | head -5
			failed=1
		fi
	done
	[ "$failed" -eq 0 ]
}

@test "registry://: zstd layers, Docker media types, a digest reference, history" {
	"$FATHOM" files "$FIX/basic.oci-gzip.tar" >"$BATS_TEST_TMPDIR/a"
	"$FATHOM" files --insecure "registry://$PLAIN/fx/basic:zstd" | cmp - "$BATS_TEST_TMPDIR/a"
	"$FATHOM" files --insecure "registry://$PLAIN/fx/basic:docker" | cmp - "$BATS_TEST_TMPDIR/a"
	local d
	d=$(curl -sf -H "Accept: application/vnd.oci.image.manifest.v1+json" \
		"http://$PLAIN/v2/fx/basic/manifests/1" | sha256sum | cut -c1-64)
	"$FATHOM" files --insecure "registry://$PLAIN/fx/basic@sha256:$d" | cmp - "$BATS_TEST_TMPDIR/a"
	"$FATHOM" history "$FIX/basic.oci-gzip.tar" >"$BATS_TEST_TMPDIR/h"
	"$FATHOM" history --insecure "registry://$PLAIN/fx/basic:1" | cmp - "$BATS_TEST_TMPDIR/h"
}

@test "registry://: dive's image gives the same CI report" {
	[ -f "$SHARED/test-docker-image.tar" ] || skip "no shared images"
	run "$FATHOM" --ci "$SHARED/test-docker-image.tar"
	local want=$output
	run "$FATHOM" --ci --insecure "registry://$PLAIN/dive/test:1"
	[ "$status" -eq 1 ]
	[ "$output" = "$want" ]
}

@test "registry://: a multi-arch index, --platform picks the image; an unknown one lists them" {
	local p
	for p in linux/arm64 linux/amd64; do
		"$FATHOM" files --platform $p "$FIX/armamd.oci-none.tar" >"$BATS_TEST_TMPDIR/a"
		"$FATHOM" files --insecure --platform $p "registry://$PLAIN/multi:1" | cmp - "$BATS_TEST_TMPDIR/a"
	done
	run -1 cmp -s <("$FATHOM" files --insecure --platform linux/arm64 "registry://$PLAIN/multi:1") \
		<("$FATHOM" files --insecure --platform linux/amd64 "registry://$PLAIN/multi:1")
	run --separate-stderr "$FATHOM" files --insecure --platform linux/s390x "registry://$PLAIN/multi:1"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: registry://$PLAIN/multi:1: $PLAIN/multi:1 has no image for linux/s390x (it has: linux/arm64/v8, linux/amd64); choose one with --platform" ]
}

@test "registry://: retries 429 and 503, resumes a cut download with Range" {
	local port
	port=$(srv_free_port)
	python3 "$BATS_TEST_DIRNAME/flaky_proxy.py" "$port" "$PLAIN" "$BATS_TEST_TMPDIR/proxy.log" &
	local pid=$!
	srv_wait curl -s -o /dev/null "http://127.0.0.1:$port/v2/"
	"$FATHOM" files "$FIX/links.oci-gzip.tar" >"$BATS_TEST_TMPDIR/a"
	# --no-cache: the layers are downloaded (an earlier test cached them)
	"$FATHOM" files --no-cache --insecure "registry://127.0.0.1:$port/fx/links:1" >"$BATS_TEST_TMPDIR/b"
	kill $pid
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	grep -q "manifests/1 429" "$BATS_TEST_TMPDIR/proxy.log"
	grep -q "blobs/.* 503" "$BATS_TEST_TMPDIR/proxy.log"
	grep -q "blobs/.* 200 cut" "$BATS_TEST_TMPDIR/proxy.log"
	grep -q "blobs/.* 206 range=" "$BATS_TEST_TMPDIR/proxy.log"
}

@test "registry://: a download that stalls half way is dropped after --timeout and resumed" {
	local port pid
	port=$(srv_free_port)
	python3 "$BATS_TEST_DIRNAME/flaky_proxy.py" "$port" "$PLAIN" "$BATS_TEST_TMPDIR/proxy.log" stall &
	pid=$!
	srv_wait curl -s -o /dev/null "http://127.0.0.1:$port/v2/"
	"$FATHOM" files "$FIX/links.oci-gzip.tar" >"$BATS_TEST_TMPDIR/a"
	# each blob's first download stops half way and holds on: without the
	# stall timeout this would wait five minutes
	timeout 30 "$FATHOM" files --no-cache --insecure --timeout 2 "registry://127.0.0.1:$port/fx/links:1" >"$BATS_TEST_TMPDIR/b"
	kill $pid
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	grep -q "blobs/.* 200 stall" "$BATS_TEST_TMPDIR/proxy.log"
	grep -q "blobs/.* 206 range=" "$BATS_TEST_TMPDIR/proxy.log"
}

@test "registry://: a blob whose bytes do not match its digest is refused" {
	cp -r "$PLAIN_DIR/data" "$BATS_TEST_TMPDIR/data.bak"
	# a gzip layer with one byte of its header's mtime changed: it still
	# inflates, so only its digest tells
	local f
	for f in $(find "$PLAIN_DIR/data" -path '*blobs/sha256/*/data' | sort); do
		[ "$(head -c 2 "$f" | od -An -tx1 | tr -d ' ')" = 1f8b ] && break
	done
	python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[4] ^= 1; open(p, "wb").write(b)' "$f"
	local digest=sha256:$(basename "$(dirname "$f")")
	local repo
	repo=$(grep -rl "$digest" "$PLAIN_DIR/data" --include=link | sed -n 's|.*/repositories/\(.*\)/_layers/.*|\1|p' | head -1)
	run --separate-stderr "$FATHOM" files --no-cache --insecure "registry://$PLAIN/$repo:1"
	rm -rf "$PLAIN_DIR/data"
	mv "$BATS_TEST_TMPDIR/data.bak" "$PLAIN_DIR/data"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: registry://$PLAIN/$repo:1: layer "*" ($digest): "*"the bytes do not match their digest: they are sha256:"* ]]
}

@test "registry://: basic auth from ~/.docker/config.json, a credential helper; refusals name no secret" {
	"$FATHOM" files "$FIX/basic.oci-gzip.tar" >"$BATS_TEST_TMPDIR/a"
	run --separate-stderr "$FATHOM" files --insecure "registry://$AUTH/private/basic:1"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: registry://$AUTH/private/basic:1: $AUTH asks for a login and ~/.docker/config.json has none for it" ]
	mkdir -p "$HOME/.docker"
	printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$AUTH" "$(printf fathom:s3cret | base64)" >"$HOME/.docker/config.json"
	"$FATHOM" files --insecure "registry://$AUTH/private/basic:1" | cmp - "$BATS_TEST_TMPDIR/a"
	printf '{"auths": {"http://%s": {"auth": "%s"}}}\n' "$AUTH" "$(printf fathom:wrong | base64)" >"$HOME/.docker/config.json"
	run --separate-stderr "$FATHOM" files --insecure "registry://$AUTH/private/basic:1"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"refused access to private/basic (HTTP 401 with the login of ~/.docker/config.json)"* ]]
	[[ "$stderr" != *wrong* ]]
	# a credential helper, as credHelpers names it
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	cat >"$BATS_TEST_TMPDIR/bin/docker-credential-fathomtest" <<-SH
	#!/bin/sh
	read -r server
	[ "\$1" = get ] && [ "\$server" = "$AUTH" ] || exit 1
	printf '{"ServerURL": "%s", "Username": "fathom", "Secret": "s3cret"}\n' "\$server"
	SH
	chmod +x "$BATS_TEST_TMPDIR/bin/docker-credential-fathomtest"
	printf '{"credHelpers": {"%s": "fathomtest"}}\n' "$AUTH" >"$HOME/.docker/config.json"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH "$FATHOM" files --insecure "registry://$AUTH/private/basic:1" | cmp - "$BATS_TEST_TMPDIR/a"
	printf '{"credsStore": "fathomtest"}\n' >"$HOME/.docker/config.json"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH "$FATHOM" files --insecure "registry://$AUTH/private/basic:1" | cmp - "$BATS_TEST_TMPDIR/a"
}

@test "registry://: clear errors: no such tag or repository, a bad name, nothing listening" {
	run --separate-stderr "$FATHOM" files --insecure "registry://$PLAIN/fx/basic:nope"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: registry://$PLAIN/fx/basic:nope: $PLAIN has no image $PLAIN/fx/basic:nope (no such repository or tag)" ]
	run --separate-stderr "$FATHOM" files --insecure "registry://$PLAIN/Upper/case:1"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"'Upper/case' is not a repository name"* ]]
	local port
	port=$(srv_free_port)
	run --separate-stderr "$FATHOM" files --insecure "registry://127.0.0.1:$port/x:1"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: registry://127.0.0.1:$port/x:1: GET http://127.0.0.1:$port/v2/x/manifests/1: "* ]]
	run --separate-stderr "$FATHOM" files "registry://$PLAIN/fx/basic:1"	# no --insecure: TLS
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"https://$PLAIN/v2/fx/basic/manifests/1"* ]]
}
