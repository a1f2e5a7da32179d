#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-ovs-dpctl.sh - Debian's ovs-dpctl, unpacked into the cache without
# installing openvswitch-switch: the package's scripts would start
# ovs-vswitchd on this machine, and the tests need only the one tool that
# speaks to the kernel's datapath (drops_test makes openvswitch drop
# packets for real, with its own drop reasons, in the lab VMs).  Its
# libraries are ordinary packages in make deps.  Prints the tool's path.
set -euo pipefail

CACHE=${SKBSTAT_CACHE:-/var/cache/skbstat}/ovs
PKG=openvswitch-switch

ver=$(apt-cache policy "$PKG" | sed -n 's/^ *Candidate: //p')
[[ $ver && $ver != "(none)" ]] || { echo "fetch-ovs-dpctl: apt knows no $PKG" >&2; exit 1; }
dir=$CACHE/$ver
if [[ ! -x $dir/usr/bin/ovs-dpctl ]]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	! id _apt >/dev/null 2>&1 || chown _apt "$tmp"
	(cd "$tmp" && apt-get -q download "$PKG=$ver") >&2
	rm -rf "$dir.new"
	mkdir -p "$dir.new"
	dpkg-deb -x "$tmp"/*.deb "$dir.new"
	rm -rf "$dir"
	mv "$dir.new" "$dir"
fi
ln -sfn "$ver/usr/bin/ovs-dpctl" "$CACHE/ovs-dpctl"
"$CACHE/ovs-dpctl" --version >/dev/null
echo "$CACHE/ovs-dpctl"
