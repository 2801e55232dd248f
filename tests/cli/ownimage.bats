#!/usr/bin/env bats
# fathom's own image (Dockerfile, docker/rootfs.sh), built by podman on a
# Debian base made by debootstrap: it holds the binary and what it links,
# nothing else; run with a directory mounted it prints what the host binary
# prints; run with the Podman socket mounted it reads the engine's images;
# it verifies TLS with its CA bundle, draws the explorer on a terminal, and
# passes fathom's own CI gate. The build's podman storage is kept in
# build/ownimage-podman/DRIVER between runs (the base, the build
# dependencies and the last build stay: a second run builds only what
# changed; remove the directory to start cold), on overlay where it works.
load helpers
load servers

IMG=localhost/fathom:test

setup_file() {
	command -v podman >/dev/null || skip "podman is not installed"
	local driver=vfs args
	if srv_podman_overlay_works; then driver=overlay; fi
	mkdir -p "$ROOT/build/ownimage-podman/$driver"
	srv_podman_setup "$ROOT/build/ownimage-podman/$driver" "$driver"
	srv_debian_base
	# docker's format, as docker build writes it (podman's default, OCI's,
	# has no ONBUILD: a trigger in the Dockerfile would be dropped unseen)
	args=(-q --format docker --network host --build-arg BASE=localhost/fathom/bookworm:minbase)
	# each stage tagged, so that pruning keeps them for the next run's cache
	if ! podman build "${args[@]}" --target deps -t localhost/fathom/deps "$ROOT" >"$BATS_FILE_TMPDIR/build.log" 2>&1 ||
	   ! podman build "${args[@]}" --target build -t localhost/fathom/build "$ROOT" >>"$BATS_FILE_TMPDIR/build.log" 2>&1 ||
	   ! podman build "${args[@]}" -t "$IMG" "$ROOT" >>"$BATS_FILE_TMPDIR/build.log" 2>&1; then
		cat "$BATS_FILE_TMPDIR/build.log"
		srv_stop_podman
		return 1
	fi
	podman save -q -o "$BATS_FILE_TMPDIR/fathom.tar" "$IMG"
	podman image prune -f >/dev/null	# earlier builds
	srv_stop_podman
	# the engine the image talks to: a service on its own storage
	srv_start_podman
	podman load -q -i "$BATS_FILE_TMPDIR/fathom.tar" >/dev/null
	skopeo copy -q "docker-archive:$FIX/basic.docker-legacy.tar" \
		"containers-storage:localhost/fx/basic:latest" >/dev/null
	export SRV_PODMAN PODMAN_SOCK
}

teardown_file() {
	srv_stop_podman
}

setup() {
	srv_podman_env
	OWN=$BATS_FILE_TMPDIR/fathom.tar
}

@test "the image: one layer from scratch with the binary, what it links, certificates, terminfo, a locale" {
	"$FATHOM" inspect "$OWN" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
c = d["config"]
assert d["layers"] == 1, d["layers"]
assert c["Entrypoint"] == ["fathom"] and not c.get("Cmd"), c
assert c["WorkingDir"] == "/work" and "LANG=C.UTF-8" in c["Env"], c'
	# what the image's own loader loads for the binary (ldd inside the image)
	podman run --rm --entrypoint /lib64/ld-linux-x86-64.so.2 "$IMG" --list /usr/local/bin/fathom \
		>"$BATS_TEST_TMPDIR/ldd"
	"$FATHOM" files "$OWN" --format json >"$BATS_TEST_TMPDIR/files"
	python3 - "$BATS_TEST_TMPDIR/ldd" "$BATS_TEST_TMPDIR/files" <<-'EOF'
	import json, re, sys
	# the image's /lib and /lib64 are Debian's links into /usr
	real = lambda p: re.sub(r"^/(lib|lib64)/", r"/usr/\1/", p)
	libs = set()
	for line in open(sys.argv[1]):
	    m = re.match(r"\s*(\S+) => (/\S+) \(", line) or re.match(r"\s*(/\S+) \(", line)
	    if m:
	        libs.add(real(m.groups()[-1]))
	    else:
	        assert line.strip().startswith("linux-vdso"), line
	assert "/usr/lib/x86_64-linux-gnu/libcurl.so.4" in libs and len(libs) > 20, libs
	files = {e["path"]: e for e in map(json.loads, open(sys.argv[2]))}
	regular = {p for p, e in files.items() if e["type"] == "f"}
	assert libs <= regular, libs - regular
	pkgs = {p.split("/")[-1] for p in regular if p.startswith("/var/lib/dpkg/status.d/")}
	extra = set()
	for p in regular - libs:
	    if p in ("/usr/local/bin/fathom", "/etc/ssl/certs/ca-certificates.crt") or \
	       p.startswith(("/usr/lib/terminfo/", "/usr/lib/locale/C.utf8/", "/var/lib/dpkg/status.d/")):
	        continue
	    m = re.fullmatch(r"/usr/share/doc/([^/]+)/copyright", p)
	    if m and m.group(1) in pkgs:
	        continue
	    extra.add(p)
	assert not extra, extra
	assert {"libc6", "libcurl4", "libarchive13", "ca-certificates"} <= pkgs, pkgs
	assert all(f"/usr/share/doc/{p}/copyright" in regular for p in pkgs)
	assert files["/usr/lib/terminfo/x/xterm"]["type"] == "f"
	assert files["/lib"]["link"] == "usr/lib" and files["/lib64"]["link"] == "usr/lib64"
	assert files["/tmp"]["mode"] == "1777" and files["/work"]["type"] == "d"
	assert not any(p in files for p in ("/bin/sh", "/usr/bin/sh", "/usr/bin/dash")), "a shell"
	EOF
	# and it runs: the version with the libraries it loaded
	run podman run --rm "$IMG" --version
	[ "$status" -eq 0 ] && [[ "$output" == "fathom $(cat "$ROOT/VERSION")"* ]] && [[ "$output" == *libarchive* ]]
}

