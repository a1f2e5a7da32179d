#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run: real drop counts by reason.  The module cannot load on a kernel
# without module support, so this boots the lab VM, loads it there, makes
# some real traffic get dropped and shows what skbstat counted.
set -euo pipefail

cd "$(dirname "$0")/.."
if [ "${1:-}" != "--in-vm" ]; then
	exec selftests/vm/run-vm.sh -k "${KVER:?}" -- selftests/run-demo.sh --in-vm
fi

skbstat=build/user/skbstat
insmod "build/kmod/$(uname -r)/skbstat.ko"

# Some real drops: datagrams to a closed port, a firewall drop, a TCP
# connection to a closed port, and packets to an address nobody owns.
ip netns add demo
ip -n demo link set lo up
ip netns exec demo nft add table inet demo
ip netns exec demo nft add chain inet demo in '{ type filter hook input priority 0; }'
ip netns exec demo nft add rule inet demo in udp dport 5353 drop
for port in 9 5353 7; do
	for i in $(seq 1 20); do echo x; done >/dev/udp/127.0.0.1/$port 2>/dev/null || true
done
ip netns exec demo bash -c 'for i in $(seq 1 30); do echo x >/dev/udp/127.0.0.1/9; done' || true
ip netns exec demo bash -c 'for i in $(seq 1 10); do echo x >/dev/udp/127.0.0.1/5353; done' || true
ip netns exec demo bash -c 'for i in 1 2 3; do echo >/dev/tcp/127.0.0.1/1; done' 2>/dev/null || true

echo '$ skbstat status'
$skbstat status
echo
echo '$ skbstat drops --by reason'
$skbstat drops --by reason
echo
echo '$ skbstat drops --top 8'
$skbstat drops --top 8
