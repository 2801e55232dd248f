#!/usr/bin/env bats
# Every failure: one line on stderr naming what failed and where, exit
# status 2, nothing on stdout.
load helpers

@test "a missing file" {
	fails_clearly "$BATS_TEST_TMPDIR/nothing.tar" "nothing.tar" "No such file or directory"
}

@test "not an image: a text file, a plain tar, an empty directory, compressed text" {
	echo hello >"$BATS_TEST_TMPDIR/t.txt"
	fails_clearly "$BATS_TEST_TMPDIR/t.txt" "t.txt: not an image: not a tar archive"
	tar -cf "$BATS_TEST_TMPDIR/plain.tar" -C "$BATS_TEST_TMPDIR" t.txt
	fails_clearly "$BATS_TEST_TMPDIR/plain.tar" "plain.tar: not an image" "without manifest.json or index.json"
	mkdir "$BATS_TEST_TMPDIR/empty"
	fails_clearly "$BATS_TEST_TMPDIR/empty" "empty: not an image" "without an OCI index.json"
	gzip -c "$BATS_TEST_TMPDIR/t.txt" >"$BATS_TEST_TMPDIR/t.txt.gz"
	fails_clearly "$BATS_TEST_TMPDIR/t.txt.gz" "t.txt.gz: not an image: not a tar archive"
}

@test "a truncated archive" {
	for f in docker-legacy docker-oci kaniko oci-none oci-gzip oci-zstd; do
		fails_clearly "$FIX/err-truncouter.$f.tar" "err-truncouter.$f.tar: truncated"
	done
}

@test "a truncated layer: the layer's index and digest, the tar or decompressor error" {
	for f in docker-legacy docker-oci oci-none; do
		fails_clearly "$FIX/err-trunclayer.$f.tar" "err-trunclayer.$f.tar: layer 1 (" "entry 'b': truncated"
	done
	fails_clearly "$FIX/err-trunclayer.kaniko.tar" "layer 1 (" ".tar.gz): truncated gzip input"
	fails_clearly "$FIX/err-trunclayer.oci-gzip.tar" "layer 1 (sha256:" "truncated gzip input"
	fails_clearly "$FIX/err-trunclayer.oci-dir" "layer 1 (sha256:" "truncated gzip input"
	fails_clearly "$FIX/err-trunclayer.oci-zstd.tar" "layer 1 (sha256:" "Truncated zstd input"
}

@test "a corrupt compressed layer" {
	fails_clearly "$FIX/err-corrupt.oci-zstd.tar" "err-corrupt.oci-zstd.tar: layer 1 (sha256:" "Zstd decompression failed"
	for f in kaniko.tar oci-gzip.tar oci-dir; do
		fails_clearly "$FIX/err-corrupt.$f" "err-corrupt.$f: layer 1 ("
	done
}

@test "a manifest naming a layer that is not in the archive" {
	for f in docker-legacy docker-oci kaniko; do
		fails_clearly "$FIX/err-droplayer.$f.tar" "layer 1 '" "named by manifest.json is not in the archive"
	done
	for f in oci-none.tar oci-gzip.tar oci-zstd.tar; do
		fails_clearly "$FIX/err-droplayer.$f" "layer 1 (sha256:" "is not in the archive"
	done
	fails_clearly "$FIX/err-droplayer.oci-dir" "layer 1 (sha256:" "cannot be opened"
}

@test "a missing config" {
	for f in docker-legacy docker-oci kaniko; do
		fails_clearly "$FIX/err-dropconfig.$f.tar" "config '" "named by manifest.json is not in the archive"
	done
	for f in oci-none.tar oci-gzip.tar oci-zstd.tar oci-dir; do
		fails_clearly "$FIX/err-dropconfig.$f" "err-dropconfig.$f: config: " "blobs/sha256/"
	done
}

@test "an index with no image for the platform lists the platforms it has" {
	for f in oci-none.tar oci-gzip.tar oci-zstd.tar oci-dir; do
		run --separate-stderr "$FATHOM" files "$FIX/multi.$f" --platform linux/s390x
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[ "$stderr" = "fathom: $FIX/multi.$f: index.json has no image for linux/s390x (it has: linux/arm64/v8, linux/amd64); choose one with --platform" ]
	done
}

