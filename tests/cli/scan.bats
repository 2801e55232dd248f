#!/usr/bin/env bats
# fathom scan: many images at once. A real docker-registry holds the scan
# set (tests/fixtures/scanset.py: 21 images built FROM three shared bases,
# a second tag of one repository, a multi-arch index), its catalog listed
# five repositories a page; a counting proxy in front of it logs every
# request, which proves which blobs were downloaded.
load helpers
load servers

setup_file() {
	SRV_REG_PAGE=5 srv_start_registry
	local f ref all
	while read -r f ref all; do
		srv_push "oci-archive:$FIX/scanset/$f" "$ref" ${all:+--all}
	done <"$FIX/scanset/list"
	local port
	port=$(srv_free_port)
	LOG=$BATS_FILE_TMPDIR/requests.log
	python3 "$BATS_TEST_DIRNAME/flaky_proxy.py" "$port" "$REG" "$LOG" count 3>&- &
	echo $! >"$BATS_FILE_TMPDIR/proxy.pid"
	srv_wait curl -s -o /dev/null "http://127.0.0.1:$port/v2/"
	R=registry://127.0.0.1:$port
	export REG SRV_REG LOG R
}

teardown_file() {
	kill "$(cat "$BATS_FILE_TMPDIR/proxy.pid")" 2>/dev/null || :
	srv_stop_registry || :
}

setup() {
	export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/cache
	cd "$BATS_TEST_TMPDIR"
	: >"$LOG"
}

# The port of the proxy out of a scan's text, for the expected files.
no_port() {
	sed -E 's/127\.0\.0\.1:[0-9]{5}/127.0.0.1:PORT/g'
}

# layer_gets: blobs downloaded, one digest a line with its count, the
# configs (the images' digests in JSON) left out.
layer_gets() {	# layer_gets RESULT.json
	python3 - "$LOG" "$1" <<-'PY'
	import collections, json, sys
	configs = {i["digest"] for i in json.load(open(sys.argv[2]))["images"]}
	n = collections.Counter()
	for line in open(sys.argv[1]):
	    path = line.split()[1]
	    if "/blobs/" in path:
	        d = path.rsplit("/", 1)[1]
	        if d not in configs:
	            n[d] += 1
	for d, c in sorted(n.items()):
	    print(d, c)
	PY
}

@test "a registry's catalog, page by page: a row per image, the totals, the layers most images share" {
	run --separate-stderr "$FATHOM" scan "$R" --insecure
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ -z "$stderr" ] || { echo "$stderr"; return 1; }
	diff -u "$EXP/scan-registry.txt" <(printf '%s\n' "$output" | no_port)
	# 20 repositories, 5 a page: 4 pages, each after the Link of the last
	[ "$(grep -c ' /v2/_catalog' "$LOG")" -eq 4 ]
	[ "$(grep -c ' /v2/_catalog?last=fx%2F[a-z-]*&n=5 200$' "$LOG")" -eq 3 ]
	[ "$(grep -c '/tags/list 200$' "$LOG")" -eq 20 ]
}

