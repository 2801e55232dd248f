#!/usr/bin/env bats
# The test suite's own rules and tools: no `! cmd` and no `A && B` that
# cannot fail a test (tests/lint-bats.py, which finds each form of them,
# and lets pass each use of them that counts); tests/run.sh showing
# each result as it comes, and its summary; .ci/run's times and summary.
load helpers
load servers

@test "no test holds a '! cmd' or an 'A && B' that can never fail it" {
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
		[[ ! -e f ]] || [ ! -e f ]
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
	local neg="'! cmd' never fails a bats test here (set -e ignores it): use 'run ! cmd' or 'run -1 cmd'"
	local and="'A && B' never fails a bats test when A fails (set -e ignores it): one check a line, or 'A && B || { echo ...; return 1; }'"
	[ "$output" = "$(printf '%s\n' "$t:2: $neg" "$t:3: $and" "$t:3: $neg" "$t:4: $neg" "$t:5: $neg" \
		"$t:8: $neg" "$t:10: $neg" "$t:16: $neg")" ] || { echo "$output"; return 1; }
}

@test "the lint names each 'A && B' whose first failure set -e ignores, and none that counts" {
	local t=$BATS_TEST_TMPDIR/t.bats
	sed 's/^TEST/@test/' >"$t" <<-'EOF'
	TEST "ignored" {
		[ "$status" -eq 2 ] && [ -z "$output" ]
		[ -e a ] &&
			[ -e b ]
		a && b && c
		for f in x y; do
			[ -e "$f" ] && [ -s "$f" ]
		done
		if true; then
			a && b
		fi
		a || b && c
		{ a && b; }
		(a && b; c)
		a && b | c
		true
	}

	helper() {
		a && b
		echo
	}

	TEST "counted" {
		if a && b; then :; elif a && b; then :; fi
		while a && b; do :; done
		until a && b; do :; done
		a && b || { echo "$output"; return 1; }
		a && b ||
			{ echo; return 1; }
		a && b || fail "no"
		a || b
		for f in x y; do
			[ "$f" = x ] && continue
			[ -e "$f" ] && break
		done
		[ -e a ] && return 0
		[ -e b ] && exit 1
		(x=(a b); cd d && tar -cf x *)
		f() { a && b; }
		[[ a && b ]]
		x=$(a && b) # a && b
		echo "a && b" 'a && b'
		cat <<-X
		a && b
		X
		[ "$status" -eq 0 ] && [ -z "$output" ]
	}

	helper2() {
		echo
		a && b
	}
	EOF
	run python3 "$ROOT/tests/lint-bats.py" "$t"
	[ "$status" -eq 1 ]
	[ "$output" = "$(for l in 2 3 5 7 10 12 13 14 15 20; do
		echo "$t:$l: 'A && B' never fails a bats test when A fails (set -e ignores it): one check a line, or 'A && B || { echo ...; return 1; }'"; done)" ] ||
		{ echo "$output"; return 1; }
}

