#!/usr/bin/env bats
# Images from a container engine's API: the real Podman service (its
# Docker-compatible API serves docker:// too), with the images loaded into
# its storage; pulls from a real registry; the podman command when no
# service answers. Each must read as the same image from its archive file.
load helpers
load servers

# Not dup: containers-storage refuses a layer that names a path twice; not
# whiteout: Podman (vfs storage) fails to export it again.
GOOD="basic links opaque replace parents symparent names blobs paxglobal"

setup_file() {
	srv_start_podman
	srv_start_registry
	srv_podman_trust "$REG"
	local fx
	for fx in $GOOD; do
		skopeo copy -q "docker-archive:$FIX/$fx.docker-legacy.tar" \
			"containers-storage:localhost/fx/$fx:latest" >/dev/null
	done
	if [ -f "$SHARED/test-docker-image.tar" ]; then
		skopeo copy -q "docker-archive:$SHARED/test-docker-image.tar" \
			"containers-storage:localhost/dive-test:latest" >/dev/null
	fi
	srv_push "oci-archive:$FIX/basic.oci-gzip.tar" pulled/basic:1
	export SRV_PODMAN PODMAN_SOCK SRV_REG REG
}

teardown_file() {
	srv_stop_podman
	srv_stop_registry
}

setup() {
	srv_podman_env
	export DOCKER_HOST=unix://$PODMAN_SOCK CONTAINER_HOST=unix://$PODMAN_SOCK
}

@test "podman://: every fixture reads as from its archive file" {
	local fx failed=0
	for fx in $GOOD; do
		"$FATHOM" files "$FIX/$fx.docker-legacy.tar" >"$BATS_TEST_TMPDIR/a"
		if ! "$FATHOM" files "podman://localhost/fx/$fx:latest" >"$BATS_TEST_TMPDIR/b" 2>"$BATS_TEST_TMPDIR/err" ||
		   ! cmp -s "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"; then
			echo "$fx differs: $(cat "$BATS_TEST_TMPDIR/err")"
			diff "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b" | head -5
			failed=1
		fi
	done
	[ "$failed" -eq 0 ]
}

@test "docker:// and a bare name through DOCKER_HOST: files, history, CI report" {
	[ -f "$SHARED/test-docker-image.tar" ] || skip "no shared images"
	"$FATHOM" files "$SHARED/test-docker-image.tar" --layer 7 --changes >"$BATS_TEST_TMPDIR/a"
	"$FATHOM" files docker://localhost/dive-test:latest --layer 7 --changes | cmp - "$BATS_TEST_TMPDIR/a"
	run "$FATHOM" --ci "$SHARED/test-docker-image.tar"
	local want=$output
	run "$FATHOM" --ci localhost/dive-test:latest
	[ "$status" -eq 1 ]
	[ "$output" = "$want" ]
	"$FATHOM" history "$SHARED/test-docker-image.tar" >"$BATS_TEST_TMPDIR/h"
	"$FATHOM" history localhost/dive-test | cmp - "$BATS_TEST_TMPDIR/h"
	# dive's CI text: the engine named as dive names it, the rest the archive's
	run "$FATHOM" --ci --ci-format dive localhost/dive-test:latest
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = "Image Source: docker://localhost/dive-test:latest" ]
	[ "${lines[2]}" = "Extracting image from docker-engine... (this can take a while for large images)" ]
	diff <(tail -n +4 "$EXP/docker-image.dive-ci") <(printf '%s\n\n' "$output" | tail -n +4)
	run "$FATHOM" --ci --ci-format dive podman://localhost/dive-test:latest
	[ "${lines[1]}" = "Image Source: podman://localhost/dive-test:latest" ]
	[ "${lines[2]}" = "Extracting image from podman... (this can take a while for large images)" ]
}

@test "an image the engine lacks is pulled first" {
	run -1 podman image exists "$REG/pulled/basic:1"
	"$FATHOM" files "$FIX/basic.oci-gzip.tar" >"$BATS_TEST_TMPDIR/a"
	"$FATHOM" files --progress "docker://$REG/pulled/basic:1" >"$BATS_TEST_TMPDIR/b" 2>"$BATS_TEST_TMPDIR/err"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	# the engine's pull progress, then the layers read
	grep -q "Download complete" "$BATS_TEST_TMPDIR/err"
	grep -q " reading " "$BATS_TEST_TMPDIR/err"
	podman image exists "$REG/pulled/basic:1"
}

