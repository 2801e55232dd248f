#!/usr/bin/env bats
# fathom squash: the written image has the input's top filesystem, the
# layers below the squash point byte for byte, nothing wasted; real tools
# (skopeo, umoci, podman) accept it; bad input leaves nothing behind.
load helpers

# Every fixture that loads; dup names a path twice in one layer, which
# the squashed layer writes once.
SQUASHABLE="basic whiteout opaque replace parents dup links names blobs nohistory paxglobal symparent squashlinks linkgroups multi tui"
OUTFORMATS="docker-archive oci-archive oci"
layers() { python3 "$BATS_TEST_DIRNAME/image_layers.py" "$@"; }

# nlayers IMAGE
nlayers() {
	"$FATHOM" history "$1" --format json | python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if json.loads(l).get("layer") is not None))'
}

# squash_same IN FROM OUTFORMAT: the output's top equals the input's (hard
# links whose first name is gone included: fathom files lists the merged
# filesystem as a tar of it holds it, and the squashed layer is such a
# tar), it has FROM+1 layers, and its first FROM layers are the input's
# stored bytes.
squash_same() {
	local in=$1 from=$2 of=$3 out=$BATS_TEST_TMPDIR/out
	rm -rf "$out"
	"$FATHOM" squash "$in" -o "$out" --from "$from" --format "$of" >/dev/null || return 1
	"$FATHOM" files "$out" >"$BATS_TEST_TMPDIR/top" 2>/dev/null || return 1
	"$FATHOM" files "$in" >"$BATS_TEST_TMPDIR/want"
	diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/top" || return 1
	layers "$out" >"$BATS_TEST_TMPDIR/ol" || return 1
	[ "$(wc -l <"$BATS_TEST_TMPDIR/ol")" -eq $((from + 1)) ] || { echo "not $((from + 1)) layers"; return 1; }
	layers "$in" | head -n "$from" | cut -d' ' -f1 >"$BATS_TEST_TMPDIR/il"
	head -n "$from" "$BATS_TEST_TMPDIR/ol" | cut -d' ' -f1 | diff -u "$BATS_TEST_TMPDIR/il" - || return 1
}

@test "every fixture, every squash point, every output format: the top is the input's, the layers below kept" {
	local fx from n i=0 in failed=0 of
	local informats=(docker-legacy.tar docker-oci.tar kaniko.tar oci-none.tar oci-gzip.tar oci-zstd.tar oci-dir)
	for fx in $SQUASHABLE; do
		in=$FIX/$fx.${informats[$((i % 7))]}
		i=$((i + 1))
		n=$(nlayers "$in")
		for from in $(seq 0 $((n - 1))); do
			for of in $OUTFORMATS; do
				if ! squash_same "$in" "$from" "$of" >"$BATS_TEST_TMPDIR/why" 2>&1; then
					echo "$fx (${in##*/}) --from $from --format $of:"
					cat "$BATS_TEST_TMPDIR/why"
					failed=1
				fi
			done
		done
	done
	[ "$failed" -eq 0 ]
}

@test "every fixture in every format: fathom files equals fathom files of its squash, from 0 and from the middle" {
	local fx f in n from failed=0
	for fx in $SQUASHABLE; do
		for f in $FORMATS; do
			in=$FIX/$fx.$f
			n=$(nlayers "$in")
			for from in 0 $((n / 2)); do
				rm -f "$BATS_TEST_TMPDIR/o.tar"
				"$FATHOM" squash "$in" -o "$BATS_TEST_TMPDIR/o.tar" --from "$from" --format oci-archive >/dev/null &&
					"$FATHOM" files "$BATS_TEST_TMPDIR/o.tar" >"$BATS_TEST_TMPDIR/top" &&
					"$FATHOM" files "$in" | diff -u - "$BATS_TEST_TMPDIR/top" ||
					{ echo "$fx.$f --from $from"; failed=1; }
			done
		done
	done
	[ "$failed" -eq 0 ]
}

# written OUT CMD...: CMD's bytes given to write(2) (wchar, its children's
# too), from the shell that waited for it; CMD's stdout goes to OUT.
written() {
	local out=$1
	shift
	bash -c '"$@" >"$0" || exit; sed -n "s/^wchar: //p" /proc/$$/io' "$out" "$@"
}

