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