@test "podman run -v DIR:/work fathom /work/app.tar: what the host binary prints (for DIR/app.tar)" {
	local dir=$BATS_TEST_TMPDIR/work args failed=0
	mkdir "$dir"
	cp "$FIX/basic.docker-legacy.tar" "$dir/app.tar"
	for args in "" "files" "history --no-trunc" "advise" "inspect" "--ci --ci-format json"; do
		"$FATHOM" $args "$dir/app.tar" 2>&1 | sed "s|$dir/|/work/|g" >"$BATS_TEST_TMPDIR/host"
		podman run --rm -v "$dir:/work" "$IMG" $args /work/app.tar >"$BATS_TEST_TMPDIR/image" 2>&1
		if ! diff -u "$BATS_TEST_TMPDIR/host" "$BATS_TEST_TMPDIR/image"; then
			echo "fathom $args differs"
			failed=1
		fi
	done
	[ "$failed" -eq 0 ]
	# the working directory is /work: names relative to it, files written into it
	podman run --rm -v "$dir:/work" "$IMG" extract app.tar /etc
	mkdir "$BATS_TEST_TMPDIR/host-out"
	"$FATHOM" extract "$dir/app.tar" /etc -C "$BATS_TEST_TMPDIR/host-out"
	diff -r "$BATS_TEST_TMPDIR/host-out/etc" "$dir/etc"
	# an error: the same line, the same status
	run --separate-stderr "$FATHOM" files "$dir/missing.tar"
	local want=${stderr//$dir\//\/work\/}
	[ "$status" -eq 2 ]
	[[ "$want" == "fathom: /work/missing.tar: "* ]]
	run --separate-stderr podman run --rm -v "$dir:/work" "$IMG" files /work/missing.tar
	[ "$status" -eq 2 ] && [ -z "$output" ] && [ "$stderr" = "$want" ]
}

@test "podman run with the Podman socket mounted: podman:// and docker:// read the engine's images" {
	local sock=/run/podman/podman.sock
	"$FATHOM" files "$FIX/basic.docker-legacy.tar" >"$BATS_TEST_TMPDIR/archive"
	# at Podman's default path, no variable needed
	podman run --rm -v "$PODMAN_SOCK:$sock" "$IMG" files podman://localhost/fx/basic:latest \
		>"$BATS_TEST_TMPDIR/image"
	cmp "$BATS_TEST_TMPDIR/archive" "$BATS_TEST_TMPDIR/image"
	# the image reads itself, as the host binary reads it (CONTAINER_HOST, DOCKER_HOST)
	CONTAINER_HOST=unix://$PODMAN_SOCK "$FATHOM" --ci --lowestEfficiency 0.99 "podman://$IMG" \
		>"$BATS_TEST_TMPDIR/host"
	podman run --rm -v "$PODMAN_SOCK:/engine.sock" -e CONTAINER_HOST=unix:///engine.sock "$IMG" \
		--ci --lowestEfficiency 0.99 "podman://$IMG" >"$BATS_TEST_TMPDIR/image"
	diff -u "$BATS_TEST_TMPDIR/host" "$BATS_TEST_TMPDIR/image"
	podman run --rm -v "$PODMAN_SOCK:/engine.sock" -e DOCKER_HOST=unix:///engine.sock "$IMG" \
		files "docker://$IMG" >"$BATS_TEST_TMPDIR/image"
	"$FATHOM" files "$OWN" | cmp - "$BATS_TEST_TMPDIR/image"
	# without the socket: one line saying so
	run --separate-stderr podman run --rm "$IMG" files podman://localhost/fx/basic:latest
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == "fathom: podman://localhost/fx/basic:latest: no Podman service answers at unix:///run/podman/podman.sock"* ]]
}

