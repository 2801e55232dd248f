#!/usr/bin/env bats
# The real images in ../shared/images, built by docker, kaniko and buildkit.
load helpers

setup() {
	[ -d "$SHARED" ] || skip "no shared images at $SHARED"
}

@test "the four test-oci-* images (uncompressed, gzip, zstd, eStargz) give identical files" {
	"$FATHOM" files "$SHARED/test-oci-uncompressed-image.tar" --platform linux/arm64 >"$BATS_TEST_TMPDIR/ref"
	[ "$(cat "$BATS_TEST_TMPDIR/ref")" = "$(printf '/README.md\tf\t0644\t0\t0\t11189\t')" ]
	for c in gzip zstd estargz; do
		"$FATHOM" files "$SHARED/test-oci-$c-image.tar" --platform linux/arm64 | diff -u "$BATS_TEST_TMPDIR/ref" -
	done
}

@test "an index whose only image is for another platform: read, with a warning" {
	run --separate-stderr "$FATHOM" files "$SHARED/test-oci-gzip-image.tar" --platform linux/amd64
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '/README.md\tf\t0644\t0\t0\t11189\t')" ]
	[ "$stderr" = "fathom: warning: $SHARED/test-oci-gzip-image.tar: the image is for linux/arm64, not linux/amd64: reading it anyway" ]
}

@test "test-docker-image.tar loads: 14 layers whose sizes are dive's" {
	"$FATHOM" history "$SHARED/test-docker-image.tar" --format json >"$BATS_TEST_TMPDIR/h"
	python3 - "$SHARED/test-docker-image.dive-export.json" "$BATS_TEST_TMPDIR/h" <<'PY'
import json, sys
dive = json.load(open(sys.argv[1]))
ours = [json.loads(l) for l in open(sys.argv[2])]
sizes = {r["layer"]: r["size"] for r in ours if r["layer"] is not None}
want = {l["index"]: l["sizeBytes"] for l in dive["layer"]}
assert sizes == want, (sizes, want)
digests = {r["layer"]: r["digest"] for r in ours if r["layer"] is not None}
assert digests == {l["index"]: l["digestId"] for l in dive["layer"]}, digests
assert len(ours) == 15, len(ours)
PY
	"$FATHOM" files "$SHARED/test-docker-image.tar" >"$BATS_TEST_TMPDIR/f"
	grep -q "^/root/saved.txt	f	0755	0	0	6405	$" "$BATS_TEST_TMPDIR/f"
	! grep -q "^/root/example" "$BATS_TEST_TMPDIR/f"
}

@test "test-docker-image.tar: the layer that ran chmod 444 modified one file" {
	run "$FATHOM" files "$SHARED/test-docker-image.tar" --layer 4 --changes
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c "	M$")" -eq 1 ]
	printf '%s\n' "${lines[@]}" | grep -q "^/root/example/somefile1.txt	f	0444	0	0	6405		M$"
}

@test "test-kaniko-image.tar loads: gzip layers, config named sha256:<hex>" {
	run "$FATHOM" history "$SHARED/test-kaniko-image.tar"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 16 ]
	run "$FATHOM" files "$SHARED/test-kaniko-image.tar"
	[ "$status" -eq 0 ]
	printf '%s\n' "${lines[@]}" | grep -q "^/root/saved.txt	f	0755	0	0	"
}
