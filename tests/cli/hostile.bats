#!/usr/bin/env bats
# Images made to hurt a reader (tests/fixtures/hostile.py, tamper.py): each
# gives a clear error (one line, exit status 2) or a correct result, never a
# crash or a hang: every run is under a timeout. The suite also runs under
# ASan/UBSan (with LeakSanitizer) in .ci/run.
load helpers
load servers

H=$FIX/hostile

# runs FATHOM ARGS... under a timeout, as bats `run` does
fathom() {
	run --separate-stderr timeout 120 "$FATHOM" "$@"
	[ "$status" -ne 124 ] || { echo "timed out: fathom $*"; return 1; }
	[ "$status" -lt 128 ] || { echo "killed by a signal: fathom $*: $stderr"; return 1; }
}

# refused IMAGE PATTERN... [-- ARGS]: `fathom files IMAGE ARGS` exits 2 with
# one line "fathom: ..." holding every pattern, nothing on stdout
refused() {
	local img=$1 p pats=() args=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do pats+=("$1"); shift; done
	if [ $# -gt 0 ]; then
		shift
		args=("$@")
	fi
	fathom files "$img" "${args[@]}" || return 1
	[ "$status" -eq 2 ] || { echo "exit status $status: $stderr"; return 1; }
	[ -z "$output" ] || { echo "stdout: ${output:0:200}"; return 1; }
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] && [[ "$stderr" == "fathom: "* ]] ||
		{ echo "not one line: $stderr"; return 1; }
	for p in "${pats[@]}"; do
		[[ "$stderr" == *"$p"* ]] || { echo "lacks '$p': $stderr"; return 1; }
	done
}

# quietly IMAGE ARGS...: fathom's stdout into $BATS_TEST_TMPDIR/stdout (a
# million lines would not fit bash's arrays), status in $status
quietly() {
	status=0
	timeout 120 "$FATHOM" "$@" >"${QUIETLY_STDOUT:-$BATS_TEST_TMPDIR/stdout}" \
		2>"$BATS_TEST_TMPDIR/stderr" || status=$?
	stderr=$(head -c 2000 "$BATS_TEST_TMPDIR/stderr")
	[ "$status" -ne 124 ] && [ "$status" -lt 128 ] || { echo "fathom $*: status $status: $stderr"; return 1; }
}

# every command on an image that loads: exit status 0 (1 for a failed CI
# rule), no signal, within the timeout
survives() {
	local img=$1 out=$BATS_TEST_TMPDIR/out
	# (a listing of many gigabytes is not kept: only its status counts here)
	QUIETLY_STDOUT=/dev/null quietly files "$img" && [ "$status" -eq 0 ] ||
		{ echo "files: $status $stderr"; return 1; }
	quietly history "$img" && [ "$status" -eq 0 ] || { echo "history: $stderr"; return 1; }
	quietly --ci "$img" && [ "$status" -le 1 ] || { echo "--ci: $status $stderr"; return 1; }
	# dive's export spells out every path: refused, clearly, when that is too much
	quietly --json "$out.json" "$img" || return 1
	if [ "$status" -eq 2 ]; then
		[[ "$stderr" == *"--json: the export would hold "*" bytes of paths alone (dive's schema spells out every path): not written" ]] ||
			{ echo "--json: $stderr"; return 1; }
		[ ! -e "$out.json" ]
	else
		[ "$status" -eq 0 ] || { echo "--json: $status $stderr"; return 1; }
		python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out.json"
	fi
	quietly advise "$img" --format json && [ "$status" -eq 0 ] || { echo "advise: $stderr"; return 1; }
	quietly inspect "$img" && [ "$status" -eq 0 ] || { echo "inspect: $stderr"; return 1; }
	quietly report "$img" -o "$out.html" && [ "$status" -eq 0 ] || { echo "report: $stderr"; return 1; }
	[ "$(stat -c %s "$out.html")" -lt 10000000 ]
	grep -q '</html>' "$out.html"
	quietly diff "$img" "$img" && [ "$status" -eq 0 ] || { echo "diff: $status $stderr"; return 1; }
	rm -rf "$out.sq"
	quietly squash "$img" -o "$out.sq" && [ "$status" -le 2 ] || { echo "squash: $stderr"; return 1; }
	[ "$status" -eq 0 ] || [ ! -e "$out.sq" ]
}

