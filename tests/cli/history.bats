#!/usr/bin/env bats
# `fathom history`: docker history's columns, every entry, newest first.
load helpers

@test "history: every entry, empty ones too, with layer index, UTC time, size, command and comment" {
	in_all_formats basic basic.history history
}

@test "history: a blob used twice and an empty layer" {
	in_all_formats blobs blobs.history history
}

@test "history: CREATED BY is cut to \$COLUMNS (not a terminal) and never with --no-trunc" {
	COLUMNS=90 run "$FATHOM" history "$FIX/basic.oci-gzip.tar"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "3       2024-05-03T00:00:00Z   11B      /bin/sh -c echo 'multi line' > /tmp/l…   last step" ]
	[ "${lines[3]}" = "2       2024-05-02T10:00:00Z   28B      /bin/sh -c rm /etc/shadow && chmod 60…" ]
	[ "${lines[4]}" = "1       2024-05-02T09:30:00Z   3.03kB   /bin/sh -c apt-get install -y tool" ]
	# every line fits in 90 columns
	for l in "${lines[@]}"; do [ "$(printf '%s' "$l" | LC_ALL=C.UTF-8 wc -m)" -le 90 ]; done
	COLUMNS=90 run "$FATHOM" history "$FIX/basic.oci-gzip.tar" --no-trunc
	[ "$output" = "$(cat "$EXP/basic.history")" ]
}

@test "history --format json: one object per entry, raw values, the layer's diff_id" {
	run "$FATHOM" history "$FIX/basic.docker-legacy.tar" --format json
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	[ "${lines[5]}" = '{"layer":0,"created":"2024-05-01T10:00:00Z","created_by":"/bin/sh -c #(nop) ADD file:0a1b2c in / ","size":26,"comment":"","empty_layer":false,"digest":"'"$(diff_id basic 0)"'"}' ]
	[ "${lines[4]}" = '{"layer":null,"created":"2024-05-01T10:00:01Z","created_by":"/bin/sh -c #(nop)  CMD [\"sh\"]","size":0,"comment":"","empty_layer":true,"digest":null}' ]
	[ "${lines[0]}" = '{"layer":3,"created":"2024-05-03T00:00:00Z","created_by":"/bin/sh -c echo '"'"'multi\nline'"'"' > /tmp/log","size":11,"comment":"last step","empty_layer":false,"digest":"'"$(diff_id basic 3)"'"}' ]
}

# diff_id FIXTURE N: the sha256 of layer N's tar, computed here with sha256sum.
diff_id() {
	local dir=$BATS_TEST_TMPDIR/x
	mkdir -p "$dir"
	tar -xf "$FIX/$1.docker-legacy.tar" -C "$dir"
	local layer
	layer=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Layers"][int(sys.argv[2])])' "$dir/manifest.json" "$2")
	echo "sha256:$(sha256sum "$dir/$layer" | cut -d' ' -f1)"
}
