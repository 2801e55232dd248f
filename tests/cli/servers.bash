# servers.bash: the real servers the source tests talk to, each in a
# temporary directory of its own and stopped with it: Podman's
# Docker-compatible API service on a unix socket (with the settings these
# machines need: runc, cgroupfs, ulimits, vfs storage), and Debian's
# docker-registry on loopback, plain or with htpasswd auth. Also a Debian
# base image for podman build, made here (no registry to pull one from).

srv_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

srv_wait() {	# srv_wait CMD...: until it succeeds, 20 s at most
	local i
	for i in $(seq 200); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "not ready after 20 s: $*" >&2
	return 1
}

# Podman's environment, for podman, skopeo and the service alike.
srv_podman_env() {
	export CONTAINERS_CONF=$SRV_PODMAN/containers.conf
	export CONTAINERS_STORAGE_CONF=$SRV_PODMAN/storage.conf
	export CONTAINERS_REGISTRIES_CONF=$SRV_PODMAN/registries.conf
}

# srv_podman_setup [GRAPHROOT [DRIVER]]: podman's settings and storage in
# a new SRV_PODMAN, no service; the images in GRAPHROOT instead when given (a
# storage kept between runs: podman build's cache), with DRIVER (default vfs).
# Podman's database there is dropped first (images are the storage's, not
# the database's): it would pin the first run's temporary directories.
srv_podman_setup() {
	command -v podman >/dev/null || skip "podman is not installed"
	[ -z "${1:-}" ] || rm -rf "$1/libpod"
	SRV_PODMAN=$(mktemp -d /tmp/fathom-podman.XXXXXX)
	PODMAN_SOCK=$SRV_PODMAN/podman.sock
	cat >"$SRV_PODMAN/containers.conf" <<-EOF
	[containers]
	default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
	[engine]
	runtime = "runc"
	cgroup_manager = "cgroupfs"
	EOF
	cat >"$SRV_PODMAN/storage.conf" <<-EOF
	[storage]
	driver = "${2:-vfs}"
	runroot = "$SRV_PODMAN/run"
	graphroot = "${1:-$SRV_PODMAN/graph}"
	EOF
	: >"$SRV_PODMAN/registries.conf"
	srv_podman_env
}

srv_start_podman() {	# sets SRV_PODMAN (the directory) and PODMAN_SOCK
	srv_podman_setup
	# in a directory of its own: Podman 4.3's service looks for a build's
	# Dockerfile in its working directory before the context sent to it
	(cd "$SRV_PODMAN" && exec podman system service --time=0 "unix://$PODMAN_SOCK") \
		>"$SRV_PODMAN/service.log" 2>&1 &
	echo $! >"$SRV_PODMAN/pid"
	srv_wait curl -sf --unix-socket "$PODMAN_SOCK" http://localhost/_ping
}

# A Debian 12 base image in podman's storage as localhost/fathom/bookworm:minbase
# (no registry to pull one from): debootstrap's minbase from deb.debian.org,
# made once and kept in build/bookworm-minbase.tar between runs.
srv_debian_base() {	# after srv_podman_setup; when debootstrap cannot run: srv_stop_podman, skip
	local base=$ROOT/build/bookworm-minbase.tar tmp
	podman image exists localhost/fathom/bookworm:minbase && return 0
	if [ ! -s "$base" ]; then
		command -v debootstrap >/dev/null || { srv_stop_podman; skip "debootstrap is not installed"; }
		tmp=$(mktemp -d /tmp/fathom-rootfs.XXXXXX)
		if ! debootstrap --variant=minbase bookworm "$tmp/rootfs" http://deb.debian.org/debian \
			>"$tmp/debootstrap.log" 2>&1; then
			rm -rf "$tmp"
			srv_stop_podman
			skip "debootstrap cannot reach deb.debian.org"
		fi
		mkdir -p "$ROOT/build"
		tar -C "$tmp/rootfs" -cf "$base.part" .
		mv "$base.part" "$base"
		rm -rf "$tmp"
	fi
	podman import -q "$base" localhost/fathom/bookworm:minbase >/dev/null
}

# Whether podman's overlay storage works here (vfs always does, but copies
# every layer whole: slow for images of hundreds of MB).
srv_podman_overlay_works() {
	local tmp rc
	tmp=$(mktemp -d /tmp/fathom-overlay.XXXXXX)
	podman --storage-driver overlay --root "$tmp/graph" --runroot "$tmp/run" info >/dev/null 2>&1
	rc=$?
	rm -rf "$tmp"
	return $rc
}

# Lets podman pull from a plain-HTTP registry on loopback.
srv_podman_trust() {	# srv_podman_trust HOST:PORT
	printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$1" >>"$SRV_PODMAN/registries.conf"
}

srv_stop_podman() {
	[ -n "${SRV_PODMAN:-}" ] || return 0
	if [ -f "$SRV_PODMAN/pid" ]; then
		kill "$(cat "$SRV_PODMAN/pid")" 2>/dev/null
		wait "$(cat "$SRV_PODMAN/pid")" 2>/dev/null
	fi
	rm -rf "$SRV_PODMAN"
}

# srv_start_registry [USER:PASSWORD]: sets SRV_REG, REG (host:port); with
# SRV_REG_PAGE=N set, the catalog lists N repositories a page.
srv_start_registry() {
	command -v docker-registry >/dev/null || skip "docker-registry is not installed"
	local port auth=""
	SRV_REG=$(mktemp -d /tmp/fathom-registry.XXXXXX)
	port=$(srv_free_port)
	REG=127.0.0.1:$port
	if [ -n "${1:-}" ]; then
		htpasswd -Bbc "$SRV_REG/htpasswd" "${1%%:*}" "${1#*:}" 2>/dev/null
		auth="auth:
  htpasswd:
    realm: fathom-test
    path: $SRV_REG/htpasswd"
	fi
	cat >"$SRV_REG/config.yml" <<-EOF
	version: 0.1
	log:
	  level: error
	storage:
	  filesystem:
	    rootdirectory: $SRV_REG/data
	http:
	  addr: $REG
	$auth
	EOF
	if [ -n "${SRV_REG_PAGE:-}" ]; then
		printf 'catalog:\n  maxentries: %s\n' "$SRV_REG_PAGE" >>"$SRV_REG/config.yml"
	fi
	docker-registry serve "$SRV_REG/config.yml" >"$SRV_REG/log" 2>&1 &
	echo $! >"$SRV_REG/pid"
	srv_wait curl -s -o /dev/null "http://$REG/v2/"
}

srv_stop_registry() {
	[ -n "${SRV_REG:-}" ] || return 0
	kill "$(cat "$SRV_REG/pid")" 2>/dev/null
	wait "$(cat "$SRV_REG/pid")" 2>/dev/null
	rm -rf "$SRV_REG"
}

# Copies an image archive into the registry as NAME:TAG (plain HTTP).
srv_push() {	# srv_push TRANSPORT:FILE NAME:TAG [skopeo options]
	local from=$1 to=$2
	shift 2
	skopeo copy -q --dest-tls-verify=false "$@" "$from" "docker://$REG/$to" >/dev/null
}
