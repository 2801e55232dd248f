# tui.bash: drives the real fathom in tmux at a fixed size, for tui.bats.
# Each key press is waited for through FATHOM_TUI_TRACE (fathom writes one
# line per key it has handled and drawn), then the screen is captured with
# its attributes (colours, reverse video) and compared with a file under
# tests/cli/tui/. TUI_UPDATE=1 writes the files instead (to be read by a
# person before they are committed).
TUI_EXP=$BATS_TEST_DIRNAME/tui

tui_start() {	# tui_start COLS ROWS IMAGE [ENV...]
	local cols=$1 rows=$2 img=$3
	shift 3
	command -v tmux >/dev/null || skip "tmux is not installed"
	TUI_SOCK=$BATS_TEST_TMPDIR/tmux.sock
	TUI_TRACE=$BATS_TEST_TMPDIR/trace
	: >"$TUI_TRACE"
	mkdir -p "$BATS_TEST_TMPDIR/home" "$BATS_TEST_TMPDIR/cwd"
	cat >"$BATS_TEST_TMPDIR/pager" <<PAGER
#!/bin/sh
cp "\$1" "$BATS_TEST_TMPDIR/paged"
PAGER
	chmod +x "$BATS_TEST_TMPDIR/pager"
	printf 'set -g status off\n' >"$BATS_TEST_TMPDIR/tmux.conf"
	tmux -S "$TUI_SOCK" -f "$BATS_TEST_TMPDIR/tmux.conf" new-session -d -x "$cols" -y "$rows" \
		"cd '$BATS_TEST_TMPDIR/cwd' && env -i PATH='$PATH' HOME='$BATS_TEST_TMPDIR/home' \
		 LANG=C.UTF-8 TERM=tmux-256color PAGER='$BATS_TEST_TMPDIR/pager' \
		 FATHOM_TUI_TRACE='$TUI_TRACE' $* '$FATHOM' '$img'; echo EXITED \$?; sleep 600"
	local i
	for i in $(seq 100); do
		grep -q first-screen "$TUI_TRACE" 2>/dev/null && return 0
		sleep 0.05
	done
	tmux -S "$TUI_SOCK" capture-pane -p
	echo "fathom did not draw its first screen"
	return 1
}

tui_stop() {	# quits fathom (Ctrl+C) unless it has exited; its status must be 0
	[ -n "${TUI_SOCK:-}" ] || return 0
	tmux -S "$TUI_SOCK" has-session 2>/dev/null || return 0
	local i st
	tui_screen | grep -q '^EXITED' || tmux -S "$TUI_SOCK" send-keys C-c
	for i in $(seq 250); do
		st=$(tmux -S "$TUI_SOCK" capture-pane -p -S - | sed -n 's/^EXITED \([0-9]*\)$/\1/p')
		[ -n "$st" ] && break
		sleep 0.02
	done
	if [ "$st" != 0 ]; then
		tmux -S "$TUI_SOCK" capture-pane -p -S - | tail -n 40
		echo "fathom exited with status '${st:-(still running)}'"
		tmux -S "$TUI_SOCK" kill-server 2>/dev/null
		return 1
	fi
	tmux -S "$TUI_SOCK" kill-server 2>/dev/null || true
}

tui_drawn() {	# how many keys fathom has handled and drawn
	awk '/^key /{n++} END{print n+0}' "$TUI_TRACE"
}

tui_keys() {	# tui_keys KEY...: sends each and waits until fathom drew it
	local k want i
	for k in "$@"; do
		want=$(($(tui_drawn) + 1))
		if [ "${TUI_LITERAL:-}" = 1 ]; then
			tmux -S "$TUI_SOCK" send-keys -l "$k"
		else
			tmux -S "$TUI_SOCK" send-keys "$k"	# a key or tmux's name of one
		fi
		for i in $(seq 250); do
			[ "$(tui_drawn)" -ge "$want" ] && break
			sleep 0.02
		done
		if [ "$(tui_drawn)" -lt "$want" ]; then
			echo "fathom did not draw after key '$k'"
			return 1
		fi
	done
	sleep 0.05	# tmux's own redraw
}

tui_type() {	# tui_type TEXT: types it, one character (and one draw) at a time
	local text=$1 i
	for ((i = 0; i < ${#text}; i++)); do
		TUI_LITERAL=1 tui_keys "${text:i:1}"
	done
}

tui_screen() {
	tmux -S "$TUI_SOCK" capture-pane -p -e
}

tui_expect() {	# tui_expect NAME: the screen equals tests/cli/tui/NAME
	tui_screen >"$BATS_TEST_TMPDIR/screen"
	if [ "${TUI_UPDATE:-}" = 1 ]; then
		cp "$BATS_TEST_TMPDIR/screen" "$TUI_EXP/$1"
		return 0
	fi
	diff -u "$TUI_EXP/$1" "$BATS_TEST_TMPDIR/screen" | cat -v
	return "${PIPESTATUS[0]}"
}