# two layers of big files, written out of path order ("z" before "a")
# or in it
order_images() {
	local d=$BATS_TEST_TMPDIR c
	printf 'layer\ndir z\nfile z/big size=3000000\ndir a\nfile a/big size=2000000\nfile a/small content="x"\nlayer\nfile m/mid size=1000000\nfile a/b size=500000\n' >"$d/order.desc"
	printf 'layer\ndir a\nfile a/big size=2000000\nfile a/small content="x"\ndir z\nfile z/big size=3000000\nlayer\nfile a/b size=500000\ndir m\nfile m/mid size=1000000\n' >"$d/sorted.desc"
	for c in none gzip; do
		python3 "$ROOT/tests/fixtures/mkimage.py" "$d/order.desc" --format oci-archive --compression $c -o "$d/order-$c.tar"
		python3 "$ROOT/tests/fixtures/mkimage.py" "$d/sorted.desc" --format oci-archive --compression $c -o "$d/sorted-$c.tar"
	done
}

@test "the new layer is written once: the bytes written are the image's, put aside only for a compressed layer out of path order" {
	order_images
	local d=$BATS_TEST_TMPDIR in c w size
	for in in order-none sorted-none sorted-gzip order-gzip; do
		for c in none gzip; do
			rm -f "$d/o.tar"
			w=$(written "$d/summary" "$FATHOM" squash --no-cache "$d/$in.tar" -o "$d/o.tar" --format oci-archive --compress $c)
			size=$(stat -c %s "$d/o.tar")
			# what a tar of the whole filesystem holds
			"$FATHOM" files "$d/o.tar" | diff -u <("$FATHOM" files "$d/$in.tar") - || return 1
			case $in in
			order-gzip)	# z/big and m/mid came before their turn: 4 MB once more
				[ "$w" -gt $((size + 4000000)) ] && [ "$w" -le $((size + 4010000)) ] ||
					{ echo "$in --compress $c: $w bytes written for $size"; return 1; } ;;
			*)	# the summary's few hundred bytes besides the image
				[ "$w" -ge "$size" ] && [ "$w" -le $((size + 1000)) ] ||
					{ echo "$in --compress $c: $w bytes written for $size"; return 1; } ;;
			esac
		done
	done
	# the same layer whatever the order its entries came in
	for c in none gzip; do
		"$FATHOM" squash "$d/order-$c.tar" -o "$d/1.tar" --format oci-archive --compress gzip >/dev/null
		"$FATHOM" squash "$d/sorted-$c.tar" -o "$d/2.tar" --format oci-archive --compress gzip >/dev/null
		[ "$(layers "$d/1.tar")" = "$(layers "$d/2.tar")" ]
		rm -f "$d/1.tar" "$d/2.tar"
	done
}

@test "entries keep their headers: times, owners' names, xattrs, devices" {
	"$FATHOM" squash "$FIX/squashlinks.oci-zstd.tar" -o "$BATS_TEST_TMPDIR/o" --format oci --compress gzip >/dev/null
	blob=$(layers "$BATS_TEST_TMPDIR/o" | cut -d' ' -f1)
	python3 - "$BATS_TEST_TMPDIR/o/blobs/sha256/${blob#sha256:}" <<-'EOF'
	import sys, tarfile
	t = {m.name: m for m in tarfile.open(sys.argv[1])}
	g = t["a/g"]	# the file a/f was when a/g was linked to it
	assert g.isreg() and g.mtime == 1000.25 and (g.uid, g.gid, g.mode) == (7, 8, 0o640), g.get_info()
	assert (g.uname, g.gname) == ("seven", "eight"), g.get_info()
	assert g.pax_headers.get("SCHILY.xattr.user.note") == "kept", g.pax_headers
	assert t["b2/x"].mtime == 77
	d = t["dev/tty"]
	assert d.ischr() and (d.devmajor, d.devminor, d.gid, d.mode) == (5, 0, 5, 0o620), d.get_info()
	assert t["run/pipe"].isfifo()
	assert t["a/h"].islnk() and t["a/h"].linkname == "a/g"
	EOF
}

