#!/bin/sh
# run.sh BUILD: runs every test suite against BUILD (build/release or
# build/san): the unit tests (cmocka) and the CLI tests (bats), all as TAP,
# then prints the failures, the skips and one line "N passed, N failed".
set -u
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
crashed=0

suite() {	# suite NAME CMD...: runs it, TAP into the log; a crash counts
	name=$1
	shift
	before=$(grep -c '^not ok' "$log")
	"$@" >>"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && [ "$(grep -c '^not ok' "$log")" -eq "$before" ]; then
		echo "not ok - $name exited with status $rc without a failed test" >>"$log"
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
suite bats env FATHOM="$root/$build/fathom" bats --tap "$root/tests/cli"

pass=$(grep -c '^ok' "$log")
fail=$(grep -c '^not ok' "$log")
skip=$(grep -c '^ok .*# skip' "$log")
if [ "$fail" -gt 0 ]; then
	echo "failures:"
	# each failure with the lines bats or cmocka printed after it
	awk '/^not ok/ {p=1} /^ok/ {p=0} p' "$log"
fi
[ "$skip" -gt 0 ] && { echo "skipped:"; grep '^ok .*# skip' "$log"; }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
