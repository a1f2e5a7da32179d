#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run: real counters from real traffic.  The module cannot load on a
# kernel without module support, so this boots the lab VM, loads it there,
# makes some traffic get dropped, retransmitted and queued, and shows what
# skbstat counted.
set -euo pipefail

cd "$(dirname "$0")/.."
if [ "${1:-}" != "--in-vm" ]; then
	exec selftests/vm/run-vm.sh -k "${KVER:?}" -- selftests/run-demo.sh --in-vm
fi

skbstat() { echo "\$ skbstat $*"; build/user/skbstat "$@"; echo; }
insmod "build/kmod/$(uname -r)/skbstat.ko"

# Two hosts joined by a veth pair; the receiver drops 7% of TCP and all
# UDP to port 5353.
for ns in a b; do
	ip netns add $ns
	ip -n $ns link set lo up
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.77.0.1/24 dev va && ip -n a link set va up
ip -n b addr add 10.77.0.2/24 dev vb && ip -n b link set vb up
ip netns exec b nft -f - <<'NFT'
table inet demo {
	chain in {
		type filter hook input priority 0;
		meta l4proto tcp numgen random mod 100 < 7 drop
		udp dport 5353 counter drop
	}
}
NFT

# Drops: UDP to a closed port and to a filtered one; a lossy TCP transfer.
ip netns exec a python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for port, n in ((9, 40), (5353, 25)):
    for _ in range(n):
        s.sendto(b"x" * 100, ("10.77.0.2", port))
PY
ip netns exec b python3 -c '
import socket
l = socket.create_server(("10.77.0.2", 5201))
c, _ = l.accept()
while c.recv(65536): pass
' &
sleep 0.5
ip netns exec a python3 -c '
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
