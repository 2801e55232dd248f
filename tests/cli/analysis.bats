#!/usr/bin/env bats
# The analysis and the CI gate: dive's numbers on dive's own test image,
# fathom's reclaimable bytes, .dive-ci rules, exit statuses, formats, export.
load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"	# no .dive-ci around unless a test writes one
	IMG=$SHARED/test-docker-image.tar
	[ -f "$IMG" ] || skip "no shared images at $SHARED"
}

@test "dive's numbers on test-docker-image.tar, to the last digit, in the CI text report" {
	run "$FATHOM" --ci "$IMG"
	[ "$status" -eq 1 ]
	diff -u "$EXP/docker-image.ci" <(printf '%s\n' "$output")
	[[ "$output" == *"wastedBytes:       32025 bytes (32 kB)"* ]]
	[[ "$output" == *"FAIL  highestUserWastedPercent (0.4834911001404049 > 0.1: "* ]]
	[[ "$output" == *"PASS  lowestEfficiency (0.9844212134184309 >= 0.9)"* ]]
}

@test "--json writes dive's export exactly as dive wrote it, plus a fathom key" {
	run "$FATHOM" --json out.json "$IMG"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	python3 - "$SHARED/test-docker-image.dive-export.json" out.json <<'PY'
import json, sys
dive = json.load(open(sys.argv[1]))
ours = json.load(open(sys.argv[2]))
assert ours["layer"] == dive["layer"], "layers differ"
assert ours["image"] == dive["image"], (ours["image"], dive["image"])
f = ours["fathom"]
assert f["efficiency"] == 0.9844212134184309
assert f["wastedBytes"] == 32025 and f["sizeBytes"] == 1220598
assert f["userWastedPercent"] == 0.4834911001404049
assert f["reclaimableBytes"] == f["sizeBytes"] - f["finalSizeBytes"] == 32025
assert sum(p["sizeBytes"] for p in f["hidden"]) == f["reclaimableBytes"]
assert [(p["file"], [(w["layer"], w["hiddenBy"]) for w in p["writes"]]) for p in f["hidden"]] == [
    ("/root/example/somefile1.txt", [(3, 4), (4, 9)]),
    ("/root/example/somefile2.txt", [(5, 9)]),
    ("/root/example/somefile3.txt", [(6, 7)]),
    ("/root/saved.txt", [(7, 13)])]
assert "rules" not in f
PY
	grep -q '"efficiencyScore": 0.9844212134184309,' out.json
	[ "$(ls)" = out.json ]		# no temporary file left behind
}

@test "test-kaniko-image.tar is analysed; its figures add up" {
	run "$FATHOM" --ci --ci-format json --lowestEfficiency 0 --highestUserWastedPercent disabled "$SHARED/test-kaniko-image.tar"
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
f = json.loads(sys.argv[1])
assert f["result"] == "PASS"
assert 0 < f["efficiency"] < 1 and f["wastedBytes"] > 0
assert f["reclaimableBytes"] == f["sizeBytes"] - f["finalSizeBytes"]
assert sum(p["sizeBytes"] for p in f["hidden"]) == f["reclaimableBytes"]
' "$output"
}

@test "CI=true is CI mode; without it and without --json, the report has no evaluation" {
	CI=true run "$FATHOM" "$IMG"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Evaluation:"* ]]
	CI= run "$FATHOM" "$IMG"
	[ "$status" -eq 0 ]
	[[ "$output" != *"Evaluation:"* ]]
	[[ "$output" == *"Inefficient Files:"* ]]
}

@test ".dive-ci: ratios and sizes in every form; all pass, exit status 0" {
	printf 'rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.5\n' >.dive-ci
	run "$FATHOM" --ci "$IMG"
	[ "$status" -eq 0 ]
	[[ "$output" == *"rules from .dive-ci"* ]]
	[[ "$output" == *"PASS  highestWastedBytes (32025 <= 20000000)"* ]]
	[ "${lines[${#lines[@]}-1]}" = "PASS [pass:4 skip:3]" ]
	for size in 20Mb 1.5GiB "32025" "32.025 kB" "1,000,000"; do
		printf 'rules:\n  highestWastedBytes: "%s"\n  highestUserWastedPercent: disabled\n' "$size" >.dive-ci
		run "$FATHOM" --ci "$IMG"
		[ "$status" -eq 0 ] || { echo "$size: $output"; false; }
	done
	printf 'rules:\n  highestWastedBytes: 32024\n  highestUserWastedPercent: off\n  lowestEfficiency: disabled\n' >.dive-ci
	run "$FATHOM" --ci "$IMG"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL  highestWastedBytes (32025 > 32024: too many bytes wasted)"* ]]
	[ "${lines[${#lines[@]}-1]}" = "FAIL [pass:1 fail:1 skip:5]" ]
}

