#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lab-kernels.sh fetch|tools NAME...|all | info NAME | list - fetch Debian's
# builds of the lab kernels (5.10, 6.12, 6.12-rt, and sid's, named by its
# major.minor) and unpack them into a cache without installing anything;
# 6.1 and 6.1-rt are the host's own.  Each suite gets a private apt
# directory ($SKBSTAT_CACHE/lab-kernels/apt/SUITE), so the host's apt
# sources, pins, lists and dpkg status are neither used nor changed, while
# signatures are still checked against Debian's keyring.  A kernel unpacks
# into lab-kernels/NAME/root/ and is described by the shell-sourceable
# lab-kernels/NAME/info; a fetch that finds its versions again does nothing.
# Where Debian's kbuild tools need a newer glibc than the host's, fetch
# (or tools NAME) rebuilds them from the matching linux-source package.

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

# Debian's packages leave modules.dep to depmod in postinst: without it
# neither the lab VM's initramfs nor modprobe in the guest find a module's
# dependencies.  The host's depmod reads .ko.xz; the base is root/ or, for
# /usr/lib/modules, root/usr.
depmod_lab() {	# KVER MODULES
	[[ -s $2/modules.dep ]] && return
	"${NICE[@]}" depmod -b "${2%/lib/modules/"$1"}" "$1" ||
		die "$1: depmod failed"
}

# Debian links the kbuild tools against its suite's libraries, which may be
# newer than the host's: ask the loader about each one and run fixdep (it
# prints its usage).  Some tools failing is no "no", as a module build
# against HEADERS never runs them: sign-file and extract-cert (signing
# keys), kallsyms (vmlinux), conf (config targets), unifdef (headers_install).
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
		case $n in
		sign-file | extract-cert | kallsyms | conf | unifdef) ;;
		*) ok=no ;;
		esac
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
		SOURCE_SIZE PACKAGES SIGNED_BY KBUILD_TOOLS_RUN KBUILD_TOOLS_WHY KBUILD_TOOLS \
		KBUILD_MAKE_ARGS KEY; do
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

# What the host tools are built from.  modpost includes a few kernel
# headers by relative path; objtool's sync-check wants the x86 decoder's
# kernel copies; libbpf (for resolve_btfids) generates its helper list from
# the uapi bpf.h with bpf_doc.py.
TOOLS_SRC=('*/Makefile' '*/scripts/basic/*' '*/scripts/mod/*' '*/scripts/genksyms/*'
	'*/scripts/include/*' '*/scripts/bpf_doc.py' '*/include/linux/*' '*/include/uapi/*'
	'*/arch/x86/include/asm/*' '*/arch/x86/lib/*' '*/arch/x86/tools/*'
	'*/tools/build/*' '*/tools/scripts/*' '*/tools/include/*' '*/tools/lib/*'
	'*/tools/arch/x86/*' '*/tools/objtool/*' '*/tools/bpf/resolve_btfids/*')
TOOLS_FORMAT=1	# part of the tools' stamp: bump when what is built changes
# Tool (as the headers tree names it) -> where the build leaves it, under src/.
declare -A TOOLS=([scripts/basic/fixdep]=scripts/basic/fixdep
	[scripts/mod/modpost]=scripts/mod/modpost
	[scripts/genksyms/genksyms]=scripts/genksyms/genksyms
	[tools/objtool/objtool]=tools/objtool/objtool
	[tools/bpf/resolve_btfids/resolve_btfids]=tools/bpf/resolve_btfids/resolve_btfids)

