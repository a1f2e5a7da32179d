#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run: real counters from real traffic on this machine.  Two hosts in
# network namespaces get some traffic dropped, retransmitted and queued,
# and skbstat shows what it counted, with whatever backend works here: the
# module when it is loaded, else BPF, attached for the demo only (with
# nothing attached before, it is detached again at the end).
#
#   selftests/run-demo.sh          on this machine's own kernel
#   selftests/run-demo.sh --vm     in the lab VM, with the module loaded
set -euo pipefail

cd "$(dirname "$0")/.."
case ${1:-} in
--vm)
	exec selftests/vm/run-vm.sh -k "${KVER:?}" -- selftests/run-demo.sh --in-vm ;;
--in-vm)
	insmod "build/kmod/$(uname -r)/skbstat.ko" ;;
esac

skbstat() { echo "\$ skbstat $*"; build/user/skbstat "$@"; echo; }

A=skbstat-demo-a
B=skbstat-demo-b
ATTACHED=
cleanup() {
	ip netns del $A 2>/dev/null || true
	ip netns del $B 2>/dev/null || true
	if [ -n "$ATTACHED" ]; then build/user/skbstat -b bpf detach; fi
}
trap cleanup EXIT

if [ ! -d /sys/module/skbstat ] && [ ! -e /sys/fs/bpf/skbstat/links/drops ]; then
	build/user/skbstat -b bpf attach
	ATTACHED=1
fi

# Two hosts joined by a veth pair; the receiver drops 7% of TCP and all
# UDP to port 5353.
for ns in $A $B; do
	ip netns add $ns
	ip -n $ns link set lo up
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
ip link add va netns $A type veth peer name vb netns $B
ip -n $A addr add 10.77.0.1/24 dev va && ip -n $A link set va up
ip -n $B addr add 10.77.0.2/24 dev vb && ip -n $B link set vb up
ip netns exec $B nft -f - <<'NFT'
table inet demo {
	chain in {
		type filter hook input priority 0;
		meta l4proto tcp numgen random mod 100 < 7 drop
		udp dport 5353 counter drop
	}
}
NFT

# Drops: UDP to a closed port and to a filtered one; a lossy TCP transfer.
ip netns exec $A python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for port, n in ((9, 40), (5353, 25)):
    for _ in range(n):
        s.sendto(b"x" * 100, ("10.77.0.2", port))
PY
ip netns exec $B python3 -c '
import socket
l = socket.create_server(("10.77.0.2", 5201))
c, _ = l.accept()
while c.recv(65536): pass
' &
sleep 0.5
ip netns exec $A python3 -c '
import socket
s = socket.create_connection(("10.77.0.2", 5201))
s.sendall(bytes(2 << 20))
s.close()
'
wait

skbstat status
skbstat drops --by reason
skbstat drops --top 6
skbstat flows
skbstat queues
