#!/bin/sh
# deb.sh OUTDIR: builds the Debian package from this tree's committed and
# working files (debian/, dpkg-buildpackage -us -uc -b) in OUTDIR, checks it
# with lintian (no error allowed), and prints the .deb's path last.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1
version=$(cat "$root/VERSION")
rm -rf "$out"
mkdir -p "$out/fathom-$version"
out=$(cd "$out" && pwd)
# the files git knows (a fresh clone's), without build products
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf -) |
	tar -xf - -C "$out/fathom-$version"
(cd "$out/fathom-$version" && dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) ||
	{ tail -n 30 "$out/build.log"; exit 1; }
deb=$(ls "$out"/fathom_"$version"_*.deb)
lintian --fail-on error --tag-display-limit 0 "$deb" >"$out/lintian.log" 2>&1 ||
	{ cat "$out/lintian.log"; exit 1; }
cat "$out/lintian.log"
echo "$deb"
