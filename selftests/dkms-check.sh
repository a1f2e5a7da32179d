#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS and the Debian packages, end to end, as root on this machine:
#  1. make dkms-install (dkms add/build/install for every lab kernel), then
#     in the lab VM of each kernel modprobe loads the DKMS-built module and
#     build/user/skbstat status shows it; make dkms-uninstall leaves nothing.
#  2. make deb, apt-get install both packages, the same round trip with
#     /usr/sbin/skbstat, apt-get purge leaves nothing.
# Ends with "N passed, N failed".  Whatever happens, nothing of skbstat
# stays installed.
#
#   selftests/dkms-check.sh                  run the checks (needs the CLI
#                                            built: make user)
#   selftests/dkms-check.sh guest KVER CLI   in the VM: load and check
set -euo pipefail

cd "$(dirname "$0")/.."
VERSION=$(cat VERSION)
PKGS=(skbstat skbstat-dkms)
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt or dpkg run instead of failing at once.
APT=(apt-get -y -q -o DPkg::Lock::Timeout=300)
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }

# check DESCRIPTION CMD...: one test, its output shown.
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# --- in the guest ---------------------------------------------------------

# modprobe has to find the module through the host's modules.dep (dkms runs
# depmod), in updates/dkms, and it has to be the version we built.
guest() {
	local kver=$1 cli=$2 path out
	[[ $(uname -r) == "$kver" ]] || { echo "guest runs $(uname -r), not $kver"; return 1; }
	modprobe skbstat
	path=$(modinfo -n skbstat)
	echo "loaded $path, version $(cat /sys/module/skbstat/version)"
	[[ $path == "/lib/modules/$kver/updates/dkms/skbstat.ko"* ]]
	[[ $(cat /sys/module/skbstat/version) == "$VERSION" ]]
	out=$("$cli" -b kmod status)
	printf '%s\n' "$out"
	grep -q '^backend: kmod' <<<"$out"
	rmmod skbstat
}

if [[ ${1:-} == guest ]]; then
	shift
	guest "$@"
	exit
fi

# --- on the host ----------------------------------------------------------

