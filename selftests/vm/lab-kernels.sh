#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lab-kernels.sh fetch NAME...|all | info NAME | list - fetch Debian's
# builds of the lab kernels (5.10, 6.12, 6.12-rt, and sid's, named by its
# major.minor) and unpack them into a cache without installing anything;
# 6.1 and 6.1-rt are the host's own.  Each suite gets a private apt
# directory ($SKBSTAT_CACHE/lab-kernels/apt/SUITE), so the host's apt
# sources, pins, lists and dpkg status are neither used nor changed, while
# signatures are still checked against Debian's keyring.  A kernel unpacks
# into lab-kernels/NAME/root/ and is described by the shell-sourceable
# lab-kernels/NAME/info; a fetch that finds its versions again does nothing.

set -euo pipefail

CACHE=${SKBSTAT_CACHE:-/var/cache/skbstat}/lab-kernels
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
FORMAT=1	# part of the cache key: bump when the info file changes
NICE=(nice -n 19)	# the lab VMs share this machine: decompress gently
command -v ionice >/dev/null && NICE+=(ionice -c 3)
declare -A UPDATED=()

die() { echo "lab-kernels: $*" >&2; exit 1; }
say() { echo "lab-kernels: $*" >&2; }

# NAME -> "SUITE FLAVOUR MAJOR.MINOR-regex".  sid moves, so it is asked
# for by "sid" or by whatever major.minor it has at the time.
lab_spec() {
	case $1 in
	5.10) echo 'bullseye amd64 5\.10' ;;
	6.12) echo 'trixie amd64 6\.12' ;;
	6.12-rt) echo 'trixie rt-amd64 6\.12' ;;
	6.1 | 6.1-rt) die "$1 is the host's own kernel: nothing to fetch" ;;
	sid | [1-9]*.[0-9]*) echo 'sid amd64 [0-9]+\.[0-9]+' ;;
	*) die "unknown lab kernel '$1' (5.10 6.12 6.12-rt sid)" ;;
	esac
}

# The Debian mirror the host already uses (/etc/apt is only read), so lab
# kernels come from where its own packages do.
host_mirror() {
	local f uri
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.{list,sources}; do
		[[ -r $f ]] || continue
		uri=$(sed -nE -e 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p' \
			-e 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' \
			"$f" | grep -E '/debian/?$' | head -n1 || true)
		[[ $uri ]] && { echo "${uri%/}"; return; }
	done
	echo http://deb.debian.org/debian
}

# apt-get/apt-cache on SUITE's private directory.  The host's apt.conf.d
# still applies (proxy, Check-Valid-Until); its sources, pins and dpkg
# status do not, so installed 6.1 packages cannot pass for a lab kernel.
# The host's docker-clean turns off the binary cache; ours keeps it, or
# every apt-cache call would parse all of sid's Packages again.
apt_in() {	# SUITE apt-get|apt-cache ARGS...
	local d=$CACHE/apt/$1 cmd=$2
	shift 2
	"${NICE[@]}" "$cmd" -o Dir::Etc::sourcelist="$d/sources.list" \
		-o Dir::Etc::sourceparts=/nonexistent -o Dir::Etc::preferences="$d/preferences" \
		-o Dir::Etc::preferencesparts="$d/preferences.d" \
		-o Dir::State="$d/state" -o Dir::State::Lists="$d/lists" \
		-o Dir::State::status="$d/state/status" -o Dir::Cache="$d/cache" \
		-o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=srcpkgcache.bin \
		-o Debug::NoLocking=1 -o APT::Get::List-Cleanup=0 "$@"
}

# Once per run and suite.  Released suites get their kernel updates through
# -security; sid has none.  --error-on=any makes a refused signature fatal
# instead of a warning over stale lists; nothing is trusted=yes.
update_suite() {	# SUITE
	local d=$CACHE/apt/$1 m log opts="[arch=amd64 signed-by=$KEYRING]"
	[[ ${UPDATED[$1]:-} ]] && return
	mkdir -p "$d"/{state,lists/partial,cache/archives/partial,preferences.d}
	touch "$d/state/status"
	m=$(host_mirror)
	echo "deb $opts $m $1 main" >"$d/sources.list"
	[[ $1 == sid ]] || echo "deb $opts ${m%/debian}/debian-security $1-security main" >>"$d/sources.list"
	say "$1: apt-get update"
	log=$(apt_in "$1" apt-get -q --error-on=any update 2>&1) ||
		{ echo "$log" >&2; die "$1: apt-get update failed (signature or mirror, see above)"; }
	grep -E '^(W|E):' <<<"$log" >&2 || true
	UPDATED[$1]=1
}