@test "each distinct layer is downloaded once (--jobs 4 as --jobs 1); a second scan downloads none" {
	local jobs
	for jobs in 4 1; do
		rm -rf "$XDG_CACHE_HOME"
		: >"$LOG"
		"$FATHOM" scan "$R" --insecure --jobs $jobs --format json >"$BATS_TEST_TMPDIR/first.json"
		layer_gets "$BATS_TEST_TMPDIR/first.json" >"$BATS_TEST_TMPDIR/gets"
		# no layer twice, and as many layers as the scan counts distinct
		[ "$(awk '$2 != 1' "$BATS_TEST_TMPDIR/gets" | wc -l)" -eq 0 ] || { cat "$BATS_TEST_TMPDIR/gets"; return 1; }
		local distinct
		distinct=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["totals"]["distinctLayers"])' "$BATS_TEST_TMPDIR/first.json")
		[ "$distinct" -eq 32 ]
		[ "$(wc -l <"$BATS_TEST_TMPDIR/gets")" -eq "$distinct" ] || { echo "jobs $jobs"; cat "$BATS_TEST_TMPDIR/gets"; return 1; }
		: >"$LOG"
		"$FATHOM" scan "$R" --insecure --jobs $jobs --format json >"$BATS_TEST_TMPDIR/second.json"
		cmp "$BATS_TEST_TMPDIR/first.json" "$BATS_TEST_TMPDIR/second.json"
		layer_gets "$BATS_TEST_TMPDIR/second.json" >"$BATS_TEST_TMPDIR/gets"
		[ ! -s "$BATS_TEST_TMPDIR/gets" ] || { echo "jobs $jobs, cached:"; cat "$BATS_TEST_TMPDIR/gets"; return 1; }
		grep -q '/manifests/' "$LOG"
	done
	# without a cache no image waits for another's layers: none is listed
	# first (20 manifests and the multi-arch index, each fetched once)
	: >"$LOG"
	"$FATHOM" scan "$R" --insecure --no-cache --format json >"$BATS_TEST_TMPDIR/none.json"
	cmp "$BATS_TEST_TMPDIR/first.json" "$BATS_TEST_TMPDIR/none.json"
	[ "$(grep -c '/manifests/' "$LOG")" -eq 22 ]
}