@test "squashed from 0: efficiency 1, nothing wasted or reclaimable" {
	local fx of=docker-archive
	for fx in whiteout replace opaque dup basic; do
		"$FATHOM" squash "$FIX/$fx.oci-gzip.tar" -o "$BATS_TEST_TMPDIR/o.tar" >/dev/null
		"$FATHOM" --json - "$BATS_TEST_TMPDIR/o.tar" | python3 -c '
import json, sys
r = json.load(sys.stdin)
i, f = r["image"], r["fathom"]
assert i["efficiencyScore"] == 1 and i["inefficientBytes"] == 0, (sys.argv[1], i)
assert f["reclaimableBytes"] == 0, (sys.argv[1], f)
assert len(r["layer"]) == 1' "$fx"
	done
	# the input had something to reclaim: the test is not empty
	"$FATHOM" --json - "$FIX/whiteout.oci-gzip.tar" | python3 -c '
import json, sys
assert json.load(sys.stdin)["fathom"]["reclaimableBytes"] > 0'
}

@test "dive's image: the bytes reclaimed are the bytes the analysis predicted; the config is kept" {
	[ -f "$SHARED/test-docker-image.tar" ] || skip "no $SHARED/test-docker-image.tar"
	local in=$SHARED/test-docker-image.tar out=$BATS_TEST_TMPDIR/small.tar
	run --separate-stderr "$FATHOM" squash "$in" -o "$out"
	[ "$status" -eq 0 ]
	predicted=$("$FATHOM" --json - "$in" | python3 -c 'import json,sys; print(json.load(sys.stdin)["fathom"]["reclaimableBytes"])')
	[ "$predicted" -gt 0 ]
	[[ "$output" == *"reclaimed: $predicted bytes ("*"); the analysis predicted $predicted bytes"* ]]
	# the output's size is the input's final filesystem
	python3 - "$("$FATHOM" --json - "$in")" "$("$FATHOM" --json - "$out")" <<-'EOF'
	import json, sys
	a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
	assert b["image"]["sizeBytes"] == a["image"]["sizeBytes"] - a["fathom"]["reclaimableBytes"], (a["image"], b["image"])
	EOF
	# the config: everything kept but rootfs and history
	layers --config "$in" >"$BATS_TEST_TMPDIR/a.json"
	layers --config "$out" >"$BATS_TEST_TMPDIR/b.json"
	python3 - "$BATS_TEST_TMPDIR/a.json" "$BATS_TEST_TMPDIR/b.json" "$(layers "$out" | cut -d' ' -f1)" <<-'EOF'
	import json, sys
	a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
	for k in set(a) | set(b):
	    if k not in ("rootfs", "history"):
	        assert a.get(k) == b.get(k), k
	assert b["rootfs"] == {"type": "layers", "diff_ids": [sys.argv[3]]}, b["rootfs"]
	ha, hb = a["history"], b["history"]
	assert len(hb) == len(ha) + 1
	for x, y in zip(ha, hb):
	    assert {k: v for k, v in y.items() if k != "empty_layer"} == {k: v for k, v in x.items() if k != "empty_layer"}
	    assert y["empty_layer"] is True
	assert hb[-1]["created_by"] == "fathom squash" and "layers 0 to 13" in hb[-1]["comment"], hb[-1]
	assert "empty_layer" not in hb[-1]
	EOF
	# its tag is the input's
	layers --manifest "$out" | grep -q '"RepoTags": \["dive-test:latest"\]'
}

@test "--from keeps the layers below as they were: digests, history, diff_ids" {
	local in=$FIX/basic.oci-gzip.tar out=$BATS_TEST_TMPDIR/o
	"$FATHOM" squash "$in" -o "$out" --from 2 --format oci-archive >/dev/null
	layers --config "$in" >"$BATS_TEST_TMPDIR/a.json"
	layers --config "$out" >"$BATS_TEST_TMPDIR/b.json"
	python3 - "$BATS_TEST_TMPDIR/a.json" "$BATS_TEST_TMPDIR/b.json" <<-'EOF'
	import json, sys
	a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
	assert b["rootfs"]["diff_ids"][:2] == a["rootfs"]["diff_ids"][:2]
	assert len(b["rootfs"]["diff_ids"]) == 3
	want, layer = [], 0
	for h in a["history"]:
	    want.append(h.get("empty_layer", False) or layer >= 2)
	    layer += not h.get("empty_layer", False)
	marks = [h.get("empty_layer", False) for h in b["history"]]
	assert marks == want + [False], (marks, want)
	assert want.count(False) == 2
	assert "layers 2 to 3" in b["history"][-1]["comment"]
	EOF
	"$FATHOM" history "$out" | head -n 2 | grep -q "fathom squash"
}

