#!/usr/bin/env bats
# fathom diff: the fixture pair diff-a/diff-b (tests/fixtures/desc) changes
# content, mode, owner, type and link target, removes and adds trees, moves
# dpkg and apk packages and changes the config; layer 0 is the same bytes in
# both. Expected outputs (written by hand, then checked against fathom) in
# expected/diff.*.
load helpers

# diffrun A B ARGS...: fathom diff, stdout in $output, stderr in $stderr
diffrun() {
	run --separate-stderr "$FATHOM" diff "$@"
}

@test "diff: the summary and every change, any two formats" {
	for fa in oci-none.tar docker-legacy.tar oci-dir; do
		for fb in docker-legacy.tar kaniko.tar oci-zstd.tar oci-dir; do
			diffrun "$FIX/diff-a.$fa" "$FIX/diff-b.$fb" --files
			[ "$status" -eq 1 ] || { echo "$fa $fb: status $status: $stderr"; return 1; }
			diff -u "$EXP/diff.files" <(printf '%s\n' "$output" | tail -n +3) || { echo "$fa $fb"; return 1; }
		done
	done
	# the header names both images, their layers and platforms
	diffrun "$FIX/diff-a.oci-none.tar" "$FIX/diff-b.docker-legacy.tar"
	[ "${lines[0]}" = "A  $FIX/diff-a.oci-none.tar (latest), after layer 1 (layers 0-1), linux/amd64" ]
	[ "${lines[1]}" = "B  $FIX/diff-b.docker-legacy.tar (fathom-test:latest), after layer 1 (layers 0-1), linux/arm64/v8" ]
}

@test "diff --format json: the documented document" {
	diffrun "$FIX/diff-a.oci-none.tar" "$FIX/diff-b.docker-legacy.tar" --format json
	[ "$status" -eq 1 ]
	diff -u "$EXP/diff.json" <(printf '%s\n' "$output" | sed "s|\"$FIX/|\"FIX/|")
}

@test "diff: sizes are the files' sums; changes are what files --changes says of a layer" {
	diffrun "$FIX/diff-a.oci-gzip.tar" "$FIX/diff-b.oci-gzip.tar" --format json
	sum() { "$FATHOM" files "$1" 2>/dev/null | awk -F'\t' '$2 == "f" { s += $6 } END { print s + 0 }'; }
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["size"]["a"], d["size"]["b"])' <<<"$output" >"$BATS_TEST_TMPDIR/sizes"
	[ "$(cat "$BATS_TEST_TMPDIR/sizes")" = "$(sum "$FIX/diff-a.oci-gzip.tar") $(sum "$FIX/diff-b.oci-gzip.tar")" ]
	# one image, layer 0 against layer 1: exactly layer 1's changes
	diffrun "$FIX/diff-b.oci-none.tar" "$FIX/diff-b.oci-none.tar" --layer-a 0 --layer-b 1 --format json
	[ "$status" -eq 1 ]
	python3 -c 'import json, sys
for c in json.load(sys.stdin)["files"]["changes"]: print(c["status"], c["path"])' <<<"$output" >"$BATS_TEST_TMPDIR/diff"
	"$FATHOM" files "$FIX/diff-b.oci-none.tar" --layer 1 --changes 2>/dev/null |
		awk -F'\t' '$NF != "U" { print $NF, $1 }' >"$BATS_TEST_TMPDIR/changes"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/diff")" -eq 18 ]
	diff -u "$BATS_TEST_TMPDIR/changes" "$BATS_TEST_TMPDIR/diff"
}

@test "diff: an image against itself, or the same image in another format, is the same: exit 0" {
	for f in $FORMATS; do
		diffrun "$FIX/diff-b.$f" "$FIX/diff-b.$f"
		[ "$status" -eq 0 ] || { echo "$f: $status $stderr"; return 1; }
		[ "${lines[2]}" = "The same: no file, layer or config differs." ]
		diffrun "$FIX/basic.oci-dir" "$FIX/basic.$f" --format json
		[ "$status" -eq 0 ] || { echo "basic $f: $status $output"; return 1; }
		python3 -c 'import json, sys
d = json.load(sys.stdin)
assert d["same"] and not d["config"] and d["files"]["changes"] == [] and d["layers"]["sameFromBottom"] == 4, d' <<<"$output"
	done
	# the same layer of one image twice
	diffrun "$FIX/basic.oci-dir" "$FIX/basic.oci-dir" --layer-a 2 --layer-b 2
	[ "$status" -eq 0 ]
}