@test ".fathom-ci wins over .dive-ci; --ci-config names any file; the command line wins over both" {
	printf 'rules:\n  highestUserWastedPercent: 0.5\n' >.dive-ci
	printf 'rules:\n  highestUserWastedPercent: 0.4\n' >.fathom-ci
	run "$FATHOM" --ci "$IMG"
	[ "$status" -eq 1 ]
	[[ "$output" == *"rules from .fathom-ci"* ]]
	mkdir conf
	printf 'rules:\n  highestUserWastedPercent: 0.6\n' >conf/rules.yaml
	run "$FATHOM" --ci --ci-config conf/rules.yaml "$IMG"
	[ "$status" -eq 0 ]
	run "$FATHOM" --ci --ci-config conf/rules.yaml --highestUserWastedPercent 0.2 "$IMG"
	[ "$status" -eq 1 ]
	run "$FATHOM" --ci --lowestEfficiency 0.99 --highestWastedBytes 20MB --highestUserWastedPercent 0.5 "$IMG"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL  lowestEfficiency (0.9844212134184309 < 0.99: image efficiency is too low)"* ]]
}

@test "unknown and legacy keys are warnings, not errors" {
	printf 'rules:\n  lowestEfficiency: 0.5\n  highestUserWastedPercent: disabled\n  someLegacyKey: 3\nplugins:\n  x: 1\n' >.dive-ci
	run --separate-stderr "$FATHOM" --ci "$IMG"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"fathom: warning: .dive-ci:4: rules.someLegacyKey: not a rule fathom knows; ignored"* ]]
	[[ "$stderr" == *"fathom: warning: .dive-ci:5: plugins: not a setting fathom knows; ignored"* ]]
}

@test "bad configuration: one line naming the file, line and key; exit status 2" {
	printf 'rules:\n  lowestEfficiency: 0.9\n  highestWastedBytes: 20XB\n' >.dive-ci
	run --separate-stderr "$FATHOM" --ci "$IMG"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "fathom: .dive-ci:3: rules.highestWastedBytes: '20XB': unknown size unit (use B, kB, MB, GB, TB, KiB, MiB, GiB, TiB)" ]
	printf 'rules:\n  lowestEfficiency: lots\n' >.dive-ci
	run --separate-stderr "$FATHOM" --ci "$IMG"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: .dive-ci:2: rules.lowestEfficiency: 'lots': not a number (a ratio between 0 and 1, like 0.95)" ]
	printf 'rules:\n  lowestEfficiency: 1.5\n' >.dive-ci
	run --separate-stderr "$FATHOM" --ci "$IMG"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: .dive-ci:2: rules.lowestEfficiency: '1.5': outside the allowed range 0 to 1" ]
	printf 'rules:\n  lowestEfficiency: [0.9\n' >.dive-ci
	run --separate-stderr "$FATHOM" --ci "$IMG"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: .dive-ci:3: not valid YAML: "* ]]
	printf -- '- a\n- b\n' >.dive-ci
	run --separate-stderr "$FATHOM" --ci "$IMG"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: .dive-ci:1: not a mapping (expected 'rules:')" ]
	rm .dive-ci
	run --separate-stderr "$FATHOM" --ci --ci-config missing.yaml "$IMG"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: missing.yaml: No such file or directory" ]
	run --separate-stderr "$FATHOM" --ci --highestWastedBytes lots "$IMG"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: --highestWastedBytes 'lots': not a size"* ]]
}

@test "an empty .dive-ci means the defaults" {
	: >.dive-ci
	run "$FATHOM" --ci "$IMG"
	[ "$status" -eq 1 ]
	[ "${lines[${#lines[@]}-1]}" = "FAIL [pass:2 fail:1 skip:4]" ]
}

@test "--ci-format junit, json and markdown" {
	run "$FATHOM" --ci --ci-format junit "$IMG"
	[ "$status" -eq 1 ]
	python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.argv[1])