@test "--keep-base is --from --base-layers (default 1)" {
	local in=$FIX/basic.docker-oci.tar
	"$FATHOM" squash "$in" -o "$BATS_TEST_TMPDIR/a" --keep-base >/dev/null
	"$FATHOM" squash "$in" -o "$BATS_TEST_TMPDIR/b" --from 1 >/dev/null
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	"$FATHOM" squash "$in" -o "$BATS_TEST_TMPDIR/c" --keep-base --base-layers 3 >/dev/null
	"$FATHOM" squash "$in" -o "$BATS_TEST_TMPDIR/d" --from 3 >/dev/null
	cmp "$BATS_TEST_TMPDIR/c" "$BATS_TEST_TMPDIR/d"
	! cmp -s "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/c"
}

@test "the same input gives the same bytes, in every format and compression" {
	local of c run t
	# each case twice, the second run in a later second of the clock than
	# the first: no time of writing can be in the output
	for run in 1 2; do
		for of in docker-archive oci-archive oci; do
			for c in none gzip zstd; do
				"$FATHOM" squash "$FIX/links.oci-zstd.tar" -o "$BATS_TEST_TMPDIR/$run-$of-$c" \
					--format $of --compress $c >/dev/null
			done
		done
		t=$(date +%s)
		[ "$run" -eq 2 ] || until [ "$(date +%s)" -gt "$t" ]; do sleep 0.05; done
	done
	for of in docker-archive oci-archive oci; do
		for c in none gzip zstd; do
			diff -r "$BATS_TEST_TMPDIR/1-$of-$c" "$BATS_TEST_TMPDIR/2-$of-$c"
		done
	done
}

@test "--compress and --format: media types, magic bytes, and the defaults" {
	local out=$BATS_TEST_TMPDIR/o
	"$FATHOM" squash "$FIX/basic.oci-none.tar" -o "$out.d" >/dev/null
	[ "$(layers "$out.d" | cut -d' ' -f2)" = "-" ]
	layers --manifest "$out.d" | grep -q '"Layers"'
	"$FATHOM" squash "$FIX/basic.oci-none.tar" -o "$out.o" --format oci-archive >/dev/null
	[ "$(layers "$out.o" | cut -d' ' -f2)" = "application/vnd.oci.image.layer.v1.tar+gzip" ]
	"$FATHOM" squash "$FIX/basic.oci-none.tar" -o "$out.z" --format oci --compress zstd >/dev/null
	[ "$(layers "$out.z" | cut -d' ' -f2)" = "application/vnd.oci.image.layer.v1.tar+zstd" ]
	[ -d "$out.z" ]
	[ -f "$out.z/oci-layout" ]
	blob=$(layers "$out.z" | cut -d' ' -f1)
	[ "$(head -c 4 "$out.z/blobs/sha256/${blob#sha256:}" | od -An -tx1 | tr -d ' ')" = 28b52ffd ]
	"$FATHOM" squash "$FIX/basic.oci-none.tar" -o "$out.n" --format oci --compress none >/dev/null
	[ "$(layers "$out.n" | cut -d' ' -f2)" = "application/vnd.oci.image.layer.v1.tar" ]
	# a gzip layer kept below the squash point keeps its type
	"$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o "$out.k" --format oci --compress none --from 3 >/dev/null
	[ "$(layers "$out.k" | cut -d' ' -f2 | sort -u | tr '\n' ' ')" = "application/vnd.oci.image.layer.v1.tar application/vnd.oci.image.layer.v1.tar+gzip " ]
}

@test "--tag names the output: RepoTags, the OCI ref.name" {
	"$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o "$BATS_TEST_TMPDIR/d.tar" --tag myapp:slim >/dev/null
	layers --manifest "$BATS_TEST_TMPDIR/d.tar" | grep -q '"RepoTags": \["myapp:slim"\]'
	"$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o "$BATS_TEST_TMPDIR/o" --format oci --tag myapp:slim >/dev/null
	layers --manifest "$BATS_TEST_TMPDIR/o" | grep -q '"org.opencontainers.image.ref.name": "slim"'
	layers --manifest "$BATS_TEST_TMPDIR/o" | grep -q '"io.containerd.image.name": "myapp:slim"'
}

@test "skopeo inspect reads every output format" {
	command -v skopeo >/dev/null || skip "skopeo is not installed"
	local o=$BATS_TEST_TMPDIR/o
	"$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o "$o.tar" --from 1 >/dev/null
	"$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o "$o.oci.tar" --from 1 --format oci-archive >/dev/null
	"$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o "$o.dir" --from 1 --format oci --compress zstd >/dev/null
	for ref in "docker-archive:$o.tar" "oci-archive:$o.oci.tar" "oci:$o.dir"; do
		skopeo inspect "$ref" >"$BATS_TEST_TMPDIR/i.json"
		python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))
assert len(i["Layers"]) == 2, i
assert i["Os"] == "linux" and i["Architecture"] == "amd64", i' "$BATS_TEST_TMPDIR/i.json"
		# and copies it, checking every digest
		rm -rf "$BATS_TEST_TMPDIR/copy"
		skopeo copy -q "$ref" "oci:$BATS_TEST_TMPDIR/copy:latest" >/dev/null
	done
}