@test "a gzip bomb stops at --max-layer-bytes, with a clear error" {
	# 64 MiB of zeros in a 70 kB blob: read under the default limit ...
	fathom files "$H/bomb.tar"
	[ "$status" -eq 0 ]
	[ "$output" = "/zeros	f	0644	0	0	67108864	" ]
	[ "$(wc -c <"$H/bomb.tar")" -lt 100000 ]
	# ... and stopped when the limit is lower
	refused "$H/bomb.tar" "layer 0 (sha256:" "entry 'zeros': 67108864 bytes, and the layer would be more than --max-layer-bytes (1000000 bytes) uncompressed" -- --max-layer-bytes 1MB
	fathom files "$H/bomb.tar" --max-layer-bytes nothing
	[ "$status" -eq 2 ] && [[ "$stderr" == *"--max-layer-bytes wants a size, not 'nothing'"* ]]
}

@test "a tar entry claiming 2^62 bytes" {
	refused "$H/huge-entry.tar" "entry 'huge': 4611686018427387904 bytes, and the layer would be more than --max-layer-bytes (68719476736 bytes)"
}

@test "a path 100,000 directories deep: every command" {
	survives "$H/deep.tar"
	# 10 GB of paths, counted as they pass rather than kept on disk
	timeout 600 "$FATHOM" files "$H/deep.tar" |
		awk 'END { print NR; print substr($0, 1, 7) "..." substr($0, length($0) - 30) }' \
		>"$BATS_TEST_TMPDIR/summary"
	[ "${PIPESTATUS[0]}" -eq 0 ]
	[ "$(head -n 1 "$BATS_TEST_TMPDIR/summary")" -eq 100001 ]
	[[ "$(tail -n 1 "$BATS_TEST_TMPDIR/summary")" == "/a/a/a/..."*"/a/file	f	0644	0	0	4	" ]]
	quietly --json "$BATS_TEST_TMPDIR/d.json" "$H/deep.tar"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--json: the export would hold 10000200008 bytes of paths alone"* ]]
	quietly squash "$H/deep.tar" -o "$BATS_TEST_TMPDIR/d.tar"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"the squashed layer would hold 10000200004 bytes of names alone: not written" ]]
	[ ! -e "$BATS_TEST_TMPDIR/d.tar" ]
	# against another image: 100,000 paths of up to 200 kB each
	quietly diff "$H/deep.tar" "$FIX/basic.oci-dir"
	[ "$status" -eq 2 ] && [ "$stderr" = "fathom: the changed paths alone would take more than 1073741824 bytes: not compared" ]
}

@test "1,000,000 files in one directory: every command" {
	survives "$H/wide.tar"
	quietly files "$H/wide.tar"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/stdout")" -eq 1000001 ]
	[ "$(tail -n 1 "$BATS_TEST_TMPDIR/stdout")" = "/dir/f0000999999	f	0644	0	0	0	" ]
	# squashed: the same million
	"$FATHOM" files "$BATS_TEST_TMPDIR/out.sq" | cmp - "$BATS_TEST_TMPDIR/stdout"
}

@test "names 64 KiB long, with newlines and bad UTF-8; absolute and dotted names" {
	survives "$H/longname.tar"
	fathom files "$H/longname.tar"
	[ "${lines[2]}" = '/d/new\nline	f	0644	0	0	2	' ]
	[ "${#lines[3]}" -gt 65536 ]
	fathom files "$H/longname.tar" --format json
	# in JSON, bytes that are no UTF-8 and control characters as escape.h writes them
	python3 -c '
import json, sys
names = [json.loads(l)["path"] for l in sys.stdin]
assert names[1:3] == ["/d/bad-\\xff\\xfe", "/d/new\\nline"], names[:3]' <<<"$output"
	survives "$H/absolute.tar"
	fathom files "$H/absolute.tar"
	[ "$output" = "$(printf '/etc\td\t0755\t0\t0\t0\t\n/etc/abs\tf\t0644\t0\t0\t3\t\n/etc/dot\tf\t0644\t0\t0\t3\t\n/etc/double\tf\t0644\t0\t0\t3\t\n/etc/up\tf\t0644\t0\t0\t2\t')" ]
	refused "$FIX/climb.oci-none.tar" "entry 'a/../../escape': the path climbs out of the root with '..'"
}

