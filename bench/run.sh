#!/bin/sh
# run.sh: `make bench`. Builds the benchmark images once (bench/mkbench.sh,
# cached under build/bench), then times fathom on them with /usr/bin/time and
# prints a table: case, seconds, reference seconds, ratio, peak RSS, bytes
# per tar entry. Not part of `make check`.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/build/bench
fathom=$root/build/release/fathom
sh "$root/bench/mkbench.sh" "$dir"
img=$dir/base.tar

# tar entries in the image's layers, counted once
if [ ! -f "$dir/base.entries" ]; then
	t=$(mktemp -d)
	tar -xf "$img" -C "$t"
	for l in "$t"/l*/layer.tar; do tar -tf "$l"; done | wc -l >"$dir/base.entries"
	rm -rf "$t"
fi
entries=$(cat "$dir/base.entries")

# measure NAME CMD...: best wall time of 3 runs, peak RSS of the last.
measure() {
	best=""
	for _ in 1 2 3; do
		/usr/bin/time -f "%e %M" -o "$dir/time" "$@" >/dev/null
		read -r s kb <"$dir/time"
		if [ -z "$best" ] || [ "$(echo "$s < $best" | bc)" -eq 1 ]; then best=$s; fi
	done
	echo "$best $kb"
}

cat "$img" >/dev/null	# into the page cache
read -r cat_s _ <<EOT
$(measure cat "$img")
EOT
read -r files_s files_kb <<EOT
$(measure "$fathom" files "$img")
EOT
printf '%-28s %8s %8s %8s %10s %12s\n' case seconds "ref(cat)" ratio "peak RSS" "bytes/entry"
printf '%-28s %8s %8s %8.2f %8dMB %12d\n' "files, $(($(stat -c %s "$img") >> 20)) MB, $entries entries" \
	"$files_s" "$cat_s" "$(echo "$files_s / $cat_s" | bc -l)" $((files_kb >> 10)) $((files_kb * 1024 / entries))
