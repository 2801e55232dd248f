#!/usr/bin/env bats
# The layer cache: a layer read once is not read again (an archive skips
# it, a registry does not download it), and every command prints the same
# bytes cached and uncached; damaged entries are dropped and rebuilt; a
# cache that cannot be written is no failure; processes share it.
load helpers
load servers

setup() {
	export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/cache
}

# entries: the layers the cache holds
entries() {
	find "$XDG_CACHE_HOME/fathom/v1/layers" -type f ! -name '*.tmp.*' 2>/dev/null | wc -l
}

@test "every command prints the same bytes uncached, filling the cache, and from it" {
	local img cmd out
	local cmds=("files" "files --layer 1 --changes --format json" "history --format json"
		"advise --format json" "inspect --format json" "--ci --ci-format json" "--json -"
		"report -o -")
	for img in linkgroups.oci-gzip.tar advice-cache.oci-zstd.tar basic.kaniko.tar diff-a.kaniko.tar; do
		rm -rf "$XDG_CACHE_HOME"
		for cmd in "${cmds[@]}"; do
			# shellcheck disable=SC2086
			"$FATHOM" $cmd --no-cache "$FIX/$img" >"$BATS_TEST_TMPDIR/none" 2>/dev/null || true
			# shellcheck disable=SC2086
			"$FATHOM" $cmd "$FIX/$img" >"$BATS_TEST_TMPDIR/first" 2>/dev/null || true
			# shellcheck disable=SC2086
			"$FATHOM" $cmd "$FIX/$img" >"$BATS_TEST_TMPDIR/cached" 2>/dev/null || true
			[ -s "$BATS_TEST_TMPDIR/none" ] || { echo "$img $cmd: no output"; return 1; }
			cmp "$BATS_TEST_TMPDIR/none" "$BATS_TEST_TMPDIR/first" || { echo "$img $cmd"; return 1; }
			cmp "$BATS_TEST_TMPDIR/none" "$BATS_TEST_TMPDIR/cached" || { echo "$img $cmd"; return 1; }
		done
		[ "$(entries)" -gt 0 ] || { echo "$img: nothing cached"; return 1; }
	done
	# two images, an image and its squash, extraction
	"$FATHOM" diff --no-cache "$FIX/diff-a.oci-gzip.tar" "$FIX/diff-b.oci-zstd.tar" >"$BATS_TEST_TMPDIR/none" || true
	"$FATHOM" diff "$FIX/diff-a.oci-gzip.tar" "$FIX/diff-b.oci-zstd.tar" >"$BATS_TEST_TMPDIR/cached" || true
	cmp "$BATS_TEST_TMPDIR/none" "$BATS_TEST_TMPDIR/cached"
	"$FATHOM" squash --no-cache "$FIX/linkgroups.oci-gzip.tar" -o "$BATS_TEST_TMPDIR/a.tar" >/dev/null
	"$FATHOM" squash "$FIX/linkgroups.oci-gzip.tar" -o "$BATS_TEST_TMPDIR/b.tar" >/dev/null
	cmp "$BATS_TEST_TMPDIR/a.tar" "$BATS_TEST_TMPDIR/b.tar"
	mkdir "$BATS_TEST_TMPDIR/x" "$BATS_TEST_TMPDIR/y"
	"$FATHOM" extract --no-cache "$FIX/linkgroups.oci-gzip.tar" / -C "$BATS_TEST_TMPDIR/x"
	"$FATHOM" extract "$FIX/linkgroups.oci-gzip.tar" / -C "$BATS_TEST_TMPDIR/y"
	diff -u <(python3 "$ROOT/tests/fixtures/rootfs_list.py" "$BATS_TEST_TMPDIR/x") \
		<(python3 "$ROOT/tests/fixtures/rootfs_list.py" "$BATS_TEST_TMPDIR/y")
}

