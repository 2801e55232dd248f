#!/usr/bin/env bats
# fathom fix and advise --dockerfile: every rewrite on a fixture made for it
# (BuildKit's and the classic builder's histories, their Dockerfiles in
# tests/fixtures/dockerfiles/), the fixed file and the report against
# expected/, JSON spans, what stays advice, the input never written,
# errors; then real images built here by podman and buildah from a Debian
# base, rebuilt by fix --verify: the saving achieved against the
# prediction, the config and the files compared.
load helpers

DF=$ROOT/tests/fixtures/dockerfiles

# fix_in_all_formats FX: `fathom fix` of fix-FX in every format, run in its
# Dockerfile's directory with -o -, prints the fixed Dockerfile of
# expected/fix-FX.Dockerfile on stdout and the report of expected/fix-FX.fix
# on stderr, exit status 0.
fix_in_all_formats() {
	local fx=$1 f st failed=0
	for f in $FORMATS; do
		st=0
		(cd "$DF/fix-$fx" && "$FATHOM" fix "$FIX/fix-$fx.$f" --dockerfile Dockerfile -o -) \
			>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || st=$?
		if [ "$st" -ne 0 ]; then
			echo "fix-$fx.$f: exit status $st: $(cat "$BATS_TEST_TMPDIR/err")"
			failed=1
			continue
		fi
		if ! diff -u "$EXP/fix-$fx.Dockerfile" "$BATS_TEST_TMPDIR/out"; then
			echo "fix-$fx.$f: the fixed Dockerfile differs"
			failed=1
		fi
		if ! diff -u "$EXP/fix-$fx.fix" "$BATS_TEST_TMPDIR/err"; then
			echo "fix-$fx.$f: the report differs"
			failed=1
		fi
	done
	return $failed
}

@test "fix: a later RUN's cleanup moves into the RUN that made the files; what cannot move is advice" {
	fix_in_all_formats move
}

@test "fix: package managers' caches: their flags (pip, apk) and cleanups (apt, npm, go, yarn, dnf, gem); apt's recommendations as advice" {
	fix_in_all_formats cache
}

@test "fix: RUN chmod/chown after a COPY becomes COPY --chmod/--chown (with the syntax line); after a RUN it moves in" {
	fix_in_all_formats chmod
}

