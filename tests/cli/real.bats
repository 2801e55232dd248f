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

@test "an index whose only image is for another platform: read, with a warning; asked for another platform: an error" {
	[ -f "$SHARED/test-oci-gzip-image.tar" ] || skip "no shared images"
	# this machine's platform, not named: the one image, with a warning
	run --separate-stderr "$FATHOM" files "$SHARED/test-oci-gzip-image.tar"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '/README.md\tf\t0644\t0\t0\t11189\t')" ]
	[[ "$stderr" == "fathom: warning: $SHARED/test-oci-gzip-image.tar: the image is for linux/arm64, not linux/"*": reading it anyway" ]] || { echo "$stderr"; return 1; }
	# a platform named is a promise: exit 2, the platforms it has
	run --separate-stderr "$FATHOM" files "$SHARED/test-oci-gzip-image.tar" --platform linux/amd64
	[ "$status" -eq 2 ] || { echo "$status $stderr"; return 1; }
	[ -z "$output" ]
	[ "$stderr" = "fathom: $SHARED/test-oci-gzip-image.tar: index.json has no image for linux/amd64 (it has: linux/arm64)" ] || { echo "$stderr"; return 1; }
	run --separate-stderr "$FATHOM" files "$SHARED/test-oci-gzip-image.tar" --platform linux/arm64
	[ "$status" -eq 0 ] && [ -z "$stderr" ] || { echo "$status $stderr"; return 1; }
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

@test "dive's image plus a layer deleting /bin/[: its hard links keep busybox's bytes in every view" {
	[ -f "$SHARED/test-docker-image.tar" ] || skip "no shared images"
	local img=$BATS_TEST_TMPDIR/bracket.tar sq=$BATS_TEST_TMPDIR/sq.tar
	python3 "$ROOT/tests/fixtures/addlayer.py" "$SHARED/test-docker-image.tar" "$img" --whiteout '/bin/['
	total() { "$FATHOM" files "$@" | awk -F'\t' '{ s += $6 } END { print s }'; }
	# 113,109 bytes of other files and busybox's 1,075,464, which /bin/[[
	# (the first of its ~400 names left) now holds; the others link to it
	[ "$(total "$img")" -eq 1188573 ]
	"$FATHOM" files "$img" | grep -qxP '/bin/\[\[\tf\t0755\t0\t0\t1075464\t'
	"$FATHOM" files "$img" | grep -qxP '/bin/sh\th\t0755\t0\t0\t0\t/bin/\[\['
	[ "$("$FATHOM" files "$img" --format json | python3 -c 'import json, sys; print(sum(json.loads(l)["size"] for l in sys.stdin))')" -eq 1188573 ]
	# the layer that deleted it: /bin/[ removed, nothing else changed
	run "$FATHOM" files "$img" --layer 14 --changes
	[ "$output" = "$(printf '/bin/[\tf\t0755\t0\t0\t1075464\t\tR')" ] || { echo "$output"; return 1; }
	# its squash lists the same, and diff says so
	"$FATHOM" squash "$img" -o "$sq" >/dev/null
	[ "$(total "$sq")" -eq 1188573 ]
	"$FATHOM" files "$img" | diff -u - <("$FATHOM" files "$sq")
	run --separate-stderr "$FATHOM" diff "$img" "$sq"
	[ "$status" -eq 0 ] || { echo "$status $output $stderr"; return 1; }
	[[ "$output" == *"The same files and config, layered differently."* ]] || { echo "$output"; return 1; }
	[[ "$output" == *"Size: 1.2 MB -> 1.2 MB, no change"* ]] || { echo "$output"; return 1; }
	# the report's treemap holds the same bytes
	"$FATHOM" report "$img" -o "$BATS_TEST_TMPDIR/r.html"
	python3 - "$BATS_TEST_TMPDIR/r.html" <<-'PY'
	import json, re, sys
	s = open(sys.argv[1]).read()
	d = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', s, re.S).group(1))
	assert d["tree"][0] == "/" and d["tree"][1] == 1188573, d["tree"][:2]
	PY
}
