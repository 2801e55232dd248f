# helpers.bash: shared by the CLI tests. FATHOM is the binary under test,
bats_require_minimum_version 1.5.0
# FIX the generated fixtures (tests/fixtures/build.sh), EXP the expected
# outputs kept in the tree.
ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
FATHOM=${FATHOM:-$ROOT/fathom}
FIX=${FIXTURES:-$ROOT/build/fixtures}
EXP=$BATS_TEST_DIRNAME/expected
SHARED=${SHARED_IMAGES:-$ROOT/../shared/images}
FORMATS="docker-legacy.tar docker-oci.tar kaniko.tar oci-none.tar oci-gzip.tar oci-zstd.tar oci-dir"
# The tests own the environment fathom reads: a CI machine's CI=true, a
# DOCKER_HOST or a user's config must not change what they see.
unset COLUMNS CI NO_COLOR FATHOM_TUI_TRACE CONTAINER_HOST DOCKER_HOST DOCKER_CONFIG \
	DOCKER_CONTEXT DOCKER_CERT_PATH DOCKER_TLS DOCKER_TLS_VERIFY
export XDG_CONFIG_HOME=$ROOT/build/no-such-config
# the layer cache of each test file in its own directory, gone with it: the
# tests read each fixture many times, so most of them also read it cached
export XDG_CACHE_HOME=$BATS_FILE_TMPDIR/cache

# in_all_formats FIXTURE EXPECTED CMD [ARGS...]: `fathom CMD` of FIXTURE in
# every format (ARGS after the image) prints exactly expected/EXPECTED, with
# nothing on stderr and exit status 0. Reports every format that differs.
in_all_formats() {
	local fx=$1 exp=$2 cmd=$3 f st failed=0
	shift 3
	for f in $FORMATS; do
		st=0
		"$FATHOM" "$cmd" "$FIX/$fx.$f" "$@" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || st=$?
		if [ "$st" -ne 0 ]; then
			echo "$fx.$f: exit status $st: $(cat "$BATS_TEST_TMPDIR/err")"
			failed=1
			continue
		fi
		if [ -s "$BATS_TEST_TMPDIR/err" ]; then
			echo "$fx.$f: unexpected stderr: $(cat "$BATS_TEST_TMPDIR/err")"
			failed=1
		fi
		if ! diff -u "$EXP/$exp" "$BATS_TEST_TMPDIR/out" >"$BATS_TEST_TMPDIR/diff"; then
			echo "$fx.$f differs from expected/$exp:"
			cat "$BATS_TEST_TMPDIR/diff"
			failed=1
		fi
	done
	return $failed
}

# fails_clearly IMAGE PATTERN... : `fathom files IMAGE` exits with 2, prints
# nothing on stdout and one line on stderr starting "fathom: " that holds
# every PATTERN (fixed strings).
fails_clearly() {
	local img=$1 p
	shift
	run --separate-stderr "$FATHOM" files "$img"
	if [ "$status" -ne 2 ]; then
		echo "exit status $status, expected 2; stderr: $stderr"
		return 1
	fi
	if [ -n "$output" ]; then
		echo "stdout not empty: $output"
		return 1
	fi
	if [ "$(printf '%s\n' "$stderr" | wc -l)" -ne 1 ] || [ "${stderr#fathom: }" = "$stderr" ]; then
		echo "not one 'fathom: ' line on stderr: $stderr"
		return 1
	fi
	for p in "$@"; do
		case $stderr in
		*"$p"*) ;;
		*) echo "stderr lacks '$p': $stderr"; return 1 ;;
		esac
	done
}