@test "umoci unpack of the OCI outputs gives the input's merged tree" {
	command -v umoci >/dev/null || skip "umoci is not installed"
	[ "$(id -u)" -eq 0 ] || skip "umoci unpack keeps owners and devices only as root"
	local fx from o=$BATS_TEST_TMPDIR/o
	# umoci's tree of an OCI layout, hard links as groups of one inode
	unpacked() {
		rm -rf "$BATS_TEST_TMPDIR/bundle"
		umoci unpack --image "$1:latest" "$BATS_TEST_TMPDIR/bundle" >/dev/null
		python3 "$ROOT/tests/fixtures/rootfs_list.py" "$BATS_TEST_TMPDIR/bundle/rootfs"
	}
	for fx in basic whiteout opaque replace links names squashlinks linkgroups; do
		unpacked "$FIX/$fx.oci-dir" >"$BATS_TEST_TMPDIR/input"
		for from in 0 1 2; do
			rm -rf "$o"
			"$FATHOM" squash "$FIX/$fx.oci-gzip.tar" -o "$o" --format oci --from $from >/dev/null
			unpacked "$o" | diff -u "$BATS_TEST_TMPDIR/input" - || { echo "$fx --from $from"; return 1; }
		done
	done
	# and for links whose target is there, it is fathom's tree too
	rm -rf "$o"
	"$FATHOM" squash "$FIX/links.oci-gzip.tar" -o "$o" --format oci >/dev/null
	"$FATHOM" files "$FIX/links.oci-dir" | python3 "$ROOT/tests/fixtures/rootfs_list.py" --fathom |
		diff -u - <(unpacked "$o")
}

@test "podman load takes the docker-archive; the loaded image is the input's" {
	load servers
	srv_podman_setup
	local fx
	for fx in basic links opaque squashlinks; do
		"$FATHOM" squash "$FIX/$fx.kaniko.tar" -o "$BATS_TEST_TMPDIR/$fx.tar" --tag "localhost/sq/$fx:1" --from 1 >/dev/null
		run podman load -q -i "$BATS_TEST_TMPDIR/$fx.tar"
		[ "$status" -eq 0 ] || { echo "$output"; srv_stop_podman; return 1; }
		"$FATHOM" files "podman://localhost/sq/$fx:1" >"$BATS_TEST_TMPDIR/loaded" 2>"$BATS_TEST_TMPDIR/err" || { cat "$BATS_TEST_TMPDIR/err"; srv_stop_podman; return 1; }
		"$FATHOM" files "$FIX/$fx.kaniko.tar" | diff -u - "$BATS_TEST_TMPDIR/loaded" || { srv_stop_podman; return 1; }
	done
	srv_stop_podman
}

