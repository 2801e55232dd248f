#!/usr/bin/env bats
# Layers are read by several threads when the source allows it; the result
# must be the one a single thread gives, byte for byte.
load helpers

same_with_jobs() {	# same_with_jobs ARGS...: --jobs 1 and --jobs 4 print the same
	"$FATHOM" "$@" --jobs 1 >"$BATS_TEST_TMPDIR/one" 2>&1 || true
	"$FATHOM" "$@" --jobs 4 >"$BATS_TEST_TMPDIR/four" 2>&1 || true
	diff -u "$BATS_TEST_TMPDIR/one" "$BATS_TEST_TMPDIR/four"
}

@test "files, changes, history and the JSON export: one thread and four agree, in every format" {
	for fx in basic whiteout opaque replace dup links names blobs; do
		for f in $FORMATS; do
			same_with_jobs files "$FIX/$fx.$f"
			same_with_jobs files "$FIX/$fx.$f" --layer 1 --changes
			same_with_jobs history "$FIX/$fx.$f"
			same_with_jobs --json - "$FIX/$fx.$f"
		done
	done
}

@test "errors: the first broken layer in order is the one reported, whatever thread found it" {
	for f in $FIX/err-*; do
		same_with_jobs files "$f"
	done
}

@test "the real images: one thread and four agree" {
	[ -d "$SHARED" ] || skip "no shared images"
	for img in test-docker-image.tar test-kaniko-image.tar; do
		same_with_jobs --json - "$SHARED/$img"
		same_with_jobs --ci "$SHARED/$img"
	done
}

@test "--jobs wants a number from 1 to 256" {
	run --separate-stderr "$FATHOM" files "$FIX/basic.oci-dir" --jobs 0
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: --jobs wants a number from 1 to 256, not '0' (see 'fathom files --help')" ]
}