assert root.get("failures") == "1" and root.get("skipped") == "4", root.attrib
cases = {c.get("name"): c for c in root.iter("testcase")}
assert cases["highestUserWastedPercent"].find("failure") is not None
assert cases["lowestEfficiency"].find("failure") is None
assert cases["highestWastedBytes"].find("skipped") is not None
' "$output"
	run "$FATHOM" --ci --ci-format json "$IMG"
	[ "$status" -eq 1 ]
	python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["result"] == "FAIL" and r["wastedBytes"] == 32025
rules = {x["name"]: x for x in r["rules"]}
assert rules["highestUserWastedPercent"]["value"] == 0.4834911001404049
assert rules["highestUserWastedPercent"]["threshold"] == 0.1
assert rules["lowestEfficiency"]["status"] == "PASS"
assert rules["lowestEfficiency"]["origin"] == "default"
' "$output"
	run "$FATHOM" --ci --ci-format markdown "$IMG"
	[ "$status" -eq 1 ]
	[[ "$output" == *"| highestUserWastedPercent | FAIL | 0.4834911001404049 | 0.1 |"* ]]
	[[ "$output" == *"**FAIL** [pass:2 fail:1 skip:4]"* ]]
	run --separate-stderr "$FATHOM" --ci --ci-format yaml "$IMG"
	[ "$status" -eq 2 ]
}

@test "--ci-format dive: dive 0.13.1's CI text, byte for byte, on its own image" {
	# dive ran as `dive --ci ../shared/images/test-docker-image.tar`
	mkdir -p proj shared
	ln -s "$(cd "$SHARED" && pwd)" shared/images
	cd proj
	run --separate-stderr "$FATHOM" --ci --ci-format dive ../shared/images/test-docker-image.tar
	[ "$status" -eq 1 ]
	[ -z "$stderr" ]
	diff -u "$EXP/docker-image.dive-ci" <(printf '%s\n\n' "$output")
	# the same bytes, not only the same lines: dive ends with an empty line
	"$FATHOM" --ci --ci-format dive ../shared/images/test-docker-image.tar | cmp - "$EXP/docker-image.dive-ci"
	# CI=true with the format from the command line, as dive's users call it
	CI=true "$FATHOM" --ci-format dive ../shared/images/test-docker-image.tar | cmp - "$EXP/docker-image.dive-ci"
}

