#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS and the Debian packages, end to end, as root on this machine:
#  1. make dkms-install (dkms add/build/install for every lab kernel), then
#     in the lab VM of each kernel modprobe loads the DKMS-built module and
#     build/user/skbstat status shows it; make dkms-uninstall leaves nothing.
#  2. make deb, apt-get install both packages, the same round trip with
#     /usr/sbin/skbstat (and a kernel's DKMS hook rebuilding the module, as
#     on a kernel upgrade), apt-get purge leaves nothing.
#  3. for each lab kernel of $LAB_KERNELS (lab-kernels.sh; not installed on
#     this machine), dkms add/build/install in a DKMS tree of its own under
#     build/dkms-lab/ (--dkmstree, --sourcetree, --installtree,
#     --kernelsourcedir: never /lib/modules or /var/lib/dkms), then in that
#     kernel's VM the installed module goes where dkms would put it there,
#     depmod, modprobe and status as in 1.
# Ends with "N passed, N failed".  Whatever happens, nothing of skbstat
# stays installed, nor the DKMS signing key when this run made it.  About
# two minutes: 4 module builds, 4 VM boots, one package build.
#
#   selftests/dkms-check.sh                  run the checks (needs the CLI
#                                            built: make user)
#   selftests/dkms-check.sh guest KVER CLI   in the VM: load and check
set -euo pipefail

cd "$(dirname "$0")/.."
VERSION=$(cat VERSION)
PKGS=(skbstat skbstat-dkms)
# Written before anything is installed, removed after cleanup: a run that
# was killed (no traps) is then cleaned up by the next one.  It lists the
# DKMS key files that did not exist before, which cleanup removes.
STAMP=build/dkms-check.owned
MOK_FILES=(/var/lib/dkms/mok.key /var/lib/dkms/mok.pub)
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

# A lab kernel's guest: the module its own DKMS tree installed goes to
# updates/dkms, as dkms install does on a machine running that kernel.
# depmod indexes it alone: the guest's /lib/modules is a throwaway overlay,
# and reading the kernel's thousands of modules over 9p under TCG would
# take minutes (skbstat needs no other module).
guest_lab() {
	local kver=$1 cli=$2 ko=$3 dest
	dest=/lib/modules/$kver/updates/dkms/${ko##*/}
	install -D -m 0644 "$ko" "$dest"
	depmod "$kver" "$dest"
	guest "$kver" "$cli"
}

case ${1:-} in
guest) shift; guest "$@"; exit ;;
guest-lab) shift; guest_lab "$@"; exit ;;
esac

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

