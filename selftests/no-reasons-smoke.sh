#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module on a kernel without drop reasons (5.10), run as root in the
# lab VM: the suites key their checks on reason names, which such a kernel
# has none of.  In each attach mode: datagrams to a closed port in a fresh
# netns are counted in that netns exactly as the kernel's UdpNoPorts, with
# "-" (JSON null) as their reason and UDP's receive path as the location;
# status says, in text and JSON, that the kernel has no drop reasons;
# the module unloads cleanly; the BPF backend refuses to attach, saying in
# one line which feature the kernel lacks.  Ends with "N passed, N failed".
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
SKBSTAT=build/user/skbstat
KO=build/kmod/$(uname -r)/skbstat.ko
NS=skbstat-noreasons-$$
SENT=100
passed=0
failed=0

check() {	# DESC COMMAND...
	local desc=$1
	shift
	if "$@"; then
		echo "ok   $desc"
		passed=$((passed + 1))
	else
		echo "FAIL $desc"
		failed=$((failed + 1))
	fi
}

noports() {	# the netns's UdpNoPorts
	ip netns exec "$NS" awk '/^Udp:/ && n++ { print $3 }' /proc/net/snmp
}

# The rows of the netns, summed: "packets reasons locations".
rows_of_netns() {	# INODE
	"$SKBSTAT" -b kmod -j drops |
		jq -r --argjson ns "$1" '[.drops[] | select(.netns == $ns)] |
			"\(map(.packets) | add // 0) \(map(.reason) | unique | tostring)
			 \(map(.location | sub("\\+.*"; "")) | unique | join(","))"'
}

one_mode() {	# MODE
	local mode=$1 before after inode rows
	ip netns add "$NS"
	ip -n "$NS" link set lo up
	inode=$(stat -L -c %i "/run/netns/$NS")
	check "$mode: skbstat attach" "$SKBSTAT" -b kmod attach --mode "$mode"
	before=$(noports)
	ip netns exec "$NS" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(int(sys.argv[1])):
    s.sendto(b"x" * 32, ("127.0.0.1", 9))' "$SENT"
	after=$(noports)
	check "$mode: the kernel counted $SENT datagrams to a closed port" \
		test "$((after - before))" -eq "$SENT"
	rows=$(rows_of_netns "$inode")
	echo "# $mode: netns $inode: $rows"
	check "$mode: the module counted them in that netns, reason null, in UDP's receive path" \
		test "$(echo $rows)" = "$SENT [null] __udp4_lib_rcv"
	ip netns del "$NS"
}

if [ -e /sys/kernel/tracing/events/skb/kfree_skb/format ] &&
   grep -q reason /sys/kernel/tracing/events/skb/kfree_skb/format; then
	echo "# this kernel has drop reasons: nothing to do here"
	echo "0 passed, 0 failed"
	exit 0
fi
check "insmod" insmod "$KO"
for mode in tracepoint kprobe; do
	one_mode "$mode"
done
check "status says the hooks are attached" \
	sh -c "'$SKBSTAT' -b kmod -j status | jq -e '[.hooks[].attached] | all' >/dev/null"
status=$("$SKBSTAT" -b kmod status)
echo "$status" | sed 's/^/# /'
check "status says in text that the kernel has no drop reasons" \
	grep -qx "drop reasons: none: the kernel has none, every drop's reason is -" <<<"$status"
check "status says so in JSON" \
	sh -c "'$SKBSTAT' -b kmod -j status | jq -e '.drop_reasons == false' >/dev/null"
check "rmmod" rmmod skbstat
# Such a kernel (5.10) lacks what the BPF backend needs: one line says what.
err=$("$SKBSTAT" -b bpf attach 2>&1 >/dev/null)
echo "# skbstat -b bpf attach: $err"
check "the BPF backend refuses in one line that names the missing feature" \
	test "$(wc -l <<<"$err")" -eq 1 -a -n "$(grep -F SO_NETNS_COOKIE <<<"$err")"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