@test "the engine found as the docker CLI finds it: a context of ~/.docker" {
	unset DOCKER_HOST
	local home=$BATS_TEST_TMPDIR/home
	mkdir -p "$home/.docker/contexts/meta/0123abc"
	printf '{"currentContext": "pod"}\n' >"$home/.docker/config.json"
	printf '{"Name": "pod", "Endpoints": {"docker": {"Host": "unix://%s", "SkipTLSVerify": false}}}\n' \
		"$PODMAN_SOCK" >"$home/.docker/contexts/meta/0123abc/meta.json"
	HOME=$home "$FATHOM" files docker://localhost/fx/basic:latest >"$BATS_TEST_TMPDIR/b"
	"$FATHOM" files "$FIX/basic.docker-legacy.tar" | cmp - "$BATS_TEST_TMPDIR/b"
	HOME=$home DOCKER_CONTEXT=nope run --separate-stderr "$FATHOM" files docker://x
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"docker context 'nope' is not in $home/.docker/contexts/meta"* ]]
}

@test "podman:// without a service: podman image save" {
	CONTAINER_HOST=unix://$BATS_TEST_TMPDIR/none.sock "$FATHOM" files podman://localhost/fx/links:latest >"$BATS_TEST_TMPDIR/b"
	"$FATHOM" files "$FIX/links.docker-legacy.tar" | cmp - "$BATS_TEST_TMPDIR/b"
	CONTAINER_HOST=unix://$BATS_TEST_TMPDIR/none.sock run --separate-stderr "$FATHOM" files podman://localhost/absent:1
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: podman://localhost/absent:1: podman image save failed"* ]]
}

@test "clear errors: no engine at the socket, no such image, a name that may be a file" {
	DOCKER_HOST=unix://$BATS_TEST_TMPDIR/gone.sock run --separate-stderr "$FATHOM" files docker://busybox
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "fathom: docker://busybox: cannot reach the Docker engine at unix://$BATS_TEST_TMPDIR/gone.sock (from DOCKER_HOST): cannot connect to the socket $BATS_TEST_TMPDIR/gone.sock: No such file or directory" ]
	run --separate-stderr "$FATHOM" files "docker://$REG/nothing/here:1"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: docker://$REG/nothing/here:1: not in the Docker engine, and the pull failed: "* ]]
	DOCKER_HOST=unix://$BATS_TEST_TMPDIR/gone.sock run --separate-stderr "$FATHOM" files ./nowhere/image.tar
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: ./nowhere/image.tar: "*"No such file"* ]]
	DOCKER_HOST=unix://$BATS_TEST_TMPDIR/gone.sock run --separate-stderr "$FATHOM" files nowhere/image.tar
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: nowhere/image.tar: no such file; as an image of the Docker engine: "* ]]
}

@test "an engine that accepts and never answers: given up after --timeout, with a message" {
	local sock=$BATS_TEST_TMPDIR/silent.sock pid
	python3 "$BATS_TEST_DIRNAME/silent_server.py" "$sock" 3>&- &
	pid=$!
	srv_wait test -S "$sock"
	DOCKER_HOST=unix://$sock run --separate-stderr timeout 30 "$FATHOM" files --timeout 1 docker://busybox
	kill $pid
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: docker://busybox: cannot reach the Docker engine at unix://$sock (from DOCKER_HOST): GET http://localhost/_ping: stalled: nothing received for 1 s (--timeout 1), 1 attempt" ]
}

@test "fathom build: podman build with the arguments given, then the analysis of the image" {
	mkdir -p "$BATS_TEST_TMPDIR/ctx"
	printf 'hello\n' >"$BATS_TEST_TMPDIR/ctx/hello.txt"
	printf 'FROM scratch\nCOPY hello.txt /hello.txt\n' >"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	CI=true run --separate-stderr "$FATHOM" build --engine podman --isolation chroot --network host \
		-t localhost/fathom-built:1 "$BATS_TEST_TMPDIR/ctx"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"COMMIT localhost/fathom-built:1"* ]]	# the build's own output, on stderr
	[[ "$output" == "Analysis:"*"PASS [pass:3 skip:4]" ]]	# stdout: the CI report alone
	[ "$("$FATHOM" files podman://localhost/fathom-built:1)" = "$(printf '/hello.txt\tf\t0644\t0\t0\t6\t')" ]
}

@test "fathom build --engine buildah: buildah bud, then the image from Podman's storage" {
	command -v buildah >/dev/null || skip "buildah is not installed"
	mkdir -p "$BATS_TEST_TMPDIR/ctx"
	printf 'hi\n' >"$BATS_TEST_TMPDIR/ctx/hi.txt"
	printf 'FROM scratch\nCOPY hi.txt /hi.txt\n' >"$BATS_TEST_TMPDIR/ctx/Containerfile"
	CI=true run --separate-stderr "$FATHOM" build --engine buildah --isolation chroot \
		-t localhost/fathom-buildah:1 "$BATS_TEST_TMPDIR/ctx"
	[ "$status" -eq 0 ]
	[[ "$output" == *"PASS [pass:3 skip:4]"* ]]
	[ "$("$FATHOM" files podman://localhost/fathom-buildah:1)" = "$(printf '/hi.txt\tf\t0644\t0\t0\t3\t')" ]
}

