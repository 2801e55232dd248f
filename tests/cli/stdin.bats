#!/usr/bin/env bats
# Archives that stream by (docker-archive://-, oci-archive://-, -): the
# same model as from the file, read without seeking or spooling.
load helpers

GOOD="basic links opaque replace parents symparent whiteout dup names blobs paxglobal nohistory"

@test "stdin: every fixture in every archive format reads as from its file" {
	local fx f failed=0
	for fx in $GOOD; do
		for f in $FORMATS; do
			[ "$f" = oci-dir ] && continue
			"$FATHOM" files "$FIX/$fx.$f" >"$BATS_TEST_TMPDIR/file" 2>/dev/null
			if ! "$FATHOM" files - <"$FIX/$fx.$f" >"$BATS_TEST_TMPDIR/stdin" 2>"$BATS_TEST_TMPDIR/err" ||
			   ! cmp -s "$BATS_TEST_TMPDIR/file" "$BATS_TEST_TMPDIR/stdin"; then
				echo "$fx.$f differs: $(cat "$BATS_TEST_TMPDIR/err")"
				diff "$BATS_TEST_TMPDIR/file" "$BATS_TEST_TMPDIR/stdin" | head -5
				failed=1
			fi
		done
	done
	[ "$failed" -eq 0 ]
}

@test "stdin: through a pipe, with the kind named, every layer's changes" {
	local l
	for l in 0 1 2 3; do
		"$FATHOM" files "$FIX/basic.kaniko.tar" --layer $l --changes >"$BATS_TEST_TMPDIR/a"
		cat "$FIX/basic.kaniko.tar" | "$FATHOM" files docker-archive://- --layer $l --changes >"$BATS_TEST_TMPDIR/b"
		cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	done
	cat "$FIX/basic.oci-zstd.tar" | "$FATHOM" history oci-archive://- >"$BATS_TEST_TMPDIR/h"
	"$FATHOM" history "$FIX/basic.oci-zstd.tar" | cmp - "$BATS_TEST_TMPDIR/h"
}

@test "stdin: dive's image gives the same CI report and export" {
	[ -f "$SHARED/test-docker-image.tar" ] || skip "no shared images"
	run "$FATHOM" --ci "$SHARED/test-docker-image.tar"
	local want=$output
	run "$FATHOM" --ci - <"$SHARED/test-docker-image.tar"
	[ "$status" -eq 1 ]
	[ "$output" = "$want" ]
	"$FATHOM" --json "$BATS_TEST_TMPDIR/a.json" "$SHARED/test-docker-image.tar"
	"$FATHOM" --json "$BATS_TEST_TMPDIR/b.json" - <"$SHARED/test-docker-image.tar"
	cmp "$BATS_TEST_TMPDIR/a.json" "$BATS_TEST_TMPDIR/b.json"
}

@test "stdin: a docker save that links a layer used twice" {
	# docker save writes a layer that two images share once, and a
	# symlink to it for the other
	mkdir -p "$BATS_TEST_TMPDIR/x"
	tar -xf "$FIX/dup.docker-legacy.tar" -C "$BATS_TEST_TMPDIR/x"
	python3 - "$BATS_TEST_TMPDIR/x" <<'PY'
import json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
layers = m[0]["Layers"]
first = layers[0]
# a new folder whose layer.tar is a symlink to the first layer's
os.makedirs(os.path.join(d, "linked"))
os.symlink("../" + first, os.path.join(d, "linked", "layer.tar"))
layers.append("linked/layer.tar")
json.dump(m, open(os.path.join(d, "manifest.json"), "w"))
cfg = os.path.join(d, m[0]["Config"])
c = json.load(open(cfg))
c["rootfs"]["diff_ids"].append(c["rootfs"]["diff_ids"][0])
c.setdefault("history", []).append({"created_by": "again"})
json.dump(c, open(cfg, "w"))
PY
	(cd "$BATS_TEST_TMPDIR/x" && tar -cf ../linked.tar --sort=name *)
	"$FATHOM" files "$BATS_TEST_TMPDIR/linked.tar" --layer 2 --changes >"$BATS_TEST_TMPDIR/a"
	"$FATHOM" files - --layer 2 --changes <"$BATS_TEST_TMPDIR/linked.tar" >"$BATS_TEST_TMPDIR/b"
	[ -s "$BATS_TEST_TMPDIR/a" ]
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
}

@test "stdin: errors name stdin and the member; an OCI directory cannot stream" {
	run --separate-stderr "$FATHOM" files - </etc/hostname
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: stdin: not an image: "* ]]
	run --separate-stderr "$FATHOM" files oci://- <"$FIX/basic.oci-none.tar"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"cannot stream"* ]]
	run --separate-stderr "$FATHOM" files - <"$FIX/err-trunclayer.docker-oci.tar"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == "fathom: stdin: layer member 'blobs/sha256/"*"': entry 'b': "* ]]
	head -c 3000 "$FIX/basic.docker-legacy.tar" >"$BATS_TEST_TMPDIR/cut"
	run --separate-stderr "$FATHOM" files - <"$BATS_TEST_TMPDIR/cut"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: stdin: "*"truncated"* ]]
}

