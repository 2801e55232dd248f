#!/usr/bin/env bats
# A file above 8 GiB (beyond the ustar size field), read through zstd layers
# in a docker-archive and an oci-archive (bigfile.py says why not others).
load helpers

setup_file() {
	python3 "$ROOT/tests/fixtures/bigfile.py" docker "$BATS_FILE_TMPDIR/big-docker.tar" $((9 << 30))
	python3 "$ROOT/tests/fixtures/bigfile.py" zstd "$BATS_FILE_TMPDIR/big-oci.tar" $((9 << 30))
}

@test "a 9 GiB file: its size, in a docker-archive and an oci-archive" {
	for f in big-docker.tar big-oci.tar; do
		run "$FATHOM" files "$BATS_FILE_TMPDIR/$f"
		[ "$status" -eq 0 ]
		[ "$output" = "$(printf '/big\tf\t0644\t0\t0\t9663676416\t')" ]
	done
	run "$FATHOM" history "$BATS_FILE_TMPDIR/big-oci.tar"
	[ "${lines[1]}" = "0       -         9.66GB   a file above 8 GiB" ]
}
