#!/bin/sh
# rootfs.sh BINARY OUT: the filesystem of fathom's image (Dockerfile), made
# in OUT by the build stage: the binary, stripped; every shared library ldd
# lists for it and the dynamic loader, at their real paths with Debian's
# /lib -> usr/lib links; the CA certificates (registries over HTTPS); the
# terminal descriptions and the C.UTF-8 locale (the explorer); empty /tmp
# and /work. For each Debian package a file came from: its dpkg record in
# /var/lib/dpkg/status.d/ (as distroless images keep them, for scanners)
# and its copyright file.
set -eu
bin=$1
out=$2
pkgs="ca-certificates ncurses-base libc-bin"

# the package that owns PATH (dpkg may know it under /lib or /usr/lib)
owner() {
	for p in "$1" "/usr$1" "${1#/usr}"; do
		o=$(dpkg-query -S "$p" 2>/dev/null | sed -n '1s/: .*//p')
		if [ -n "$o" ]; then
			echo "${o%%:*}"
			return
		fi
	done
	echo "rootfs.sh: no package owns $1" >&2
	exit 1
}

# place PATH: what PATH names (a file followed through links, or a directory
# as it is) into the real directory of PATH under OUT, under PATH's name
place() {
	dir=$(readlink -f "$(dirname "$1")")
	mkdir -p "$out$dir"
	if [ -d "$1" ]; then
		cp -a "$(readlink -f "$1")" "$out$dir/$(basename "$1")"
	else
		cp -L "$1" "$out$dir/$(basename "$1")"
	fi
}

mkdir -p "$out/usr/local/bin" "$out/work" "$out/tmp"
chmod 1777 "$out/tmp"
install -s -m 0755 "$bin" "$out/usr/local/bin/fathom"
# what the loader loads: "name => path" lines, and the loader's own path
for lib in $(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
	place "$lib"
	pkgs="$pkgs $(owner "$lib")"
done
for d in lib lib64; do
	if [ -L "/$d" ]; then
		ln -s "$(readlink "/$d")" "$out/$d"
	fi
done
place /etc/ssl/certs/ca-certificates.crt
place /lib/terminfo
place /usr/lib/locale/C.utf8
mkdir -p "$out/var/lib/dpkg/status.d"
for p in $(echo "$pkgs" | tr ' ' '\n' | sort -u); do
	dpkg-query -s "$p" >"$out/var/lib/dpkg/status.d/$p"
	mkdir -p "$out/usr/share/doc/$p"
	cp -L "/usr/share/doc/$p/copyright" "$out/usr/share/doc/$p/"
done