# linux-source-MM=VERSION unpacked into DIR/src, only the parts that build
# the host tools: xz has to read the whole tarball anyway, but writing
# 1.4 GB to disk for a few hundred files would be waste.  The .deb is
# transport and goes.
fetch_source() {	# SUITE PKG VERSION DIR
	local suite=$1 pkg=$2 ver=$3 dir=$4
	rm -rf "$dir/debs" "$dir/src"
	mkdir -p "$dir/debs" "$dir/src"
	! id _apt >/dev/null 2>&1 || chown _apt "$dir/debs"
	say "$pkg: downloading $ver"
	# The lists are usually fresh from the fetch: update only when asked.
	if ! (cd "$dir/debs" && apt_in "$suite" apt-get -q download "$pkg=$ver") >&2; then
		update_suite "$suite"
		(cd "$dir/debs" && apt_in "$suite" apt-get -q download "$pkg=$ver") >&2 ||
			die "$pkg=$ver: apt-get download failed"
	fi
	say "$pkg: unpacking the tools' sources"
	dpkg-deb --fsys-tarfile "$dir"/debs/*.deb |
		tar -xO --wildcards './usr/src/linux-source-*.tar.xz' | "${NICE[@]}" xz -dc |
		"${NICE[@]}" tar -x -C "$dir/src" --strip-components=1 --wildcards \
			"${TOOLS_SRC[@]}" ||
		die "$pkg: cannot unpack"
	rm -rf "$dir/debs"
}

# What the kernel's compiler has and the host's gcc may not, each with the
# C that needs it.  CONFIG_CC_HAS_* describe the compiler, not the kernel:
# kernel headers turn them into attributes (__counted_by, __assume) that
# the host's gcc warns it ignores, and our module builds with -Werror.
CC_FEATURES=(
	'CC_HAS_COUNTED_BY|struct s { int n; int a[] __attribute__((__counted_by__(n))); };'
	'CC_HAS_COUNTED_BY_PTR|struct s { int n; int *p __attribute__((__counted_by__(n))); };'
	'CC_HAS_ASSUME|int f(int x) { __attribute__((__assume__(x > 0))); return x; }'
	'CC_HAS_MULTIDIMENSIONAL_NONSTRING|char a[2][4] __attribute__((__nonstring__));'
)

# Turn off in HEADERS's autoconf.h and auto.conf the compiler features the
# host's gcc lacks, as if the kernel had been configured with it (which is
# what a distribution's DKMS does with the kernel's own compiler).  The
# tree is ours (a fetch unpacks it afresh); running again changes nothing.
adapt_compiler_config() {	# HEADERS
	local f name code
	for f in "${CC_FEATURES[@]}"; do
		name=${f%%|*} code=${f#*|}
		grep -qx "CONFIG_$name=y" "$1/include/config/auto.conf" || continue
		! gcc -Werror -c -x c -o /dev/null - <<<"$code" 2>/dev/null || continue
		sed -i "/^#define CONFIG_$name 1\$/d" "$1/include/generated/autoconf.h"
		sed -i "/^CONFIG_$name=y\$/d" "$1/include/config/auto.conf"
		say "$(basename "$1"): the host's gcc lacks CONFIG_$name: turned off"
	done
}

# make arguments for building against HEADERS with the host's gcc and
# pahole.  gcc options the kernel's Makefile adds because its Kconfig found
# them in the kernel's compiler (CONFIG_CC_HAS_*) may be unknown to ours.  A
# make command-line variable beats the include/config/auto.conf value, so
# "CONFIG_X=" takes the option out again; the C side (autoconf.h) keeps
# its view, which is right: it describes the kernel, not our compiler.
host_make_args() {	# HEADERS -> make arguments for an out-of-tree build
	local args="CC=gcc HOSTCC=gcc" kpv hpv
	if grep -qx 'CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=y' "$1/.config" &&
		! gcc -fmin-function-alignment=16 -c -x c -o /dev/null /dev/null 2>/dev/null; then
		args+=" CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT="	# gcc 14: -fmin-function-alignment
	fi
	# Module BTF: Makefile.btf picks pahole's options by the kernel
	# builder's pahole (1.30: --btf_features), which the host's may lack.
	kpv=$(sed -n 's/^CONFIG_PAHOLE_VERSION=//p' "$1/.config")
	hpv=$(pahole --version 2>/dev/null | sed -nE 's/^v([0-9]+)\.([0-9]+).*/\1\2/p' || true)
	if grep -qx 'CONFIG_DEBUG_INFO_BTF_MODULES=y' "$1/.config" && [[ $hpv && $kpv ]] &&
		((hpv < kpv)); then
		args+=" CONFIG_PAHOLE_VERSION=$hpv"
	fi
	echo "$args"
}

