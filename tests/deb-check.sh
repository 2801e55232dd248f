#!/bin/sh
# deb-check.sh: builds the Debian package (tests/deb.sh: dpkg-buildpackage,
# lintian with no error), installs it with apt-get as a user would, runs the
# installed fathom (--version, the CI gate on a fixture, man, bash
# completion), removes it again. Ends with "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
n=0
check() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok $n $2"
	else
		fail=$((fail + 1))
		echo "not ok $n $2"
	fi
}
if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 # skip installing a package needs root"
	echo "0 passed, 0 failed"
	exit 0
fi
deb=$(sh "$root/tests/deb.sh" "$root/build/deb" | tail -n 1)
case $deb in *.deb) check 0 "dpkg-buildpackage -us -uc -b and lintian (no error): $(basename "$deb")" ;;
*) check 1 "dpkg-buildpackage and lintian: $deb"; echo "$pass passed, $fail failed"; exit 1 ;;
esac
deps=$(dpkg-deb -f "$deb" Depends)
case $deps in *libarchive13*libcurl4*libjansson4*) check 0 "dpkg-shlibdeps: $deps" ;;
*) check 1 "dpkg-shlibdeps: $deps" ;; esac
apt-get install -y "$deb" >"$root/build/deb/install.log" 2>&1
check $? "apt-get install ./$(basename "$deb")"
out=$(/usr/bin/fathom --version 2>&1)
case $out in "fathom $(cat "$root/VERSION")"*"libarchive"*) check 0 "fathom --version: $(echo "$out" | head -n 1)" ;;
*) check 1 "fathom --version: $out" ;; esac
fix=$root/build/fixtures/basic.docker-legacy.tar
out=$(/usr/bin/fathom --ci "$fix" 2>&1)
st=$?
case "$st:$out" in 0:*"PASS ["*) check 0 "fathom --ci on a fixture: exit 0, PASS" ;;
*) check 1 "fathom --ci on a fixture: exit $st: $out" ;; esac
man -w fathom >/dev/null 2>&1
check $? "man fathom is installed"
out=$(bash -c '. /usr/share/bash-completion/completions/fathom; COMP_WORDS=(fathom sq); COMP_CWORD=1; _fathom; echo "${COMPREPLY[*]}"' 2>&1)
[ "$out" = squash ]
check $? "the installed bash completion completes 'fathom sq': $out"
apt-get remove -y fathom >/dev/null 2>&1 && [ ! -e /usr/bin/fathom ]
check $? "apt-get remove fathom"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