@test "-o - writes the archive to stdout, the same bytes as -o FILE; the summary goes to stderr" {
	local of
	mkdir "$BATS_TEST_TMPDIR/cwd"
	cd "$BATS_TEST_TMPDIR/cwd"
	for of in docker-archive oci-archive; do
		"$FATHOM" squash "$FIX/basic.oci-gzip.tar" --from 1 --format "$of" -o "$BATS_TEST_TMPDIR/file.tar" >"$BATS_TEST_TMPDIR/summary"
		"$FATHOM" squash "$FIX/basic.oci-gzip.tar" --from 1 --format "$of" -o - >"$BATS_TEST_TMPDIR/stdout.tar" 2>"$BATS_TEST_TMPDIR/err"
		cmp "$BATS_TEST_TMPDIR/file.tar" "$BATS_TEST_TMPDIR/stdout.tar"
		# the summary on stderr, naming stdout; nothing written beside
		sed "s|^$BATS_TEST_TMPDIR/file.tar: |stdout: |" "$BATS_TEST_TMPDIR/summary" | diff -u - "$BATS_TEST_TMPDIR/err"
		[ -z "$(ls -A)" ]
	done
	# the stream is an image fathom reads back, from a pipe too
	"$FATHOM" squash "$FIX/opaque.oci-zstd.tar" -o - | "$FATHOM" files - >"$BATS_TEST_TMPDIR/piped"
	"$FATHOM" files "$FIX/opaque.oci-zstd.tar" | diff -u - "$BATS_TEST_TMPDIR/piped"
}

@test "-o - | podman load: the loaded image is the input's" {
	load servers
	srv_podman_setup
	local fx
	cd "$BATS_TEST_TMPDIR"
	for fx in basic links; do
		run --separate-stderr bash -c '"$0" squash "$1" --tag "$2" --from 1 -o - | podman load -q' \
			"$FATHOM" "$FIX/$fx.oci-gzip.tar" "localhost/sq-pipe/$fx:1"
		[ "$status" -eq 0 ] || { echo "$output $stderr"; srv_stop_podman; return 1; }
		[[ "$stderr" == "stdout: docker-archive, 2 layers (was "* ]] || { echo "$stderr"; srv_stop_podman; return 1; }
		"$FATHOM" files "podman://localhost/sq-pipe/$fx:1" >"$BATS_TEST_TMPDIR/loaded" 2>"$BATS_TEST_TMPDIR/err" || { cat "$BATS_TEST_TMPDIR/err"; srv_stop_podman; return 1; }
		"$FATHOM" files "$FIX/$fx.oci-gzip.tar" | diff -u - "$BATS_TEST_TMPDIR/loaded" || { srv_stop_podman; return 1; }
	done
	srv_stop_podman
}

@test "-o - refuses a terminal and an OCI layout directory, in one line" {
	command -v script >/dev/null || skip "no script(1)"
	mkdir "$BATS_TEST_TMPDIR/cwd"
	cd "$BATS_TEST_TMPDIR/cwd"
	run script -qec "'$FATHOM' squash '$FIX/basic.oci-gzip.tar' -o -" /dev/null
	[ "$status" -eq 2 ]
	[ "$output" = "fathom: squash: stdout is a terminal: not writing an image there (pipe it, e.g. | podman load, or redirect it to a file)"$'\r' ]
	run --separate-stderr "$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o - --format oci
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "fathom: -o - with --format oci: an OCI layout is a directory, it cannot go to stdout (use oci-archive) (see 'fathom squash --help')" ]
	# an image that cannot be squashed: nothing at all on stdout
	run --separate-stderr "$FATHOM" squash "$FIX/linkmissing.oci-gzip.tar" -o -
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == "fathom: "*"layer 1: entry '/b': a hard link to '/nowhere/at/all'"* ]]
	[ -z "$(ls -A)" ]
}