@test "a platform named that the image does not offer: exit 2 with the one it has, in every format" {
	local f want
	for f in $FORMATS; do
		run --separate-stderr "$FATHOM" files "$FIX/basic.$f" --platform linux/s390x
		case $f in
		docker-*|kaniko*) want="no image for linux/s390x (it has: linux/amd64)" ;;
		*) want="index.json has no image for linux/s390x (it has: linux/amd64)" ;;
		esac
		[ "$status" -eq 2 ] || { echo "$f: status $status"; return 1; }
		[ -z "$output" ] || { echo "$f: $output"; return 1; }
		[ "$stderr" = "fathom: $FIX/basic.$f: $want" ] || { echo "$f: $stderr"; return 1; }
		# the one it offers is read, quietly
		run --separate-stderr "$FATHOM" files "$FIX/basic.$f" --platform linux/amd64
		[ "$status" -eq 0 ] && [ -z "$stderr" ] || { echo "$f: $status $stderr"; return 1; }
	done
	# from a stream too
	run --separate-stderr "$FATHOM" --ci --platform linux/arm64 - <"$FIX/basic.oci-gzip.tar"
	[ "$status" -eq 2 ] || { echo "$status"; return 1; }
	[ "$stderr" = "fathom: stdin: index.json has no image for linux/arm64 (it has: linux/amd64)" ] || { echo "$stderr"; return 1; }
}

@test "a path climbing out with ../: the layer and the entry, in every format" {
	for f in $FORMATS; do
		fails_clearly "$FIX/climb.$f" "climb.$f: layer 1 (" "entry 'a/../../escape': the path climbs out of the root"
		fails_clearly "$FIX/climblink.$f" "climblink.$f: layer 0 (" "entry 'evil': the hard link target climbs out of the root"
	done
}

@test "--image naming no image lists the tags there are" {
	run --separate-stderr "$FATHOM" files "$FIX/armamd.docker-legacy.tar" --image nope:1
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $FIX/armamd.docker-legacy.tar: manifest.json: no image tagged 'nope:1' (tags: fathom-test:arm, fathom-test:amd)" ]
	run --separate-stderr "$FATHOM" files "$FIX/armamd.oci-gzip.tar" --image nope:1
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $FIX/armamd.oci-gzip.tar: index.json: no image named 'nope:1' (it has: arm, amd)" ]
}

# rewrite IN OUT MEMBER TEXT: a copy of the tar IN whose MEMBER holds TEXT.
rewrite() {
	python3 - "$@" <<'PY'
import io, sys, tarfile
src, dst, member, text = sys.argv[1:5]
with tarfile.open(src) as i, tarfile.open(dst, "w") as o:
    for ti in i.getmembers():
        data = i.extractfile(ti).read() if ti.isfile() else None
        if ti.name == member:
            data = text.encode()
            ti.size = len(data)
        o.addfile(ti, io.BytesIO(data) if data is not None else None)
PY
}

@test "broken JSON: manifest.json, index.json, a config that is not an object" {
	rewrite "$FIX/basic.docker-legacy.tar" "$BATS_TEST_TMPDIR/m.tar" manifest.json '[{"Config": '
	fails_clearly "$BATS_TEST_TMPDIR/m.tar" "m.tar: manifest.json: invalid JSON at line 1"
	rewrite "$FIX/basic.oci-none.tar" "$BATS_TEST_TMPDIR/i.tar" index.json '{"manifests": 3}'
	fails_clearly "$BATS_TEST_TMPDIR/i.tar" "i.tar: index.json: no manifests list"
	rewrite "$FIX/basic.docker-legacy.tar" "$BATS_TEST_TMPDIR/e.tar" manifest.json '[]'
	fails_clearly "$BATS_TEST_TMPDIR/e.tar" "e.tar: manifest.json: not a non-empty list of images"
}

@test "a digest that would name another file is refused" {
	rewrite "$FIX/basic.oci-none.tar" "$BATS_TEST_TMPDIR/d.tar" index.json \
		'{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:../../../etc/passwd","size":1}]}'
	fails_clearly "$BATS_TEST_TMPDIR/d.tar" "d.tar: " "invalid digest 'sha256:../../../etc/passwd'"
}