@test "stdin: diff, advise, report and --ci give what the files give (the analysis keeps what it reads later)" {
	local a=$FIX/diff-a.docker-legacy.tar b=$FIX/diff-b.oci-gzip.tar
	run --separate-stderr "$FATHOM" diff "$a" "$b" --format json
	[ "$status" -eq 1 ]
	local want=$output
	run --separate-stderr "$FATHOM" diff "$a" - --format json <"$b"
	[ "$status" -eq 1 ] || { echo "$stderr"; return 1; }
	# the same but for B's name
	diff -u <(grep -v '"image":' <<<"$want") <(grep -v '"image":' <<<"$output")
	python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["packages"]["dpkg"]["upgraded"], d["packages"]' <<<"$output"
	for f in advice-bigbase.docker-legacy.tar advice-cache.oci-zstd.tar; do
		"$FATHOM" advise "$FIX/$f" --format json | grep -v '"image":' >"$BATS_TEST_TMPDIR/a"
		"$FATHOM" advise - --format json <"$FIX/$f" | grep -v '"image":' >"$BATS_TEST_TMPDIR/b"
		cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	done
	# os-release read from the stream: the slimmer base is named
	"$FATHOM" advise - <"$FIX/advice-bigbase.docker-legacy.tar" | grep -q 'debian:bookworm-slim'
	run "$FATHOM" --ci --ci-format json "$FIX/advice-bigbase.oci-none.tar"
	grep -v '"image":' <<<"$output" >"$BATS_TEST_TMPDIR/a"
	run "$FATHOM" --ci --ci-format json - <"$FIX/advice-bigbase.oci-none.tar"
	grep -v '"image":' <<<"$output" >"$BATS_TEST_TMPDIR/b"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	grep -q '"big-base"' "$BATS_TEST_TMPDIR/b"
}

@test "stdin: squash and extract work on a streamed image (a copy kept in TMPDIR, gone after)" {
	local fx f
	export TMPDIR=$BATS_TEST_TMPDIR/spool
	mkdir "$TMPDIR"
	for fx in linkgroups squashlinks basic; do
		for f in docker-legacy.tar oci-zstd.tar; do
			rm -rf "$BATS_TEST_TMPDIR/o.tar" "$BATS_TEST_TMPDIR/x"
			"$FATHOM" squash - -o "$BATS_TEST_TMPDIR/o.tar" --from 1 <"$FIX/$fx.$f" >/dev/null
			"$FATHOM" files "$FIX/$fx.$f" | diff -u - <("$FATHOM" files "$BATS_TEST_TMPDIR/o.tar")
			rm -rf "$BATS_TEST_TMPDIR/y"
			mkdir "$BATS_TEST_TMPDIR/x" "$BATS_TEST_TMPDIR/y"
			cat "$FIX/$fx.$f" | "$FATHOM" extract - / -C "$BATS_TEST_TMPDIR/x" 2>/dev/null
			"$FATHOM" extract "$FIX/$fx.$f" / -C "$BATS_TEST_TMPDIR/y" 2>/dev/null
			# the same tree, hard links as groups of one inode
			diff -u <(python3 "$ROOT/tests/fixtures/rootfs_list.py" "$BATS_TEST_TMPDIR/y") \
				<(python3 "$ROOT/tests/fixtures/rootfs_list.py" "$BATS_TEST_TMPDIR/x")
		done
	done
	# the copy was an unnamed file: nothing left in TMPDIR
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "stdin: a TMPDIR that fills up or is missing: one line, exit 2, no output file" {
	run --separate-stderr env TMPDIR=$BATS_TEST_TMPDIR/none "$FATHOM" squash - -o "$BATS_TEST_TMPDIR/o.tar" <"$FIX/basic.docker-legacy.tar"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "fathom: stdin: cannot keep a copy of the image in $BATS_TEST_TMPDIR/none (TMPDIR): No such file or directory" ] || { echo "$stderr"; return 1; }
	[ ! -e "$BATS_TEST_TMPDIR/o.tar" ]
	mkdir "$BATS_TEST_TMPDIR/small"
	mount -t tmpfs -o size=16k tmpfs "$BATS_TEST_TMPDIR/small" 2>/dev/null || skip "cannot mount a small tmpfs here"
	run --separate-stderr env TMPDIR=$BATS_TEST_TMPDIR/small "$FATHOM" squash - -o "$BATS_TEST_TMPDIR/o.tar" <"$FIX/linkgroups.docker-legacy.tar"
	local left
	left=$(ls -A "$BATS_TEST_TMPDIR/small")
	umount "$BATS_TEST_TMPDIR/small"
	[ -z "$left" ] || { echo "left in TMPDIR: $left"; return 1; }
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ "$stderr" == "fathom: stdin: "*"cannot keep a copy of the image in $BATS_TEST_TMPDIR/small (TMPDIR): No space left on device" ]] || { echo "$stderr"; return 1; }
	[ ! -e "$BATS_TEST_TMPDIR/o.tar" ]
}