# Removes whatever this run (or, by the stamp, a killed earlier one)
# installed; quiet when there is nothing.  Also runs on a signal, maybe
# with the reader of our output gone: a broken pipe must not stop it.
cleanup() {
	local p f installed=()
	set +e
	trap '' PIPE
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -qv '^un' &&
			installed+=("$p")
	done
	((${#installed[@]} == 0)) || "${APT[@]}" purge "${installed[@]}" >/dev/null 2>&1
	if [[ -n $(dkms status skbstat 2>/dev/null) ]]; then
		dkms remove "skbstat/$VERSION" --all >/dev/null 2>&1
	fi
	rm -rf /usr/src/skbstat-* /var/lib/dkms/skbstat
	if [[ -f $STAMP ]]; then
		while read -r f; do
			[[ $f == /var/lib/dkms/mok.* ]] && rm -f "$f"
		done <"$STAMP"
		rm -f "$STAMP"
	fi
	set -e
}

# dkms says installed for the kernel; modprobe would find the module in
# updates/dkms (so depmod ran); it is for this kernel and version; and DKMS
# signed it, which is what Secure Boot needs (README).
dkms_installed() {
	local kver=$1 status ko signer
	status=$(dkms status "skbstat/$VERSION" -k "$kver")
	echo "$status"
	[[ $status == *": installed"* ]] || return 1
	ko=$(modinfo -k "$kver" -n skbstat) || return 1
	signer=$(modinfo -F signer "$ko")
	echo "$ko, signer: ${signer:-none}"
	[[ $ko == "/lib/modules/$kver/updates/dkms/skbstat.ko"* ]] &&
		[[ $(modinfo -F vermagic "$ko") == "$kver "* ]] &&
		[[ $(modinfo -F version "$ko") == "$VERSION" ]] &&
		[[ -n $signer ]]
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

# dkms.conf's BUILD_EXCLUSIVE_KERNEL, as dkms matches it (bash =~): 6.1
# and later, whatever the flavour, nothing older.
build_exclusive() {
	local v got=() ok=()
	local -A yes=([5.10.0-46-amd64]=1 [5.10.262]=1 [6.1.0-57-amd64]=1
		[6.1.0-57-rt-amd64]=1 [6.1.158]=1 [6.9.12-cloud-amd64]=1
		[6.12.48+deb13-amd64]=1 [6.18.44-fc-v1045]=1 [7.2.13+deb14-amd64]=1
		[7.0.0]=1 [10.1.0-rc2]=1)
	local no=(4.19.0-27-amd64 5.1.0 5.11.22 5.15.0-1-amd64 5.19.17 6.0.12-1-amd64 6.0.0
		5.100.1)
	mapfile -t got < <(bash -c '. ./dkms.conf
		for v; do [[ $v =~ $BUILD_EXCLUSIVE_KERNEL ]] && echo "$v"; done; true' \
		_ "${!yes[@]}" "${no[@]}")
	for v in "${got[@]}"; do
		[[ ${yes[$v]:-} ]] && ok+=("$v") || echo "builds for $v"
	done
	for v in "${!yes[@]}"; do
		[[ " ${ok[*]} " == *" $v "* ]] || echo "does not build for $v"
	done
	((${#ok[@]} == ${#yes[@]} && ${#got[@]} == ${#ok[@]}))
}

# make install puts every file under DESTDIR/PREFIX, make uninstall takes
# them all away again.
make_install() {
	local d rc=0 f left
	d=$(mktemp -d /tmp/skbstat-install.XXXXXX)
	make --no-print-directory -s install DESTDIR="$d" PREFIX=/usr/local >/dev/null || rc=1
	for f in sbin/skbstat share/man/man8/skbstat.8 lib/skbstat/skbstat.bpf.o \
		share/bash-completion/completions/skbstat lib/systemd/system/skbstat.service \
		lib/skbstat/skbstat-serve \
		share/skbstat/prometheus/skbstat.rules.yml; do
		[[ -f $d/usr/local/$f ]] || { echo "not installed: /usr/local/$f"; rc=1; }
	done
	make --no-print-directory -s uninstall DESTDIR="$d" PREFIX=/usr/local >/dev/null || rc=1
	left=$(find "$d" ! -type d)
	[[ -z $left ]] || { echo "make uninstall left: $left"; rc=1; }
	rm -rf "$d"
	return "$rc"
}

dkms_source_tree() {
	echo "== make install, dkms add/build/install (make dkms-install)"
	check "make install and make uninstall (DESTDIR)" make_install
	check "dkms.conf builds for 5.10 and for 6.1 and later only" build_exclusive
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
		grep -q ' ./usr/lib/systemd/system/skbstat.service$' <<<"$cli_files" &&
		grep -q " ./usr/src/skbstat-$VERSION/kmod/main.c$" <<<"$dkms_files" &&
		grep -qx "PACKAGE_VERSION=\"$VERSION\"" <<<"$conf"
}

# A kernel installed after the package gets the module from the hook its
# package runs, dkms autoinstall, which needs AUTOINSTALL=yes: take the
# module away for that kernel, run the hook, round_trip checks it is back.
kernel_hook_builds() {
	local kver=$1
	dkms unbuild "skbstat/$VERSION" -k "$kver" >/dev/null
	[[ ! -e /var/lib/dkms/skbstat/$VERSION/$kver && ! -e /lib/modules/$kver/updates/dkms/skbstat.ko ]] ||
		{ echo "dkms unbuild left the module for $kver"; return 1; }
	/etc/kernel/postinst.d/dkms "$kver"
}

cli_version() {
	local out
	out=$("$1" --version)
	echo "$out"
	[[ $out == "skbstat $VERSION" ]]
}

# make dkms-uninstall must not pull the sources from under the package.
refuses_package() {
	! make --no-print-directory dkms-uninstall 2>&1 &&
		[[ -d /usr/src/skbstat-$VERSION && -n $(dkms status "skbstat/$VERSION") ]]
}

debian_packages() {
	local dkms_deb=build/deb/skbstat-dkms_${VERSION}_all.deb
	local cli_deb=build/deb/skbstat_${VERSION}_amd64.deb k
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
	check "deb: /usr/sbin/skbstat is version $VERSION" cli_version /usr/sbin/skbstat
	# The postinst builds for the running and the newest kernel; here the
	# running one has no modules, so it built for all.  Elsewhere the hook
	# of each kernel does what the kernel's installation would have done.
	for k in "${KERNELS[@]}"; do
		[[ $(dkms status "skbstat/$VERSION" -k "$k") == *": installed"* ]] ||
			/etc/kernel/postinst.d/dkms "$k" || true
	done
	check "deb: a kernel's DKMS hook (autoinstall) rebuilds the module (${KERNELS[-1]})" \
		kernel_hook_builds "${KERNELS[-1]}"
	round_trip deb /usr/sbin/skbstat
	check "make dkms-uninstall leaves the package's module alone" refuses_package
	check "apt-get purge skbstat skbstat-dkms" "${APT[@]}" purge "${PKGS[@]}"
	check "deb: nothing left after purge" no_leftovers
	check "deb: /usr/sbin/skbstat and /usr/lib/skbstat gone" \
		test ! -e /usr/sbin/skbstat -a ! -e /usr/lib/skbstat
}

# DKMS for a kernel this machine does not run, the way a user of that kernel
# gets it: dkms.conf's own MAKE against the kernel's headers (their kbuild
# tools and compiler switches as lab-kernels.sh adapted them for this
# machine's gcc, through MAKEFLAGS).  All in a tree of its own, which the
# VM sees.
lab_dkms_install() {	# NAME: the installed module's path into LAB_KO
	local KVER HEADERS KBUILD_MAKE_ARGS t=$PWD/build/dkms-lab/$1 ko
	local -a dk
	# shellcheck source=/dev/null
	. <(selftests/vm/lab-kernels.sh info "$1") || return 1
	rm -rf "$t"
	mkdir -p "$t/dkms" "$t/modules/$KVER"
	make --no-print-directory -s dkms-src DESTDIR="$t/root" >/dev/null || return 1
	dk=(dkms --dkmstree "$t/dkms" --sourcetree "$t/root/usr/src" --installtree "$t/modules")
	"${dk[@]}" add -m skbstat -v "$VERSION" >/dev/null || return 1
	MAKEFLAGS="-- $KBUILD_MAKE_ARGS" "${dk[@]}" build -m skbstat -v "$VERSION" -k "$KVER" \
		--kernelsourcedir "$HEADERS" >"$t/build.log" 2>&1 ||
		{ tail -n 20 "$t/build.log"; return 1; }
	"${dk[@]}" install -m skbstat -v "$VERSION" -k "$KVER" --no-depmod >/dev/null || return 1
	"${dk[@]}" status -m skbstat -v "$VERSION" -k "$KVER"
	ko=$(compgen -G "$t/modules/$KVER/updates/dkms/skbstat.ko*" | head -n 1)
	[[ -n $ko && $(modinfo -F vermagic "$ko") == "$KVER "* ]] || return 1
	echo "$ko"
	LAB_KO=$ko
	LAB_KVER=$KVER
}

lab_dkms_in_vm() {	# NAME
	lab_dkms_install "$1" || return 1
	selftests/vm/run-vm.sh -k "$1" -- selftests/dkms-check.sh guest-lab \
		"$LAB_KVER" build/user/skbstat "$LAB_KO"
}

lab_kernels_dkms() {
	local name
	echo "== DKMS on the lab kernels ($LAB_KERNELS), each in a DKMS tree of its own"
	for name in $LAB_KERNELS; do
		check "lab kernel $name: dkms build and install (own tree), modprobe and status in its VM" \
			lab_dkms_in_vm "$name"
	done
	rm -rf build/dkms-lab
}

# After cleanup: nothing of skbstat, and the DKMS key files as they were.
as_before() {
	local f rc=0
	no_leftovers || rc=1
	for f in "${MOK_FILES[@]}"; do
		if [[ " ${mok_before[*]} " == *" $f "* ]]; then
			[[ -e $f ]] || { echo "$f is gone"; rc=1; }
		else
			[[ ! -e $f ]] || { echo "$f left behind"; rc=1; }
		fi
	done
	return "$rc"
}

give_up() {
	echo "dkms-check: $*"
	echo "0 passed, 1 failed"
	exit 1
}

main() {
	local start=$SECONDS f mok_before=()
	[[ $(id -u) == 0 ]] || give_up "needs root"
	[[ -x build/user/skbstat ]] || give_up "run 'make user' first"
	{ command -v dkms >/dev/null && [[ -d /var/lib/dkms ]]; } || give_up "no dkms: run 'make deps'"
	# One run at a time on this machine (other trees too): they share dpkg
	# and the DKMS tree.  A lock on the DKMS tree itself leaves no file.
	exec 9</var/lib/dkms
	flock -n 9 || { echo "dkms-check: waiting for another run"; flock -w 1800 9; } ||
		give_up "another dkms-check holds /var/lib/dkms"
	mapfile -t KERNELS < <(lab_kernels)
	if [[ -f $STAMP ]]; then
		echo "dkms-check: removing what an interrupted run installed"
		cleanup
	fi
	# Never replace or remove an skbstat someone installed on purpose.
	no_leftovers || give_up "skbstat is installed already (make dkms-uninstall, apt purge)"
	# From here on, everything installed is ours to remove, also on a signal.
	for f in "${MOK_FILES[@]}"; do
		[[ -e $f ]] && mok_before+=("$f")
	done
	mkdir -p build
	for f in "${MOK_FILES[@]}"; do
		[[ -e $f ]] || echo "$f"
	done >"$STAMP"
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	check "lab kernels with headers: ${KERNELS[*]:-none}" test "${#KERNELS[@]}" -gt 0
	if ((${#KERNELS[@]})); then
		dkms_source_tree
		debian_packages
	fi
	[[ -z ${LAB_KERNELS:-} ]] || lab_kernels_dkms
	cleanup
	check "the machine as before: no skbstat, DKMS signing key as it was" as_before
	echo "dkms-check: $((SECONDS - start)) s"
	echo "$passed passed, $failed failed"
	[[ $failed -eq 0 ]]
}

main
