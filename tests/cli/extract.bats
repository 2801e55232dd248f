#!/usr/bin/env bats
# fathom extract: paths of an image written into a directory. The files are
# those umoci unpacks; nothing lands outside the directory; an existing name
# stays unless --force; no temporary name stays; no device, fifo, setuid
# file or link leading out is made.
load helpers

setup() {
	D=$BATS_TEST_TMPDIR/d
	mkdir -p "$D"
}

# no_temps DIR: no temporary name of fathom's left anywhere below DIR
no_temps() {
	local t
	t=$(find "$1" -name '.fathom-extract*')
	[ -z "$t" ] || { echo "left behind: $t"; return 1; }
}

@test "extract / gives the files umoci unpacks: whiteouts, opaque directories, replacements, links" {
	command -v umoci >/dev/null || skip "umoci is not installed"
	for fx in whiteout opaque replace links; do
		rm -rf "$D/$fx" "$BATS_TEST_TMPDIR/u"
		mkdir "$D/$fx"
		run --separate-stderr "$FATHOM" extract "$FIX/$fx.oci-dir" / -C "$D/$fx"
		[ "$status" -eq 0 ] || { echo "$fx: $stderr"; return 1; }
		umoci unpack --image "$FIX/$fx.oci-dir:latest" "$BATS_TEST_TMPDIR/u" >/dev/null 2>&1
		run diff -r --no-dereference "$BATS_TEST_TMPDIR/u/rootfs" "$D/$fx"
		if [ "$fx" = links ]; then
			# /usr/bin/vi -> /usr/bin/vim: absolute, so not made
			[ "$output" = "Only in $BATS_TEST_TMPDIR/u/rootfs/usr/bin: vi" ] || { echo "$output"; return 1; }
			[[ "$stderr" == "fathom: warning: 1 entry not written (the first: /usr/bin/vi)"* ]]
		else
			[ "$status" -eq 0 ] || { echo "$fx: $output"; return 1; }
		fi
		no_temps "$D/$fx"
	done
}

@test "extract: no devices, fifos, setuid bits or links out; modes kept; every format the same" {
	for f in $FORMATS; do
		rm -rf "$D/$f"
		mkdir "$D/$f"
		run --separate-stderr "$FATHOM" extract "$FIX/basic.$f" / -C "$D/$f"
		[ "$status" -eq 0 ] || { echo "$f: $stderr"; return 1; }
		[ "$stderr" = "fathom: warning: 4 entries not written (the first: /run/initctl): links leading out of $D/$f, devices, fifos or links to nothing" ] ||
			{ echo "$f: $stderr"; return 1; }
		[ -z "$(find "$D/$f" -type b -o -type c -o -type p -o -perm /7000)" ]
		[ ! -e "$D/$f/etc/mtab" ]
		[ ! -L "$D/$f/etc/mtab" ]
		[ "$(stat -c %a "$D/$f/usr/bin/tool")" = 755 ]	# 4755 in the image
		[ "$(stat -c %a "$D/$f/etc/passwd")" = 600 ]
		[ "$(stat -c %a "$D/$f/tmp")" = 777 ]		# 1777
		[ "$(cat "$D/$f/etc/passwd")" = "$(printf 'root:x:0:0\nuser:x:1000:1000')" ]
		[ ! -e "$D/$f/etc/shadow" ]
		cmp "$D/$f/usr/bin/tool" "$D/$f/usr/bin/tool2"
		[ "$f" = docker-legacy.tar ] || diff -r "$D/docker-legacy.tar" "$D/$f"
	done
}

@test "extract --layer: a path as it stood, one deleted later; a path not there is an error" {
	run --separate-stderr "$FATHOM" extract "$FIX/basic.oci-dir" /etc/shadow /etc/passwd --layer 0 -C "$D"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$(cat "$D/shadow")" = secret ]
	[ "$(cat "$D/passwd")" = "root:x:0:0" ]
	[ "$(stat -c %a "$D/shadow")" = 640 ]
	run --separate-stderr "$FATHOM" extract "$FIX/basic.oci-dir" /etc/shadow -C "$D/x"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "fathom: $D/x: cannot write there: No such file or directory" ]]
	run --separate-stderr "$FATHOM" extract "$FIX/basic.oci-dir" /etc/passwd /etc/shadow -C "$D"
	[ "$status" -eq 2 ] || return 1
	[[ "$stderr" == "fathom: "*"'/etc/shadow' is not in the image after layer 3" ]] || { echo "$stderr"; return 1; }
	# checked before anything was written: passwd is the layer 0 one still
	[ "$(cat "$D/passwd")" = "root:x:0:0" ]
	run --separate-stderr "$FATHOM" extract "$FIX/basic.oci-dir"
	[ "$status" -eq 2 ] && [[ "$stderr" == *"PATH is missing"*"--help"* ]]
}

