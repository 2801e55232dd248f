#!/bin/sh
# run.sh SECONDS: runs every libFuzzer harness of build/fuzz/fuzzers for
# SECONDS each, on its corpus in build/fuzz/corpus/NAME (kept between runs),
# seeded from the fixtures (tests/fuzz/seeds.sh). Prints, per harness, the
# executions per second and the corpus size; a crash, leak or timeout leaves
# its input in build/fuzz/crashes/NAME and fails the run.
set -u
secs=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/build/fuzz
sh "$root/tests/fuzz/seeds.sh" "$root/build/fixtures" "$out/seeds" || exit 2
failed=0
passed=0
for bin in "$out"/fuzzers/fuzz_*; do
	case $bin in *.d) continue ;; esac
	name=$(basename "$bin")
	corpus=$out/corpus/$name
	crashes=$out/crashes/$name
	mkdir -p "$corpus" "$crashes"
	log=$out/$name.log
	# the harness's own dictionary of seeds, then what it found before
	"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 -max_len=1048576 \
		-print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "$out/seeds/$name" \
		>"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	size=$(ls "$corpus" | wc -l)
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok $name: ${secs} s, $execs runs, $speed/s, corpus $size inputs"
	else
		failed=$((failed + 1))
		echo "not ok $name: exit status $rc after $execs runs; see $log and $crashes"
		grep -m 5 -E 'ERROR|SUMMARY|Test unit written' "$log" | sed 's/^/#   /'
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