@test "diff: a squashed image holds the same files in other layers: the same (exit 0)" {
	[ -f "$SHARED/test-docker-image.tar" ] || skip "no shared images"
	"$FATHOM" squash "$SHARED/test-docker-image.tar" -o "$BATS_TEST_TMPDIR/sq.tar" >/dev/null
	diffrun "$SHARED/test-docker-image.tar" "$BATS_TEST_TMPDIR/sq.tar"
	[ "$status" -eq 0 ] || { echo "$status $stderr"; return 1; }
	[[ "$output" == *"Files: 0 added, 0 removed, 0 modified"* ]] || { echo "$output"; return 1; }
	[[ "$output" == *"The same files and config, layered differently."* ]]
	[[ "$output" == *"Layers: none the same from the bottom"* ]]
	[[ "$output" == *"Size: 1.2 MB -> 1.2 MB, no change"* ]] || { echo "$output"; return 1; }
	# the layers below --from stay: the same from the bottom
	"$FATHOM" squash "$SHARED/test-docker-image.tar" -o "$BATS_TEST_TMPDIR/sq5.tar" --from 5 >/dev/null
	diffrun "$SHARED/test-docker-image.tar" "$BATS_TEST_TMPDIR/sq5.tar"
	[[ "$output" == *"Layers: 5 the same from the bottom (0-4); they differ from layer 5"* ]] || { echo "$output"; return 1; }
}

@test "diff: more than 20 changes: the 20 largest, --files all of them, in path order" {
	A=$FIX/basic.oci-dir B=$FIX/diff-b.oci-dir
	diffrun "$A" "$B" --format json
	n=$(python3 -c 'import json, sys; print(len(json.load(sys.stdin)["files"]["changes"]))' <<<"$output")
	[ "$n" -eq 36 ]
	diffrun "$A" "$B"
	[ "$status" -eq 1 ]
	[[ "$output" == *"  ... the 20 largest of 36; --files lists every one"* ]]
	printf '%s\n' "$output" | sed -n '/^  [AMR]  /p' >"$BATS_TEST_TMPDIR/top"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/top")" -eq 20 ]
	# the largest first: diff-b's /app/big, then basic's /usr/bin/tool
	[[ "$(sed -n 1p "$BATS_TEST_TMPDIR/top")" == "  A         -     30 kB  "*"/app/big" ]]
	[[ "$(sed -n 2p "$BATS_TEST_TMPDIR/top")" == "  R    3.0 kB         -  "*"/usr/bin/tool" ]]
	diffrun "$A" "$B" --files
	printf '%s\n' "$output" | sed -n 's/^  [AMR]  .*  \(\/.*\)$/\1/p' >"$BATS_TEST_TMPDIR/paths"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/paths")" -eq 36 ]
	LC_ALL=C sort -c "$BATS_TEST_TMPDIR/paths"
}

@test "diff: errors are one line, exit status 2" {
	diffrun "$FIX/diff-a.oci-dir"
	[ "$status" -eq 2 ] && [[ "$stderr" == "fathom: two images wanted: IMAGE_A IMAGE_B (see 'fathom diff --help')" ]] || { echo "$stderr"; return 1; }
	diffrun "$FIX/diff-a.oci-dir" "$FIX/diff-b.oci-dir" "$FIX/basic.oci-dir"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"two images wanted, got '$FIX/basic.oci-dir' too"* ]]
	diffrun "$FIX/diff-a.oci-dir" "$FIX/diff-b.oci-dir" --layer-b 7
	[ "$status" -eq 2 ] || return 1
	[[ "$stderr" == *"fathom: $FIX/diff-b.oci-dir: no layer 7: the image has layers 0 to 1" ]] || { echo "$stderr"; return 1; }
	[ -z "$output" ]
	diffrun "$FIX/diff-a.oci-dir" "$BATS_TEST_TMPDIR/none.tar"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	diffrun "$FIX/diff-a.oci-dir" "$FIX/err-truncouter.docker-legacy.tar"
	[ "$status" -eq 2 ] && [ -z "$output" ]
}