@test "extract never writes over a name unless --force; --force never follows a link in the way" {
	"$FATHOM" extract "$FIX/basic.oci-dir" /etc -C "$D"
	echo mine >"$D/etc/passwd"
	run --separate-stderr "$FATHOM" extract "$FIX/basic.oci-dir" /etc -C "$D"
	[ "$status" -eq 2 ] || return 1
	[ "$stderr" = "fathom: $FIX/basic.oci-dir: layer 3: /etc: already exists here; not overwritten (--force replaces it)" ] ||
		{ echo "$stderr"; return 1; }
	[ "$(cat "$D/etc/passwd")" = mine ]
	run --separate-stderr "$FATHOM" extract "$FIX/basic.oci-dir" /etc/passwd -C "$D/etc"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"/etc/passwd: already exists here"* ]]
	[ "$(cat "$D/etc/passwd")" = mine ]
	no_temps "$D"

	# --force: files replaced, the user's other files kept
	echo other >"$D/etc/other"
	run --separate-stderr "$FATHOM" extract "$FIX/basic.oci-dir" /etc -C "$D" --force
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$(cat "$D/etc/passwd")" = "$(printf 'root:x:0:0\nuser:x:1000:1000')" ]
	[ "$(cat "$D/etc/other")" = other ]
	no_temps "$D"

	# a symlink where a directory goes, pointing outside: replaced, not followed
	mkdir "$BATS_TEST_TMPDIR/outside"
	mkdir "$D/2"
	ln -s "$BATS_TEST_TMPDIR/outside" "$D/2/usr"
	run --separate-stderr "$FATHOM" extract "$FIX/basic.oci-dir" /usr -C "$D/2"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"/usr: already exists here"* ]]
	run --separate-stderr "$FATHOM" extract "$FIX/basic.oci-dir" /usr -C "$D/2" --force
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ ! -L "$D/2/usr" ]
	[ -f "$D/2/usr/bin/tool" ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/outside")" ]
	no_temps "$D"
}

@test "extract: hostile names and links stay inside the directory" {
	H=$FIX/hostile
	mkdir "$D/in"
	for img in absolute selflink longname; do
		rm -rf "$D/in"
		mkdir "$D/in"
		run --separate-stderr timeout 60 "$FATHOM" extract "$H/$img.tar" / -C "$D/in"
		[ "$status" -eq 0 ] || { echo "$img: $status ${stderr:0:300}"; return 1; }
		# only in/ below D
		[ "$(ls -A "$D")" = in ] || { ls -A "$D"; return 1; }
		no_temps "$D"
	done
	# longname: the 64 KiB name is refused (no file system holds it), the
	# others (a newline, bad UTF-8) are written as they are
	[ -f "$D/in/d/$(printf 'new\nline')" ]
	[[ "$stderr" == "fathom: warning: 1 entry not written (the first: /d/xxx"* ]] || { echo "${stderr:0:300}"; return 1; }
	[ "$(find "$D/in" -type f -printf x | wc -c)" -eq "$(("$("$FATHOM" files "$H/longname.tar" | awk -F'\t' '$2 == "f"' | wc -l)" - 1))" ] ||
		{ "$FATHOM" files "$H/longname.tar" | cut -c1-100; find "$D/in"; return 1; }
}

@test "extract from a streamed image writes what the file gives (a copy kept in TMPDIR meanwhile)" {
	mkdir "$D/a" "$D/b"
	"$FATHOM" extract "$FIX/basic.docker-legacy.tar" /etc /usr -C "$D/a" 2>/dev/null
	run --separate-stderr "$FATHOM" extract - /etc /usr -C "$D/b" <"$FIX/basic.docker-legacy.tar"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	diff -r --no-dereference "$D/a" "$D/b"
	[ -n "$(ls -A "$D/b")" ]
}
