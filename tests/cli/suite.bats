#!/usr/bin/env bats
# The test suite's own rules: no `! cmd` that cannot fail a test
# (tests/lint-bats.py), the lint finding each form of it.
load helpers

@test "no test holds a '! cmd' that can never fail it" {
	run python3 "$ROOT/tests/lint-bats.py" "$BATS_TEST_DIRNAME"/*.bats "$BATS_TEST_DIRNAME"/*.bash
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
}

@test "the lint names each '! cmd' set -e ignores, and none that counts" {
	local t=$BATS_TEST_TMPDIR/t.bats
	# TEST for @test, which bats would take for one of its own
	sed 's/^TEST/@test/' >"$t" <<-'EOF'
	TEST "ignored" {
		! grep -q x f
		true && ! [[ -e f ]]
		false || ! cmp a b; echo
		! cmp \
			a b
		if true; then
			! grep x f
		fi
		! a && b
		run ! grep x f
		true
	}

	helper() {
		! grep -q x "$(printf '%s' "a;b")"
		echo
	}

	TEST "counted" {
		if ! grep x f; then :; elif ! grep y f; then :; fi
		while ! test -e f; do :; done
		! grep x f || { echo; return 1; }
		[[ ! -e f ]] && [ ! -e f ]
		python3 - <<-PY
		! not shell
		PY
		echo '! quoted'; echo "
		! in a string"
		x=$(! true) # ! a comment
		! grep x f
	}
	EOF
	run python3 "$ROOT/tests/lint-bats.py" "$t"
	[ "$status" -eq 1 ]
	[ "$output" = "$(for l in 2 3 4 5 8 10 16; do
		echo "$t:$l: '! cmd' never fails a bats test here (set -e ignores it): use 'run ! cmd' or 'run -1 cmd'"; done)" ]
}