# Who signed SUITE's InRelease, as gpgv sees it with Debian's keyring.
signers() {	# SUITE
	local f
	for f in "$CACHE/apt/$1/lists/"*_dists_"$1"*_InRelease; do
		gpgv --keyring "$KEYRING" "$f" 2>&1 |
			sed -nE 's/.*Good signature from "Debian (.*) Key \((.*)\).*/\1 \2/p' || true
	done | sort -u | paste -sd';'
}

# Newest KVER (6.12.43+deb13-amd64) with a linux-image package, signed
# or only -unsigned (sid, before the signed build lands).
find_kver() {	# SUITE FLAVOUR MM-regex
	apt_in "$1" apt-cache pkgnames linux-image- |
		sed -nE "s/^linux-image-(($3)\.[0-9][^-]*(-[0-9]+)?-$2)(-unsigned)?\$/\1/p" |
		sort -uV | tail -n1 || true
}

field() {	# SUITE PKG FIELD -> the candidate's FIELD, empty if no such package
	apt_in "$1" apt-cache show --no-all-versions "$2" 2>/dev/null |
		sed -n "s/^$3: //p" | head -n1 || true
}

# Depends that belong to this kernel build: the -common(-rt) headers,
# linux-kbuild (linux-kbuild-5.10, linux-kbuild-6.12.43+deb13) and, since
# sid's 7.x, the image split into linux-binary (vmlinuz), -modules, -base.
kernel_deps() {	# SUITE PKG
	field "$1" "$2" Depends | tr ',' '\n' |
		sed -nE 's/^ *(linux-[a-z]+-[0-9][^ ]*).*/\1/p'
}

