#!/usr/bin/env bats
# The command line: help, version, usage errors, forced sources.
load helpers

usage_error() {
	run --separate-stderr "$FATHOM" "$@"
	[ "$status" -eq 2 ] || { echo "status $status"; return 1; }
	[ -z "$output" ] || { echo "stdout: $output"; return 1; }
	case $stderr in
	"fathom: "*"(see 'fathom "*"--help')") ;;
	*) echo "stderr: $stderr"; return 1 ;;
	esac
}

@test "--help names every command; each command has --help" {
	run "$FATHOM" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"files "* ]]
	[[ "$output" == *"history "* ]]
	run "$FATHOM" files --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: fathom files IMAGE"* ]]
	run "$FATHOM" history --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: fathom history IMAGE"* ]]
}

@test "--version names fathom and its libraries" {
	run "$FATHOM" --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "fathom "* ]]
	[[ "${lines[1]}" == *libarchive* ]]
	[[ "${lines[1]}" == *jansson* ]]
}

@test "usage errors: one line, a pointer to --help, exit status 2" {
	usage_error
	usage_error files
	usage_error files a b
	usage_error files --bogus "$FIX/basic.oci-dir"
	usage_error files "$FIX/basic.oci-dir" --layer
	usage_error files "$FIX/basic.oci-dir" --layer -1
	usage_error files "$FIX/basic.oci-dir" --layer x
	usage_error files "$FIX/basic.oci-dir" --format yaml
	usage_error history "$FIX/basic.oci-dir" --format csv
}

@test "no command: the word is the image to analyse, as with dive" {
	DOCKER_HOST=unix://$BATS_TEST_TMPDIR/none.sock run --separate-stderr "$FATHOM" nope
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: nope: no such file; as an image of the Docker engine: docker://nope: cannot reach the Docker engine at unix://$BATS_TEST_TMPDIR/none.sock (from DOCKER_HOST): "* ]]
	run --separate-stderr "$FATHOM" ./nope
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: ./nope: No such file or directory" ]
}

@test "a layer out of range" {
	run --separate-stderr "$FATHOM" files "$FIX/basic.oci-dir" --layer 4
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $FIX/basic.oci-dir: no layer 4: the image has layers 0 to 3" ]
}

@test "an invalid --platform" {
	run --separate-stderr "$FATHOM" files "$FIX/basic.oci-dir" --platform linux
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: invalid platform 'linux' (expected os/arch[/variant], e.g. linux/arm64)" ]
}

@test "scheme prefixes and --source force a kind; a wrong one says so" {
	in_all_formats basic basic.files files
	FORMATS=docker-legacy.tar in_all_formats basic basic.files files --source docker-archive
	run "$FATHOM" files "docker-archive://$FIX/basic.docker-oci.tar"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$EXP/basic.files")" ]
	run "$FATHOM" files "oci-archive://$FIX/basic.docker-oci.tar"
	[ "$output" = "$(cat "$EXP/basic.files")" ]
	run "$FATHOM" files "oci://$FIX/basic.oci-dir"
	[ "$output" = "$(cat "$EXP/basic.files")" ]
	run --separate-stderr "$FATHOM" files "oci://$FIX/basic.oci-none.tar"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $FIX/basic.oci-none.tar: not readable as oci" ]
	run --separate-stderr "$FATHOM" files "oci-archive://$FIX/basic.docker-legacy.tar"
	[ "$stderr" = "fathom: $FIX/basic.docker-legacy.tar: not readable as oci-archive" ]
	run --separate-stderr "$FATHOM" files "$FIX/basic.oci-dir" --source tarball
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $FIX/basic.oci-dir: unknown source 'tarball' (known: docker-archive, oci-archive, oci, docker, podman, registry)" ]
}

@test "detection reads the content, never the name" {
	cp "$FIX/basic.oci-gzip.tar" "$BATS_TEST_TMPDIR/looks-like.json"
	cp "$FIX/basic.docker-legacy.tar" "$BATS_TEST_TMPDIR/image.oci"
	for f in looks-like.json image.oci; do
		run "$FATHOM" files "$BATS_TEST_TMPDIR/$f"
		[ "$status" -eq 0 ]
		[ "$output" = "$(cat "$EXP/basic.files")" ]
	done
}

@test "a write error on stdout is an error" {
	[ -w /dev/full ] || skip "no /dev/full"
	run --separate-stderr sh -c "'$FATHOM' files '$FIX/basic.oci-dir' >/dev/full"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: cannot write the output: "* ]]
}

