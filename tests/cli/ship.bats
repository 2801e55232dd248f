#!/usr/bin/env bats
# What a user meets in the first minute: --help and help COMMAND, --version,
# usage errors, the man page (man --warnings), the bash completion (loaded
# into bash, its function called), zsh and fish completions (their shells'
# syntax checks), make install and uninstall under DESTDIR and PREFIX.
load helpers

@test "--help, help COMMAND and COMMAND --help: usage, options with defaults, exit statuses" {
	run "$FATHOM" --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: fathom [OPTIONS] IMAGE"* ]]
	main=$output
	for c in files history advise inspect diff report squash extract build scan; do
		[[ "$main" == *"  $c "* ]] || { echo "--help lacks $c"; return 1; }
		run "$FATHOM" help "$c"
		[ "$status" -eq 0 ] && [[ "$output" == "usage: fathom $c"* ]] || { echo "help $c: $output"; return 1; }
		[[ "$output" == *"Exit status:"* ]] || { echo "help $c: no exit status"; return 1; }
		diff <("$FATHOM" "$c" --help) <(printf '%s\n' "$output")
	done
	[[ "$("$FATHOM" --help)" == *"Examples:"* ]]
	# every rule of RULES_LIST is in the analysis's help, with its default
	run "$FATHOM" help ci
	for r in lowestEfficiency highestWastedBytes highestUserWastedPercent highestReclaimableBytes \
		highestReclaimablePercent highestAdviceSavings onbuild; do
		[[ "$output" == *"--$r "* ]] || { echo "--ci --help lacks --$r"; return 1; }
	done
}

@test "--help says what --format json writes: JSON lines, or one document" {
	local c img say
	for c in files history advise inspect diff; do
		case $c in
		files|history) img=$FIX/basic.oci-gzip.tar ;;
		diff) img="$FIX/diff-a.oci-gzip.tar $FIX/diff-b.oci-gzip.tar" ;;
		*) img=$FIX/advice-onbuild.oci-gzip.tar ;;
		esac
		say=$("$FATHOM" "$c" --help | grep -e '--format text|json  ')
		# shellcheck disable=SC2086
		"$FATHOM" "$c" $img --format json >"$BATS_TEST_TMPDIR/out" 2>/dev/null || [ "$?" -eq 1 ]
		case $c in
		files|history)
			[[ "$say" == *"JSON lines (an object a line)" ]] || { echo "$c: $say"; return 1; }
			python3 -c 'import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) > 1 and all(isinstance(json.loads(l), dict) for l in lines)' "$BATS_TEST_TMPDIR/out" ;;
		*)
			[[ "$say" == *"one JSON document" ]] || { echo "$c: $say"; return 1; }
			python3 -c 'import json, sys
text = open(sys.argv[1]).read()
assert isinstance(json.loads(text), dict) and text.count("\n") > 1
try:
    json.loads(text.splitlines()[0]); assert False, "JSON lines"
except ValueError:
    pass' "$BATS_TEST_TMPDIR/out" ;;
		esac || { echo "$c: --format json is not what --help says"; return 1; }
	done
}

@test "--top's defaults are what --help says: 10 in the analysis, 100 on a report page" {
	local i
	{
		printf 'layer "a"\n'
		for i in $(seq 120); do printf 'file f/%03d size=1\n' "$i"; done
		printf 'layer "b"\n'
		for i in $(seq 120); do printf 'file f/%03d size=2\n' "$i"; done
	} >"$BATS_TEST_TMPDIR/many.desc"
	python3 "$ROOT/tests/fixtures/mkimage.py" "$BATS_TEST_TMPDIR/many.desc" --format oci-archive -o "$BATS_TEST_TMPDIR/many.tar"
	cd "$BATS_TEST_TMPDIR"
	[[ "$("$FATHOM" --ci --help)" == *"--top N "*"(default 10; 0: all); not"*"the --report page (100 inefficient files"* ]]
	[[ "$("$FATHOM" report --help)" == *"--top N              inefficient files listed (default 100; 0: all)"* ]]
	# the analysis: 10 rows, all with --top 0, all in dive's text
	run --separate-stderr "$FATHOM" --ci many.tar --report page.html
	[ "$(printf '%s\n' "$output" | grep -c ' /f/')" -eq 20 ]	# inefficient files and reclaimable bytes
	[[ "$output" == *"  ... and 110 more (--top)"* ]]
	[ "$("$FATHOM" --ci many.tar --top 0 | grep -c ' /f/')" -eq 240 ]
	[ "$("$FATHOM" --ci --ci-format dive many.tar | grep -c ' /f/')" -eq 120 ]
	# the pages: 100 rows, from --report and from fathom report
	[ "$(grep -o '<td class="p" data-v="/f/' page.html | wc -l)" -eq 100 ]
	"$FATHOM" report many.tar -o report.html
	[ "$(grep -o '<td class="p" data-v="/f/' report.html | wc -l)" -eq 100 ]
}

@test "usage errors: one line and a pointer to --help, exit status 2" {
	for args in "files" "files a b" "--bogus x" "files --layer x y" "help nope" "diff x" "squash x" "report x"; do
		run --separate-stderr "$FATHOM" $args
		[ "$status" -eq 2 ] || { echo "$args: status $status"; return 1; }
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] && [[ "$stderr" == "fathom: "*"--help"* ]] ||
			{ echo "$args: $stderr"; return 1; }
	done
}

@test "--version: fathom's version and the libraries it was built with" {
	run "$FATHOM" --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "fathom $(cat "$ROOT/VERSION")"* ]]
	for lib in libarchive jansson libxxhash libyaml ncurses PCRE2 libcurl OpenSSL; do
		[[ "$output" == *"$lib "* ]] || { echo "lacks $lib: $output"; return 1; }
	done
}