# The flavour's Makefile names the -common tree (and, since 7.x, itself
# as KBUILD_OUTPUT) by absolute /usr/src paths, and modules/KVER/build
# (5.10: source too) points there: aim them all into root/, so that
# HEADERS works as a KDIR for a kernel that is not installed.
relocate_headers() {	# ROOT HEADERS MODULES
	local src
	sed -i "s|\([ =]\)/usr/src/|\1$1/usr/src/|g" "$2/Makefile"
	ln -sfn "$2" "$3/build"
	src=$(readlink "$3/source" || true)
	[[ $src != /* ]] || ln -sfn "$1$src" "$3/source"
}

# Debian links the kbuild tools against its suite's libraries, which may be
# newer than the host's: ask the loader about each one and run fixdep (it
# prints its usage).  sign-file and extract-cert failing is no "no": they
# handle signing keys, which a module build against HEADERS never does.
kbuild_check() {	# HEADERS -> sets KBUILD_TOOLS_RUN, KBUILD_TOOLS_WHY
	local h=$1 t n miss need out why='' ok=yes
	local -a tools
	local -A by=()	# what is missing -> the tools that miss it
	mapfile -t tools < <(find -L "$h/scripts" "$h/tools" -type f -perm -u+x \
		-exec sh -c 'head -c4 "$1" | grep -q ELF' sh {} \; -print 2>/dev/null)
	need=$(objdump -p "${tools[@]}" /dev/null 2>/dev/null | grep -oE 'GLIBC_[0-9.]+' | sort -uV | tail -n1 || true)
	for t in "${tools[@]}"; do
		miss=$(ldd "$t" 2>&1 | sed -nE -e 's/.*version .(GLIBC_[0-9.]+). not found.*/\1/p' \
			-e 's/^[[:space:]]*([^ ]+) => not found.*/\1/p' | sort -u | paste -sd, || true)
		[[ $miss ]] || continue
		n=${t##*/} n=${n%%.real-*}	# modpost.real-lsb-64 ... are one modpost
		[[ " ${by[$miss]:-} " == *" $n "* ]] || by[$miss]+=" $n"
		[[ $n == sign-file || $n == extract-cert ]] || ok=no
	done
	for miss in "${!by[@]}"; do why+="; $miss missing for${by[$miss]}"; done
	out=$("$h/scripts/basic/fixdep" 2>&1 || true)
	[[ $out == *[Uu]sage* ]] || { ok=no why+="; fixdep: ${out%%$'\n'*}"; }
	KBUILD_TOOLS_RUN=$ok
	KBUILD_TOOLS_WHY="${#tools[@]} tools need up to ${need:-?}, host has GLIBC_$(getconf GNU_LIBC_VERSION | cut -d' ' -f2)$why"
}

write_info() {	# DIR: from fetch_one's locals
	local v
	for v in NAME SUITE KVER IMAGE MODULES HEADERS COMPILER SOURCE_PKG SOURCE_VERSION \
		SOURCE_SIZE PACKAGES SIGNED_BY KBUILD_TOOLS_RUN KBUILD_TOOLS_WHY KEY; do
		printf '%s=%q\n' "$v" "${!v}"
	done >"$1/info"
}

# The info file goes first and comes back last: a fetch cut short leaves
# no info, never a stale one over a half-unpacked root.
download_unpack() {	# SUITE DIR PKG=VER...
	local suite=$1 dir=$2 deb
	shift 2
	rm -rf "$dir/info" "$dir/root" "$dir/debs"
	mkdir -p "$dir/debs"
	! id _apt >/dev/null 2>&1 || chown _apt "$dir/debs"	# apt's download sandbox
	say "${dir##*/}: downloading $*"
	(cd "$dir/debs" && apt_in "$suite" apt-get -q download "$@") >&2 ||
		die "${dir##*/}: apt-get download failed"
	say "${dir##*/}: $(du -cb "$dir"/debs/*.deb | awk 'END { printf "%.1f MiB", $1 / 1048576 }') downloaded"
	for deb in "$dir"/debs/*.deb; do
		"${NICE[@]}" dpkg-deb -x "$deb" "$dir/root"
	done
	rm -rf "$dir/debs"	# root/ is the cache; the .debs were transport
}

# pkgs+=(PKG=VERSION) for each PKG and the packages of this build it needs.
resolve_pkgs() {	# SUITE PKG...: appends to the caller's pkgs
	local suite=$1 p v
	local -a todo=("${@:2}")
	while ((${#todo[@]})); do
		p=${todo[0]} todo=("${todo[@]:1}")
		[[ " ${pkgs[*]} " != *" $p="* ]] || continue
		v=$(field "$suite" "$p" Version)
		[[ $v ]] || die "$p is not in $suite"
		pkgs+=("$p=$v")
		mapfile -t -O "${#todo[@]}" todo < <(kernel_deps "$suite" "$p")
	done
}

# Sets the caller's MODULES, IMAGE, HEADERS and COMPILER (what an
# out-of-tree module must be built with).  trixie moved the modules to
# /usr/lib and 7.x put vmlinuz beside them.
locate() {	# ROOT KVER
	for MODULES in {"$1","$1/usr"}/lib/modules/"$2" ''; do
		[[ -d $MODULES ]] && break
	done
	for IMAGE in "$1/boot/vmlinuz-$2" "$MODULES/vmlinuz" ''; do
		[[ -s $IMAGE ]] && break
	done
	HEADERS=$1/usr/src/linux-headers-$2
	[[ $MODULES && $IMAGE && -s $HEADERS/Makefile ]] ||
		die "$2: no modules, vmlinuz or headers in $1"
	COMPILER=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$HEADERS/.config")
}

fetch_one() {	# NAME
	local NAME=$1 SUITE flavour mm KVER IMAGE MODULES HEADERS COMPILER SOURCE_PKG
	local SOURCE_VERSION SOURCE_SIZE PACKAGES SIGNED_BY KEY
	local KBUILD_TOOLS_RUN KBUILD_TOOLS_WHY dir img start=$SECONDS
	local -a pkgs=()
	read -r SUITE flavour mm <<<"$(lab_spec "$NAME")"
	update_suite "$SUITE"
	KVER=$(find_kver "$SUITE" "$flavour" "$mm")
	[[ $KVER ]] || die "$NAME: no linux-image-$mm.*-$flavour in $SUITE"
	mm=$(grep -oE '^[0-9]+\.[0-9]+' <<<"$KVER")
	[[ $SUITE != sid || $NAME == sid || $NAME == "$mm" ]] ||
		die "$NAME: sid has $KVER now; fetch 'sid' or '$mm'"
	[[ $SUITE != sid ]] || NAME=$mm
	img=linux-image-$KVER
	[[ $(field "$SUITE" "$img" Version) ]] || img+=-unsigned
	resolve_pkgs "$SUITE" "$img" "linux-headers-$KVER"
	PACKAGES=${pkgs[*]}
	KEY=$(printf '%s\n' "$FORMAT" "${pkgs[@]}" | sha256sum | cut -c1-16)
	dir=$CACHE/$NAME
	[[ $SUITE != sid ]] || ln -sfn "$NAME" "$CACHE/sid"
	if grep -qx "KEY=$KEY" "$dir/info" 2>/dev/null; then
		echo "$NAME: cached $KVER"
		return
	fi
	SOURCE_PKG=linux-source-$mm
	SOURCE_VERSION=$(field "$SUITE" "$SOURCE_PKG" Version)
	SOURCE_SIZE=$(field "$SUITE" "$SOURCE_PKG" Size)
	[[ $SOURCE_VERSION == "${pkgs[0]#*=}" ]] ||
		say "$NAME: warning: $SOURCE_PKG is ${SOURCE_VERSION:-missing}, $KVER ${pkgs[0]#*=}"
	SIGNED_BY=$(signers "$SUITE")
	download_unpack "$SUITE" "$dir" "${pkgs[@]}"
	locate "$dir/root" "$KVER"
	relocate_headers "$dir/root" "$HEADERS" "$MODULES"
	kbuild_check "$HEADERS"
	write_info "$dir"
	say "$NAME: $KVER from $SUITE in $((SECONDS - start)) s;" \
		"kbuild tools run: $KBUILD_TOOLS_RUN ($KBUILD_TOOLS_WHY)"
}

cmd_fetch() {
	local n
	(($#)) || die "fetch: which? (5.10 6.12 6.12-rt sid, or all)"
	[[ $* == all ]] && set -- 5.10 6.12 6.12-rt sid
	for n; do lab_spec "$n" >/dev/null; done	# all names valid, or none fetched
	mkdir -p "$CACHE" && exec 9>"$CACHE/.lock"
	flock 9	# one fetcher at a time; a second one then finds "cached"
	for n; do fetch_one "$n"; done
}

cmd_info() {
	(($# == 1)) || die "info: one NAME"
	[[ $1 =~ ^[A-Za-z0-9.-]+$ && -r $CACHE/$1/info ]] ||
		die "$1: not fetched (lab-kernels.sh fetch $1)"
	cat "$CACHE/$1/info"
}

cmd_list() {
	local f k
	[[ ! -L $CACHE/sid ]] || printf '%-8s -> %s\n' sid "$(readlink "$CACHE/sid")"
	for f in "$CACHE"/*/info; do
		[[ -r $f && ! -L ${f%/info} ]] || continue	# sid -> MAJOR.MINOR
		(. "$f" && printf '%-8s %-26s %-9s kbuild tools run: %s\n' \
			"$NAME" "$KVER" "$SUITE" "$KBUILD_TOOLS_RUN")
	done
	for k in /boot/vmlinuz-6.1.*; do	# the host's own: 6.1, 6.1-rt
		[[ ! -e $k ]] || printf '%-8s %-26s installed on the host\n' \
			"6.1$([[ $k != *-rt-* ]] || echo -rt)" "${k#/boot/vmlinuz-}"
	done
}

case ${1:-} in
fetch | info | list) cmd=$1; shift; "cmd_$cmd" "$@" ;;
*) die "usage: $0 fetch NAME...|all | info NAME | list" ;;
esac
