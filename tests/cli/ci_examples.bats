#!/usr/bin/env bats
# The examples of docs/ci.md run as written: the .dive-ci, and the shell of
# the GitHub Actions step and of the GitLab CI job, taken from the page and
# run under `bash -e` as the runners run them (docker and the image stubbed),
# on an image that passes the rules, one that fails them and one that cannot
# be read: the step's exit status is fathom's, and the reports it keeps
# (JUnit, HTML, the Markdown summary) are written in every case.
load helpers

# example KIND: docs/ci.md's example for KIND (github or gitlab) into the
# current directory: the shell as step.sh, the files its artifacts keep as
# artifacts (one a line), and the page's .dive-ci
example() {
	python3 - "$ROOT/docs/ci.md" "$1" <<-'PY'
	import re, sys, yaml
	page, kind = open(sys.argv[1]).read(), sys.argv[2]
	texts = re.findall(r"^```yaml\n(.*?)^```", page, re.S | re.M)
	blocks = [yaml.safe_load(t) for t in texts]
	[rules] = [t for t, b in zip(texts, blocks) if "rules" in b]
	if kind == "github":
	    [steps] = [b["jobs"]["image"]["steps"] for b in blocks if "jobs" in b]
	    [shell] = [s["run"] for s in steps if s.get("name") == "Check the image"]
	    shell = shell.replace("${{ github.sha }}", "0123abc")
	    [keep] = [s["with"]["path"].split() for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
	else:
	    [job] = [b["image-check"] for b in blocks if "image-check" in b]
	    shell = "\n".join(job["script"]) + "\n"
	    keep = [job["artifacts"]["reports"]["junit"]] + job["artifacts"]["paths"]
	open("step.sh", "w").write(shell)
	open("artifacts", "w").write("\n".join(keep) + "\n")
	open(".dive-ci", "w").write(rules)
	PY
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	mkdir bin
	ln -s "$FATHOM" bin/fathom
	# `docker save app:SHA -o FILE` writes the image the test chose
	cat >bin/docker <<-'EOF'
	#!/bin/sh
	[ "$1 $2 $3" = "save app:0123abc -o" ] && cp "$APP_TAR" "$4"
	EOF
	chmod +x bin/docker
	printf 'not an image\n' >broken.tar
}

# step SHELL IMAGE: the example's shell run by SHELL (with options) in a
# clean directory, as the runner does: CI=true, docker and fathom on PATH
step() {
	local sh=$1 img=$2
	rm -rf out
	mkdir out
	cp step.sh .dive-ci out/
	cd out
	[ "$img" = broken ] && img=$BATS_TEST_TMPDIR/broken.tar || img=$FIX/$img
	cp "$img" app.tar	# GitLab: the image saved by an earlier job
	APP_TAR=$img CI=true GITHUB_STEP_SUMMARY=$PWD/summary.md PATH=$BATS_TEST_TMPDIR/bin:$PATH \
		run --separate-stderr $sh step.sh
	cd ..
}

# kept STATUS: every file the artifacts keep is there (and the JUnit file is
# JUnit, with STATUS's failures: none for 0, some for 1)
kept() {
	local f
	while read -r f; do
		[ -s "out/$f" ] || { echo "$f not written"; return 1; }
	done <artifacts
	python3 - "$1" out/fathom.xml <<-'PY'
	import sys, xml.etree.ElementTree as ET
	root = ET.parse(sys.argv[2]).getroot()
	assert root.tag == "testsuites", root.tag
	assert (int(root.get("failures")) > 0) == (sys.argv[1] == "1"), root.attrib
	PY
}

@test "docs/ci.md, GitHub Actions: the step's status is fathom's; JUnit, HTML and the job summary written" {
	example github
	for sh in "bash -e" "bash --noprofile --norc -eo pipefail"; do
		step "$sh" basic.docker-oci.tar
		[ "$status" -eq 0 ] && [ -z "$stderr" ] || { echo "$sh, passing: $status $stderr"; return 1; }
		kept 0
		grep -q '^\*\*PASS\*\* ' out/summary.md
		step "$sh" dup.docker-oci.tar
		[ "$status" -eq 1 ] && [ -z "$stderr" ] || { echo "$sh, failing: $status $stderr"; return 1; }
		kept 1
		grep -q '^\*\*FAIL\*\* ' out/summary.md || { echo "$sh, failing: no job summary"; return 1; }
		step "$sh" broken
		[ "$status" -eq 2 ] || { echo "$sh, unreadable: $status $stderr"; return 1; }
	done
}

@test "docs/ci.md, GitLab CI: the job's status is fathom's; JUnit and HTML written" {
	example gitlab
	step "bash -eo pipefail" basic.docker-oci.tar
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	kept 0
	step "bash -eo pipefail" dup.docker-oci.tar
	[ "$status" -eq 1 ]
	[ -z "$stderr" ]
	kept 1
	step "bash -eo pipefail" broken
	[ "$status" -eq 2 ]
}
