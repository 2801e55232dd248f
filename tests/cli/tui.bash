# tui.bash: drives the real fathom in tmux at a fixed size, for tui.bats.
# Each key press is waited for through FATHOM_TUI_TRACE: fathom writes one
# line per key it has handled and drawn, and after each screen it draws
# sets the terminal's title to "fathom N" (N: the keys drawn so far), which
# tmux reads in order with the screen's bytes, so once the pane's title
# says N, tmux holds the whole screen N. Then the screen is captured with
# its attributes (colours, reverse video) and compared with a file under
# tests/cli/tui/. TUI_UPDATE=1 writes the files instead (to be read by a
# person before they are committed).
#
# Nothing here sleeps a fixed time: each step polls for what it needs, up
# to TUI_WAIT seconds (a busy machine only makes it slower). Every start
# has a tmux server of its own on its own socket, and a stop waits until
# that server has gone: a tmux client that reaches a server while it shuts
# down fails with "server exited unexpectedly".
TUI_EXP=$BATS_TEST_DIRNAME/tui
TUI_WAIT=${TUI_WAIT:-60}
TUI_N=0

tui_wait() {	# tui_wait WHAT CMD...: until CMD succeeds; fails after TUI_WAIT s
	local what=$1 end=$((SECONDS + TUI_WAIT))
	shift
	until "$@"; do
		if [ "$SECONDS" -gt "$end" ]; then
			echo "gave up after ${TUI_WAIT}s waiting for $what"
			return 1
		fi
		sleep 0.01
	done
}

tui_start() {	# tui_start COLS ROWS IMAGE [ENV...]
	local cols=$1 rows=$2 img=$3
	shift 3
	command -v tmux >/dev/null || skip "tmux is not installed"
	TUI_N=$((TUI_N + 1))
	TUI_SOCK=$BATS_TEST_TMPDIR/tmux$TUI_N.sock
	TUI_TRACE=$BATS_TEST_TMPDIR/trace$TUI_N
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
		 FATHOM_TUI_TRACE='$TUI_TRACE' $* '$FATHOM' '$img'; echo EXITED \$?; sleep 600" || return 1
	TUI_SERVER=$(tmux -S "$TUI_SOCK" display-message -p '#{pid}') || return 1
	if ! tui_wait "the first screen" tui_first || ! grep -q '^first-screen ' "$TUI_TRACE"; then
		tmux -S "$TUI_SOCK" capture-pane -p
		echo "fathom did not draw its first screen"
		return 1
	fi
}

tui_first() {	# the first screen is drawn and shown, or fathom has exited
	tui_exited && return 0
	grep -q '^first-screen ' "$TUI_TRACE" && tui_shown
}

tui_exited() {	# fathom has exited (the pane's shell said so)
	tmux -S "$TUI_SOCK" capture-pane -p -S - | grep -q '^EXITED [0-9]*$'
}

tui_server_gone() {	# TUI_SERVER has exited (a zombie counts: nobody may reap it)
	local st
	st=$(ps -o stat= -p "$TUI_SERVER")
	[ -z "$st" ] || [ "${st#Z}" != "$st" ]
}

tui_kill_server() {	# kills the tmux server and waits until it has gone
	tmux -S "$TUI_SOCK" kill-server 2>/dev/null
	tui_wait "the tmux server to exit" tui_server_gone
}

tui_stop() {	# quits fathom (Ctrl+C) unless it has exited; its status must be 0
	[ -n "${TUI_SOCK:-}" ] || return 0
	tmux -S "$TUI_SOCK" has-session 2>/dev/null || return 0
	local st
	tui_exited || tmux -S "$TUI_SOCK" send-keys C-c
	tui_wait "fathom to exit" tui_exited
	st=$(tmux -S "$TUI_SOCK" capture-pane -p -S - | sed -n 's/^EXITED \([0-9]*\)$/\1/p')
	if [ "$st" != 0 ]; then
		tmux -S "$TUI_SOCK" capture-pane -p -S - | tail -n 40
		echo "fathom exited with status '${st:-(still running)}'"
		tui_kill_server
		return 1
	fi
	tui_kill_server
}

tui_exit_status() {	# tui_exit_status: waits until fathom exits, prints its status
	tui_wait "fathom to exit" tui_exited || return 1
	tmux -S "$TUI_SOCK" capture-pane -p -S - | sed -n 's/^EXITED \([0-9]*\)$/\1/p'
}

tui_drawn() {	# how many keys fathom has handled and drawn, a resize too
	awk '/^key /{n++} END{print n+0}' "$TUI_TRACE"
}

tui_pressed() {	# how many keys fathom has handled and drawn, not counting resizes
	awk '/^key / && $2 != 410 {n++} END{print n+0}' "$TUI_TRACE"	# 410: KEY_RESIZE
}

tui_resized() {	# how many resizes fathom has handled and drawn
	awk '/^key 410 /{n++} END{print n+0}' "$TUI_TRACE"
}

tui_shown() {	# tmux shows every screen fathom has drawn (the title is "fathom N")
	local want n
	want=$(tui_drawn)
	n=$(tmux -S "$TUI_SOCK" display-message -p '#{pane_title}' | sed -n 's/^fathom \([0-9]*\)$/\1/p')
	[ -n "$n" ] && [ "$n" -ge "$want" ]
}

tui_count_at_least() {	# tui_count_at_least FUNC N: FUNC prints N or more
	[ "$("$1")" -ge "$2" ]
}

tui_keys() {	# tui_keys KEY...: sends each and waits until fathom drew it
	local k want
	for k in "$@"; do
		want=$(($(tui_pressed) + 1))
		if [ "${TUI_LITERAL:-}" = 1 ]; then
			tmux -S "$TUI_SOCK" send-keys -l "$k"
		else
			tmux -S "$TUI_SOCK" send-keys "$k"	# a key or tmux's name of one
		fi
		tui_wait "fathom to draw after key '$k'" tui_count_at_least tui_pressed "$want" ||
			return 1
	done
	tui_wait "tmux to show fathom's screen" tui_shown
}

tui_type() {	# tui_type TEXT: types it, one character (and one draw) at a time
	local text=$1 i
	for ((i = 0; i < ${#text}; i++)); do
		TUI_LITERAL=1 tui_keys "${text:i:1}" || return 1
	done
}

tui_resize() {	# tui_resize COLS ROWS: resizes the terminal, waits until fathom drew it
	local want=$(($(tui_resized) + 1))
	tmux -S "$TUI_SOCK" resize-window -x "$1" -y "$2"
	tui_wait "fathom to draw after the resize" tui_count_at_least tui_resized "$want" || return 1
	tui_wait "tmux to show fathom's screen" tui_shown
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
