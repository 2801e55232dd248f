#!/usr/bin/env bats
# The explorer, driven in tmux at 80x24 and 120x40: each key of dive's, the
# screen compared with the one expected (tests/cli/tui/).
load helpers
load tui

IMG=
setup() {
	IMG=$FIX/tui.oci-gzip.tar
	DOCKER=$SHARED/test-docker-image.tar
}

teardown() {
	tui_stop
}

@test "first screen: layers, details, image, tree; 80x24 and 120x40" {
	tui_start 80 24 "$IMG"
	tui_expect first-80x24
	tui_stop
	tui_start 120 40 "$IMG"
	tui_expect first-120x40
}

@test "dive's test image at 120x40 and 80x24" {
	[ -f "$DOCKER" ] || skip "no shared images"
	tui_start 120 40 "$DOCKER"
	tui_expect docker-120x40
	tui_stop
	tui_start 80 24 "$DOCKER"
	tui_expect docker-80x24
}

@test "dive's test image: layer, aggregate, hide, collapse, sort, attributes, filter" {
	[ -f "$DOCKER" ] || skip "no shared images"
	tui_start 120 40 "$DOCKER"
	tui_keys Up
	tui_expect docker-layer12
	tui_keys C-a
	tui_expect docker-aggregate
	tui_keys C-l Tab C-u
	tui_expect docker-changes-only
	tui_keys C-u C-Space
	tui_expect docker-collapse-all
	tui_keys C-Space C-o
	tui_expect docker-by-size
	tui_keys C-o C-b
	tui_expect docker-no-attributes
	tui_keys C-b C-f
	tui_type saved
	tui_expect docker-filter-saved
}

@test "layers pane: up/down and k/j select the layer, the tree follows" {
	tui_start 120 40 "$IMG"
	tui_keys Up
	tui_expect layer1
	tui_keys k
	tui_expect layer0
	tui_keys j Down Down
	tui_expect layer2
}

@test "layers pane: ctrl+a aggregates against layer 0, ctrl+l compares with the layer below" {
	tui_start 120 40 "$IMG"
	tui_keys C-a
	tui_expect aggregate
	tui_keys C-l
	tui_expect layer2
}

@test "tab switches pane; tree: arrows, j/k, page keys" {
	tui_start 120 40 "$IMG"
	tui_keys Tab
	tui_expect tree-focus
	tui_keys j j Down
	tui_expect tree-down3
	tui_keys k Up
	tui_expect tree-up2
	tui_keys NPage
	tui_expect tree-pgdn
	tui_keys PPage
	tui_expect tree-pgup
	tui_keys d
	tui_expect tree-pgdn
	tui_keys u
	tui_expect tree-pgup
}

@test "tree: space collapses and expands; ctrl+space all; h and l" {
	tui_start 120 40 "$IMG"
	tui_keys Tab Space
	tui_expect collapse-app
	tui_keys Space
	tui_expect tree-focus
	tui_keys C-Space
	tui_expect collapse-all
	tui_keys l
	tui_expect right-into-app
	tui_keys h
	tui_expect left-to-app
	tui_keys C-Space
	tui_expect left-to-app-expanded
}

@test "tree: ctrl+a/r/m/u hide and show added, removed, modified, unmodified" {
	tui_start 120 40 "$IMG"
	tui_keys Tab C-u
	tui_expect hide-unmodified
	tui_keys C-r
	tui_expect hide-unmodified-removed
	tui_keys C-a C-m
	tui_expect hide-all-but-unmodified-none
	tui_keys C-u
	tui_expect hide-all-but-unmodified
	tui_keys C-a C-r C-m
	tui_expect tree-focus
}

@test "tree: ctrl+b hides the attributes; ctrl+o sorts by size" {
	tui_start 120 40 "$IMG"
	tui_keys Tab C-b
	tui_expect no-attributes
	tui_keys C-b C-o
	tui_expect by-size
}

@test "filter: a literal as you type, a regex, a bad regex, enter keeps it (named in the tree's title), esc clears it" {
	tui_start 120 40 "$IMG"
	tui_keys Tab C-f p a s
	tui_expect filter-pas
	tui_keys BSpace BSpace BSpace
	tui_type '^/app/.*\.py$'
	tui_expect filter-regex
	tui_type '('
	tui_expect filter-bad
	tui_keys BSpace Enter
	tui_expect filter-kept
	tui_keys C-f Escape
	tui_expect tree-focus
}

@test "enter opens a file's bytes at the layer in \$PAGER" {
	tui_start 120 40 "$IMG"
	tui_keys Up Tab j j j j j j j j Enter
	# layer 1 rewrote /etc/passwd: its bytes as they are there
	[ "$(cat "$BATS_TEST_TMPDIR/paged")" = "$(printf 'root:x:0:0\nuser:x:1:1')" ]
	tui_keys k k Up Enter
	[ "$(cat "$BATS_TEST_TMPDIR/paged")" = "print('hi')" ]
}

