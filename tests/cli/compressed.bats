#!/usr/bin/env bats
# A saved image compressed as a whole (docker save app | gzip > app.tar.gz;
# zstd, xz and bzip2 too), as docker load takes it: read as the archive it
# holds, by every command, detected by its content.
load helpers

COMPRESSORS="gzip zstd xz bzip2"

@test "every fixture in every archive format, compressed four ways: fathom files as from the archive" {
	local fx f c failed=0
	for fx in basic links opaque whiteout linkgroups names; do
		for f in docker-legacy.tar docker-oci.tar kaniko.tar oci-none.tar oci-zstd.tar; do
			"$FATHOM" files "$FIX/$fx.$f" >"$BATS_TEST_TMPDIR/want"
			for c in $COMPRESSORS; do
				"$c" -c <"$FIX/$fx.$f" >"$BATS_TEST_TMPDIR/img.z"
				if ! "$FATHOM" files "$BATS_TEST_TMPDIR/img.z" >"$BATS_TEST_TMPDIR/got" 2>"$BATS_TEST_TMPDIR/err" ||
				   ! cmp -s "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"; then
					echo "$fx.$f through $c: $(cat "$BATS_TEST_TMPDIR/err")"
					diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got" | head -5
					failed=1
				fi
			done
		done
	done
	[ "$failed" -eq 0 ]
}

@test "a compressed archive: the CI report, history, diff against the archive (the same), --source" {
	[ -f "$SHARED/test-docker-image.tar" ] || skip "no shared images"
	gzip -c "$SHARED/test-docker-image.tar" >"$BATS_TEST_TMPDIR/app.tar.gz"
	run "$FATHOM" --ci "$SHARED/test-docker-image.tar"
	local want=$output
	run "$FATHOM" --ci "$BATS_TEST_TMPDIR/app.tar.gz"
	[ "$status" -eq 1 ]
	[ "$output" = "$want" ]
	"$FATHOM" history "$SHARED/test-docker-image.tar" | diff -u - <("$FATHOM" history "$BATS_TEST_TMPDIR/app.tar.gz")
	run --separate-stderr "$FATHOM" diff "$SHARED/test-docker-image.tar" "$BATS_TEST_TMPDIR/app.tar.gz"
	[ "$status" -eq 0 ] || { echo "$status $stderr $output"; return 1; }
	# a kind forced still reads through it
	"$FATHOM" files --source docker-archive "$BATS_TEST_TMPDIR/app.tar.gz" | diff -u - <("$FATHOM" files "$SHARED/test-docker-image.tar")
	zstd -q -c "$FIX/basic.oci-gzip.tar" >"$BATS_TEST_TMPDIR/o.tar.zst"
	"$FATHOM" files "oci-archive://$BATS_TEST_TMPDIR/o.tar.zst" | diff -u "$EXP/basic.files" -
}

@test "squash and extract work on a compressed archive (a copy kept in TMPDIR while reading)" {
	local c
	export TMPDIR=$BATS_TEST_TMPDIR/spool
	mkdir "$TMPDIR"
	for c in gzip xz; do
		"$c" -c <"$FIX/linkgroups.docker-oci.tar" >"$BATS_TEST_TMPDIR/lg.z"
		rm -rf "$BATS_TEST_TMPDIR/o.tar" "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
		"$FATHOM" squash "$BATS_TEST_TMPDIR/lg.z" -o "$BATS_TEST_TMPDIR/o.tar" --from 1 >/dev/null
		"$FATHOM" files "$BATS_TEST_TMPDIR/o.tar" | diff -u "$EXP/linkgroups.files" -
		mkdir "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
		"$FATHOM" extract "$BATS_TEST_TMPDIR/lg.z" / -C "$BATS_TEST_TMPDIR/a"
		"$FATHOM" extract "$FIX/linkgroups.docker-oci.tar" / -C "$BATS_TEST_TMPDIR/b"
		diff -u <(python3 "$ROOT/tests/fixtures/rootfs_list.py" "$BATS_TEST_TMPDIR/b") \
			<(python3 "$ROOT/tests/fixtures/rootfs_list.py" "$BATS_TEST_TMPDIR/a")
	done
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "a compressed archive cut short or corrupt: one line, exit 2" {
	gzip -c "$FIX/basic.docker-legacy.tar" >"$BATS_TEST_TMPDIR/full.gz"
	head -c "$(($(wc -c <"$BATS_TEST_TMPDIR/full.gz") / 2))" "$BATS_TEST_TMPDIR/full.gz" >"$BATS_TEST_TMPDIR/cut.gz"
	fails_clearly "$BATS_TEST_TMPDIR/cut.gz" "cut.gz: "
	python3 - "$BATS_TEST_TMPDIR/full.gz" "$BATS_TEST_TMPDIR/bad.gz" <<-'PY'
	import sys
	d = bytearray(open(sys.argv[1], "rb").read())
	d[len(d) // 2] ^= 0xff
	open(sys.argv[2], "wb").write(bytes(d))
	PY
	fails_clearly "$BATS_TEST_TMPDIR/bad.gz" "bad.gz: "
	zstd -q -c "$FIX/basic.docker-legacy.tar" >"$BATS_TEST_TMPDIR/full.zst"
	head -c "$(($(wc -c <"$BATS_TEST_TMPDIR/full.zst") / 2))" "$BATS_TEST_TMPDIR/full.zst" >"$BATS_TEST_TMPDIR/cut.zst"
	fails_clearly "$BATS_TEST_TMPDIR/cut.zst" "cut.zst: "
}