# Lab kernels: an image to boot and headers to build against.
lab_kernels() {
	local d k
	for d in /lib/modules/*/build; do
		k=${d#/lib/modules/}
		k=${k%/build}
		[[ -e /boot/vmlinuz-$k ]] && echo "$k"
	done
}

# Everything of skbstat that dkms or apt put on the machine, one per line.
leftovers() {
	local p
	compgen -G '/lib/modules/*/updates/dkms/skbstat*' || true
	compgen -G '/usr/src/skbstat-*' || true
	[[ ! -e /var/lib/dkms/skbstat ]] || echo /var/lib/dkms/skbstat
	grep -l 'skbstat' /lib/modules/*/modules.dep 2>/dev/null || true
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$p" 2>/dev/null |
			grep -v '^un ' || true
	done
}

no_leftovers() {
	local left
	left=$(leftovers)
	[[ -z $left ]] || { echo "left behind:"; echo "$left"; return 1; }
}

# Removes whatever a failed run left; quiet when there is nothing.
cleanup() {
	local p installed=()
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -qv '^un' &&
			installed+=("$p")
	done
	((${#installed[@]} == 0)) || "${APT[@]}" purge "${installed[@]}" >/dev/null || true
	if [[ -n $(dkms status "skbstat/$VERSION" 2>/dev/null) ]]; then
		dkms remove "skbstat/$VERSION" --all >/dev/null || true
	fi
	rm -rf /usr/src/skbstat-*
}

# dkms says installed for the kernel, and the module there is for it.
dkms_installed() {
	local kver=$1 ko=/lib/modules/$1/updates/dkms/skbstat.ko
	[[ $(dkms status "skbstat/$VERSION" -k "$kver") == *": installed"* ]] &&
		[[ $(modinfo -F vermagic "$ko") == "$kver "* ]] &&
		[[ $(modinfo -F version "$ko") == "$VERSION" ]]
}

in_vm() {
	selftests/vm/run-vm.sh -k "$1" -- selftests/dkms-check.sh guest "$1" "$2"
}

# After an install: built for each lab kernel, then loaded and read in its VM.
round_trip() {
	local how=$1 cli=$2 k
	for k in "${KERNELS[@]}"; do
		check "$how: dkms built and installed skbstat for $k" dkms_installed "$k"
		check "$how: modprobe skbstat and $cli status in the VM ($k)" in_vm "$k" "$cli"
	done
}

# dkms add of a tree whose dkms.conf still has the placeholder: dkms.conf
# reads the version from VERSION.  Only added, not built: that comes next.
dkms_add_tree() {
	local tree rc=0
	tree=$(mktemp -d /tmp/skbstat-dkms.XXXXXX)
	cp -r Kbuild VERSION dkms.conf kmod include "$tree/"
	dkms add "$tree" && [[ $(dkms status "skbstat/$VERSION") == *": added"* ]] || rc=1
	dkms remove "skbstat/$VERSION" --all >/dev/null || rc=1
	rm -rf "$tree" "/usr/src/skbstat-$VERSION"
	return "$rc"
}

dkms_source_tree() {
	echo "== dkms add/build/install (make dkms-install)"
	check "dkms add of a source tree finds version $VERSION" dkms_add_tree
	check "make dkms-install" make --no-print-directory dkms-install
	round_trip dkms build/user/skbstat
	check "make dkms-uninstall" make --no-print-directory dkms-uninstall
	check "dkms: nothing left after dkms remove" no_leftovers
}

# The installed dkms.conf has the version filled in, as dh_dkms -V does.
# (Listings go to variables: grep -q closing a pipe early fails pipefail.)
deb_contents() {
	local dkms_deb=$1 cli_deb=$2 cli_files dkms_files conf
	cli_files=$(dpkg-deb -c "$cli_deb")
	dkms_files=$(dpkg-deb -c "$dkms_deb")
	conf=$(dpkg-deb --fsys-tarfile "$dkms_deb" | tar -xOf - "./usr/src/skbstat-$VERSION/dkms.conf")
	grep -q ' ./usr/sbin/skbstat$' <<<"$cli_files" &&
		grep -q " ./usr/src/skbstat-$VERSION/kmod/main.c$" <<<"$dkms_files" &&
		grep -qx "PACKAGE_VERSION=\"$VERSION\"" <<<"$conf"
}

# make dkms-uninstall must not pull the sources from under the package.
refuses_package() {
	! make --no-print-directory dkms-uninstall 2>&1 &&
		[[ -d /usr/src/skbstat-$VERSION && -n $(dkms status "skbstat/$VERSION") ]]
}

debian_packages() {
	local dkms_deb=build/deb/skbstat-dkms_${VERSION}_all.deb
	local cli_deb=build/deb/skbstat_${VERSION}_amd64.deb
	echo "== Debian packages (make deb, apt-get install, apt-get purge)"
	if ! make --no-print-directory deb >build/deb.log 2>&1; then
		tail -n 30 build/deb.log
		fail "make deb (log: build/deb.log)"
		return
	fi
	pass "make deb"
	check "packages hold the CLI and the module sources" deb_contents "$dkms_deb" "$cli_deb"
	check "apt-get install ./skbstat-dkms ./skbstat" \
		"${APT[@]}" install --no-install-recommends "./$dkms_deb" "./$cli_deb"
	round_trip deb /usr/sbin/skbstat
	check "make dkms-uninstall leaves the package's module alone" refuses_package
	check "apt-get purge skbstat skbstat-dkms" "${APT[@]}" purge "${PKGS[@]}"
	check "deb: nothing left after purge" no_leftovers
	check "deb: /usr/sbin/skbstat and /usr/lib/skbstat gone" \
		test ! -e /usr/sbin/skbstat -a ! -e /usr/lib/skbstat
}

main() {
	local start=$SECONDS
	[[ $(id -u) == 0 ]] || { echo "dkms-check: needs root"; echo "0 passed, 1 failed"; exit 1; }
	[[ -x build/user/skbstat ]] || { echo "dkms-check: run 'make user' first"; echo "0 passed, 1 failed"; exit 1; }
	mapfile -t KERNELS < <(lab_kernels)
	# Never replace or remove an skbstat someone installed on purpose.
	if ! no_leftovers; then
		echo "dkms-check: skbstat is installed already (make dkms-uninstall, apt purge)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	# From here on, everything installed is ours to remove, also on a signal.
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	check "lab kernels with headers: ${KERNELS[*]:-none}" test "${#KERNELS[@]}" -gt 0
	dkms_source_tree
	debian_packages
	echo "dkms-check: $((SECONDS - start)) s"
	echo "$passed passed, $failed failed"
	[[ $failed -eq 0 ]]
}

main
