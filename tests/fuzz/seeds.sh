#!/bin/sh
# seeds.sh FIXTURES OUT: seed inputs for each harness, from the fixture
# images: whole archives, their layer blobs and configs, the rules and
# explorer files of the tests, image references.
set -eu
fix=$1
out=$2
mkdir -p "$out/fuzz_archive" "$out/fuzz_layer" "$out/fuzz_config" "$out/fuzz_yaml" "$out/fuzz_reference" "$out/fuzz_registry" "$out/fuzz_packages" "$out/fuzz_cache" "$out/fuzz_dockerfile" "$out/fuzz_scan"
for f in "$fix"/*.docker-legacy.tar "$fix"/*.docker-oci.tar "$fix"/*.oci-gzip.tar "$fix"/*.kaniko.tar; do
	[ "$(wc -c <"$f")" -le 262144 ] && cp "$f" "$out/fuzz_archive/"
done
for d in "$fix"/*.oci-dir; do
	for b in "$d"/blobs/sha256/*; do
		case $(head -c 1 "$b") in
		'{') cp "$b" "$out/fuzz_config/$(basename "$d")-$(basename "$b" | cut -c1-12)" ;;
		*) [ "$(wc -c <"$b")" -le 262144 ] && cp "$b" "$out/fuzz_layer/$(basename "$b" | cut -c1-16)" ;;
		esac
	done
done
printf 'rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.2\n  onbuild: fail\n' >"$out/fuzz_yaml/ci"
printf 'keybinding:\n  quit: ctrl+c\n  filter-files: "ctrl+f, ctrl+slash"\ndiff:\n  hide: [added, removed]\nfiletree:\n  pane-width: 0.5\n  collapse-dir: true\n' >"$out/fuzz_yaml/ui"
printf '1.5GiB' >"$out/fuzz_yaml/size"
for r in alpine library/alpine:3.20 docker.io/library/alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef \
	localhost:5000/a/b/c:tag registry.example.com:443/x linux/arm64/v8; do
	printf '%s' "$r" >"$out/fuzz_reference/$(printf '%s' "$r" | tr -c 'a-z0-9' _ | cut -c1-40)"
done
# what registries answer to a 401 (Docker Hub's, a registry with htpasswd),
# token servers' answers, and the docker CLI's config.json
printf 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"' >"$out/fuzz_registry/bearer"
printf 'Basic realm="Registry Realm"' >"$out/fuzz_registry/basic"
printf '{"token":"abc.def","access_token":"abc.def","expires_in":300}' >"$out/fuzz_registry/token"
printf '{"repositories":["fx/base","fx/app-1"]}' >"$out/fuzz_registry/catalog"
printf '{"name":"fx/base","tags":["1","latest"]}' >"$out/fuzz_registry/tags"
printf '</v2/_catalog?last=fx%%2Fbase&n=2>; rel="next"' >"$out/fuzz_registry/link"
printf '{"auths":{"https://index.docker.io/v1/":{"auth":"dXNlcjpzZWNyZXQ="},"localhost:5000":{"auth":"YTpi"}},"credHelpers":{"gcr.io":"gcloud"},"credsStore":"pass"}' >"$out/fuzz_registry/config"
# package databases (the diff fixtures' dpkg status and apk installed)
for d in diff-a diff-b; do
	sed -n 's/^file var\/lib\/dpkg\/status content="\(.*\)"$/\1/p' "$(dirname "$0")/../fixtures/desc/$d.desc" |
		python3 -c 'import sys; sys.stdout.buffer.write(sys.stdin.read().rstrip("\n").encode().decode("unicode_escape").encode())' >"$out/fuzz_packages/$d-dpkg"
	sed -n 's/^file lib\/apk\/db\/installed content="\(.*\)"$/\1/p' "$(dirname "$0")/../fixtures/desc/$d.desc" |
		python3 -c 'import sys; sys.stdout.buffer.write(sys.stdin.read().rstrip("\n").encode().decode("unicode_escape").encode())' >"$out/fuzz_packages/$d-apk"
done
# results of fathom scan (--merge reads them), with --ci and without
XDG_CACHE_HOME=$(mktemp -d) sh -c '"$1" scan --format json --ci "$2"/basic.oci-gzip.tar \
	"$2"/diff-a.oci-gzip.tar "$2"/diff-b.oci-gzip.tar "$2"/advice-onbuild.oci-gzip.tar \
	"$2"/nosuch.tar >"$3/ci.json" 2>/dev/null; rm -rf "$XDG_CACHE_HOME"' sh \
	"$(dirname "$0")/../../fathom" "$fix" "$out/fuzz_scan" || true
XDG_CACHE_HOME=$(mktemp -d) sh -c '"$1" scan --format json "$2"/advice-cache.oci-zstd.tar \
	"$2"/linkgroups.kaniko.tar >"$3/plain.json" 2>/dev/null; rm -rf "$XDG_CACHE_HOME"' sh \
	"$(dirname "$0")/../../fathom" "$fix" "$out/fuzz_scan" || true
# layer cache entries, as fathom writes them, without the frame the harness
# adds (magic, version, key) and the checksum it appends
cache=$(mktemp -d)
for f in linkgroups.oci-gzip.tar advice-cache.oci-zstd.tar names.kaniko.tar; do
	XDG_CACHE_HOME=$cache "$(dirname "$0")/../../fathom" files "$fix/$f" >/dev/null 2>&1 || true
done
for e in "$cache"/fathom/v1/layers/*/*; do
	[ -f "$e" ] || continue
	python3 - "$e" "$out/fuzz_cache/$(basename "$e" | cut -c1-16)" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
p = 16
for _ in range(2):
    n = struct.unpack_from("<I", d, p)[0]
    p += 4 + n
open(sys.argv[2], "wb").write(d[p:-16])
PY
done
rm -rf "$cache"
# Dockerfiles: the tests' own, and the repository's
here=$(dirname "$0")
for f in "$here"/../../Dockerfile "$here"/../fixtures/dockerfiles/*/Dockerfile*; do
	[ -f "$f" ] && cp "$f" "$out/fuzz_dockerfile/$(echo "$f" | tr / _ | tail -c 60)"
done
# every input a harness once failed on starts its run again
for d in "$here"/regressions/fuzz_*; do
	mkdir -p "$out/${d##*/}"
	cp "$d"/* "$out/${d##*/}/"
done
