#!/bin/sh
# mkbench.sh DIR: makes the benchmark images from this machine's own files
# (never downloaded), once: DIR/base.tar, an uncompressed docker-archive of
# about 1 GB and 80,000 entries in 4 layers (/usr/share, /usr/include,
# /usr/lib/python3, /etc with /var/lib/dpkg).
set -eu
out=$1
[ -f "$out/base.tar" ] && exit 0
mkdir -p "$out"
work=$(mktemp -d "$out/work.XXXXXX")
trap 'rm -rf "$work"' EXIT

n=0
layers=""
diff_ids=""
history=""
for dirs in "usr/share" "usr/include" "usr/lib/python3" "etc var/lib/dpkg"; do
	mkdir -p "$work/l$n"
	# shellcheck disable=SC2086
	tar -cf "$work/l$n/layer.tar" -C / --ignore-failed-read --warning=none $dirs
	sum=$(sha256sum "$work/l$n/layer.tar" | cut -d' ' -f1)
	layers="$layers${layers:+,}\"l$n/layer.tar\""
	diff_ids="$diff_ids${diff_ids:+,}\"sha256:$sum\""
	history="$history${history:+,}{\"created_by\":\"/bin/sh -c #(nop) ADD dir:$dirs in / \"}"
	n=$((n + 1))
done
printf '{"architecture":"amd64","os":"linux","config":{},"history":[%s],"rootfs":{"type":"layers","diff_ids":[%s]}}' \
	"$history" "$diff_ids" >"$work/config.json"
printf '[{"Config":"config.json","RepoTags":["bench:base"],"Layers":[%s]}]' "$layers" >"$work/manifest.json"
tar -cf "$out/base.tar.tmp" -C "$work" l0 l1 l2 l3 config.json manifest.json
mv "$out/base.tar.tmp" "$out/base.tar"