# both_ways CMD [ARGS...] -- OPTIONS...: `fathom OPTIONS CMD ARGS` and
# `fathom CMD ARGS OPTIONS` give the same status, stdout and stderr; the
# first run's are left in status, output and stderr. CMD "-" is the
# analysis (no command word).
both_ways() {
	local cmd=() opts=() before after
	while [ "$1" != -- ]; do cmd+=("$1"); shift; done
	shift
	opts=("$@")
	if [ "${cmd[0]}" = - ]; then
		before=("${opts[@]}" "${cmd[@]:1}")
	else
		before=("${opts[@]}" "${cmd[@]}")
	fi
	after=("${cmd[@]}" "${opts[@]}")
	[ "${after[0]}" != - ] || after=("${after[@]:1}")
	run --separate-stderr "$FATHOM" "${after[@]}"
	local s2=$status o2=$output e2=$stderr
	run --separate-stderr "$FATHOM" "${before[@]}"
	[ "$status" -eq "$s2" ] || { echo "fathom ${before[*]}: status $status, after the command: $s2; $stderr"; return 1; }
	[ "$output" = "$o2" ] || { echo "fathom ${before[*]}: stdout differs:"; diff <(echo "$o2") <(echo "$output"); return 1; }
	[ "$stderr" = "$e2" ] || { echo "fathom ${before[*]}: stderr '$stderr', after the command: '$e2'"; return 1; }
}

@test "the options every command takes work before the command as after it" {
	local I=$FIX/basic.oci-gzip.tar opt
	# every one of them, on files: the same listing
	for opt in "--source oci-archive" "--source=oci-archive" "--platform linux/amd64" "--jobs 1" \
		"--insecure" "--verify" "--no-verify" "--timeout 5" "--max-layer-bytes 1GB" "--progress --jobs 1"; do
		# shellcheck disable=SC2086
		both_ways files "$I" -- $opt
		[ "$status" -eq 0 ]
		[ "$output" = "$(cat "$EXP/basic.files")" ]
	done
	# and they act: the same image picked, the same refusals
	both_ways files "$FIX/armamd.oci-gzip.tar" -- --platform linux/arm64
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$EXP/armamd.arm")" ]
	both_ways files "$FIX/armamd.docker-oci.tar" -- --image fathom-test:arm --platform linux/arm64
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$EXP/armamd.arm")" ]
	both_ways files "$I" -- --source docker-archive
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"not readable as docker-archive"* ]]
	both_ways files "$I" -- --max-layer-bytes 10
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--max-layer-bytes"* ]]
	both_ways files "$I" -- --jobs 0
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: --jobs wants a number from 1 to 256, not '0' (see 'fathom files --help')" ]
	# every command once
	both_ways history "$I" --format json -- --max-layer-bytes 1GB --jobs 2
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	both_ways advise "$FIX/advice-cache.oci-gzip.tar" -- --verify
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$EXP/advice-cache.advise")" ]
	both_ways inspect "$FIX/advice-onbuild.oci-gzip.tar" -- --no-verify
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$EXP/advice-onbuild.inspect")" ]
	both_ways diff "$I" "$FIX/basic.oci-dir" -- --jobs 1
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "The same: no file, layer or config differs." ]
	both_ways diff "$I" "$FIX/basic.oci-dir" -- --source oci
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"not readable as oci"* ]]
	both_ways report "$I" -o /dev/null -- --max-layer-bytes 10
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--max-layer-bytes"* ]]
	both_ways squash "$I" -o "$BATS_TEST_TMPDIR/sq.tar" -- --source docker-archive
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"not readable as docker-archive"* ]]
	"$FATHOM" --jobs 1 squash "$I" -o "$BATS_TEST_TMPDIR/sq.tar" >/dev/null
	"$FATHOM" files "$BATS_TEST_TMPDIR/sq.tar" | diff -u "$EXP/basic.files" -
	mkdir "$BATS_TEST_TMPDIR/x"
	both_ways extract "$I" /etc -C "$BATS_TEST_TMPDIR/x" -- --max-layer-bytes 10
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--max-layer-bytes"* ]]
	"$FATHOM" --timeout 5 extract "$I" /etc -C "$BATS_TEST_TMPDIR/x"
	[ -d "$BATS_TEST_TMPDIR/x/etc" ]
	# --help before a command is its help
	run "$FATHOM" --help squash
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: fathom squash IMAGE"* ]]
	# the analysis without a command keeps working, with them before --ci too
	both_ways - "$I" -- --verify
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Analysis:" ]]
	both_ways - --ci "$I" -- --jobs 1 --no-verify
	[ "$status" -eq 0 ]
	[[ "$output" == *"PASS [pass:3 skip:4]" ]]
	run --separate-stderr "$FATHOM" --jobs 1 --ci "$I"
	[ "$status" -eq 0 ] && [[ "$output" == *"PASS [pass:3 skip:4]" ]]
}
