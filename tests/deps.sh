#!/bin/sh
# deps.sh: installs the Debian packages that building, the demo and the tests
# need, when they are missing. As root it runs apt-get; otherwise it prints
# the command to run and fails.
set -eu
PKGS="gcc make pkg-config libarchive-dev libxxhash-dev libjansson-dev
      libcmocka-dev libyaml-dev libisal-dev libncurses-dev libpcre2-dev libcurl4-openssl-dev libssl-dev libdpkg-dev scdoc bats python3 zstd gzip tar
      umoci skopeo tmux isal podman runc buildah docker-registry apache2-utils curl debootstrap git clang libclang-rt-dev chromium python3-websocket python3-yaml zsh fish debhelper lintian
      xxd eslint node-css-tree"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "fathom needs these Debian packages:$missing" >&2
	echo "install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