@test "tests/run.sh: each result as it comes, named by its suite; chosen suites; a crash counts; the summary last" {
	local b
	b=$(mktemp -d "$ROOT/build/run-sh.XXXXXX")
	mkdir "$b/tests"
	printf '#!/bin/sh\necho 1..2; echo "ok 1 - a"; echo "ok 2 - b # skip why"\n' >"$b/tests/test_good"
	printf '#!/bin/sh\necho 1..2; echo "ok 1 - a"; echo "not ok 2 - b"; echo "# b said"; exit 1\n' >"$b/tests/test_bad"
	printf '#!/bin/sh\necho 1..1; exit 139\n' >"$b/tests/test_crash"
	printf '#!/bin/sh\necho "not ok 1 - never chosen"\n' >"$b/tests/test_other"
	chmod +x "$b"/tests/test_*
	run sh "$ROOT/tests/run.sh" "build/${b##*/}" test_good test_bad tests/test_crash test_none
	rm -rf "$b"
	[ "$status" -eq 1 ]
	[ "$output" = "test_bad: 1..2
test_bad: ok 1 - a
test_bad: not ok 2 - b
test_bad: # b said
test_crash: 1..1
test_crash: not ok - exited with status 139 without a failed test
test_good: 1..2
test_good: ok 1 - a
test_good: ok 2 - b # skip why
test_none: not ok - no such suite
failures:
test_bad: not ok 2 - b
test_bad: # b said
test_crash: not ok - exited with status 139 without a failed test
test_none: not ok - no such suite
skipped:
test_good: ok 2 - b # skip why
3 passed, 3 failed" ]
}

@test "tests/run.sh: a result shows while its suite still runs" {
	local b pid
	b=$(mktemp -d "$ROOT/build/run-sh.XXXXXX")
	mkdir "$b/tests"
	# a suite that goes on only once its first result has been seen
	cat >"$b/tests/test_slow" <<-EOF
	#!/bin/sh
	echo 1..2; echo "ok 1 - first"
	for i in \$(seq 200); do [ -e "$b/seen" ] && break; sleep 0.1; done
	[ -e "$b/seen" ] && echo "ok 2 - second" || echo "not ok 2 - first not seen"
	EOF
	chmod +x "$b/tests/test_slow"
	sh "$ROOT/tests/run.sh" "build/${b##*/}" test_slow >"$BATS_TEST_TMPDIR/out" 3>&- &
	pid=$!
	# not seen within srv_wait's time: the suite is let go, and fails
	if srv_wait grep -q "^test_slow: ok 1 - first$" "$BATS_TEST_TMPDIR/out"; then
		touch "$b/seen"
	fi
	wait "$pid" || true
	rm -rf "$b"
	[ "$(tail -n 1 "$BATS_TEST_TMPDIR/out")" = "2 passed, 0 failed" ]
}

@test ".ci/run: each stage's time, the total, and the stages' summaries added up" {
	mkdir "$BATS_TEST_TMPDIR/bin"
	# a make that builds nothing: one summary per stage, san's with a failure
	cat >"$BATS_TEST_TMPDIR/bin/make" <<-'EOF'
	#!/bin/sh
	case "$*" in *deps*) exit 0 ;; *SAN=1*) echo "2 passed, 1 failed"; exit 1 ;; esac
	echo "3 passed, 0 failed"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/bin/make"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run "$ROOT/.ci/run"
	[ "$status" -eq 1 ]
	[ "$(printf '%s\n' "$output" | grep -E '^=== [a-z]+: [0-9]+ s$' | cut -d: -f1)" = "$(printf '=== %s\n' deps release san race fuzz deb)" ]
	[[ "${lines[-2]}" =~ ^"=== total: "[0-9]+" s ("[0-9]+" min)"$ ]]
	[ "${lines[-1]}" = "14 passed, 1 failed" ]
}

@test "no C function of src/ is longer than a screen (60 lines), and the lint counts brace to brace" {
	run python3 "$ROOT/tests/lint-functions.py" $(find "$ROOT/src" -name '*.c')
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	# f: 60 lines from brace to brace; g: 61, its parameters on two lines;
	# a table at column 0 is not a function
	local c=$BATS_TEST_TMPDIR/t.c
	{
		printf 'static int\nf(void)\n{\n'; for i in $(seq 58); do echo '	x();'; done; echo '}'
		printf 'static int\ng(int a,\n  int b)\n{\n'; for i in $(seq 59); do echo '	x();'; done; echo '}'
		printf 'static const int t[] = {\n'; for i in $(seq 70); do echo '	1,'; done; echo '};'
	} >"$c"
	run python3 "$ROOT/tests/lint-functions.py" "$c"
	[ "$status" -eq 1 ]
	[ "$output" = "$c:66: g is 61 lines: more than a screen (60); split it into named steps" ]
}