@test "fathom build: the options before build read the image built; a bad one stops before building" {
	mkdir -p "$BATS_TEST_TMPDIR/ctx"
	printf 'hello\n' >"$BATS_TEST_TMPDIR/ctx/hello.txt"
	printf 'FROM scratch\nCOPY hello.txt /hello.txt\n' >"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	CI=true run --separate-stderr "$FATHOM" --max-layer-bytes 5 build --engine podman --isolation chroot \
		-t localhost/fathom-opts:1 "$BATS_TEST_TMPDIR/ctx"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"COMMIT localhost/fathom-opts:1"* ]]	# built,
	[[ "${stderr##*$'\n'}" == "fathom: podman://"*"--max-layer-bytes"* ]]	# then read with the option
	CI=true run --separate-stderr "$FATHOM" --jobs 1 --verify build --engine podman --isolation chroot \
		-t localhost/fathom-opts:1 "$BATS_TEST_TMPDIR/ctx"
	[ "$status" -eq 0 ]
	[[ "$output" == *"PASS [pass:3 skip:4]"* ]]
	run --separate-stderr "$FATHOM" --jobs 0 build --engine podman --isolation chroot \
		-t localhost/fathom-never:1 "$BATS_TEST_TMPDIR/ctx"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "fathom: --jobs wants a number from 1 to 256, not '0' (see 'fathom build --help')" ]
	run podman image exists localhost/fathom-never:1
	[ "$status" -eq 1 ]
}

@test "fathom build: a build that fails is an error: the builder's last lines, one line, exit 2" {
	# a RUN that fails, in a base with a shell (dive's busybox image) when
	# there is one, else in scratch (no shell: the RUN fails as well)
	local base=scratch
	[ ! -f "$SHARED/test-docker-image.tar" ] || base=localhost/dive-test:latest
	mkdir -p "$BATS_TEST_TMPDIR/ctx"
	printf 'FROM %s\nRUN false\n' "$base" >"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	CI=true run --separate-stderr "$FATHOM" build --engine podman --isolation chroot --network host \
		-t localhost/fathom-fails:1 "$BATS_TEST_TMPDIR/ctx"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	# the builder's last lines, then fathom's one line, last
	[[ "$stderr" == *"RUN false"* ]]
	[ "${stderr##*$'\n'}" = "fathom: podman build failed with exit status 1: the image was not built" ]
	printf '%s\n' "$stderr" | grep -v -e '^fathom: ' -e '^$' | tail -n 1 | grep -q '^Error: building at STEP "RUN false"'
	run podman image exists localhost/fathom-fails:1
	[ "$status" -eq 1 ]
	# the builder's own usage errors too
	run --separate-stderr "$FATHOM" build --engine podman --isolation chroot "$BATS_TEST_TMPDIR/no-such-context"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"no-such-context"*$'\n'"fathom: podman build failed with exit status 125: the image was not built" ]]
	# a builder that is not there, a bad engine
	run --separate-stderr env PATH=/nonexistent "$FATHOM" build --engine podman .
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: cannot run podman: No such file or directory" ]
	run --separate-stderr "$FATHOM" build --engine kaniko .
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unknown engine 'kaniko' (docker, podman, buildah)"* ]]
}

@test "podman://: squash, extract and diff work on the engine's stream as on the file" {
	local fx
	export TMPDIR=$BATS_TEST_TMPDIR/spool
	mkdir "$TMPDIR"
	for fx in links opaque; do
		rm -rf "$BATS_TEST_TMPDIR/o.tar" "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
		"$FATHOM" squash "podman://localhost/fx/$fx:latest" -o "$BATS_TEST_TMPDIR/o.tar" >/dev/null
		"$FATHOM" files "$FIX/$fx.docker-legacy.tar" | diff -u - <("$FATHOM" files "$BATS_TEST_TMPDIR/o.tar")
		mkdir "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
		"$FATHOM" extract "$FIX/$fx.docker-legacy.tar" / -C "$BATS_TEST_TMPDIR/a" 2>/dev/null
		"$FATHOM" extract "podman://localhost/fx/$fx:latest" / -C "$BATS_TEST_TMPDIR/b" 2>/dev/null
		diff -u <(python3 "$ROOT/tests/fixtures/rootfs_list.py" "$BATS_TEST_TMPDIR/a") \
			<(python3 "$ROOT/tests/fixtures/rootfs_list.py" "$BATS_TEST_TMPDIR/b")
		run --separate-stderr "$FATHOM" diff "$FIX/$fx.docker-legacy.tar" "podman://localhost/fx/$fx:latest"
		[ "$status" -eq 0 ] || { echo "$fx: $status $stderr $output"; return 1; }
	done
	# the copies were unnamed files: nothing left
	[ -z "$(ls -A "$TMPDIR")" ]
}
