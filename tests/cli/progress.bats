#!/usr/bin/env bats
# Loading progress on stderr: a line per layer, bytes done of total and
# rate; drawn in place on a terminal, printed at a layer's start and end
# in a log with --progress; never in CI mode unless asked; a layer from the
# layer cache as one line.
load helpers

@test "--progress in a log: each layer's start and end, done of total" {
	run --separate-stderr "$FATHOM" files --progress "$FIX/basic.oci-gzip.tar"
	[ "$status" -eq 0 ]
	[ "$output" = "$("$FATHOM" files "$FIX/basic.oci-gzip.tar")" ]
	local n
	n=$(printf '%s\n' "$stderr" | grep -c ' reading ')
	[ "$n" -ge 4 ]
	# the end of each of the 4 blobs: done equals total
	[ "$(printf '%s\n' "$stderr" | awk '$2 == "reading" && $3 == $5' | wc -l)" -eq 4 ]
	run --separate-stderr "$FATHOM" files "$FIX/basic.oci-gzip.tar"
	[ -z "$stderr" ]
}

@test "--progress: a layer the cache gives is one line 'cached', its stored size, none read" {
	export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/cache
	"$FATHOM" files "$FIX/basic.oci-gzip.tar" >/dev/null
	run --separate-stderr "$FATHOM" files --progress "$FIX/basic.oci-gzip.tar"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$stderr" | grep -c ' reading ')" -eq 0 ] || { echo "$stderr"; return 1; }
	# each of the 4 blobs once, done equals total
	[ "$(printf '%s\n' "$stderr" | awk '$2 == "cached" && $3 == $5' | wc -l)" -eq 4 ] || { echo "$stderr"; return 1; }
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 4 ]
}

@test "on a terminal: lines drawn in place while a slow load goes on, then taken away" {
	command -v script >/dev/null || skip "no script(1)"
	# the image fed to stdin slowly: about two seconds in all
	run script -qec "python3 -c 'import sys,time
d=open(\"$FIX/basic.docker-legacy.tar\",\"rb\").read()
for i in range(0,len(d),len(d)//20+1):
    sys.stdout.buffer.write(d[i:i+len(d)//20+1]); sys.stdout.flush(); time.sleep(0.1)' | '$FATHOM' files - >'$BATS_TEST_TMPDIR/out'" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *" reading "* ]]
	[[ "$output" == *$'\033[K'* ]]
	[[ "$output" == *$'\033[J'* ]]
	"$FATHOM" files "$FIX/basic.docker-legacy.tar" | cmp - "$BATS_TEST_TMPDIR/out"
}

@test "CI mode on a terminal: no progress unless --progress" {
	command -v script >/dev/null || skip "no script(1)"
	run script -qec "cat '$FIX/basic.docker-legacy.tar' | (sleep 0.5; cat) | '$FATHOM' --ci - >/dev/null" /dev/null
	[[ "$output" != *" reading "* ]]
	run script -qec "cat '$FIX/basic.docker-legacy.tar' | (sleep 0.5; cat) | '$FATHOM' --ci --progress - >/dev/null" /dev/null
	[[ "$output" == *" reading "* ]]
}