@test "hard links to themselves and to nothing; symlink loops" {
	survives "$H/selflink.tar"
	fathom files "$H/selflink.tar"
	[ "${lines[3]}" = "/self	h	0644	0	0	0	/self" ]
	fathom squash "$H/selflink.tar" -o "$BATS_TEST_TMPDIR/s.tar"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"entry '/self': a hard link to '/self', which is not a regular file there" ]]
	survives "$FIX/linkmissing.oci-none.tar"
}

@test "a manifest listing 10,000 layers that are not there" {
	refused "$H/many-layers.tar" "layer 0 'missing-00000/layer.tar' named by manifest.json is not in the archive"
}

@test "3,000 layer blobs in an OCI directory read with 64 file descriptors" {
	# each blob file is opened when it is read, then closed: the open
	# files are bounded by the reading threads, not by the layers (bats
	# runs each test in its own process: the limit ends with it)
	ulimit -n 64
	quietly files "$H/many-blobs"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$(wc -l <"$BATS_TEST_TMPDIR/stdout")" -eq 3000 ]
	[ "$(sed -n '1p;3000p' "$BATS_TEST_TMPDIR/stdout" | cut -f1 | tr '\n' ' ')" = "/f0000 /f2999 " ]
	quietly --ci --jobs 8 "$H/many-blobs"
	[ "$status" -eq 0 ] || { cat "$BATS_TEST_TMPDIR/stdout"; echo "$stderr"; return 1; }
	quietly files --verify "$H/many-blobs" --layer 1500
	[ "$status" -eq 0 ] && [ "$(wc -l <"$BATS_TEST_TMPDIR/stdout")" -eq 1501 ] || { echo "$stderr"; return 1; }
}

@test "configs: history longer or shorter than the layers, diff_ids miscounted, wrong types" {
	survives "$H/history-long.tar"
	fathom history "$H/history-long.tar"
	[ "${#lines[@]}" -eq 6 ]
	[[ "${lines[5]}" == "0 "*"layer 0" ]]
	survives "$H/history-short.tar"
	fathom history "$H/history-short.tar"
	[ "${#lines[@]}" -eq 3 ]
	survives "$H/diffids.tar"
	fathom files "$H/diffids.tar"
	[ "$stderr" = "fathom: warning: $H/diffids.tar: the config lists 3 diff_ids for 1 layers: the layers are read as the manifest lists them" ]
	refused "$H/config-types.tar" "config sha256:" "the image config's history is not a list"
	refused "$H/config-types2.tar" "history entry 0 of the image config is not an object"
}

@test "a config of 100 MB is refused without reading it" {
	python3 "$ROOT/tests/fixtures/hostile.py" "$BATS_TEST_TMPDIR" config-huge
	refused "$BATS_TEST_TMPDIR/config-huge.tar" "is too large (104857783 bytes) for a metadata file"
	cat "$BATS_TEST_TMPDIR/config-huge.tar" | {
		run --separate-stderr timeout 120 "$FATHOM" files -
		[ "$status" -eq 2 ]
		[[ "$stderr" == "fathom: stdin: "*"(104857783 bytes) was not kept as a metadata file: not JSON, or too large" ]]
	}
	rm -f "$BATS_TEST_TMPDIR/config-huge.tar"
}

@test "an index that points to itself" {
	refused "$H/index-loop" "indexes nested more than 8 deep"
	refused "$H/index-loop" "sha256:1111111111111111111111111111111111111111111111111111111111111111" "do not match their digest" -- --verify
}

@test "truncated and corrupt archives, gzip and zstd layers" {
	local f
	for f in docker-legacy.tar oci-gzip.tar oci-zstd.tar; do
		refused "$FIX/err-truncouter.$f" "err-truncouter.$f"
		refused "$FIX/err-trunclayer.$f" "err-trunclayer.$f: layer 1"
	done
	refused "$FIX/err-corrupt.oci-gzip.tar" "layer 1 (sha256:" "gzip data is corrupt"
	refused "$FIX/err-corrupt.oci-zstd.tar" "layer 1 (sha256:"
}