@test "the man page: rendered by man without a warning, every command and option in it" {
	command -v scdoc >/dev/null || skip "scdoc is not installed"
	make -C "$ROOT" -s man
	run man --warnings -l "$ROOT/build/fathom.1"
	[ "$status" -eq 0 ]
	run bash -c "man --warnings -l '$ROOT/build/fathom.1' 2>&1 >/dev/null"
	[ -z "$output" ] || { echo "$output"; return 1; }
	page=$(MANWIDTH=200 man -l "$ROOT/build/fathom.1" 2>/dev/null)
	for w in files history advise inspect diff report squash extract fix build scan \
		CI NO_COLOR DOCKER_HOST CONTAINER_HOST DOCKER_CONFIG .dive-ci .fathom-ci config.yaml "EXIT STATUS"; do
		[[ "$page" == *"$w"* ]] || { echo "the man page lacks $w"; return 1; }
	done
	# every long option of every --help is in the man page
	for c in "" files history advise inspect diff report squash extract fix build scan; do
		for o in $("$FATHOM" $c --help 2>/dev/null | grep -o -- '--[a-zA-Z][a-zA-Z-]*' | sort -u); do
			[[ "$page" == *"$o"* ]] || { echo "the man page lacks $o ($c)"; return 1; }
		done
	done
}

# complete LINE...: what the bash completion offers for the words, the last
# being completed
complete_words() {
	bash -c '. "$1/completions/fathom.bash"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _fathom; printf "%s\n" "${COMPREPLY[@]}"' _ "$ROOT" "$@"
}

@test "bash completion: subcommands, options, --source values, image files" {
	[ "$(complete_words fathom sq)" = squash ]
	[ "$(complete_words fathom d | grep -c '^diff$')" -eq 1 ]
	[ "$(complete_words fathom files --source o | tr '\n' ' ')" = "oci-archive oci " ]
	[ "$(complete_words fathom squash --compress z)" = zstd ]
	[ "$(complete_words fathom --ci-format j | tr '\n' ' ')" = "json junit " ]
	[[ "$(complete_words fathom diff --la)" == *"--layer-a"*"--layer-b"* ]]
	[[ "$(complete_words fathom extract --f)" == *"--force"* ]]
	[ "$(complete_words fathom fi | sort | tr '\n' ' ')" = "files fix " ]
	[ "$(complete_words fathom fix --dock | tr '\n' ' ')" = "--dockerfile --dockerignore " ]
	[ "$(complete_words fathom fix --verify --engine p)" = podman ]
	[ "$(complete_words fathom advise --dockerf)" = --dockerfile ]
	cd "$BATS_TEST_TMPDIR"
	mkdir -p imgs/layout
	touch imgs/app.tar imgs/notes.txt
	[ "$(complete_words fathom files imgs/ | sort | tr '\n' ' ')" = "imgs/app.tar imgs/layout " ]
	[ "$(complete_words fathom help ad)" = advise ]
	[ "$(complete_words fathom sc)" = scan ]
	[ "$(complete_words fathom scan --sort sh)" = shared ]
	[ "$(complete_words fathom scan --format c)" = csv ]
	# the options every command takes, before the command
	[ "$(complete_words fathom --verify --jobs 2 sq)" = squash ]
	[ "$(complete_words fathom --source oci-archive files --cha)" = --changes ]
	# zsh and fish: their own syntax checks, and fish's completer
	if command -v zsh >/dev/null; then zsh -n "$ROOT/completions/_fathom"; fi
	if command -v fish >/dev/null; then
		fish -n "$ROOT/completions/fathom.fish"
		[ "$(fish -c "source $ROOT/completions/fathom.fish; complete -C 'fathom squash --compress '" | tr '\n' ' ')" = "gzip none zstd " ]
		[ "$(fish -c "source $ROOT/completions/fathom.fish; complete -C 'fathom fix --engine '" | tr '\n' ' ')" = "buildah docker podman " ]
	fi
}

@test "make install and uninstall honour DESTDIR and PREFIX" {
	command -v scdoc >/dev/null || skip "scdoc is not installed"
	d=$BATS_TEST_TMPDIR/dest
	make -C "$ROOT" -s install DESTDIR="$d" PREFIX=/opt/f >/dev/null
	for f in bin/fathom share/man/man1/fathom.1 share/bash-completion/completions/fathom \
		share/zsh/vendor-completions/_fathom share/fish/vendor_completions.d/fathom.fish; do
		[ -f "$d/opt/f/$f" ] || { echo "not installed: $f"; return 1; }
	done
	[ -x "$d/opt/f/bin/fathom" ]
	"$d/opt/f/bin/fathom" --version >/dev/null
	make -C "$ROOT" -s uninstall DESTDIR="$d" PREFIX=/opt/f
	[ -z "$(find "$d" -type f)" ]
}
