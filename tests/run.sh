#!/bin/sh
# run.sh BUILD [SUITE...]: runs every test suite against BUILD (build/release
# or build/san): the unit tests (cmocka) and the CLI tests (bats, one suite
# per file), all as TAP. Each line shows as it comes, named by its suite
# ("registry.bats: ok 3 ... in 812ms"); at the end, the failures, the skips
# and one line "N passed, N failed". SUITEs (test_stack, registry.bats,
# tests/cli/registry.bats...) run only those.
set -u
build=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp)
rcfile=$(mktemp)
trap 'rm -f "$log" "$rcfile"' EXIT

selected=$*
ran=" "
wanted() {	# wanted NAME: no SUITE given, or NAME is one
	[ -z "$selected" ] && return 0
	for s in $selected; do
		[ "${s##*/}" = "$1" ] && return 0
	done
	return 1
}

suite() {	# suite NAME CMD...: runs it, TAP into the log and on stdout; a crash counts
	name=$1
	shift
	wanted "$name" || return 0
	ran="$ran$name "
	before=$(grep -c '^[^ ]*: not ok' "$log")
	{ "$@" 2>&1; echo $? >"$rcfile"; } | sed -u "s|^|$name: |" | tee -a "$log"
	rc=$(cat "$rcfile")
	if [ "$rc" -ne 0 ] && [ "$(grep -c '^[^ ]*: not ok' "$log")" -eq "$before" ]; then
		echo "$name: not ok - exited with status $rc without a failed test" | tee -a "$log"
	fi
}

for t in "$root/$build"/tests/test_*; do
	case $t in *.d) continue ;; esac
	suite "$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
done
# every input a fuzzer crashed on, through its harness (tests/fuzz/)
for t in "$root/$build"/tests/replay_fuzz_*; do
	case $t in *.d) continue ;; esac
	h=${t##*/replay_}
	[ -d "$root/tests/fuzz/regressions/$h" ] || continue
	suite "$(basename "$t")" "$t" "$root/tests/fuzz/regressions/$h"/*
done
for t in "$root"/tests/cli/*.bats; do
	suite "$(basename "$t")" env FATHOM="$root/$build/fathom" bats --tap --timing "$t"
done
for s in $selected; do
	case $ran in *" ${s##*/} "*) ;; *) echo "$s: not ok - no such suite" | tee -a "$log" ;; esac
done

pass=$(grep -c '^[^ ]*: ok' "$log")
fail=$(grep -c '^[^ ]*: not ok' "$log")
skip=$(grep -c '^[^ ]*: ok .*# skip' "$log")
if [ "$fail" -gt 0 ]; then
	echo "failures:"
	# each failure with the lines bats or cmocka printed after it
	awk '/^[^ ]*: not ok/ {p=1} /^[^ ]*: (ok|[0-9]+\.\.)/ {p=0} p' "$log"
fi
[ "$skip" -gt 0 ] && { echo "skipped:"; grep '^[^ ]*: ok .*# skip' "$log"; }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