@test "registries over HTTPS: libcurl in the image verifies servers with its CA bundle" {
	local bundle=/etc/ssl/certs/ca-certificates.crt ref=registry://deb.debian.org/fathom/none:1
	# the one server out there is Debian's mirror: its answer to the registry
	# API is an HTTP error, which comes only after TLS verified the server
	run --separate-stderr timeout 60 "$FATHOM" files "$ref"
	[[ "$stderr" == *"deb.debian.org answered HTTP"* ]] || skip "deb.debian.org cannot be reached over HTTPS: $stderr"
	local want=$stderr
	# with the host's bundle in place of the image's: the same answer (a
	# network whose TLS goes through a proxy with a CA of its own, as here,
	# needs that; elsewhere the image's own bundle does)
	run --separate-stderr podman run --rm -v "$bundle:$bundle:ro" "$IMG" files "$ref"
	[ "$status" -eq 2 ]
	[ "$stderr" = "$want" ]
	# with its own bundle: the server verified against it (trusted or not)
	run --separate-stderr podman run --rm "$IMG" files "$ref"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "$want" || "$stderr" == *"SSL certificate problem"* ]]
	# with none there: curl says so
	run --separate-stderr podman run --rm -v /dev/null:$bundle:ro "$IMG" files "$ref"
	[[ "$stderr" == *"error setting certificate file: $bundle"* ]]
	# the image's bundle is Debian's ca-certificates
	"$FATHOM" extract "$OWN" "$bundle" -C "$BATS_TEST_TMPDIR"
	[ "$(grep -c 'BEGIN CERTIFICATE' "$BATS_TEST_TMPDIR/ca-certificates.crt")" -gt 100 ]
}

@test "fathom's CI gate on fathom's own image: efficiency >= 0.99, no ONBUILD" {
	run --separate-stderr "$FATHOM" --ci --lowestEfficiency 0.99 --onbuild fail "$OWN"
	[ "$status" -eq 0 ]
	[[ "$output" == *"  PASS  lowestEfficiency ("* ]]
	[[ "$output" == *"  PASS  onbuild (0 ONBUILD triggers)"* ]]
	[[ "$output" == *"PASS [pass:"* ]]
	"$FATHOM" --ci --ci-format json --lowestEfficiency 0.99 "$OWN" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["efficiency"] >= 0.99, d["efficiency"]'
	run --separate-stderr "$FATHOM" inspect "$OWN"
	[ "$status" -eq 0 ] && [[ "$output" != *OnBuild* ]] && [[ "$output" != *ONBUILD* ]]
}

@test "the explorer in the image: podman run -it draws with the image's terminfo and UTF-8 locale" {
	command -v tmux >/dev/null || skip "tmux is not installed"
	local dir=$BATS_TEST_TMPDIR/work sock=$BATS_TEST_TMPDIR/tmux.sock i
	mkdir "$dir"
	cp "$FIX/basic.docker-legacy.tar" "$dir/app.tar"
	: >"$dir/trace"
	tmux -S "$sock" new-session -d -x 100 -y 30 \
		"podman run --rm -it -v '$dir:/work' -e FATHOM_TUI_TRACE=/work/trace $IMG app.tar; echo EXITED \$?; sleep 600"
	for i in $(seq 300); do
		grep -q first-screen "$dir/trace" && break
		sleep 0.1
	done
	tmux -S "$sock" capture-pane -p >"$BATS_TEST_TMPDIR/screen"
	tmux -S "$sock" send-keys q
	for i in $(seq 300); do
		tmux -S "$sock" capture-pane -p | grep -q '^EXITED' && break
		sleep 0.1
	done
	tmux -S "$sock" capture-pane -p >"$BATS_TEST_TMPDIR/end"
	tmux -S "$sock" kill-server
	cat "$BATS_TEST_TMPDIR/screen"
	grep -q first-screen "$dir/trace"
	# box drawing (UTF-8) in the tree, the layers' commands
	grep -q '├─' "$BATS_TEST_TMPDIR/screen"
	grep -q 'apt-get install -y tool' "$BATS_TEST_TMPDIR/screen"
	grep -qx 'EXITED 0' "$BATS_TEST_TMPDIR/end"
}