@test "a cached layer is not read: an OCI layout whose layer blobs are gone still loads" {
	cp -r "$FIX/basic.oci-dir" "$BATS_TEST_TMPDIR/L"
	"$FATHOM" files "$BATS_TEST_TMPDIR/L" >"$BATS_TEST_TMPDIR/want"
	[ "$(entries)" -eq 4 ]
	# the layers' blobs replaced by zeros of the same size: only a read sees it
	python3 - "$BATS_TEST_TMPDIR/L" <<-'PY'
	import json, os, sys
	d = sys.argv[1]
	idx = json.load(open(os.path.join(d, "index.json")))
	m = json.load(open(os.path.join(d, "blobs/sha256", idx["manifests"][0]["digest"][7:])))
	for l in m["layers"]:
	    p = os.path.join(d, "blobs/sha256", l["digest"][7:])
	    n = os.path.getsize(p)
	    open(p, "wb").write(b"\0" * n)
	PY
	"$FATHOM" files "$BATS_TEST_TMPDIR/L" | diff -u "$BATS_TEST_TMPDIR/want" -
	run --separate-stderr "$FATHOM" files --no-cache "$BATS_TEST_TMPDIR/L"
	[ "$status" -eq 2 ]
	# --verify reads every layer, cached or not
	run --separate-stderr "$FATHOM" files --verify "$BATS_TEST_TMPDIR/L"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"do not match"* ]] || { echo "$stderr"; return 1; }
}

@test "a registry: the second run fetches the manifest and config only; a new tag only its own layers" {
	srv_start_registry
	srv_push "oci-archive:$FIX/basic.oci-gzip.tar" fx/basic:1
	srv_push "oci-archive:$FIX/diff-a.oci-gzip.tar" fx/a:1
	srv_push "oci-archive:$FIX/diff-b.oci-gzip.tar" fx/b:1
	local port log=$BATS_TEST_TMPDIR/proxy.log
	port=$(srv_free_port)
	python3 "$BATS_TEST_DIRNAME/flaky_proxy.py" "$port" "$REG" "$log" count &
	local pid=$!
	srv_wait curl -s -o /dev/null "http://127.0.0.1:$port/v2/"
	local R=registry://127.0.0.1:$port
	"$FATHOM" --ci --ci-format json "$R/fx/basic:1" --insecure >"$BATS_TEST_TMPDIR/1" || true
	local layers
	layers=$(grep -c "/blobs/.* 200" "$log")
	: >"$log"
	"$FATHOM" --ci --ci-format json "$R/fx/basic:1" --insecure >"$BATS_TEST_TMPDIR/2" || true
	cmp "$BATS_TEST_TMPDIR/1" "$BATS_TEST_TMPDIR/2"
	# the manifest and the config blob: no layer
	grep -q "/manifests/1 200" "$log"
	[ "$(grep -c "/blobs/" "$log")" -eq 1 ] || { cat "$log"; return 1; }
	[ "$layers" -gt 1 ] || { echo "first run fetched $layers blobs"; return 1; }
	# diff-b shares its bottom layer with diff-a: after a, b fetches the rest
	"$FATHOM" files "$R/fx/a:1" --insecure >/dev/null
	: >"$log"
	"$FATHOM" files "$R/fx/b:1" --insecure >"$BATS_TEST_TMPDIR/b"
	"$FATHOM" files "$FIX/diff-b.oci-gzip.tar" --no-cache | diff -u - "$BATS_TEST_TMPDIR/b"
	local shared
	shared=$(python3 - "$FIX/diff-a.oci-dir" "$FIX/diff-b.oci-dir" <<-'PY'
	import json, os, sys
	def layers(d):
	    i = json.load(open(os.path.join(d, "index.json")))
	    m = json.load(open(os.path.join(d, "blobs/sha256", i["manifests"][0]["digest"][7:])))
	    return [l["digest"] for l in m["layers"]]
	a, b = layers(sys.argv[1]), layers(sys.argv[2])
	print(len([x for x in b if x in a]), len(b))
	PY
	)
	kill $pid
	srv_stop_registry || :
	local nshared=${shared% *} nb=${shared#* }
	[ "$nshared" -ge 1 ] || { echo "the fixtures share no layer: $shared"; return 1; }
	# the layers b lacks, its config; none of the shared ones
	[ "$(grep -c "/blobs/" "$log")" -eq $((nb - nshared + 1)) ] || { echo "$shared"; cat "$log"; return 1; }
}

@test "a damaged entry (a byte flipped, cut short, another layer's) is dropped with one warning and rebuilt" {
	local img=$FIX/linkgroups.oci-gzip.tar e
	"$FATHOM" files "$img" --no-cache >"$BATS_TEST_TMPDIR/want"
	for damage in flip cut foreign; do
		rm -rf "$XDG_CACHE_HOME"
		"$FATHOM" files "$img" >/dev/null
		e=$(find "$XDG_CACHE_HOME/fathom/v1/layers" -type f | sort | head -1)
		case $damage in
		flip) python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 1; open(p, "wb").write(b)' "$e" ;;
		cut) head -c "$(($(wc -c <"$e") / 2))" "$e" >"$e.x"; mv "$e.x" "$e" ;;
		foreign) cp "$(find "$XDG_CACHE_HOME/fathom/v1/layers" -type f | sort | tail -1)" "$e" ;;
		esac
		run --separate-stderr "$FATHOM" files "$img"
		[ "$status" -eq 0 ] || { echo "$damage: $stderr"; return 1; }
		[ "$output" = "$(cat "$BATS_TEST_TMPDIR/want")" ] || { echo "$damage: output differs"; return 1; }
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "$damage: $stderr"; return 1; }
		[[ "$stderr" == "fathom: warning: $img: the layer cache's entry for sha256:"*" was damaged: dropped, read again" ]] ||
			{ echo "$damage: $stderr"; return 1; }
		# rebuilt: the next run is quiet and the same
		run --separate-stderr "$FATHOM" files "$img"
		[ "$status" -eq 0 ] && [ -z "$stderr" ] || { echo "$damage again: $stderr"; return 1; }
		[ "$output" = "$(cat "$BATS_TEST_TMPDIR/want")" ]
	done
}