# squash_fails ARGS... -- PATTERN...: exit 2, nothing on stdout, one line
# "fathom: " holding every pattern, and nothing left in the output's
# directory.
squash_fails() {
	local args=() p
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	mkdir -p "$BATS_TEST_TMPDIR/outdir"
	run --separate-stderr "$FATHOM" squash "${args[@]}" -o "$BATS_TEST_TMPDIR/outdir/out"
	[ "$status" -eq 2 ] || { echo "exit status $status: $stderr"; return 1; }
	[ -z "$output" ] || { echo "stdout: $output"; return 1; }
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] && [ "${stderr#fathom: }" != "$stderr" ] || { echo "stderr: $stderr"; return 1; }
	for p in "$@"; do
		[[ "$stderr" == *"$p"* ]] || { echo "stderr lacks '$p': $stderr"; return 1; }
	done
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/outdir")" ] || { echo "left behind: $(ls -A "$BATS_TEST_TMPDIR/outdir")"; return 1; }
}

@test "hostile inputs: a clear error and nothing written" {
	squash_fails "$FIX/linkmissing.oci-gzip.tar" -- "layer 1: entry '/b': a hard link to '/nowhere/at/all', which is not a regular file there"
	squash_fails "$FIX/rootdel.oci-none.tar" -- "layer 1 (sha256:" "entry '.wh..': a whiteout without a valid name"
	squash_fails "$FIX/climb.docker-legacy.tar" -- "entry 'a/../../escape': the path climbs out of the root"
	squash_fails "$FIX/climblink.oci-dir" -- "entry 'evil': the hard link target climbs out of the root"
	squash_fails "$FIX/err-trunclayer.oci-gzip.tar" -- "err-trunclayer.oci-gzip.tar: layer 1"
}

@test "a failure while writing leaves nothing behind" {
	# a file size limit cuts the output half way
	mkdir "$BATS_TEST_TMPDIR/outdir"
	run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 8; exec "$0" squash "$1" -o "$2"' \
		"$FATHOM" "$FIX/blobs.oci-gzip.tar" "$BATS_TEST_TMPDIR/outdir/out.tar"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: "*"File too large"* ]]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/outdir")" ]
	# a directory that is there already
	mkdir -p "$BATS_TEST_TMPDIR/full/x"
	run --separate-stderr "$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o "$BATS_TEST_TMPDIR/full" --format oci
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $FIX/basic.oci-gzip.tar: $BATS_TEST_TMPDIR/full: a directory that is not empty" ]
	[ "$(ls -A "$BATS_TEST_TMPDIR")" != "" ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR" | grep fathom)" ]
	# no such directory
	run --separate-stderr "$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o "$BATS_TEST_TMPDIR/no/such/out.tar"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: "*"$BATS_TEST_TMPDIR/no/such/out.tar"*"No such file or directory" ]]
}

@test "an image that streams by squashes as from its file, byte for byte" {
	local f
	for f in docker-oci.tar oci-gzip.tar kaniko.tar; do
		run --separate-stderr bash -c 'cat "$1" | "$0" squash - -o "$2"' "$FATHOM" "$FIX/links.$f" "$BATS_TEST_TMPDIR/o.tar"
		[ "$status" -eq 0 ] || { echo "$f: $stderr"; return 1; }
		"$FATHOM" squash "$FIX/links.$f" -o "$BATS_TEST_TMPDIR/p.tar" >/dev/null
		cmp "$BATS_TEST_TMPDIR/o.tar" "$BATS_TEST_TMPDIR/p.tar"
		rm -f "$BATS_TEST_TMPDIR/o.tar" "$BATS_TEST_TMPDIR/p.tar"
	done
}

@test "usage errors" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr "$FATHOM" squash "$FIX/basic.oci-gzip.tar"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-o OUT is needed"* ]]
	run --separate-stderr "$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o x --from 4
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"no layer 4: the image has layers 0 to 3"* ]]
	run --separate-stderr "$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o x --format tarball
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unknown format 'tarball'"* ]]
	run --separate-stderr "$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o x --compress lz4
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unknown compression 'lz4'"* ]]
	run --separate-stderr "$FATHOM" squash "$FIX/basic.oci-gzip.tar" -o x --from 1 --keep-base
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--from and --keep-base"* ]]
	[ ! -e x ]
}