@test "enter on what the pager cannot show says so and changes nothing; on a directory it toggles modified" {
	tui_start 120 40 "$IMG"
	# /tmp/cache/junk, removed (red) by layer 2: a message, no "^M -Modified"
	tui_keys Tab j j j j j j j j j j j j j Enter
	tui_expect enter-removed
	# a symbolic link: the same
	tui_keys u j Enter
	tui_expect enter-symlink
	[ ! -e "$BATS_TEST_TMPDIR/paged" ]
	# /tmp/cache, a removed directory: dive's ^M, modified paths hidden and shown
	tui_keys d k Enter
	tui_expect enter-removed-dir
	tui_keys Enter u
	tui_expect tree-focus
}

@test "ctrl+e extracts into the current directory; links that point out are refused" {
	tui_start 120 40 "$IMG"
	tui_keys Tab C-e
	tui_expect extracted-app
	cwd=$BATS_TEST_TMPDIR/cwd
	[ "$(cat "$cwd/app/main.py")" = "print('hi')" ]
	[ "$(stat -c %a "$cwd/app/main.py")" = 755 ]
	[ "$(readlink "$cwd/app/current")" = lib ]
	[ "$(cmp -s "$cwd/app/lib/big.bin" - < <(python3 -c 'import sys; sys.stdout.buffer.write(bytes(k % 251 for k in range(50000)))') && echo same)" = same ]
	[ ! -e "$cwd/app/escape" ]
	[ ! -L "$cwd/app/escape" ]
	[ ! -L "$cwd/app/lib/up" ]
	[ ! -e "$BATS_TEST_TMPDIR/outside" ]
	# a second time: nothing is overwritten
	tui_keys C-e
	tui_expect extract-exists
}

@test "? shows the keys; any key closes it" {
	tui_start 120 40 "$IMG"
	tui_type '?'
	tui_expect help
	tui_keys x
	tui_expect first-120x40
}

@test "a resize while the keys are shown closes them and lays the screen out at the new size" {
	tui_start 120 40 "$IMG"
	tui_type '?'
	tui_resize 80 24
	tui_expect first-80x24
}

@test "image details: tab to the inefficient files, enter jumps the tree to the path" {
	[ -f "$DOCKER" ] || skip "no shared images"
	tui_start 120 40 "$DOCKER"
	tui_keys Tab Tab
	tui_expect docker-files-focus
	tui_keys Enter
	tui_expect docker-jump-saved
	# removed by layer 8: the tree goes down to where it went, shown red
	tui_keys Tab j Enter
	tui_expect docker-jump-somefile1
}

@test "NO_COLOR: a status letter instead of colour" {
	tui_start 120 40 "$IMG" NO_COLOR=1
	tui_keys Up
	tui_expect nocolor-layer1
}

@test "resizing redraws at the new size" {
	tui_start 120 40 "$IMG"
	tui_resize 80 24
	tui_expect first-80x24
}

@test "resizing larger keeps the layer list filled, the selected layer shown" {
	[ -f "$DOCKER" ] || skip "no shared images"
	tui_start 70 20 "$DOCKER"
	tui_expect docker-70x20
	tui_resize 100 30
	tui_expect docker-resized-100x30
	tui_resize 70 20
	tui_expect docker-70x20
}

@test "q and ctrl+c quit with status 0" {
	tui_start 80 24 "$IMG"
	tmux -S "$TUI_SOCK" send-keys q
	[ "$(tui_exit_status)" = 0 ]
	tui_stop
	tui_start 80 24 "$IMG"
	tmux -S "$TUI_SOCK" send-keys C-c
	[ "$(tui_exit_status)" = 0 ]
}

@test "config.yaml: dive's keybinding, diff, filetree and layer sections" {
	mkdir -p "$BATS_TEST_TMPDIR/home/.config/fathom"
	cat >"$BATS_TEST_TMPDIR/home/.config/fathom/config.yaml" <<'YAML'
keybinding:
  quit: x
  toggle-view: ctrl+t
diff:
  hide: [unchanged]
filetree:
  collapse-dir: true
  pane-width: 0.6
layer:
  show-aggregated-changes: true
YAML
	tui_start 120 40 "$IMG"
	tui_expect config
	tui_keys C-t
	tui_expect config-tree
	tmux -S "$TUI_SOCK" send-keys x
	[ "$(tui_exit_status)" = 0 ]
}

@test "a bad config.yaml: one line naming the file, line and key; exit status 2" {
	mkdir -p "$BATS_TEST_TMPDIR/xdg/fathom"
	printf 'filetree:\n  pane-width: 2\n' >"$BATS_TEST_TMPDIR/xdg/fathom/config.yaml"
	run timeout 10 script -qec "XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/xdg '$FATHOM' '$IMG'" /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"fathom: $BATS_TEST_TMPDIR/xdg/fathom/config.yaml:2: filetree.pane-width: not a ratio between 0 and 1"* ]]
}