# Build the tools into DIR/src (once per linux-source version: 6.12 and
# 6.12-rt share it).  fixdep first, by hand, since every kbuild step runs
# it; then scripts/ through the kernel's own kbuild as external "modules"
# (Makefile.host, the devicetable offsets and elfconfig.h come out as in a
# kernel build); objtool and resolve_btfids have their own Makefiles.
# The M= passes end in a MODPOST with Debian's modpost, which may not run
# here: what counts is that the tool came out.
build_tools() {	# SUITE HEADERS DIR
	local suite=$1 h=$2 dir=$3 src=$3/src log=$3/build.log d t
	local -a mk=("${NICE[@]}" make -j"$(nproc)")
	[[ -s $dir/built ]] && return
	fetch_source "$suite" "$SOURCE_PKG" "$SOURCE_VERSION" "$dir"
	say "$SOURCE_PKG: building ${!TOOLS[*]} (log: $log)"
	{
		"${NICE[@]}" gcc -O2 -I"$src/scripts/include" -o "$src/scripts/basic/fixdep" \
			"$src/scripts/basic/fixdep.c"
		for d in mod genksyms; do
			# shellcheck disable=SC2046	# host_make_args is words
			"${mk[@]}" -C "$h" M="$src/scripts/$d" $(host_make_args "$h") \
				HOSTCFLAGS="-I$src/scripts/include" || true
		done
		"${mk[@]}" -C "$src/tools/objtool" CC=gcc HOSTCC=gcc || true
		"${mk[@]}" -C "$src/tools/bpf/resolve_btfids" CC=gcc HOSTCC=gcc || true
	} >"$log" 2>&1
	for t in "${!TOOLS[@]}"; do
		[[ -x $src/${TOOLS[$t]} ]] || { tail -n 30 "$log" >&2; die "$SOURCE_PKG: no $t"; }
		install -D -m 0755 "$src/${TOOLS[$t]}" "$dir/bin/$t"
	done
	rm -rf "$src"	# 200 MB of build tree; bin/ is what we keep
	echo "$SOURCE_PKG $SOURCE_VERSION $TOOLS_FORMAT" >"$dir/built"
}