@test "fix: build-context files become .dockerignore lines, kept after the context's own" {
	fix_in_all_formats context
	cp -R "$DF/fix-context" "$BATS_TEST_TMPDIR/ctx"
	"$FATHOM" fix "$FIX/fix-context.oci-zstd.tar" --dockerfile "$BATS_TEST_TMPDIR/ctx/Dockerfile" \
		--dockerignore "$BATS_TEST_TMPDIR/ctx/.dockerignore" >"$BATS_TEST_TMPDIR/report"
	diff -u - "$BATS_TEST_TMPDIR/ctx/.dockerignore" <<-'EOF'
	# logs
	*.log
	# fathom fix: build-context files the image does not need
	docs
	.git
	**/.DS_Store
	**/*.swp
	tests
	.github
	node_modules
	EOF
	grep -qx ".dockerignore: 7 lines to add; written to $BATS_TEST_TMPDIR/ctx/.dockerignore" "$BATS_TEST_TMPDIR/report"
	# a second run adds nothing: the lines are there
	"$FATHOM" fix "$FIX/fix-context.oci-zstd.tar" --dockerfile "$BATS_TEST_TMPDIR/ctx/Dockerfile" \
		--format json >"$BATS_TEST_TMPDIR/again.json"
	python3 - "$BATS_TEST_TMPDIR/again.json" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["dockerignore"] == [], d["dockerignore"]
	assert all(i["kind"] == "advice" for i in d["items"]), d["items"]
	assert "in .dockerignore already" in d["items"][0]["what"], d["items"][0]
	EOF
}

@test "fix: a heredoc RUN gets the moved cleanup before its delimiter" {
	fix_in_all_formats heredoc
}

@test "fix --format json: each item's kind, lines and columns, where its command came from, its bytes" {
	(cd "$DF/fix-chmod" && "$FATHOM" fix "$FIX/fix-chmod.oci-gzip.tar" --dockerfile Dockerfile -o - --format json) \
		>/dev/null 2>"$BATS_TEST_TMPDIR/fix.json"
	python3 - "$BATS_TEST_TMPDIR/fix.json" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["dockerfile"] == "Dockerfile" and d["output"] == "-" and d["syntaxLine"] is True, d
	assert d["predictedBytes"] == 8100 and d["advisedBytes"] == 200, d
	k = [(i["kind"], i["edited"], i["bytes"]) for i in d["items"]]
	assert k == [("copy-chmod", True, 5100), ("fold-chmod", True, 3000), ("advice", False, 200)], k
	c = d["items"][0]
	assert c["at"] == {"file": "Dockerfile", "line": 2, "column": 1, "endLine": 2, "endColumn": 14,
	                   "instruction": "COPY app /app"}, c["at"]
	assert c["from"]["line"] == 3 and c["from"]["endColumn"] == 49 and c["fromRemoved"] is True, c
	assert c["pathCount"] == 2 and c["dockerignore"] is None, c
	f = d["items"][1]
	assert f["at"]["instruction"] == "RUN curl -fsSo /usr/local/bin/tool https://example.org/tool", f
	assert f["from"]["instruction"] == "RUN chmod +x /usr/local/bin/tool", f
	a = d["items"][2]
	assert a["at"]["line"] == 7 and "different modes (0600, 0644)" in a["what"], a
	EOF
	# a multi-line instruction's span: lines 4-5, the last column past its last byte
	(cd "$DF/fix-move" && "$FATHOM" fix "$FIX/fix-move.oci-gzip.tar" --dockerfile Dockerfile -o - --format json) \
		>/dev/null 2>"$BATS_TEST_TMPDIR/move.json"
	python3 - "$BATS_TEST_TMPDIR/move.json" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	m = d["items"][0]
	assert m["kind"] == "move-cleanup" and m["bytes"] == 32000 and m["pathCount"] == 2, m
	assert (m["at"]["line"], m["at"]["column"], m["at"]["endLine"], m["at"]["endColumn"]) == (4, 1, 5, 52), m["at"]
	assert m["from"]["line"] == 6 and m["fromRemoved"] is False, m
	EOF
}

@test "advise --dockerfile: each layer named by its line, each finding with its edit" {
	(cd "$DF/fix-move" && "$FATHOM" advise "$FIX/fix-move.oci-zstd.tar" --dockerfile Dockerfile) \
		>"$BATS_TEST_TMPDIR/out"
	diff -u "$EXP/fix-move.advise" "$BATS_TEST_TMPDIR/out"
	(cd "$DF/fix-move" && "$FATHOM" advise "$FIX/fix-move.oci-zstd.tar" --dockerfile Dockerfile --format json) \
		>"$BATS_TEST_TMPDIR/out.json"
	python3 - "$BATS_TEST_TMPDIR/out.json" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["dockerfile"] == "Dockerfile" and d["unmappedLayers"] == 0, d
	dl = d["findings"][0]
	assert dl["id"] == "deleted-later" and [l["index"] for l in dl["layers"]] == [1, 2], dl
	assert dl["layers"][0]["dockerfile"] == {"file": "Dockerfile", "line": 4, "column": 1, "endLine": 5,
	       "endColumn": 52, "instruction": "RUN apt-get update && apt-get install -y --no-install-recommends make"}, dl["layers"][0]
	assert dl["layers"][1]["dockerfile"]["line"] == 6, dl["layers"][1]
	assert [(x["kind"], x["at"]["line"], x["from"]["line"], x["bytes"]) for x in dl["fixes"]] == [("move-cleanup", 4, 6, 32000)], dl["fixes"]
	base = [f for f in d["findings"] if f["id"] == "big-base"][0]
	assert base["layers"][0]["dockerfile"]["instruction"] == "FROM debian:bookworm", base
	assert base["fixes"][0]["edited"] is False and base["fixes"][0]["at"]["line"] == 2, base["fixes"]
	# every finding has at least one fix or advice with its line
	assert all(f["fixes"] and all(x["at"] for x in f["fixes"]) for f in d["findings"]), d["findings"]
	# every history entry, empty ones too: its layer and line (the base's: FROM)
	h = [(e["layer"], e["base"], e["dockerfile"]["line"] if e["dockerfile"] else None) for e in d["history"]]
	assert h == [(0, True, 2), (None, True, 2), (None, False, 3), (1, False, 4), (2, False, 6),
	             (3, False, 9), (4, False, 10), (5, False, 11), (6, False, 12), (7, False, 13),
	             (None, False, 14)], h
	assert d["history"][10]["createdBy"] == 'CMD ["/opt/app/run"]', d["history"][10]
	EOF
	# without --dockerfile, the JSON is what it was: no dockerfile keys
	"$FATHOM" advise "$FIX/fix-move.oci-zstd.tar" --format json >"$BATS_TEST_TMPDIR/plain.json"
	run ! grep -q '"dockerfile"\|"fixes"' "$BATS_TEST_TMPDIR/plain.json"
}

# layers_to_lines FIXTURE: each layer's line in fix-move's Dockerfile ("-": none)
layers_to_lines() {
	(cd "$DF/fix-move" && "$FATHOM" advise "$FIX/$1" --dockerfile Dockerfile --format json --top 0) | python3 -c '
import json, sys
lines = {}
for f in json.load(sys.stdin)["findings"]:
    for l in f["layers"]:
        lines[l["index"]] = l["dockerfile"]["line"] if l["dockerfile"] else "-"
print(" ".join("%d:%s" % (k, lines[k]) for k in sorted(lines)))'
}

@test "advise --dockerfile: BuildKit's and the classic builder's histories map to the same lines; a squashed one maps what it can" {
	# layer 4 (line 10's tar) is in no finding
	[ "$(layers_to_lines fix-move.oci-gzip.tar)" = "0:2 1:4 2:6 3:9 5:11 6:12 7:13" ]
	[ "$(layers_to_lines fix-move-classic.docker-legacy.tar)" = "0:2 1:4 2:6 3:9 5:11 6:12 7:13" ]
	(cd "$DF/fix-move" && "$FATHOM" fix "$FIX/fix-move-classic.docker-legacy.tar" --dockerfile Dockerfile -o -) \
		>"$BATS_TEST_TMPDIR/classic" 2>/dev/null
	diff -u "$EXP/fix-move.Dockerfile" "$BATS_TEST_TMPDIR/classic"
	# squashed above the base: its layer has no line, said on stderr and in each finding
	run --separate-stderr bash -c "cd '$DF/fix-move' && '$FATHOM' advise '$FIX/fix-squashed.oci-gzip.tar' --dockerfile Dockerfile"
	[ "$status" -eq 0 ]
	[ "$stderr" = "fathom: warning: $FIX/fix-squashed.oci-gzip.tar: 1 layer above the base image has no line in Dockerfile (a squashed or rewritten history?)" ]
	grep -qx '   layer 1 wrote them: merged by fathom squash (no line in the Dockerfile)' <<<"$output"
	grep -qx '   layer 2 deleted or overwrote them: Dockerfile:11 RUN rm /tmp/app.tgz' <<<"$output"
	[ "$(layers_to_lines fix-squashed.oci-gzip.tar 2>/dev/null)" = "0:2 1:- 2:11" ]
	(cd "$DF/fix-move" && "$FATHOM" fix "$FIX/fix-squashed.oci-gzip.tar" --dockerfile Dockerfile -o - --format json) \
		>"$BATS_TEST_TMPDIR/sq.out" 2>"$BATS_TEST_TMPDIR/sq.json" || true
	python3 - "$BATS_TEST_TMPDIR/sq.json" <<-'EOF'
	import json, sys
	text = open(sys.argv[1]).read()
	d = json.loads(text[text.index("{"):])
	assert d["unmappedLayers"] == 1 and d["predictedBytes"] == 0, d
	assert any("has no line in this Dockerfile" in i["what"] for i in d["items"]), d["items"]
	EOF
	# the file unchanged: nothing to edit
	diff -u "$DF/fix-move/Dockerfile" "$BATS_TEST_TMPDIR/sq.out"
}

@test "fix: what is not safe to rewrite stays advice: a RUN that uses .git, a stage that runs the tests" {
	mkdir "$BATS_TEST_TMPDIR/ctx"
	sed 's|^RUN npm ci$|RUN npm ci \&\& git rev-parse HEAD > VERSION|' "$DF/fix-context/Dockerfile" \
		>"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	"$FATHOM" fix "$FIX/fix-context.oci-gzip.tar" --dockerfile "$BATS_TEST_TMPDIR/ctx/Dockerfile" -o - --format json \
		2>"$BATS_TEST_TMPDIR/git.json" >/dev/null
	python3 - "$BATS_TEST_TMPDIR/git.json" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert ".git" not in d["dockerignore"] and "tests" in d["dockerignore"], d["dockerignore"]
	a = [i for i in d["items"] if i["kind"] == "advice"]
	assert any(i["what"] == "not edited: .git: the RUN at line 4 may use .git" for i in a), a
	EOF
	# another stage copies the context and runs the tests: tests stay
	{
		printf 'FROM node:20 AS test\nCOPY . /src\nRUN cd /src && npm test\n\n'
		cat "$DF/fix-context/Dockerfile"
	} >"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	"$FATHOM" fix "$FIX/fix-context.oci-gzip.tar" --dockerfile "$BATS_TEST_TMPDIR/ctx/Dockerfile" -o - --format json \
		2>"$BATS_TEST_TMPDIR/stage.json" >"$BATS_TEST_TMPDIR/stage.Dockerfile"
	python3 - "$BATS_TEST_TMPDIR/stage.json" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert "tests" not in d["dockerignore"] and ".git" in d["dockerignore"], d["dockerignore"]
	a = [i["what"] for i in d["items"] if i["kind"] == "advice"]
	assert "not edited: tests: the RUN at line 3 may use tests" in a, a
	# the last stage's lines moved by the four lines before
	assert all(i["at"]["line"] == 7 for i in d["items"] if i["kind"] == "dockerignore"), d["items"]
	EOF
}

@test "fix: never writes over the Dockerfile; -o defaults to PATH.fixed; the file keeps its comments and layout" {
	cp -R "$DF/fix-move" "$BATS_TEST_TMPDIR/ctx"
	cp "$DF/fix-move/Dockerfile" "$BATS_TEST_TMPDIR/original"
	"$FATHOM" fix "$FIX/fix-move.oci-gzip.tar" --dockerfile "$BATS_TEST_TMPDIR/ctx/Dockerfile" >"$BATS_TEST_TMPDIR/report"
	cmp "$BATS_TEST_TMPDIR/original" "$BATS_TEST_TMPDIR/ctx/Dockerfile"
	diff -u "$EXP/fix-move.Dockerfile" "$BATS_TEST_TMPDIR/ctx/Dockerfile.fixed"
	head -n 1 "$BATS_TEST_TMPDIR/report" | grep -qx "1 edit to $BATS_TEST_TMPDIR/ctx/Dockerfile, predicted to save 32 kB (32000 bytes); the fixed Dockerfile is $BATS_TEST_TMPDIR/ctx/Dockerfile.fixed"
	# only the edited lines differ, and comment lines come in
	diff "$BATS_TEST_TMPDIR/original" "$BATS_TEST_TMPDIR/ctx/Dockerfile.fixed" >"$BATS_TEST_TMPDIR/diff" || true
	[ "$(grep -c '^[<>]' "$BATS_TEST_TMPDIR/diff")" -eq 7 ]
	grep -q '^> # fathom fix: `rm -rf /var/lib/apt/lists/\*` moved from line 6 into the RUN at line 4 (saves 32 kB)$' "$BATS_TEST_TMPDIR/diff"
	# -o naming the Dockerfile, or a link to it: refused, nothing written
	run --separate-stderr "$FATHOM" fix "$FIX/fix-move.oci-gzip.tar" --dockerfile "$BATS_TEST_TMPDIR/ctx/Dockerfile" \
		-o "$BATS_TEST_TMPDIR/ctx/Dockerfile"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $BATS_TEST_TMPDIR/ctx/Dockerfile: fathom fix never writes over the Dockerfile: -o names another file" ]
	ln -s Dockerfile "$BATS_TEST_TMPDIR/ctx/link"
	run --separate-stderr "$FATHOM" fix "$FIX/fix-move.oci-gzip.tar" --dockerfile "$BATS_TEST_TMPDIR/ctx/Dockerfile" \
		-o "$BATS_TEST_TMPDIR/ctx/link"
	[ "$status" -eq 2 ]
	cmp "$BATS_TEST_TMPDIR/original" "$BATS_TEST_TMPDIR/ctx/Dockerfile"
}

@test "fix and advise --dockerfile: errors are one line, exit status 2" {
	local img=$FIX/fix-move.oci-gzip.tar
	run --separate-stderr "$FATHOM" fix "$img"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: --dockerfile PATH is needed: the Dockerfile to fix (see 'fathom fix --help')" ]
	run --separate-stderr "$FATHOM" fix "$img" --dockerfile "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $BATS_TEST_TMPDIR/none: No such file or directory" ]
	[ -z "$output" ]
	printf 'FROM a\nRUN <<EOF\necho\n' >"$BATS_TEST_TMPDIR/heredoc"
	run --separate-stderr "$FATHOM" advise "$img" --dockerfile "$BATS_TEST_TMPDIR/heredoc"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $BATS_TEST_TMPDIR/heredoc:3: the heredoc <<EOF of line 2 is not closed" ]
	[ -z "$output" ]
	printf 'FROM a\nRUN x\0y\n' >"$BATS_TEST_TMPDIR/nul"
	run --separate-stderr "$FATHOM" fix "$img" --dockerfile "$BATS_TEST_TMPDIR/nul" -o "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $BATS_TEST_TMPDIR/nul:2: a NUL byte: not a Dockerfile" ]
	[ ! -e "$BATS_TEST_TMPDIR/out" ]
	printf '# nothing\nRUN x\n' >"$BATS_TEST_TMPDIR/nofrom"
	run --separate-stderr "$FATHOM" fix "$img" --dockerfile "$BATS_TEST_TMPDIR/nofrom"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $BATS_TEST_TMPDIR/nofrom: no FROM: not a Dockerfile" ]
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	run --separate-stderr timeout 10 "$FATHOM" advise "$img" --dockerfile "$BATS_TEST_TMPDIR/fifo"
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $BATS_TEST_TMPDIR/fifo: not a regular file" ]
	run --separate-stderr "$FATHOM" fix "$img" --dockerfile "$DF/fix-move/Dockerfile" --engine podman
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: --engine goes with --verify (see 'fathom fix --help')" ]
	run --separate-stderr "$FATHOM" fix "$img" --dockerfile "$DF/fix-move/Dockerfile" -- --network host
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: arguments after -- go with --verify (see 'fathom fix --help')" ]
	run --separate-stderr "$FATHOM" fix "$img" --dockerfile "$DF/fix-move/Dockerfile" --verify --engine kaniko
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: unknown engine 'kaniko' (docker, podman, buildah) (see 'fathom fix --help')" ]
	run --separate-stderr "$FATHOM" advise "$img" --context /tmp
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: --context goes with --dockerfile (see 'fathom advise --help')" ]
	# a Dockerfile that is not the image's: nothing matches, said, no edit
	printf 'FROM alpine\nRUN apk add curl\n' >"$BATS_TEST_TMPDIR/other"
	run --separate-stderr "$FATHOM" fix "$img" --dockerfile "$BATS_TEST_TMPDIR/other" -o -
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/other")" ]
	[ "${stderr%%$'\n'*}" = "fathom: warning: $img: no layer of $img matches a line of $BATS_TEST_TMPDIR/other" ]
}

@test "fix --help, and --verify is fix's own (the source group's is not listed)" {
	run "$FATHOM" fix --help
	[ "$status" -eq 0 ]
	grep -q -- '^  --verify  *build the original and the fixed Dockerfile, then$' <<<"$output"
	[ "$(grep -c -- '^  --verify ' <<<"$output")" -eq 1 ]
	run ! grep -q 'check every blob against its digest' <<<"$output"
	# one --verify to getopt: an abbreviation is fix's, not ambiguous
	run --separate-stderr "$FATHOM" fix "$FIX/fix-move.oci-gzip.tar" --dockerfile "$DF/fix-move/Dockerfile" \
		--verif --engine kaniko
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: unknown engine 'kaniko' (docker, podman, buildah) (see 'fathom fix --help')" ]
	run "$FATHOM" --help
	grep -q '^  fix ' <<<"$output"
	# other commands keep the source group's --verify
	run "$FATHOM" files --help
	grep -q -- '^  --verify  *check every blob against its digest' <<<"$output"
}

# --- real images ------------------------------------------------------------

# The builds: podman on a kept storage (build/fix-podman/DRIVER: the Debian
# base, apt's downloads and the layers stay between runs), each Dockerfile
# built once here; fix --verify then rebuilds the original (from that cache)
# and the fixed one.
setup_file() {
	command -v podman >/dev/null || return 0
	load servers
	local driver=vfs ctx=$BATS_FILE_TMPDIR/wasteful app=$BATS_FILE_TMPDIR/owned
	if srv_podman_overlay_works; then driver=overlay; fi
	mkdir -p "$ROOT/build/fix-podman/$driver"
	srv_podman_setup "$ROOT/build/fix-podman/$driver" "$driver"
	srv_debian_base
	# apt's lists deleted by a later RUN, a chmod after a COPY, .git in the context
	mkdir -p "$ctx/tests"
	printf 'echo hello\n' >"$ctx/run.sh"
	printf 'sh run.sh | grep -q hello\n' >"$ctx/tests/test.sh"
	printf 'x' >"$ctx/.DS_Store"
	git -C "$ctx" init -q .
	git -C "$ctx" add run.sh tests
	git -C "$ctx" -c user.email=t@example.org -c user.name=t commit -qm app
	cat >"$ctx/Dockerfile" <<-'EOF'
	FROM localhost/fathom/bookworm:minbase
	ARG VERSION=1.0
	ENV APP=/app
	# the usual way
	RUN apt-get update && \
	    apt-get install -y --no-install-recommends make
	RUN rm -rf /var/lib/apt/lists/*
	COPY . $APP
	RUN chmod -R 755 /app
	WORKDIR /app
	CMD ["sh", "run.sh"]
	EOF
	# owners changed after a COPY, a mode after a RUN, a file made and deleted
	mkdir -p "$app/app/tests"
	printf 'exec /usr/local/bin/tool\n' >"$app/app/main.sh"
	printf 'x' >"$app/app/.DS_Store"
	printf 'true\n' >"$app/app/tests/t.sh"
	cat >"$app/Dockerfile" <<-'EOF'
	FROM localhost/fathom/bookworm:minbase
	COPY app /srv/app
	RUN chown -R 1000:1000 /srv/app
	RUN seq 1 40000 > /usr/local/bin/tool
	RUN chmod +x /usr/local/bin/tool
	RUN seq 1 60000 > /tmp/blob.bin && cp /tmp/blob.bin /opt/data.bin
	RUN rm /tmp/blob.bin
	USER 1000
	CMD ["sh", "/srv/app/main.sh"]
	EOF
	if ! podman build -q --network host -t localhost/fix/wasteful "$ctx" >"$BATS_FILE_TMPDIR/build.log" 2>&1 ||
	   ! buildah bud -q --layers -t localhost/fix/owned "$app" >>"$BATS_FILE_TMPDIR/build.log" 2>&1; then
		cat "$BATS_FILE_TMPDIR/build.log"
		return 1
	fi
	podman save -q -o "$BATS_FILE_TMPDIR/wasteful.tar" localhost/fix/wasteful
	podman save -q -o "$BATS_FILE_TMPDIR/owned.tar" localhost/fix/owned
	# fix --verify, once each: podman, then buildah
	local start=$SECONDS rc
	rc=0
	"$FATHOM" fix "$BATS_FILE_TMPDIR/wasteful.tar" --dockerfile "$ctx/Dockerfile" --verify --engine podman \
		--format json -- --network host >"$BATS_FILE_TMPDIR/verify.json" 2>"$BATS_FILE_TMPDIR/verify.err" || rc=$?
	echo "$rc" >"$BATS_FILE_TMPDIR/verify.rc"
	rc=0
	"$FATHOM" fix "$BATS_FILE_TMPDIR/wasteful.tar" --dockerfile "$ctx/Dockerfile" --verify --engine podman \
		-o "$BATS_FILE_TMPDIR/wasteful.fixed" -- --network host >"$BATS_FILE_TMPDIR/verify.txt" 2>/dev/null || rc=$?
	echo "$rc" >>"$BATS_FILE_TMPDIR/verify.rc"
	rc=0
	"$FATHOM" fix "$BATS_FILE_TMPDIR/owned.tar" --dockerfile "$app/Dockerfile" --verify --engine buildah \
		--format json >"$BATS_FILE_TMPDIR/owned.json" 2>"$BATS_FILE_TMPDIR/owned.err" || rc=$?
	echo "$rc" >>"$BATS_FILE_TMPDIR/verify.rc"
	echo "fix --verify, three runs: $((SECONDS - start)) s" >"$BATS_FILE_TMPDIR/times"
	podman image prune -f >/dev/null 2>&1 || true
	export SRV_PODMAN
}

teardown_file() {
	command -v podman >/dev/null || return 0
	load servers
	srv_stop_podman
}

real() {
	command -v podman >/dev/null || skip "podman is not installed"
	[ -s "$BATS_FILE_TMPDIR/wasteful.tar" ] || skip "the real images were not built"
}

@test "a real podman build: advise --dockerfile names every layer's line (buildah's history form)" {
	real
	"$FATHOM" advise "$BATS_FILE_TMPDIR/wasteful.tar" --dockerfile "$BATS_FILE_TMPDIR/wasteful/Dockerfile" \
		--format json --top 0 >"$BATS_TEST_TMPDIR/advice.json"
	"$FATHOM" advise "$BATS_FILE_TMPDIR/wasteful.tar" --dockerfile "$BATS_FILE_TMPDIR/wasteful/Dockerfile" \
		>"$BATS_TEST_TMPDIR/advice.txt"
	python3 - "$BATS_TEST_TMPDIR/advice.json" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["unmappedLayers"] == 0, d
	lines = {}
	for f in d["findings"]:
	    for l in f["layers"]:
	        lines[l["index"]] = l["dockerfile"]["line"]
	# layer 0 the base (FROM), 1 the apt RUN, 2 the rm, 3 the COPY, 4 the chmod
	assert lines == {0: 1, 1: 5, 2: 7, 3: 8, 4: 9}, lines
	by = {(f["id"], tuple(l["index"] for l in f["layers"])): f for f in d["findings"]}
	dl = by[("deleted-later", (1, 2))]
	assert [(x["kind"], x["at"]["line"], x["from"]["line"]) for x in dl["fixes"]] == [("move-cleanup", 5, 7)], dl["fixes"]
	md = by[("metadata-only-copy", (3, 4))]
	assert md["fixes"][0]["kind"] == "copy-chmod" and md["fixes"][0]["what"].startswith("COPY --chmod=755 at line 8"), md["fixes"]
	# the files the chmod rewrote unchanged (git's hooks, already 0755): the same edit
	same = by[("deleted-later", (3, 4))]
	assert [x["kind"] for x in same["fixes"]][:1] == ["copy-chmod"], same["fixes"]
	# every finding says its edit or its advice, at a line
	assert all(f["fixes"] and all(x["at"] for x in f["fixes"]) for f in d["findings"]), d["findings"]
	EOF
	grep -q '^   fix .*/Dockerfile:5: `rm -rf /var/lib/apt/lists/\*` moved from line 7 into the RUN at line 5 (' "$BATS_TEST_TMPDIR/advice.txt"
	grep -q '^   layer 2 deleted or overwrote them: .*/Dockerfile:7 RUN rm -rf /var/lib/apt/lists/\*$' "$BATS_TEST_TMPDIR/advice.txt"
}

@test "a real podman build: fix --verify achieves at least 90% of the predicted saving, config and other files the same" {
	real
	cat "$BATS_FILE_TMPDIR/times" >&3 || true
	[ "$(sed -n 1p "$BATS_FILE_TMPDIR/verify.rc")" -eq 0 ] || { cat "$BATS_FILE_TMPDIR/verify.err"; false; }
	python3 - "$BATS_FILE_TMPDIR/verify.json" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	v = d["verify"]
	kinds = sorted(i["kind"] for i in d["items"] if i["edited"])
	assert kinds == ["cache-clean", "copy-chmod", "dockerignore", "dockerignore", "dockerignore", "move-cleanup"], kinds
	assert set(d["dockerignore"]) == {".git", "tests", "**/.DS_Store"}, d["dockerignore"]
	assert v["engine"] == "podman" and v["verified"] is True, v
	assert v["configDiffers"] == [] and v["otherChanges"] == [], v
	assert v["savedBytes"] >= 0.9 * v["predictedBytes"] > 50_000_000, v
	assert v["achievedBytes"] >= 0.9 * v["predictedBytes"], v
	for i in d["items"]:
	    if i["edited"]:
	        assert i["achievedBytes"] >= 0.9 * i["bytes"], i
	assert v["removedPaths"] > 100 and v["removedBytes"] > 0, v
	EOF
	# the text form: per edit, the totals, the verdict
	[ "$(sed -n 2p "$BATS_FILE_TMPDIR/verify.rc")" -eq 0 ]
	grep -q '^Built with podman: the original .* the fixed ' "$BATS_FILE_TMPDIR/verify.txt"
	grep -q '^  1\. cache-clean .*/Dockerfile:5 ' "$BATS_FILE_TMPDIR/verify.txt"
	grep -qx 'Config: the same (Entrypoint, Cmd, Env, User, WorkingDir, ExposedPorts, Volumes, Labels)' "$BATS_FILE_TMPDIR/verify.txt"
	grep -q '^Files: the same but for what the edits removed' "$BATS_FILE_TMPDIR/verify.txt"
	grep -q '^Verified: the fixed image is .* smaller and otherwise the same.$' "$BATS_FILE_TMPDIR/verify.txt"
	# the fixed Dockerfile: the original's lines but for the edits
	# (the .dockerignore lines' comments, in the order of their findings, aside)
	diff -u "$BATS_FILE_TMPDIR/wasteful/Dockerfile" "$BATS_FILE_TMPDIR/wasteful.fixed" |
		sed -n '/^@@/,$p' | sed 's/(saves [^)]*)/(saves N)/' >"$BATS_TEST_TMPDIR/diff.all"
	grep -v 'added to .dockerignore' "$BATS_TEST_TMPDIR/diff.all" >"$BATS_TEST_TMPDIR/diff"
	[ "$(grep 'added to .dockerignore' "$BATS_TEST_TMPDIR/diff.all" | sort)" = '+# fathom fix: `**/.DS_Store` added to .dockerignore (the COPY at line 8) (saves N)
+# fathom fix: `.git` added to .dockerignore (the COPY at line 8) (saves N)
+# fathom fix: `tests` added to .dockerignore (the COPY at line 8) (saves N)' ]
	diff -u - "$BATS_TEST_TMPDIR/diff" <<-'EOF'
	@@ -1,11 +1,20 @@
	+# syntax=docker/dockerfile:1
	 FROM localhost/fathom/bookworm:minbase
	 ARG VERSION=1.0
	 ENV APP=/app
	 # the usual way
	+# fathom fix: `apt-get clean` added at the end of the RUN at line 5 (saves N)
	+# fathom fix: `rm -rf /var/lib/apt/lists/*` moved from line 7 into the RUN at line 5 (saves N)
	 RUN apt-get update && \
	-    apt-get install -y --no-install-recommends make
	-RUN rm -rf /var/lib/apt/lists/*
	-COPY . $APP
	-RUN chmod -R 755 /app
	+    apt-get install -y --no-install-recommends make && \
	+    apt-get clean && \
	+    rm -rf /var/lib/apt/lists/*
	+# fathom fix: `rm -rf /var/lib/apt/lists/*` moved from line 7 into the RUN at line 5; nothing else was in the RUN of line 7: it went
	+# fathom fix: COPY --chmod=755 at line 8 instead of `chmod -R 755 /app` at line 9 (saves N)
	+COPY --chmod=755 . $APP
	+# fathom fix: COPY --chmod=755 at line 8 instead of `chmod -R 755 /app` at line 9; nothing else was in the RUN of line 9: it went
	 WORKDIR /app
	 CMD ["sh", "run.sh"]
	EOF
}

@test "a real buildah build: COPY --chown, a chmod moved, a file made and deleted; fix --verify with buildah" {
	real
	[ "$(sed -n 3p "$BATS_FILE_TMPDIR/verify.rc")" -eq 0 ] || { cat "$BATS_FILE_TMPDIR/owned.err"; false; }
	python3 - "$BATS_FILE_TMPDIR/owned.json" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	k = sorted((i["kind"], i["at"]["line"]) for i in d["items"] if i["edited"])
	assert k == [("copy-chmod", 2), ("dockerignore", 2), ("dockerignore", 2), ("fold-chmod", 4), ("move-cleanup", 6)], k
	e = {(i["kind"], i["at"]["line"]): i for i in d["items"] if i["edited"]}
	assert e[("copy-chmod", 2)]["what"].startswith("COPY --chown=1000:1000 at line 2 instead of `chown -R 1000:1000 /srv/app`"), e
	assert e[("move-cleanup", 6)]["what"] == "`rm /tmp/blob.bin` moved from line 7 into the RUN at line 6", e
	assert set(d["dockerignore"]) == {"app/tests", "**/.DS_Store"}, d["dockerignore"]
	assert d["syntaxLine"] is False, d   # --chown needs no BuildKit frontend
	v = d["verify"]
	assert v["engine"] == "buildah" and v["verified"] is True and v["otherChanges"] == [] and v["configDiffers"] == [], v
	assert v["savedBytes"] >= 0.9 * v["predictedBytes"] > 500_000, v
	for i in d["items"]:
	    if i["edited"]:
	        assert i["achievedBytes"] >= 0.9 * i["bytes"], i
	EOF
}

@test "fix --verify: images that differ in more than the edits removed: exit 1, the paths named" {
	real
	load servers
	srv_podman_env
	# a RUN whose output differs at each run, rebuilt after the edit
	mkdir "$BATS_TEST_TMPDIR/ctx"
	cat >"$BATS_TEST_TMPDIR/ctx/Dockerfile" <<-'EOF'
	FROM localhost/fathom/bookworm:minbase
	RUN head -c 100000 /dev/urandom > /tmp/scratch
	RUN rm /tmp/scratch
	RUN head -c 16 /dev/urandom > /etc/build-token
	EOF
	buildah bud -q --layers -t localhost/fix/token "$BATS_TEST_TMPDIR/ctx" >/dev/null 2>&1
	podman save -q -o "$BATS_TEST_TMPDIR/token.tar" localhost/fix/token
	run --separate-stderr "$FATHOM" fix "$BATS_TEST_TMPDIR/token.tar" --dockerfile "$BATS_TEST_TMPDIR/ctx/Dockerfile" \
		--verify --engine buildah -o "$BATS_TEST_TMPDIR/fixed"
	[ "$status" -eq 1 ]
	grep -qx 'Files: 1 other difference besides what the edits removed (0 paths, 0 B)' <<<"$output"
	grep -qx '  M /etc/build-token content' <<<"$output"
	grep -qx 'Not verified: the fixed image differs in more than what the edits removed.' <<<"$output"
	podman rmi -f localhost/fix/token >/dev/null 2>&1 || true
}
