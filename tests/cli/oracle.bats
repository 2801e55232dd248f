#!/usr/bin/env bats
# The model against real tools: umoci unpacks each fixture's OCI layout with
# its own implementation of the layer spec, skopeo converts between formats;
# fathom's merged tree must equal what they produce.
load helpers

setup() {
	command -v umoci >/dev/null || skip "umoci is not installed"
	[ "$(id -u)" -eq 0 ] || skip "umoci unpack keeps owners and devices only as root"
}

# same_as_umoci OCIDIR: umoci's rootfs of OCIDIR:latest equals fathom files.
same_as_umoci() {
	local b=$BATS_TEST_TMPDIR/bundle
	rm -rf "$b"
	umoci unpack --image "$1:latest" "$b" >/dev/null 2>"$BATS_TEST_TMPDIR/umoci.err" || {
		cat "$BATS_TEST_TMPDIR/umoci.err"
		return 1
	}
	python3 "$ROOT/tests/fixtures/rootfs_list.py" "$b/rootfs" >"$BATS_TEST_TMPDIR/umoci"
	"$FATHOM" files "$1" | python3 "$ROOT/tests/fixtures/rootfs_list.py" --fathom >"$BATS_TEST_TMPDIR/fathom"
	diff -u "$BATS_TEST_TMPDIR/umoci" "$BATS_TEST_TMPDIR/fathom"
}

@test "umoci unpack gives fathom's tree: whiteouts, opaque directories, replacement" {
	for fx in whiteout opaque replace; do
		same_as_umoci "$FIX/$fx.oci-dir"
	done
}

@test "umoci unpack gives fathom's tree: parents, duplicates, links, names, blobs" {
	for fx in basic parents dup links names blobs nohistory; do
		same_as_umoci "$FIX/$fx.oci-dir"
	done
}

@test "umoci unpack gives fathom's inode groups: links whose first name was deleted, replaced, cleared" {
	for fx in linkgroups squashlinks; do
		same_as_umoci "$FIX/$fx.oci-dir"
	done
}

@test "skopeo's docker-archive and OCI copies of a fixture read the same" {
	command -v skopeo >/dev/null || skip "skopeo is not installed"
	for fx in basic whiteout opaque links names; do
		rm -rf "$BATS_TEST_TMPDIR/s"
		mkdir "$BATS_TEST_TMPDIR/s"
		skopeo copy -q "oci:$FIX/$fx.oci-dir:latest" "docker-archive:$BATS_TEST_TMPDIR/s/d.tar:x:latest"
		skopeo copy -q "oci:$FIX/$fx.oci-dir:latest" "oci-archive:$BATS_TEST_TMPDIR/s/o.tar:latest"
		"$FATHOM" files "$BATS_TEST_TMPDIR/s/d.tar" | diff -u "$EXP/$fx.files" -
		"$FATHOM" files "$BATS_TEST_TMPDIR/s/o.tar" | diff -u "$EXP/$fx.files" -
	done
}

@test "the real test-docker-image.tar: umoci's unpack of skopeo's OCI copy equals fathom's tree" {
	command -v skopeo >/dev/null || skip "skopeo is not installed"
	[ -f "$SHARED/test-docker-image.tar" ] || skip "no shared images"
	for img in test-docker-image.tar test-kaniko-image.tar; do
		rm -rf "$BATS_TEST_TMPDIR/o"
		skopeo copy -q "docker-archive:$SHARED/$img" "oci:$BATS_TEST_TMPDIR/o:latest"
		same_as_umoci "$BATS_TEST_TMPDIR/o"
		"$FATHOM" files "$BATS_TEST_TMPDIR/o" | diff -u - <("$FATHOM" files "$SHARED/$img")
	done
}