@test "a cache that cannot be written (read-only, full) is one warning, never a failure" {
	local img=$FIX/basic.oci-zstd.tar
	"$FATHOM" files "$img" --no-cache >"$BATS_TEST_TMPDIR/want"
	mkdir -p "$XDG_CACHE_HOME/fathom"
	chmod 0555 "$XDG_CACHE_HOME/fathom"
	if [ "$(id -u)" -eq 0 ]; then
		# root writes anywhere: a read-only mount instead
		mount --bind "$XDG_CACHE_HOME/fathom" "$XDG_CACHE_HOME/fathom" 2>/dev/null &&
			mount -o remount,bind,ro "$XDG_CACHE_HOME/fathom" 2>/dev/null ||
			skip "cannot make a read-only directory here"
	fi
	run --separate-stderr "$FATHOM" files "$img"
	[ "$(id -u)" -ne 0 ] || umount "$XDG_CACHE_HOME/fathom"
	chmod 0755 "$XDG_CACHE_HOME/fathom"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/want")" ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "$stderr"; return 1; }
	[[ "$stderr" == *"the layer cache in $XDG_CACHE_HOME/fathom/v1 cannot be written ("*"): going on without it" ]] || { echo "$stderr"; return 1; }
	# full: a tmpfs of 16 KB
	export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/small
	mkdir "$XDG_CACHE_HOME"
	mount -t tmpfs -o size=16k tmpfs "$XDG_CACHE_HOME" 2>/dev/null || skip "cannot mount a small tmpfs here"
	run --separate-stderr "$FATHOM" files "$FIX/linkgroups.oci-zstd.tar"
	local left
	left=$(find "$XDG_CACHE_HOME" -name '*.tmp.*')
	umount "$XDG_CACHE_HOME"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$output" = "$(cat "$EXP/linkgroups.files")" ]
	[[ "$stderr" == *"cannot be written (No space left on device): going on without it" ]] || { echo "$stderr"; return 1; }
	[ -z "$left" ]
}

@test "a blob's mapping that cannot be written is the same one warning, never a failure" {
	[ "$(id -u)" -eq 0 ] || skip "needs a read-only bind mount"
	local img=$FIX/linkgroups.oci-zstd.tar dir=$XDG_CACHE_HOME/fathom/v1/blobs/sha256
	mkdir -p "$dir"
	mount --bind "$dir" "$dir" 2>/dev/null && mount -o remount,bind,ro "$dir" 2>/dev/null ||
		skip "cannot make a read-only directory here"
	run --separate-stderr "$FATHOM" files "$img"
	umount "$dir"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$output" = "$(cat "$EXP/linkgroups.files")" ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "$stderr"; return 1; }
	[[ "$stderr" == *"the layer cache in $XDG_CACHE_HOME/fathom/v1 cannot be written (Read-only file system): going on without it" ]] || { echo "$stderr"; return 1; }
	# a layer entry was written before; no mapping names a blob
	[ -n "$(ls "$XDG_CACHE_HOME/fathom/v1/layers/sha256")" ]
	[ -z "$(ls "$dir")" ]
}

