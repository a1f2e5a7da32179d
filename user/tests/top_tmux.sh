#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# skbstat top in a real terminal: run the real binary under tmux against
# the real counters, make traffic that is dropped and transmitted, and read
# the screen back with capture-pane.  Needs root with the skbstat module
# loaded (or a backend that works here), tmux and python3; the lab VM has
# them:
#
#   make kmod user
#   selftests/vm/run-vm.sh -- bash -c \
#	'insmod build/kmod/$(uname -r)/skbstat.ko && user/tests/top_tmux.sh'
#
# usage: top_tmux.sh [SKBSTAT]   (default: build/user/skbstat)
# Prints "N passed, N failed" and exits non-zero when anything failed.
set -uo pipefail

SKBSTAT=$(realpath "${1:-build/user/skbstat}")
WORK=$(mktemp -d)
SOCK=
STARTS=0
PASSED=0
FAILED=0
TRAFFIC=

tm() { [ -n "$SOCK" ] && tmux -L "$SOCK" "$@"; }

cleanup() {
	[ -n "$TRAFFIC" ] && kill "$TRAFFIC" 2>/dev/null
	tm kill-server 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

ok() { echo "ok   $1"; PASSED=$((PASSED + 1)); }
fail() {
	echo "FAIL $1"
	[ -f "$WORK/screen" ] && sed 's/^/     | /' "$WORK/screen"
	[ -s "$WORK/err" ] && sed 's/^/     stderr: /' "$WORK/err"
	FAILED=$((FAILED + 1))
}
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

for tool in tmux python3; do
	command -v $tool >/dev/null || { echo "skip: no $tool"; exit 77; }
done

# The screen as the user sees it, without escape sequences.
screen() { tm capture-pane -p -t top > "$WORK/screen"; }

# Wait up to 10 s for the screen to match the extended regex $1.
wait_screen() {
	local i
	for i in $(seq 100); do
		screen
		grep -Eq "$1" "$WORK/screen" && return 0
		sleep 0.1
	done
	return 1
}

# Wait up to 10 s for top to exit; its status lands in $WORK/rc.
wait_exit() {
	local i
	for i in $(seq 100); do
		[ -s "$WORK/rc" ] && return 0
		sleep 0.1
	done
	return 1
}

# Start top in a 120x30 terminal; the pane stays open to show what is left.
# Each start has a server of its own: a killed one may linger a moment.
start_top() {
	rm -f "$WORK/rc" "$WORK/err"
	tm kill-server 2>/dev/null
	STARTS=$((STARTS + 1))
	SOCK="skbstat-top-$$-$STARTS"
	tm -f /dev/null new-session -d -s top -x 120 -y 30 \
		"$SKBSTAT $* 2>$WORK/err; echo \$? > $WORK/rc; sleep 60"
}

PINNED_BEFORE=$(ls /sys/fs/bpf/skbstat 2>/dev/null)

# Traffic for as long as the test runs: UDP to a closed port on loopback is
# dropped (NO_SOCKET) after lo transmitted it.
ip link set lo up
python3 - <<'PY' &
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + 120
while time.time() < end:
    for _ in range(50):
        s.sendto(b"x" * 200, ("127.0.0.1", 9))
    time.sleep(0.01)
PY
TRAFFIC=$!

start_top -i 0.5 top
check "the first screen says top is counting" \
	"wait_screen '^skbstat top: [a-z]+, every 0.5 s, [0-9:]{8}    q: quit'"
check "a refresh shows the loopback drops by rate" \
	"wait_screen '^NO_SOCKET +[a-z_0-9+x]+ +lo +[0-9.]+[KM]? +[0-9.]+[KM]? '"
check "the hook rates are on top" "grep -Eq '^drops: [0-9.]+[KM]? pkt/s' '$WORK/screen'"
check "the queues table shows lo" "grep -Eq '^lo +0 +[0-9]+ ' '$WORK/screen'"
check "refreshed in place: one title, no scrolling" \
	"[ \$(grep -c '^skbstat top:' '$WORK/screen') = 1 ] && [ \$(wc -l < '$WORK/screen') -le 30 ]"
first=$(head -1 "$WORK/screen")
check "the clock in the title moves" "sleep 1.2; screen; [ \"\$(head -1 '$WORK/screen')\" != '$first' ]"

tm resize-window -t top -x 50 -y 14
check "a smaller terminal: lines cut to 50 columns" \
	"sleep 1; screen; ! awk 'length(\$0) > 50 { bad = 1 } END { exit !bad }' '$WORK/screen'"
check "a smaller terminal: at most 14 lines" "[ \$(wc -l < '$WORK/screen') -le 14 ]"

tm send-keys -t top q
check "q quits with status 0" "wait_exit && [ \$(cat '$WORK/rc') = 0 ]"
check "the screen is restored (alternate screen left)" \
	"screen; ! grep -q '^skbstat top:' '$WORK/screen'"

start_top top
check "Ctrl-C: top starts" "wait_screen '^REASON '"
tm send-keys -t top C-c
check "Ctrl-C quits with status 0" "wait_exit && [ \$(cat '$WORK/rc') = 0 ]"

start_top -i 0.2 -c 3 top
check "-c 3 stops after three refreshes" "wait_exit && [ \$(cat '$WORK/rc') = 0 ]"

"$SKBSTAT" -i 0.3 -c 2 top --top 3 > "$WORK/piped" 2>&1
check "piped: plain interval output, two of them" \
	"[ \$(grep -c '^REASON' '$WORK/piped') = 2 ] && ! grep -q $'\\033' '$WORK/piped'"
"$SKBSTAT" -j -i 0.3 -c 2 top > "$WORK/piped.json"
check "piped JSON: one document per line" \
	"[ \$(wc -l < '$WORK/piped.json') = 2 ] && jq -e '.drops[0].packets_rate > 0' '$WORK/piped.json' >/dev/null"

# With nothing attached for good, the BPF backend counted for top's lifetime only.
if [ -z "$PINNED_BEFORE" ] && [ ! -d /sys/module/skbstat ]; then
	check "top attached BPF for its own lifetime: nothing is left pinned" \
		"[ ! -e /sys/fs/bpf/skbstat ] && ! bpftool link show 2>/dev/null | grep -q 'skbstat\\|drops_tp_btf'"
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