@test "--verify: a blob whose bytes are not its digest, a layer that is not its diff_id" {
	# without it, the tampered files read (fathom trusts local files) ...
	fathom files "$H/tampered-layer.tar"
	[ "$status" -eq 0 ]
	# ... with it, both digests are named
	refused "$H/tampered-layer.tar" "layer 1 (sha256:06b8598f" "the bytes do not match their digest: they are sha256:" "not sha256:06b8598f" -- --verify
	refused "$H/tampered-diffid.tar" "layer 2 (" "not sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" -- --verify
	refused "$H/tampered-config.tar" "config '" ".json': the bytes do not match their digest: they are sha256:" -- --verify
	# streamed, the diff_ids are checked once the config is known
	cat "$H/tampered-diffid.tar" | {
		run --separate-stderr timeout 120 "$FATHOM" files - --verify
		[ "$status" -eq 2 ]
		[[ "$stderr" == "fathom: stdin: layer 2 ("*"): the uncompressed bytes have the digest sha256:"*", not the config's diff_id sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" ]]
	}
	# every untampered fixture passes, in every format
	local fx f
	for fx in basic whiteout links names; do
		for f in $FORMATS; do
			fathom files "$FIX/$fx.$f" --verify
			[ "$status" -eq 0 ] || { echo "$fx.$f: $stderr"; return 1; }
		done
	done
	fathom files "$H/tampered-layer.tar" --verify --no-verify
	[ "$status" -eq 0 ]
}

@test "a registry that accepts and never answers: --timeout, then a message" {
	local port pid
	# the port file appears once the server listens: wait for it, since a
	# refused connection is an error of its own, never retried
	python3 "$BATS_TEST_DIRNAME/silent_server.py" --port-file "$BATS_TEST_TMPDIR/port" 3>&- &
	pid=$!
	srv_wait test -s "$BATS_TEST_TMPDIR/port" || { kill "$pid"; return 1; }
	port=$(cat "$BATS_TEST_TMPDIR/port")
	SECONDS=0
	run --separate-stderr timeout 80 "$FATHOM" files --insecure --timeout 2 "registry://127.0.0.1:$port/x/y:1"
	kill "$pid"
	[ "$status" -eq 2 ]
	[ "$SECONDS" -lt 60 ]
	[ "$stderr" = "fathom: registry://127.0.0.1:$port/x/y:1: GET http://127.0.0.1:$port/v2/x/y/manifests/1: stalled: nothing received for 2 s (--timeout 2), 5 attempts" ]
	run --separate-stderr "$FATHOM" files --timeout 0 "registry://127.0.0.1:$port/x/y:1"
	[ "$status" -eq 2 ] && [[ "$stderr" == *"--timeout wants seconds from 1 to 86400, not '0'"* ]]
}

@test "a pipe is an image as - is: <(cat IMAGE), a named pipe with a writer, /dev/stdin; files, --ci, diff, squash" {
	local img=$FIX/basic.oci-gzip.tar other=$FIX/diff-b.docker-legacy.tar
	fathom files <(cat "$img")
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$output" = "$(cat "$EXP/basic.files")" ]
	mkfifo "$BATS_TEST_TMPDIR/p"
	cat "$img" >"$BATS_TEST_TMPDIR/p" &
	fathom --ci --ci-format json "$BATS_TEST_TMPDIR/p"
	wait
	[ "$status" -eq 0 ] || { echo "$status $stderr"; return 1; }
	[ "$(python3 -c 'import json, sys; print(json.load(sys.stdin)["result"])' <<<"$output")" = PASS ] || { echo "$output"; return 1; }
	run --separate-stderr timeout 120 bash -c '"$0" files /dev/stdin <"$1"' "$FATHOM" "$img"
	[ "$status" -eq 0 ] && [ "$output" = "$(cat "$EXP/basic.files")" ] || { echo "$status $stderr"; return 1; }
	# two pipes at once: the same as the files
	fathom diff <(cat "$img") <(cat "$other") --format json
	[ "$status" -eq 1 ] || { echo "$status $stderr"; return 1; }
	local want
	want=$(timeout 120 "$FATHOM" diff "$img" "$other" --format json) || [ $? -eq 1 ]
	diff -u <(grep -v '"image":' <<<"$want") <(grep -v '"image":' <<<"$output")
	fathom squash <(cat "$FIX/linkgroups.kaniko.tar") -o "$BATS_TEST_TMPDIR/o.tar"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	"$FATHOM" files "$BATS_TEST_TMPDIR/o.tar" | diff -u "$EXP/linkgroups.files" -
}