@test "four processes on one cache at once: the same output, a sound cache, no temporary file left" {
	local i pids=()
	for i in 1 2 3 4; do
		"$FATHOM" --ci --ci-format json "$FIX/advice-cache.oci-gzip.tar" >"$BATS_TEST_TMPDIR/out$i" 2>"$BATS_TEST_TMPDIR/err$i" &
		pids+=($!)
	done
	for i in 0 1 2 3; do
		wait "${pids[$i]}" || [ $? -eq 1 ]
	done
	"$FATHOM" --ci --ci-format json --no-cache "$FIX/advice-cache.oci-gzip.tar" >"$BATS_TEST_TMPDIR/want" || true
	for i in 1 2 3 4; do
		cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/out$i"
		[ ! -s "$BATS_TEST_TMPDIR/err$i" ] || { cat "$BATS_TEST_TMPDIR/err$i"; return 1; }
	done
	[ -z "$(find "$XDG_CACHE_HOME" -name '*.tmp.*')" ]
	# and the entries they wrote are sound: read from, quietly
	run --separate-stderr "$FATHOM" --ci --ci-format json "$FIX/advice-cache.oci-gzip.tar"
	[ -z "$stderr" ] || { echo "$stderr"; return 1; }
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/want")" ]
}

@test "a config that lies about a diff_id cannot poison the cache" {
	# linkgroups' config claiming basic's first layer's diff_id for its own
	local victim
	victim=$("$FATHOM" history --no-cache "$FIX/basic.kaniko.tar" --format json | python3 -c '
import json, sys
print([json.loads(l)["digest"] for l in sys.stdin if json.loads(l).get("layer") == 0][0])')
	[ "$(entries)" -eq 0 ]
	python3 "$ROOT/tests/fixtures/tamper.py" diff-id 0 "$FIX/linkgroups.kaniko.tar" "$BATS_TEST_TMPDIR/liar.tar" "$victim"
	"$FATHOM" files "$BATS_TEST_TMPDIR/liar.tar" >"$BATS_TEST_TMPDIR/liar"
	# read without --verify, the liar lists its own layers (nothing checks)
	diff -u "$EXP/linkgroups.files" "$BATS_TEST_TMPDIR/liar"
	# but what it read was not the layer the digest names: not cached
	[ ! -e "$XDG_CACHE_HOME/fathom/v1/layers/sha256/${victim#sha256:}" ]
	"$FATHOM" files "$FIX/basic.kaniko.tar" | diff -u "$EXP/basic.files" -
	[ -e "$XDG_CACHE_HOME/fathom/v1/layers/sha256/${victim#sha256:}" ]
}

@test "fathom cache: list, prune to a size (least recently used first), clear" {
	"$FATHOM" files "$FIX/basic.oci-gzip.tar" >/dev/null
	"$FATHOM" files "$FIX/linkgroups.oci-zstd.tar" >/dev/null
	run "$FATHOM" cache
	[ "$status" -eq 0 ]
	local n=$(($(printf '%s\n' "$output" | wc -l) - 1))
	[ "$n" -eq "$(entries)" ]
	[[ "${lines[0]}" == "$XDG_CACHE_HOME/fathom/v1: $n layers, "* ]]
	"$FATHOM" cache --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["bytes"] == sum(l["bytes"] for l in d["layers"]), d
assert all(l["diffId"].startswith("sha256:") for l in d["layers"])
assert [l["used"] for l in d["layers"]] == sorted((l["used"] for l in d["layers"]), reverse=True)'
	# basic's layers used last: they stay when the bound allows only them
	touch -d '2 hours ago' $(find "$XDG_CACHE_HOME/fathom/v1/layers" -type f)
	"$FATHOM" files "$FIX/basic.oci-gzip.tar" >/dev/null
	local keep
	keep=$("$FATHOM" cache --format json | python3 -c '
import json, sys, time
d = json.load(sys.stdin)
print(sum(l["bytes"] for l in d["layers"] if l["used"] > time.time() - 3600))')
	run "$FATHOM" cache prune --cache-size "${keep}B"
	[ "$status" -eq 0 ]
	[[ "$output" == *" dropped, "*" freed" ]]
	[ "$(entries)" -eq 4 ]
	run "$FATHOM" cache clear
	[ "$status" -eq 0 ]
	[ "$(entries)" -eq 0 ]
	run --separate-stderr "$FATHOM" cache sweep
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: unknown action 'sweep' (list, prune, clear) (see 'fathom cache --help')" ] || { echo "$stderr"; return 1; }
}