# Put the built tools where the headers tree runs them, for each one Debian
# ships (through the scripts/ and tools/ links into linux-kbuild-*).  Its
# files go to NAME/debian-tools/, out of the tree kbuild_check searches;
# Debian's wrappers pick a .real-* per target (modpost.real-lsb-64,
# objtool.real-x86), ours is the x86-64 one, so they go too.
install_tools() {	# NAME-DIR HEADERS BIN
	local root=$1/root t f dest
	for t in "${!TOOLS[@]}"; do
		[[ -e $2/$t ]] || continue
		dest=$(readlink -f "$2/$t")
		for f in "$dest" "$dest".real-*; do
			[[ -e $f && ! -e $1/debian-tools/${f#"$root"/} ]] || continue
			install -D -m 0755 "$f" "$1/debian-tools/${f#"$root"/}"
			rm -f "$f"
		done
		install -m 0755 "$3/$t" "$dest"
	done
}

# lab-kernels.sh tools NAME: make NAME's headers usable for `make M=` on
# this host, if Debian's kbuild tools do not run here.  The stamp in the
# headers tree names the source it was built from: a new fetch replaces
# the tree, and the tools follow.
tools_one() {	# NAME
	local NAME SUITE KVER IMAGE MODULES HEADERS COMPILER SOURCE_PKG SOURCE_VERSION
	local SOURCE_SIZE PACKAGES SIGNED_BY KBUILD_TOOLS_RUN KBUILD_TOOLS_WHY KEY
	local KBUILD_TOOLS=debian KBUILD_MAKE_ARGS='' dir=$CACHE/$1 stamp bin
	[[ -r $dir/info ]] || die "$1: not fetched (lab-kernels.sh fetch $1)"
	# shellcheck source=/dev/null
	. "$dir/info"
	dir=$CACHE/$NAME	# sid -> 7.2
	stamp="$SOURCE_PKG $SOURCE_VERSION $TOOLS_FORMAT"
	if [[ $KBUILD_TOOLS == "built-from-source $stamp" ]]; then
		echo "$NAME: tools already built from $SOURCE_PKG $SOURCE_VERSION"
		return
	fi
	KBUILD_MAKE_ARGS=$(host_make_args "$HEADERS")
	# Ours from an older stamp run too, but are replaced all the same.
	if [[ $KBUILD_TOOLS_RUN == yes && $KBUILD_TOOLS == debian ]]; then
		write_info "$dir"
		echo "$NAME: Debian's kbuild tools run here"
		return
	fi
	[[ " $PACKAGES " == *"=$SOURCE_VERSION "* ]] ||
		die "$NAME: $SOURCE_PKG is $SOURCE_VERSION, not this kernel's version"
	bin=$CACHE/tools/${SOURCE_PKG}_$SOURCE_VERSION
	mkdir -p "$bin"
	build_tools "$SUITE" "$HEADERS" "$bin"
	install_tools "$dir" "$HEADERS" "$bin/bin"
	kbuild_check "$HEADERS"
	KBUILD_TOOLS="built-from-source $stamp"
	write_info "$dir"
	say "$NAME: tools built from $SOURCE_PKG $SOURCE_VERSION;" \
		"kbuild tools run: $KBUILD_TOOLS_RUN ($KBUILD_TOOLS_WHY)"
}

fetch_one() {	# NAME
	local NAME=$1 SUITE flavour mm KVER IMAGE MODULES HEADERS COMPILER SOURCE_PKG
	local SOURCE_VERSION SOURCE_SIZE PACKAGES SIGNED_BY KEY
	local KBUILD_TOOLS_RUN KBUILD_TOOLS_WHY KBUILD_TOOLS=debian KBUILD_MAKE_ARGS
	local dir img start=$SECONDS
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
		(. "$dir/info" && depmod_lab "$KVER" "$MODULES" &&
			adapt_compiler_config "$HEADERS")
		! grep -qx 'KBUILD_TOOLS_RUN=no' "$dir/info" || tools_one "$NAME"
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
	adapt_compiler_config "$HEADERS"
	depmod_lab "$KVER" "$MODULES"
	kbuild_check "$HEADERS"
	KBUILD_MAKE_ARGS=$(host_make_args "$HEADERS")
	write_info "$dir"
	say "$NAME: $KVER from $SUITE in $((SECONDS - start)) s;" \
		"kbuild tools run: $KBUILD_TOOLS_RUN ($KBUILD_TOOLS_WHY)"
	[[ $KBUILD_TOOLS_RUN == yes ]] || tools_one "$NAME"
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

cmd_tools() {
	local n
	(($#)) || die "tools: which? (5.10 6.12 6.12-rt sid, or all)"
	[[ $* == all ]] && set -- 5.10 6.12 6.12-rt sid
	mkdir -p "$CACHE" && exec 9>"$CACHE/.lock"
	flock 9
	for n; do tools_one "$n"; done
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
		(. "$f" && printf '%-8s %-26s %-9s kbuild tools run: %s (%s)\n' \
			"$NAME" "$KVER" "$SUITE" "$KBUILD_TOOLS_RUN" "${KBUILD_TOOLS:-debian}")
	done
	for k in /boot/vmlinuz-6.1.*; do	# the host's own: 6.1, 6.1-rt
		[[ ! -e $k ]] || printf '%-8s %-26s installed on the host\n' \
			"6.1$([[ $k != *-rt-* ]] || echo -rt)" "${k#/boot/vmlinuz-}"
	done
}

usage() {
	cat <<EOF
usage: $0 COMMAND [NAME...]
  fetch NAME...|all  download and unpack Debian's kernel, modules and headers
                     (and build the kbuild tools if Debian's do not run here)
  tools NAME...|all  rebuild the kbuild tools from linux-source with the
                     host's gcc, if Debian's do not run here
  info NAME          print NAME's info file (shell: KVER IMAGE MODULES HEADERS
                     KBUILD_MAKE_ARGS ...)
  list               the fetched kernels, and the host's own 6.1, 6.1-rt
  -h                 this help
NAME: 5.10 (bullseye), 6.12, 6.12-rt (trixie), sid or its MAJOR.MINOR (7.2).
Cache: $CACHE (\$SKBSTAT_CACHE/lab-kernels).
A module for NAME builds with
  . <(lab-kernels.sh info NAME); make -C "\$HEADERS" M=DIR \$KBUILD_MAKE_ARGS
and run-vm.sh -k NAME boots it.
EOF
}

case ${1:-} in
fetch | tools | info | list) cmd=$1; shift; "cmd_$cmd" "$@" ;;
-h | --help) usage ;;
*) usage >&2; exit 1 ;;
esac