@test "--ci-format dive: dive's messages and counts; fathom's rules only when set, failing or warning" {
	# a config file is named; dive's three rules fail in dive's words, Go's numbers
	printf 'rules:\n  lowestEfficiency: 0.99\n  highestWastedBytes: 20kB\n  highestUserWastedPercent: 0.00001\n' >.dive-ci
	run --separate-stderr "$FATHOM" --ci --ci-format dive "$IMG"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "  Using CI config: .dive-ci" ]
	[ "${lines[1]}" = "Image Source: docker-archive://$IMG" ]
	[[ "$output" == *"Results:
  FAIL: highestUserWastedPercent: too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.4834911001404049 > threshold=1e-05)
  FAIL: highestWastedBytes: too many bytes wasted (wasted-bytes=32025 > threshold=20000)
  FAIL: lowestEfficiency: image efficiency is too low (efficiency=0.9844212134184309 < threshold=0.99)
Result:FAIL [Total:3] [Passed:0] [Failed:3] [Warn:0] [Skipped:0]" ]]
	rm .dive-ci
	# fathom's rules: absent by default, shown in dive's form when set
	run --separate-stderr "$FATHOM" --ci --ci-format dive --highestUserWastedPercent disabled \
		--highestReclaimableBytes 32kB --highestReclaimablePercent 0.03 "$IMG"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Results:
  FAIL: highestReclaimableBytes: too many bytes that squashing would reclaim (reclaimable-bytes=32025 > threshold=32000)
  PASS: highestReclaimablePercent
  SKIP: highestUserWastedPercent: rule disabled
  SKIP: highestWastedBytes: rule disabled
  PASS: lowestEfficiency
Result:FAIL [Total:5] [Passed:2] [Failed:1] [Warn:0] [Skipped:2]" ]]
	[[ "$output" != *"highestAdviceSavings"* && "$output" != *"onbuild"* ]]
	# an ONBUILD warning shows (with its count) and passes; no inefficient files is dive's None
	run --separate-stderr "$FATHOM" --ci --ci-format dive "$FIX/advice-onbuild.oci-gzip.tar"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Inefficient Files:
Count  Wasted Space  File Path
None
Results:"* ]]
	[[ "$output" == *"  WARN: onbuild: ONBUILD triggers run in the build of every image FROM this one (onbuild-triggers=3)
Result:PASS [Total:4] [Passed:2] [Failed:0] [Warn:1] [Skipped:1]" ]]
	# the source as dive names it: the kind detected, or the scheme given
	run --separate-stderr "$FATHOM" --ci --ci-format dive "oci://$FIX/basic.oci-dir"
	[ "${lines[1]}" = "Image Source: oci://$FIX/basic.oci-dir" ]
	[ "${lines[2]}" = "Extracting image from oci... (this can take a while for large images)" ]
	[ "${lines[3]}" = "Analyzing image..." ]
	run --separate-stderr "$FATHOM" --ci --ci-format dive "$FIX/basic.oci-zstd.tar"
	[ "${lines[1]}" = "Image Source: oci-archive://$FIX/basic.oci-zstd.tar" ]
	# without CI mode, the format does not apply: fathom's analysis
	run --separate-stderr "$FATHOM" --ci-format dive "$IMG"
	[ "$status" -eq 0 ] && [ "${lines[0]}" = "Analysis:" ]
}

@test "fathom's rules: highestReclaimableBytes and highestReclaimablePercent" {
	run "$FATHOM" --ci --highestUserWastedPercent disabled --highestReclaimableBytes 32kB "$IMG"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL  highestReclaimableBytes (32025 > 32000: too many bytes that squashing would reclaim)"* ]]
	run "$FATHOM" --ci --highestUserWastedPercent disabled --highestReclaimablePercent 0.03 "$IMG"
	[ "$status" -eq 0 ]
	[[ "$output" == *"PASS  highestReclaimablePercent (0.026237139500474356 <= 0.03)"* ]]
}

@test "--base-layers and --top" {
	run "$FATHOM" --ci --base-layers 12 "$IMG"
	[[ "$output" == *"userWastedPercent: 250.0000 %"* ]]	# 32025 / (6405 + 6405)
	[[ "$output" == *"userReclaimable:   0 bytes (0 B), above the first 12 layers"* ]]
	run "$FATHOM" --ci --base-layers 5 "$IMG"
	[[ "$output" == *"userWastedPercent: 68.1064 %"* ]]	# 32025 / 47022
	# the writes of layers 5, 6 and 7 (somefile2, somefile3, saved.txt)
	[[ "$output" == *"userReclaimable:   19215 bytes (19 kB), above the first 5 layers"* ]]
	run "$FATHOM" --top 1 "$IMG"
	[[ "$output" == *"  ... and 2 more (--top)"* ]]
	[[ "$output" == *"  ... and 3 more (--top)"* ]]
}

@test "--json: - is stdout; a failure leaves no file behind" {
	run "$FATHOM" --json - "$IMG"
	[ "$status" -eq 0 ]
	python3 -c 'import json,sys; assert json.loads(sys.argv[1])["image"]["inefficientBytes"] == 32025' "$output"
	run --separate-stderr "$FATHOM" --json nodir/out.json "$IMG"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: cannot write nodir/out.json: "* ]]
	[ ! -e nodir ]
	run --separate-stderr "$FATHOM" --json out.json "$SHARED/nothing.tar"
	[ "$status" -eq 2 ]
	[ -z "$(ls -d out.json* 2>/dev/null)" ]	# neither the file nor a temporary one
}

@test "colour only on a terminal, and not with NO_COLOR" {
	command -v script >/dev/null || skip "no script(1)"
	script -qec "'$FATHOM' --ci '$IMG'" /dev/null >tty.out || true
	grep -q $'\033\\[1;31mFAIL' tty.out
	NO_COLOR=1 script -qec "'$FATHOM' --ci '$IMG'" /dev/null >tty.out || true
	run -1 grep -q $'\033' tty.out
	run "$FATHOM" --ci "$IMG"
	[[ "$output" != *$'\033'* ]]
}

@test "every format gives the same analysis of a fixture" {
	for f in $FORMATS; do
		"$FATHOM" --json - "$FIX/basic.$f" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(json.dumps([d["image"], d["fathom"], [l["fileList"] for l in d["layer"]]], sort_keys=True))
' >"$f.json"
		cmp "$f.json" docker-legacy.tar.json
	done
}