# layout_with KIND WHAT: a copy of basic's OCI layout with WHAT (index.json,
# oci-layout, manifest or layer) replaced by a fifo, socket or char device
layout_with() {
	local d=$BATS_TEST_TMPDIR/L-$1-$2 t
	rm -rf "$d"
	cp -r "$FIX/basic.oci-dir" "$d"
	case $2 in
	index.json|oci-layout) t=$d/$2 ;;
	manifest) t=$d/blobs/sha256/$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"][7:])' "$d/index.json") ;;
	layer) t=$d/blobs/sha256/$(python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(json.load(open(sys.argv[2] + "/blobs/sha256/" + m["manifests"][0]["digest"][7:]))["layers"][1]["digest"][7:])' "$d/index.json" "$d") ;;
	esac
	rm -f "$t"
	case $1 in
	fifo) mkfifo "$t" ;;
	socket) (cd "${t%/*}" && python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "${t##*/}") ;;
	device) mknod "$t" c 1 3 ;;
	esac
	echo "$d"
}

@test "a fifo, socket or device in place of index.json, oci-layout or a blob: refused at once, every command" {
	local kind what d cmd
	for kind in fifo socket device; do
		[ "$kind" != device ] || [ "$(id -u)" -eq 0 ] || continue
		for what in index.json oci-layout manifest layer; do
			d=$(layout_with $kind $what)
			refused "$d" "not a regular file" || { echo "$kind as $what"; return 1; }
			for cmd in "--ci" "history" "advise" "inspect" "diff $d" "report -o -"; do
				# shellcheck disable=SC2086
				fathom ${cmd%% *} "$d" ${cmd#* }
				[ "${cmd#* }" != "$cmd" ] || fathom $cmd "$d"
				[ "$status" -eq 2 ] || { echo "$kind as $what, $cmd: $status $stderr"; return 1; }
				[[ "$stderr" == *"not a regular file"* ]] || { echo "$kind as $what, $cmd: $stderr"; return 1; }
			done
		done
	done
}

@test "files beside an image that are fifos: .dive-ci, .fathom-ci, config.yaml, the docker config.json: refused at once" {
	local w=$BATS_TEST_TMPDIR/w f
	mkdir -p "$w/xdg/fathom" "$w/docker"
	for f in .dive-ci .fathom-ci; do
		mkfifo "$w/$f"
		run --separate-stderr bash -c 'cd "$1" && timeout 120 "$0" --ci "$2"' "$FATHOM" "$w" "$FIX/basic.oci-dir"
		rm "$w/$f"
		[ "$status" -eq 2 ] || { echo "$f: $status $stderr"; return 1; }
		[ "$stderr" = "fathom: $f: not a regular file" ] || { echo "$f: $stderr"; return 1; }
	done
	# the explorer's config.yaml, read on a terminal (script(1) gives one)
	mkfifo "$w/xdg/fathom/config.yaml"
	run timeout 120 env XDG_CONFIG_HOME="$w/xdg" script -qec "$FATHOM $FIX/basic.oci-dir" /dev/null
	[ "$status" -eq 2 ] || { echo "config.yaml: $status $output"; return 1; }
	[[ "$output" == *"fathom: $w/xdg/fathom/config.yaml: not a regular file"* ]] || { echo "$output"; return 1; }
	# the docker CLI's config.json: for an engine's context, and for a registry's login
	mkfifo "$w/docker/config.json"
	run --separate-stderr timeout 120 env -u DOCKER_HOST DOCKER_CONFIG="$w/docker" "$FATHOM" files docker://x
	[ "$status" -eq 2 ] || { echo "engine: $status $stderr"; return 1; }
	[[ "$stderr" == *"$w/docker/config.json: not a regular file" ]] || { echo "$stderr"; return 1; }
	srv_start_registry u:p
	srv_push "oci-archive:$FIX/basic.oci-gzip.tar" x/basic:1 --dest-creds u:p
	run --separate-stderr timeout 120 env DOCKER_CONFIG="$w/docker" "$FATHOM" files "registry://$REG/x/basic:1" --insecure
	srv_stop_registry || :
	[ "$status" -eq 2 ] || { echo "registry: $status $stderr"; return 1; }
	[[ "$stderr" == *"$w/docker/config.json: not a regular file" ]] || { echo "$stderr"; return 1; }
}
