#!/usr/bin/env bats
# The layered file tree (OCI layer spec rules), in every format: docker
# archives (legacy, Docker 25+, kaniko), OCI archives with uncompressed, gzip
# and zstd layers, and an OCI directory.
load helpers

@test "basic: the merged filesystem of a 4-layer image" {
	in_all_formats basic basic.files files
}

@test "basic: the filesystem after layer 0, and its changes (all added, implied parents too)" {
	in_all_formats basic basic.layer0 files --layer 0
	in_all_formats basic basic.changes0 files --layer 0 --changes
}

@test "basic: content change, mode change, deletion and an unchanged re-entry as M, M, R, U" {
	in_all_formats basic basic.changes1 files --layer 1 --changes
	in_all_formats basic basic.changes2 files --layer 2 --changes
	in_all_formats basic basic.changes3 files --layer 3 --changes
}

@test "whiteout: .wh.NAME deletes a file, a directory and its subtree; a missing target is ignored" {
	in_all_formats whiteout whiteout.files files
	in_all_formats whiteout whiteout.changes1 files --layer 1 --changes
}

@test "whiteout: applies to lower layers only, wherever it stands in the tar" {
	in_all_formats whiteout whiteout.changes2 files --layer 2 --changes
	in_all_formats whiteout whiteout.changes3 files --layer 3 --changes
}

@test "opaque: .wh..wh..opq hides lower contents, before the layer's own entries" {
	in_all_formats opaque opaque.changes1 files --layer 1 --changes
	in_all_formats opaque opaque.layer2 files --layer 2
}

@test "opaque: in a directory that did not exist, and at the root" {
	in_all_formats opaque opaque.changes2 files --layer 2 --changes
	in_all_formats opaque opaque.changes3 files --layer 3 --changes
	in_all_formats opaque opaque.files files
}

@test "replace: file, symlink over a directory remove its subtree; directory over directory keeps it" {
	in_all_formats replace replace.files files
	in_all_formats replace replace.changes1 files --layer 1 --changes
	in_all_formats replace replace.changes2 files --layer 2 --changes
}

@test "parents: implied 0755 0:0 directories; ./a /a a//b a/./b a/../b normalized; the root entry lists nothing" {
	in_all_formats parents parents.files files
	in_all_formats parents parents.changes0 files --layer 0 --changes
}

@test "parents: a directory that exists keeps its attributes when a later layer uses it" {
	in_all_formats parents parents.changes2 files --layer 2 --changes
}

@test "duplicates: the later of two entries for a path in one layer wins" {
	in_all_formats dup dup.files files
	in_all_formats dup dup.changes1 files --layer 1 --changes
}

@test "links: hard links (into earlier layers too) and symlink targets; setuid, setgid, sticky" {
	in_all_formats links links.files files
	in_all_formats links links.changes1 files --layer 1 --changes
}

@test "names: PAX and GNU long names and link names, ustar prefix, non-UTF-8 bytes, escapes" {
	in_all_formats names names.files files
}

@test "names: --format json escapes the same way, bytes that are not UTF-8 too" {
	in_all_formats names names.json files --format json
}

@test "pax global header: not an entry" {
	in_all_formats paxglobal paxglobal.files files
}

@test "blobs: the same blob twice, and an empty 1024-byte layer" {
	in_all_formats blobs blobs.files files
	in_all_formats blobs blobs.changes1 files --layer 1 --changes
	in_all_formats blobs blobs.changes2 files --layer 2 --changes
	in_all_formats blobs blobs.changes3 files --layer 3 --changes
	in_all_formats blobs blobs.files files --layer 3
}

@test "index: nested index, attestation skipped, this machine's platform chosen" {
	in_all_formats multi multi.files files
}

@test "index: --platform picks the manifest; the host's is the default" {
	local oci="oci-none.tar oci-gzip.tar oci-zstd.tar oci-dir"
	FORMATS=$oci in_all_formats armamd armamd.arm files --platform linux/arm64
	FORMATS=$oci in_all_formats armamd armamd.arm files --platform linux/arm64/v8
	FORMATS=$oci in_all_formats armamd armamd.amd files --platform linux/amd64
	[ "$(uname -m)" != x86_64 ] || FORMATS=$oci in_all_formats armamd armamd.amd files
}

@test "index: --source oci-archive reads a Docker 25+ archive through its index.json" {
	FORMATS=docker-oci.tar in_all_formats armamd armamd.arm files --source oci-archive --platform linux/arm64
	FORMATS=docker-oci.tar in_all_formats armamd armamd.amd files --source oci-archive --platform linux/amd64
}

@test "--image picks an image of a multi-image archive by tag" {
	in_all_formats armamd armamd.amd files --image fathom-test:amd --platform linux/amd64
	in_all_formats armamd armamd.arm files --image fathom-test:arm --platform linux/arm64
}

@test "a docker archive's first image is the default" {
	FORMATS="docker-legacy.tar docker-oci.tar kaniko.tar" in_all_formats armamd armamd.arm files --platform linux/arm64
}

@test "history: missing history is allowed" {
	in_all_formats nohistory nohistory.files files
	in_all_formats nohistory nohistory.history history
}

@test "linkgroups: a link outlives its deleted or replaced first name; the group's first path is the file" {
	in_all_formats linkgroups linkgroups.layer0 files --layer 0
	in_all_formats linkgroups linkgroups.layer1 files --layer 1
	in_all_formats linkgroups linkgroups.files files
}

@test "linkgroups: --changes marks what changed an inode, not which name a group lists first" {
	in_all_formats linkgroups linkgroups.changes1 files --layer 1 --changes
	in_all_formats linkgroups linkgroups.changes2 files --layer 2 --changes
}

@test "squashlinks: groups of one inode across layers, devices and fifos" {
	in_all_formats squashlinks squashlinks.files files
}

@test "symlinks are never followed: an entry below one makes the path a directory" {
	in_all_formats symparent symparent.files files
	in_all_formats symparent symparent.changes1 files --layer 1 --changes
}
