#!/usr/bin/env bats
# Layers are read by several threads when the source allows it; the result
# must be the one a single thread gives, byte for byte.
load helpers

same_with_jobs() {	# same_with_jobs STATUS ARGS...: --jobs 1 and --jobs 4 print the same and both exit with STATUS
	local want=$1 one=0 four=0
	shift
	"$FATHOM" "$@" --jobs 1 >"$BATS_TEST_TMPDIR/one" 2>&1 || one=$?
	"$FATHOM" "$@" --jobs 4 >"$BATS_TEST_TMPDIR/four" 2>&1 || four=$?
	diff -u "$BATS_TEST_TMPDIR/one" "$BATS_TEST_TMPDIR/four" || return 1
	[ "$one" -eq "$want" ] && [ "$four" -eq "$want" ] ||
		{ echo "fathom $*: exit status $one (--jobs 1) and $four (--jobs 4), not $want: $(cat "$BATS_TEST_TMPDIR/one")"; return 1; }
}

@test "files, changes, history and the JSON export: one thread and four agree, in every format" {
	for fx in basic whiteout opaque replace dup links names blobs; do
		for f in $FORMATS; do
			same_with_jobs 0 files "$FIX/$fx.$f"
			same_with_jobs 0 files "$FIX/$fx.$f" --layer 1 --changes
			same_with_jobs 0 history "$FIX/$fx.$f"
			same_with_jobs 0 --json - "$FIX/$fx.$f"
		done
	done
}

@test "errors: the first broken layer in order is the one reported, whatever thread found it" {
	local broken=("$FIX"/err-*)
	[ -e "${broken[0]}" ] || { echo "no fixture matches $FIX/err-*"; return 1; }
	for f in "${broken[@]}"; do
		same_with_jobs 2 files "$f"
	done
}

@test "the real images: one thread and four agree" {
	[ -d "$SHARED" ] || skip "no shared images"
	for img in test-docker-image.tar test-kaniko-image.tar; do
		same_with_jobs 0 --json - "$SHARED/$img"
		same_with_jobs 1 --ci "$SHARED/$img"	# both fail dive's default rules
	done
}

@test "--jobs wants a number from 1 to 256" {
	run --separate-stderr "$FATHOM" files "$FIX/basic.oci-dir" --jobs 0
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: --jobs wants a number from 1 to 256, not '0' (see 'fathom files --help')" ]
}