@test "cached and uncached scans print the same bytes in every format, whatever --jobs" {
	local fmt
	for fmt in text json csv html; do
		"$FATHOM" scan "$R" --insecure --format $fmt --no-cache --jobs 1 >"$BATS_TEST_TMPDIR/none"
		"$FATHOM" scan "$R" --insecure --format $fmt >"$BATS_TEST_TMPDIR/first"
		"$FATHOM" scan "$R" --insecure --format $fmt --jobs 8 >"$BATS_TEST_TMPDIR/cached"
		[ -s "$BATS_TEST_TMPDIR/none" ]
		cmp "$BATS_TEST_TMPDIR/none" "$BATS_TEST_TMPDIR/first" || { echo "$fmt"; return 1; }
		cmp "$BATS_TEST_TMPDIR/none" "$BATS_TEST_TMPDIR/cached" || { echo "$fmt"; return 1; }
	done
	# the archives the registry holds give the same figures
	"$FATHOM" scan "$FIX"/scanset/*.tar --format csv --no-cache | cut -d, -f2- | sort >"$BATS_TEST_TMPDIR/files"
	"$FATHOM" scan "$R" --insecure --format csv | cut -d, -f2- | sort >"$BATS_TEST_TMPDIR/reg"
	diff -u "$BATS_TEST_TMPDIR/files" "$BATS_TEST_TMPDIR/reg"
}

# own_registry: a registry of this test's own (the others' catalog stays
# as it is), behind a counting proxy: sets R, LOG; teardown stops both.
own_registry() {
	srv_start_registry
	OWN_REG=$SRV_REG
	local port
	port=$(srv_free_port)
	LOG=$BATS_TEST_TMPDIR/own.log
	python3 "$BATS_TEST_DIRNAME/flaky_proxy.py" "$port" "$REG" "$LOG" count 3>&- &
	OWN_PROXY=$!
	srv_wait curl -s -o /dev/null "http://127.0.0.1:$port/v2/"
	R=registry://127.0.0.1:$port
}

teardown() {
	[ -z "${OWN_PROXY:-}" ] || kill "$OWN_PROXY" 2>/dev/null || :
	[ -z "${OWN_REG:-}" ] || SRV_REG=$OWN_REG srv_stop_registry || :
}

@test "a tag that moves between two scans: the new image, only its own layers downloaded" {
	own_registry
	srv_push "oci-archive:$FIX/scanset/app-web.oci-gzip.tar" fx/moving:latest
	run "$FATHOM" scan "$R" --insecure --format json
	[ "$status" -eq 0 ]
	local before
	before=$(printf '%s\n' "$output" | python3 -c 'import json, sys; d = json.load(sys.stdin); assert len(d["images"]) == 1; print(d["images"][0]["digest"])')
	srv_push "oci-archive:$FIX/scanset/app-web-2.oci-gzip.tar" fx/moving:latest
	: >"$LOG"
	"$FATHOM" scan "$R" --insecure --format json >"$BATS_TEST_TMPDIR/after.json"
	local after
	after=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["images"][0]["digest"])' "$BATS_TEST_TMPDIR/after.json")
	[ "$after" != "$before" ]
	# what app-web-2 has that app-web lacks: its own layer; not the base's
	local own
	own=$(python3 - "$FIX/scanset/app-web.oci-gzip.tar" "$FIX/scanset/app-web-2.oci-gzip.tar" <<-'PY'
	import json, sys, tarfile
	def layers(p):
	    t = tarfile.open(p)
	    blob = lambda d: json.load(t.extractfile("blobs/sha256/" + d.split(":")[1]))
	    m = blob(json.load(t.extractfile("index.json"))["manifests"][0]["digest"])
	    return [l["digest"] for l in m["layers"]]
	a, b = layers(sys.argv[1]), layers(sys.argv[2])
	print(" ".join(d for d in b if d not in a))
	PY
	)
	[ -n "$own" ]
	[ "$(layer_gets "$BATS_TEST_TMPDIR/after.json" | awk '{print $1}' | tr '\n' ' ')" = "$own " ]
}

@test "a multi-arch index: the row of this machine's platform, or of --platform's" {
	[ "$(uname -m)" = x86_64 ] || skip "the expected platform is linux/amd64"
	run "$FATHOM" scan "$R/fx/multi:1" --insecure --format csv
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "$R/fx/multi:1,sha256:"*",linux/amd64,"* ]] || { echo "$output"; return 1; }
	local amd=${lines[1]}
	run "$FATHOM" scan "$R/fx/multi:1" --insecure --format csv --platform linux/arm64/v8
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == *",linux/arm64/v8,"* ]] || { echo "$output"; return 1; }
	[ "$(echo "$amd" | cut -d, -f2)" != "$(echo "${lines[1]}" | cut -d, -f2)" ]
}

@test "--shard I/N takes a share of the list, the same on every runner; --merge joins the shares into the whole scan" {
	"$FATHOM" scan "$R" --insecure --ci --format json >"$BATS_TEST_TMPDIR/all.json" || [ $? -eq 1 ]
	"$FATHOM" scan "$R" --insecure --ci >"$BATS_TEST_TMPDIR/all.txt" || [ $? -eq 1 ]
	local i
	for i in 1 2 3; do
		"$FATHOM" scan "$R" --insecure --ci --format json --shard $i/3 >"$BATS_TEST_TMPDIR/s$i.json" || [ $? -eq 1 ]
		# again: the same share
		"$FATHOM" scan "$R" --insecure --ci --format json --shard $i/3 --jobs 1 | cmp - "$BATS_TEST_TMPDIR/s$i.json" || [ $? -eq 1 ]
	done
	python3 - "$BATS_TEST_TMPDIR"/s[123].json "$BATS_TEST_TMPDIR/all.json" <<-'PY'
	import json, sys
	names = lambda p: [i["name"] for i in json.load(open(p))["images"]]
	shares = [names(p) for p in sys.argv[1:4]]
	assert all(shares), shares			# none empty here
	joined = sum(shares, [])
	assert len(joined) == len(set(joined)), joined	# disjoint
	assert sorted(joined) == sorted(names(sys.argv[4])), joined
	PY
	# joined, layers counted again: the whole scan, byte for byte
	run "$FATHOM" scan --merge "$BATS_TEST_TMPDIR"/s[123].json --format json --ci
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/all.json")" ]
	# an image twice (shares that overlap) counts once
	run "$FATHOM" scan --merge "$BATS_TEST_TMPDIR"/s[123].json "$BATS_TEST_TMPDIR/s2.json" --ci
	[ "$status" -eq 1 ]
	diff -u "$BATS_TEST_TMPDIR/all.txt" <(printf '%s\n' "$output" | sed 's/each as its own scan checked it/the default rules/')
	# a share is no scan of the others
	run "$FATHOM" scan --merge "$BATS_TEST_TMPDIR/s1.json" --format json
	[ "$status" -eq 0 ]
	[ "$output" != "$(cat "$BATS_TEST_TMPDIR/all.json")" ]
}

@test "--merge refuses what is not a scan's result, and rows without rules under --ci" {
	echo '{"fathomScan": 1, "images": [{"name": "a", "size": "big"}]}' >"$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr "$FATHOM" scan --merge "$BATS_TEST_TMPDIR/bad.json"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "fathom: $BATS_TEST_TMPDIR/bad.json: images[0]: \"size\" is not a count" ]
	"$FATHOM" files "$FIX/basic.oci-gzip.tar" >"$BATS_TEST_TMPDIR/files.txt"
	run --separate-stderr "$FATHOM" scan --merge "$BATS_TEST_TMPDIR/files.txt"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: $BATS_TEST_TMPDIR/files.txt: not JSON (line 1: "* ]] || { echo "$stderr"; return 1; }
	"$FATHOM" scan "$R/fx/web:1" --insecure --format json >"$BATS_TEST_TMPDIR/plain.json"
	run --separate-stderr "$FATHOM" scan --merge "$BATS_TEST_TMPDIR/plain.json" --ci
	[ "$status" -eq 2 ]
	[ "$stderr" = "fathom: $R/fx/web:1: --ci: its result holds no rules' results (scanned without --ci)" ]
}

@test "--ci: the rules checked for every image; exit 1, the failing images listed" {
	run --separate-stderr "$FATHOM" scan "$R" --insecure --ci
	[ "$status" -eq 1 ]
	[[ "$output" == *"CI: FAIL: 1 of 21 images fail the rules (the default rules):"* ]] || { echo "$output"; return 1; }
	printf '%s\n' "$output" | grep -q "^  $R/fx/auth:1: highestUserWastedPercent 0.49[0-9]* > 0.1, lowestEfficiency 0.88[0-9]* < 0.9$"
	[ "$(printf '%s\n' "$output" | grep -c ' FAIL$')" -eq 1 ]
	[ "$(printf '%s\n' "$output" | grep -c ' PASS$')" -eq 20 ]
	# the rules from the command line, then from .fathom-ci
	run "$FATHOM" scan "$R" --insecure --ci --lowestEfficiency 0.8 --highestUserWastedPercent 0.5
	[ "$status" -eq 0 ]
	[[ "$output" == *"CI: PASS: every image passes the rules (the default rules)"* ]] || { echo "$output"; return 1; }
	printf 'rules:\n  highestAdviceSavings: 200kB\n' >.fathom-ci
	run "$FATHOM" scan "$R" --insecure --ci --lowestEfficiency 0.8 --highestUserWastedPercent 0.5 --format json
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["ci"] == {"pass": False, "failed": 1, "config": ".fathom-ci"}, d["ci"]
bad = [i["name"] for i in d["images"] if not i["rules"]["pass"]]
assert len(bad) == 1 and bad[0].endswith("/fx/report:1"), bad'
	# no --ci: no rules, exit 0
	run "$FATHOM" scan "$R/fx/auth:1" --insecure
	[ "$status" -eq 0 ]
	[[ "$output" != *"CI:"* ]]
}

@test "--format html: one self-contained page, each image linking to its own section" {
	"$FATHOM" scan "$R" --insecure --ci --format html -o "$BATS_TEST_TMPDIR/scan.html" || [ $? -eq 1 ]
	python3 - "$BATS_TEST_TMPDIR/scan.html" <<-'PY'
	import html.parser, sys
	class P(html.parser.HTMLParser):
	    def __init__(self):
	        super().__init__()
	        self.ids, self.links, self.fetch, self.sections = set(), [], [], 0
	    def handle_starttag(self, tag, attrs):
	        a = dict(attrs)
	        if "id" in a:
	            assert a["id"] not in self.ids, a["id"]
	            self.ids.add(a["id"])
	        if tag == "a":
	            self.links.append(a["href"])
	        if "src" in a or (tag == "link"):
	            self.fetch.append(a)
	        if tag == "section" and a.get("class") == "image":
	            self.sections += 1
	p = P()
	p.feed(open(sys.argv[1]).read())
	assert not p.fetch, p.fetch			# nothing fetched
	assert all(l.startswith("#") for l in p.links), p.links
	missing = [l for l in p.links if l[1:] not in p.ids]
	assert not missing, missing
	assert p.sections == 21, p.sections
	images = {l for l in p.links if l.startswith("#image-")}
	assert len(images) == 21, images		# every image linked
	PY
	grep -q 'class="verdict FAIL">FAIL: 1 image fails the rules.' "$BATS_TEST_TMPDIR/scan.html"
	command -v chromium >/dev/null || return 0
	# the page's script runs without an error in a browser
	run timeout 60 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$BATS_TEST_TMPDIR/scan.html"
	[[ "$output" == *'data-ready="1"'* ]]
}

@test "an image that cannot be read is listed as such, the others scanned; exit 2" {
	run --separate-stderr "$FATHOM" scan "$R/fx/web:1" "$R/fx/gone:1" "$R/fx/docs:1" --insecure
	[ "$status" -eq 2 ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ "$stderr" == "fathom: "*"has no image 127.0.0.1:"*"/fx/gone:1 (no such repository or tag)" ]] || { echo "$stderr"; return 1; }
	[[ "$output" == *"2 images (and 1 that could not be read): "* ]] || { echo "$output"; return 1; }
	[[ "$output" == *"Could not be read (1):"$'\n'"  $R/fx/gone:1: "*"no such repository or tag)" ]] || { echo "$output"; return 1; }
	[ "$(printf '%s\n' "$output" | grep -c "^$R/fx/\(web\|docs\):1 ")" -eq 2 ]
}

@test "--from-file, --repo and --tag choose the images; repeats are scanned once" {
	printf '# the bases\n%s/fx/base-deb:1\n\n  %s/fx/base-alp:1  \n%s/fx/base-deb:1\n' "$R" "$R" "$R" >list
	run "$FATHOM" scan --from-file list "$R/fx/web:2" --insecure --format csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | sort | tr '\n' ' ')" = "$R/fx/base-alp:1 $R/fx/base-deb:1 $R/fx/web:2 " ]
	run "$FATHOM" scan --from-file - --insecure --format csv <list
	[ "${#lines[@]}" -eq 3 ]
	run "$FATHOM" scan "$R" --repo 'fx/base-*' --tag 1 --insecure --format csv
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | tr '\n' ' ')" = "$R/fx/base-alp:1 $R/fx/base-big:1 $R/fx/base-deb:1 " ]
	run "$FATHOM" scan "$R" --tag 2 --insecure --format csv
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == "$R/fx/web:2,"* ]]
}

@test "sorted by any column, either way; ties by name" {
	"$FATHOM" scan "$R" --insecure --format csv >all.csv
	local col field
	for col in size:4 savings:11 shared:14; do
		field=${col#*:}
		run "$FATHOM" scan "$R" --insecure --format csv --sort "${col%:*}"
		[ "$status" -eq 0 ]
		# largest first, then by name
		diff -u <(tail -n +2 all.csv | sort -t, -k"$field,$field"nr -k1,1 | cut -d, -f1) \
			<(printf '%s\n' "${lines[@]:1}" | cut -d, -f1) || { echo "$col"; return 1; }
		run "$FATHOM" scan "$R" --insecure --format csv --sort "${col%:*}" --reverse
		diff -u <(tail -n +2 all.csv | sort -t, -k"$field,$field"n -k1,1 | cut -d, -f1) \
			<(printf '%s\n' "${lines[@]:1}" | cut -d, -f1) || { echo "$col reversed"; return 1; }
	done
	# efficiency lowest first
	run "$FATHOM" scan "$R" --insecure --format csv --sort efficiency
	[[ "${lines[1]}" == "$R/fx/auth:1,"* ]]
	run "$FATHOM" scan "$R" --insecure --format csv --sort name --reverse
	[[ "${lines[1]}" == "$R/fx/worker:1,"* ]]
}

@test "--progress: a line per image, bytes read and bytes the cache spared" {
	run --separate-stderr "$FATHOM" scan "$R/fx/web:1" "$R/fx/web:2" --insecure --progress --jobs 1
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"scan: 1/2 $R/fx/web:1: "*" read, 0B from the cache"* ]] || { echo "$stderr"; return 1; }
	# web:2 shares the base: its layers from the cache, their bytes as stored
	local base
	base=$(python3 - "$FIX/scanset/base-deb.oci-gzip.tar" <<-'PY'
	import json, sys, tarfile
	t = tarfile.open(sys.argv[1])
	blob = lambda d: json.load(t.extractfile("blobs/sha256/" + d.split(":")[1]))
	m = blob(json.load(t.extractfile("index.json"))["manifests"][0]["digest"])
	print("%.3gkB" % (sum(l["size"] for l in m["layers"]) / 1000))
	PY
	)
	printf '%s\n' "$stderr" | grep -q "^scan: 2/2 $R/fx/web:2: [0-9.]*k\?B read, $base from the cache$" || { echo "$base: $stderr"; return 1; }
	[[ "$stderr" == *"scan: 2 images (0 could not be read): "* ]]
	run --separate-stderr "$FATHOM" scan "$R/fx/web:1" "$R/fx/web:2" --insecure --progress
	printf '%s\n' "$stderr" | grep -q "^scan: 2 images (0 could not be read): 0B read, [0-9.]*[kM]B from the cache$" || { echo "$stderr"; return 1; }
	# quiet in a log without --progress
	run --separate-stderr "$FATHOM" scan "$R/fx/web:1" --insecure
	[ -z "$stderr" ]
}

@test "on a terminal: one status line redrawn while the scan goes on, then taken away" {
	command -v script >/dev/null || skip "no script(1)"
	# an archive fed to stdin slowly: about two seconds in all
	run script -qec "python3 -c 'import sys,time
d=open(\"$FIX/basic.docker-legacy.tar\",\"rb\").read()
for i in range(0,len(d),len(d)//20+1):
    sys.stdout.buffer.write(d[i:i+len(d)//20+1]); sys.stdout.flush(); time.sleep(0.1)' | '$FATHOM' scan - '$R/fx/web:1' --insecure --format csv >'$BATS_TEST_TMPDIR/out'" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\r\033[K'"scan: 1/2 images, 1 loading; "*" read, "*" from the cache"* ]] || { echo "$output"; return 1; }
	# taken away at the end: the last thing written
	[[ "$output" == *$'\r\033[K' ]] || { echo "$output" | od -c | tail -3; return 1; }
	[ "$(wc -l <"$BATS_TEST_TMPDIR/out")" -eq 3 ]
}

@test "four scans at once on one cache: the same output, a sound cache, no temporary file left" {
	"$FATHOM" scan "$R" --insecure --format json --no-cache >want.json
	local i pids=()
	for i in 1 2 3 4; do
		"$FATHOM" scan "$R" --insecure --format json --jobs 2 >"out$i.json" 2>"err$i" &
		pids+=($!)
	done
	for i in 0 1 2 3; do
		wait "${pids[$i]}"
	done
	for i in 1 2 3 4; do
		cmp want.json "out$i.json"
		[ ! -s "err$i" ] || { cat "err$i"; return 1; }
	done
	[ -z "$(find "$XDG_CACHE_HOME" -name '*.tmp.*')" ]
	: >"$LOG"
	run --separate-stderr "$FATHOM" scan "$R" --insecure --format json
	[ -z "$stderr" ] || { echo "$stderr"; return 1; }
	[ "$output" = "$(cat want.json)" ]
	[ -z "$(layer_gets want.json)" ]
}

@test "damaged cache entries (a byte flipped, cut short) are dropped with a warning, the scan the same" {
	"$FATHOM" scan "$R" --insecure >want.txt
	local a b
	a=$(find "$XDG_CACHE_HOME/fathom/v1/layers" -type f | sort | head -1)
	b=$(find "$XDG_CACHE_HOME/fathom/v1/layers" -type f | sort | tail -1)
	python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 1; open(p, "wb").write(b)' "$a"
	head -c "$(($(wc -c <"$b") / 2))" "$b" >"$b.x"
	mv "$b.x" "$b"
	run --separate-stderr "$FATHOM" scan "$R" --insecure
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat want.txt)" ]
	[ "$(printf '%s\n' "$stderr" | grep -c "the layer cache's entry for sha256:.* was damaged: dropped, read again")" -eq 2 ] || { echo "$stderr"; return 1; }
	# rebuilt: quiet again
	run --separate-stderr "$FATHOM" scan "$R" --insecure
	[ -z "$stderr" ] || { echo "$stderr"; return 1; }
	[ "$output" = "$(cat want.txt)" ]
}

@test "a cache directory that cannot be written: one warning for the whole scan, the same output" {
	"$FATHOM" scan "$R" --insecure --no-cache >want.txt
	mkdir -p "$XDG_CACHE_HOME/fathom"
	chmod 0555 "$XDG_CACHE_HOME/fathom"
	if [ "$(id -u)" -eq 0 ]; then
		# root writes anywhere: a read-only mount instead
		mount --bind "$XDG_CACHE_HOME/fathom" "$XDG_CACHE_HOME/fathom" 2>/dev/null &&
			mount -o remount,bind,ro "$XDG_CACHE_HOME/fathom" 2>/dev/null ||
			skip "cannot make a read-only directory here"
	fi
	run --separate-stderr "$FATHOM" scan "$R" --insecure
	[ "$(id -u)" -ne 0 ] || umount "$XDG_CACHE_HOME/fathom"
	chmod 0755 "$XDG_CACHE_HOME/fathom"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$output" = "$(cat want.txt)" ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "$stderr"; return 1; }
	[[ "$stderr" == *"the layer cache in $XDG_CACHE_HOME/fathom/v1 cannot be written ("*"): going on without it" ]] || { echo "$stderr"; return 1; }
}

@test "usage errors" {
	local args
	for args in "" "--repo x $R/fx/web:1" "--shard 0/2 x" "--shard 3/2 x" "--shard 2 x" \
		"--sort bogus x" "--format yaml x" "--merge" "--jobs 0 x" "--merge --shard 1/2 x.json"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$FATHOM" scan $args
		[ "$status" -eq 2 ] || { echo "$args: $status"; return 1; }
		[[ "$stderr" == "fathom: "*"(see 'fathom scan --help')" ]] || { echo "$args: $stderr"; return 1; }
	done
	run "$FATHOM" scan --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: fathom scan IMAGE..."* ]]
	# scan's --jobs (images at once) hides the source options' one
	[ "$(printf '%s\n' "$output" | grep -c '^  --jobs ')" -eq 1 ]
	[[ "$output" == *"--jobs N             images loaded at once"* ]]
}
