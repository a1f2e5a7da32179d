#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh CYCLES [SUMMARY] - lifecycle stress of both backends, as root in the
# lab VM (selftests/vm/run-vm.sh), through the real CLI.
#
# Under a flood that makes all three hooks fire (UDP to closed ports, TCP
# transfers through an nftables rule that drops a fraction of segments, in
# network namespaces joined by veth pairs), with readers (drops, flows,
# queues, status -j) running in loops from the host and from a container's
# netns, and resets from both, it runs CYCLES of each of:
#   kmod-load    insmod / rmmod, attach_mode alternating tracepoint / kprobe
#   kmod-mode    SET_CONFIG on the loaded module: 'skbstat -b kmod attach
#                --mode M', and every other cycle a detach and re-attach
#   bpf          'skbstat -b bpf attach --mode M' / 'detach', M cycling
#                through tp_btf, raw_tp, kprobe
# then checks that counting is still exact (N datagrams to a closed port in
# a fresh netns are N rows' worth of packets there, for the module in both
# modes and for BPF, as /proc/net/snmp's Udp NoPorts counts them), that
# kmemleak (when the kernel has it) finds no leak (and says which involve
# skbstat), and that the kernel log is clean.  Prints per-phase timings and
# ends with "stress: N passed, N failed"; SUMMARY gets a markdown report.
#
# Environment: SKBSTAT_KO (default build/kmod/$(uname -r)/skbstat.ko),
# SKBSTAT_CLI (default build/user/skbstat), SKBSTAT_FLOOD_BIN (the traffic
# program, default build/selftests/stress/skbstat-flood), SKBSTAT_STRESS_FLOOD (seconds of
# flood per cycle, default 1), SKBSTAT_STRESS_UDP_RATE and _TCP_RATE (the
# flood per veth pair: datagrams/s, default 1000; bytes/s, default 500000),
# SKBSTAT_STRESS_COUNT (datagrams of the exact count, default 1000),
# SKBSTAT_STRESS_KMEMLEAK=skbstat (fail only on leaks involving skbstat, not
# on any leak), SKBSTAT_STRESS_PHASES (which kinds run, default "kmod-load
# kmod-mode bpf": make stress runs the module's and BPF's in two VMs at once).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
cd "$REPO" || exit 1

usage() {
	echo "usage: $0 CYCLES [SUMMARY.md]" >&2
	exit 2
}

(($# >= 1 && $# <= 2)) || usage
[[ $1 =~ ^[1-9][0-9]{0,4}$ ]] || usage
CYCLES=$1
SUMMARY=${2:-}
KVER=$(uname -r)
KO=$(realpath -m "${SKBSTAT_KO:-build/kmod/$KVER/skbstat.ko}")
CLI=$(realpath -m "${SKBSTAT_CLI:-build/user/skbstat}")
FLOOD=${SKBSTAT_STRESS_FLOOD:-1}
COUNT=${SKBSTAT_STRESS_COUNT:-1000}
KMEMLEAK_POLICY=${SKBSTAT_STRESS_KMEMLEAK:-any}
read -r -a RUN_PHASES <<<"${SKBSTAT_STRESS_PHASES:-kmod-load kmod-mode bpf}"
# The traffic: a C program, which starts at once where Python took
# seconds per process under the debug kernel.
FLOOD_BIN=$(realpath -m "${SKBSTAT_FLOOD_BIN:-build/selftests/stress/skbstat-flood}")

# Every CLI call, module operation and wait is bounded; these are generous
# for the debug kernel under TCG, which is 5-10x slower than Debian's.
T_CLI=180	# one CLI call (a BPF attach runs the verifier: 70 s seen)
# One call of a reader, which runs at nice 10 beside the cycles: a BPF read
# waits for the lock an attach holds while the verifier runs, then reads
# /proc/kallsyms (5 s alone under the debug kernel); beside the cycles at
# nice 0, 240 s were not always enough.  A hang still ends it.
T_READ=600
T_MOD=120	# insmod, rmmod (an unload waits for RCU)
T_STOP=$((T_READ + 30))	# a reader loop to notice its stop file

WORK=$(mktemp -d /tmp/skbstat-stress.XXXXXX) || exit 1

# ---------------------------------------------------------------- results

passed=0
failed=0
FAILURES=()

pass() {
	passed=$((passed + 1))
	echo "ok: $*"
}

fail() {
	failed=$((failed + 1))
	FAILURES+=("$*")
	echo "not ok: $*"
}

# Microseconds since the epoch into variable $1, without a fork.
stamp() {
	printf -v "$1" '%s' "${EPOCHREALTIME/./}"
}

# Seconds with two decimals from microseconds $2 into variable $1.
secs() {
	printf -v "$1" '%d.%02d' $(($2 / 1000000)) $(($2 % 1000000 / 10000))
}

# run SECONDS CMD...: CMD bounded by a timeout; its output goes to
# $WORK/run.out and, when it fails, to the log.
run() {
	local t=$1 rc
	shift
	timeout -k 5 "$t" "$@" >"$WORK/run.out" 2>&1
	rc=$?
	if ((rc)); then
		echo "  \$ $* -> exit $rc$( ((rc == 124)) && echo ' (timeout)')"
		sed -n '1,20s/^/  | /p' "$WORK/run.out"
	fi
	return "$rc"
}

cli() {
	run "$T_CLI" "$CLI" "$@"
}

# timed LABEL CMD...: runs CMD and adds "LABEL seconds" to STEPS, the
# breakdown that each cycle's line shows.
STEPS=
timed() {
	local label=$1 t0 t1 rc
	shift
	stamp t0
	"$@"
	rc=$?
	stamp t1
	secs t1 $((t1 - t0))
	STEPS+=" $label $t1"
	return "$rc"
}

# ---------------------------------------------------------------- network
# All the namespaces, links, rules and traffic of the stress are here.

PAIRS=2			# sender/receiver netns pairs of the flood
# Per pair: enough for every hook to count in a cycle of a second, little
# enough that one TCG vCPU of the debug kernel still runs the cycles.
UDP_RATE=${SKBSTAT_STRESS_UDP_RATE:-1000}	# datagrams/s
TCP_RATE=${SKBSTAT_STRESS_TCP_RATE:-500000}	# bytes/s
CONTAINER=sks-b1	# the netns whose view the container readers read
COUNT_NS=sks-count	# fresh netns of the exact count
FLOOD_PIDS=()

net_setup() {
	local i a b
	for ((i = 1; i <= PAIRS; i++)); do
		a=sks-a$i
		b=sks-b$i
		ip netns add $a && ip netns add $b || return 1
		ip -n $a link set lo up && ip -n $b link set lo up || return 1
		ip link add va netns $a type veth peer name vb netns $b || return 1
		ip -n $a addr add 10.99.$i.1/24 dev va && ip -n $a link set va up || return 1
		ip -n $b addr add 10.99.$i.2/24 dev vb && ip -n $b link set vb up || return 1
		# 5% of TCP segments are dropped at the receiver: retransmits.
		ip netns exec $b nft -f - <<-'NFT' || return 1
		table inet stress {
			chain in {
				type filter hook input priority 0;
				meta l4proto tcp numgen random mod 100 < 5 drop
			}
		}
		NFT
	done
}

# The flood runs from setup to the exact count, paced, and at the lowest
# priority (nice 19): the receive path's softirq work runs mostly in the
# senders' own syscalls and is charged to them, so on a slow vCPU (the debug
# kernel under TCG spends about a millisecond per packet) the flood takes a
# small share beside the cycles and the readers (nice 10) rather than
# starving them, and all it can when they wait.  (SCHED_IDLE starved the
# flood itself.)  Each process is bounded by a timeout that outlives any
# sane run, in case this script dies.
flood_start() {
	local i a b limit=$((1800 + CYCLES * 3 * 120))
	for ((i = 1; i <= PAIRS; i++)); do
		a=sks-a$i
		b=sks-b$i
		timeout -k 5 $limit ip netns exec $b nice -n 19 \
			"$FLOOD_BIN" sink 5201 &
		FLOOD_PIDS+=($!)
		timeout -k 5 $limit ip netns exec $a nice -n 19 \
			"$FLOOD_BIN" udp 10.99.$i.2 9 "$UDP_RATE" &
		FLOOD_PIDS+=($!)
		timeout -k 5 $limit ip netns exec $a nice -n 19 \
			"$FLOOD_BIN" tcp 10.99.$i.2 5201 262144 "$TCP_RATE" &
		FLOOD_PIDS+=($!)
	done
}

# The senders run at the lowest priority: wait (bounded) until every
# receiver has seen datagrams, so that the first cycle is under the flood.
flood_wait() {
	local i t0 t1 n ready
	stamp t0
	for ((t1 = 0; t1 < 120; t1++)); do
		ready=1
		for ((i = 1; i <= PAIRS; i++)); do
			n=$(udp_noports sks-b$i)
			((${n:-0} >= 200)) || ready=0
		done
		((ready)) && break
		sleep 1
	done
	stamp t1
	secs t1 $((t1 - t0))
	if ((ready)); then
		echo "  the flood is on after $t1 s"
	else
		echo "  no flood after $t1 s"
	fi
	((ready))
}

# TERM to each timeout, which passes it on to its Python.
flood_stop() {
	local pid
	for pid in "${FLOOD_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${FLOOD_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	FLOOD_PIDS=()
}

net_teardown() {
	local ns
	for ns in $(ip netns list 2>/dev/null | awk '/^sks-/ { print $1 }'); do
		ip netns del "$ns"
	done
}

# Udp NoPorts of netns $1, from its /proc/net/snmp.
udp_noports() {
	ip netns exec "$1" awk '
		/^Udp:/ { if (!n) { for (i = 1; i <= NF; i++) col[$i] = i; n = 1 }
			  else print $col["NoPorts"] }' /proc/net/snmp
}

# ---------------------------------------------------------------- CLI output

# The sum of the "packets" of every row in a JSON reply (file $1); the
# JSON is one key per line, so the shell reads it without a fork.
sum_packets() {
	local line n total=0
	while IFS= read -r line; do
		[[ $line == *'"packets": '* ]] || continue
		n=${line#*\"packets\": }
		n=${n%%[!0-9]*}
		total=$((total + n))
	done <"$1"
	echo "$total"
}

# Parses 'status -j' (file $1) into H_NAME, H_ATTACHED, H_MODE, H_EVENTS.
H_NAME=() H_ATTACHED=() H_MODE=() H_EVENTS=()
parse_status() {
	local line v i=-1
	H_NAME=() H_ATTACHED=() H_MODE=() H_EVENTS=()
	while IFS= read -r line; do
		case $line in
		*'"name": "'*)
			i=$((i + 1))
			v=${line#*\"name\": \"}
			H_NAME[i]=${v%%\"*} ;;
		*'"attached": true'*) H_ATTACHED[i]=1 ;;
		*'"attached": false'*) H_ATTACHED[i]=0 ;;
		*'"mode": "'*)
			v=${line#*\"mode\": \"}
			H_MODE[i]=${v%%\"*} ;;
		*'"events": '*)
			v=${line#*\"events\": }
			H_EVENTS[i]=${v%%[!0-9]*} ;;
		esac
	done <"$1"
	((${#H_NAME[@]} == 3))
}

# Events each hook had seen, at most, over the status checks of a phase.
PHASE_EVENTS=(0 0 0)

# check_status BACKEND ATTACHED MODE: every hook attached (1) or detached
# (0), in MODE (when attached); records the hooks' events.
check_status() {
	local be=$1 want=$2 mode=$3 i
	cli -b "$be" -j status || return 1
	cp "$WORK/run.out" "$WORK/status.json"
	if ! parse_status "$WORK/status.json"; then
		echo "  status -j has ${#H_NAME[@]} hooks, not 3"
		return 1
	fi
	for i in 0 1 2; do
		if [[ ${H_ATTACHED[i]:-} != "$want" ]] ||
		   { ((want)) && [[ ${H_MODE[i]:-} != "$mode" ]]; }; then
			echo "  ${H_NAME[i]}: attached=${H_ATTACHED[i]:-?} mode=${H_MODE[i]:-?}," \
			     "want attached=$want mode=$mode"
			return 1
		fi
		((H_EVENTS[i] > PHASE_EVENTS[i])) && PHASE_EVENTS[i]=${H_EVENTS[i]}
	done
	return 0
}

# ---------------------------------------------------------------- readers

# reader NAME BACKEND NETNS: 'skbstat -b BACKEND -j drops|flows|queues|status'
# in a loop, from NETNS (- for the host's), until $WORK/stop exists.  Exit 0
# with a JSON object, or 1 (a runtime error: the module is being unloaded,
# BPF is being detached...) when the phase allows it, is fine; a usage error,
# a timeout (a hang) or a signal (a crash) is not, nor is any error at all
# in a phase where the backend stays up.  The tally goes to $WORK/NAME.tally.
reader() {
	local name=$1 be=$2 ns=$3 cmd rc i ok=0 err=0 bad=0 out
	out=$WORK/$name.out
	local -a pre=()
	[[ $ns == - ]] || pre=(nsenter "--net=/run/netns/$ns")
	for ((i = 0; i < 100000; i++)); do
		[[ -e $WORK/stop ]] && break
		for cmd in drops flows queues status; do
			[[ -e $WORK/stop ]] && break
			timeout -k 5 "$T_READ" nice -n 10 "${pre[@]}" "$CLI" -b "$be" -j "$cmd" \
				>"$out" 2>"$out.err"
			rc=$?
			if ((rc == 0)) && json_object "$out"; then
				ok=$((ok + 1))
			elif ((rc == 1 && !STRICT)); then
				err=$((err + 1))
				head -n 1 "$out.err" >>"$WORK/$name.errors"
			else
				bad=$((bad + 1))
				{ echo "$cmd: exit $rc"; head -n 3 "$out.err"; } >>"$WORK/$name.bad"
			fi
			sleep 0.5
		done
	done
	echo "$ok $err $bad" >"$WORK/$name.tally"
}

# Cheap shape check of a JSON reply: an object, opened and closed.  (jq
# costs most of a second per call under TCG; the full parse is done on the
# last replies at the end of each phase.)
json_object() {
	local first last
	IFS= read -r first <"$1" || return 1
	last=$(tail -n 1 "$1")
	[[ $first == '{' && $last == '}' ]]
}

# resetter NAME BACKEND: resets from the host and from the container's netns
# (where a reset is a view), every second or so, until $WORK/stop.
resetter() {
	local name=$1 be=$2 rc i ok=0 err=0 bad=0 out
	local -a ns=(nsenter "--net=/run/netns/$CONTAINER") cmd
	out=$WORK/$name.out
	for ((i = 0; i < 100000; i++)); do
		[[ -e $WORK/stop ]] && break
		case $((i % 4)) in
		0) cmd=("$CLI" -b "$be" reset) ;;
		1) cmd=("${ns[@]}" "$CLI" -b "$be" reset) ;;
		2) cmd=("$CLI" -b "$be" reset drops) ;;
		3) cmd=("${ns[@]}" "$CLI" -b "$be" reset flows) ;;
		esac
		timeout -k 5 "$T_READ" nice -n 10 "${cmd[@]}" >"$out" 2>&1
		rc=$?
		if ((rc == 0)); then
			ok=$((ok + 1))
		elif ((rc == 1 && !STRICT)); then
			err=$((err + 1))
			head -n 1 "$out" >>"$WORK/$name.errors"
		else
			bad=$((bad + 1))
			{ echo "${cmd[*]}: exit $rc"; head -n 3 "$out"; } >>"$WORK/$name.bad"
		fi
		sleep 0.8
	done
	echo "$ok $err $bad" >"$WORK/$name.tally"
}

LOAD_PIDS=()
LOAD_NAMES=()

# load_start BACKEND STRICT: the readers and the resetter of a phase.
load_start() {
	local be=$1 name
	STRICT=$2
	LOAD_NAMES=(host-reader container-reader resetter)
	for name in "${LOAD_NAMES[@]}"; do
		rm -f "$WORK/$name".{tally,errors,bad,out,out.err}
	done
	rm -f "$WORK/stop"
	reader host-reader "$be" - &
	LOAD_PIDS=($!)
	reader container-reader "$be" "$CONTAINER" &
	LOAD_PIDS+=($!)
	resetter resetter "$be" &
	LOAD_PIDS+=($!)
}

# Stops the load and checks its tally: one result per phase.
LOAD_TALLY=
load_stop() {
	local phase=$1 pid i name ok err bad tok=0 terr=0 tbad=0 waited
	touch "$WORK/stop"
	for i in "${!LOAD_PIDS[@]}"; do
		pid=${LOAD_PIDS[i]}
		# Bounded wait: every call in the loops has its own timeout.
		for ((waited = 0; waited < T_STOP * 10; waited++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			echo "  ${LOAD_NAMES[i]} did not stop: killed"
			kill -KILL "$pid" 2>/dev/null
			tbad=$((tbad + 1))
		fi
		wait "$pid" 2>/dev/null
	done
	for name in "${LOAD_NAMES[@]}"; do
		if ! read -r ok err bad <"$WORK/$name.tally" 2>/dev/null; then
			echo "  $name left no tally"
			tbad=$((tbad + 1))
			continue
		fi
		echo "  $name: $ok ok, $err runtime errors, $bad bad"
		if [[ -s $WORK/$name.errors ]]; then
			sort "$WORK/$name.errors" | uniq -c | sort -rn | head -n 5 | sed 's/^/    /'
			cat "$WORK/$name.errors" >>"$WORK/phase-$phase.errors"
		fi
		[[ -s $WORK/$name.bad ]] && sed -n '1,12s/^/    bad: /p' "$WORK/$name.bad"
		tok=$((tok + ok))
		terr=$((terr + err))
		tbad=$((tbad + bad))
	done
	# The last replies, parsed for real.
	for name in host-reader container-reader; do
		if [[ -s $WORK/$name.out ]] && ! jq -e 'type == "object"' \
				"$WORK/$name.out" >/dev/null 2>&1; then
			echo "  $name: the last reply is not JSON"
			tbad=$((tbad + 1))
		fi
	done
	LOAD_TALLY="$tok ok, $terr runtime errors, $tbad bad"
	if ((tbad == 0 && tok > 0)); then
		pass "$phase: concurrent readers and resets ($LOAD_TALLY)"
	else
		fail "$phase: concurrent readers and resets ($LOAD_TALLY)"
	fi
	LOAD_PIDS=()
}

# ---------------------------------------------------------------- module

MODULE_LOADED_BY_US=0

kmod_load() {
	run "$T_MOD" insmod "$KO" "$@" || return 1
	MODULE_LOADED_BY_US=1
}

# rmmod fails with EAGAIN while a netlink request holds the module: retry
# for a while, as the readers keep asking.
RMMOD_RETRIES=0
kmod_unload() {
	local i
	for ((i = 0; i < 200; i++)); do
		[[ -d /sys/module/skbstat ]] || { MODULE_LOADED_BY_US=0; return 0; }
		if timeout -k 5 "$T_MOD" rmmod skbstat >"$WORK/rmmod.out" 2>&1; then
			MODULE_LOADED_BY_US=0
			return 0
		fi
		RMMOD_RETRIES=$((RMMOD_RETRIES + 1))
		sleep 0.1
	done
	echo "  rmmod skbstat failed 200 times:"
	sed 's/^/  | /' "$WORK/rmmod.out"
	return 1
}

BPF_ATTACHED_BY_US=0
bpf_attached() {
	[[ -e /sys/fs/bpf/skbstat ]]
}

# ---------------------------------------------------------------- phases

declare -A PHASE_TIME PHASE_CYCLES PHASE_MIN PHASE_MAX PHASE_LOAD PHASE_FAILED
PHASES=()

# Per cycle: one result; its time goes into the phase's min/max.
cycle_done() {
	local phase=$1 i=$2 ok=$3 t0=$4 t1 us s
	stamp t1
	us=$((t1 - t0))
	secs s "$us"
	STEPS=${STEPS%% }
	if ((ok)); then
		pass "$phase cycle $i ($s s:$STEPS)"
	else
		fail "$phase cycle $i ($s s:$STEPS)"
		PHASE_FAILED[$phase]=$((${PHASE_FAILED[$phase]:-0} + 1))
	fi
	((${PHASE_MIN[$phase]:-0} == 0 || us < PHASE_MIN[$phase])) && PHASE_MIN[$phase]=$us
	((us > ${PHASE_MAX[$phase]:-0})) && PHASE_MAX[$phase]=$us
	return 0
}

# After the cycles: each hook counted something in at least one check, so
# the flood really went through all three.
check_hooks_fired() {
	local phase=$1
	if ((PHASE_EVENTS[0] > 0 && PHASE_EVENTS[1] > 0 && PHASE_EVENTS[2] > 0)); then
		pass "$phase: all three hooks counted (most events seen: ${PHASE_EVENTS[*]})"
	else
		fail "$phase: not every hook counted (most events seen: ${PHASE_EVENTS[*]})"
	fi
}

phase_begin() {
	PHASE=$1
	PHASES+=("$1")
	PHASE_EVENTS=(0 0 0)
	PHASE_FAILED[$1]=0
	stamp PHASE_T0
	echo "== $1: $CYCLES cycles"
}

phase_end() {
	local t1
	stamp t1
	PHASE_TIME[$PHASE]=$((t1 - PHASE_T0))
	PHASE_CYCLES[$PHASE]=$CYCLES
	PHASE_LOAD[$PHASE]=$LOAD_TALLY
	secs t1 "${PHASE_TIME[$PHASE]}"
	echo "== $PHASE: $t1 s"
}

phase_kmod_load() {
	local i mode ok t0
	phase_begin kmod-load
	load_start kmod 0
	for ((i = 1; i <= CYCLES; i++)); do
		stamp t0
		ok=1
		STEPS=
		mode=tracepoint
		((i % 2)) || mode=kprobe
		if timed insmod kmod_load attach_mode=$mode; then
			sleep "$FLOOD"
			timed status check_status kmod 1 $mode || ok=0
		else
			ok=0
		fi
		timed rmmod kmod_unload || ok=0
		cycle_done kmod-load "$i" $ok "$t0"
		# A module that cannot be unloaded stops the phase.
		[[ -d /sys/module/skbstat ]] && break
	done
	load_stop kmod-load
	check_hooks_fired kmod-load
	phase_end
}

phase_kmod_mode() {
	local i mode ok t0 half
	half=$(awk -v f="$FLOOD" 'BEGIN { print f / 2 }')
	phase_begin kmod-mode
	if ! kmod_load attach_mode=tracepoint; then
		fail "kmod-mode: insmod"
		phase_end
		return
	fi
	load_start kmod 1
	for ((i = 1; i <= CYCLES; i++)); do
		stamp t0
		ok=1
		STEPS=
		mode=kprobe
		((i % 2)) || mode=tracepoint
		timed "attach-$mode" cli -b kmod attach --mode $mode || ok=0
		sleep "$half"
		timed status check_status kmod 1 $mode || ok=0
		# Every other cycle also detaches and re-attaches in the same mode.
		if ((i % 2)); then
			timed detach cli -b kmod detach || ok=0
			check_status kmod 0 - || ok=0
			timed attach cli -b kmod attach || ok=0
			check_status kmod 1 $mode || ok=0
		fi
		sleep "$half"
		cycle_done kmod-mode "$i" $ok "$t0"
	done
	load_stop kmod-mode
	check_hooks_fired kmod-mode
	kmod_unload || fail "kmod-mode: rmmod"
	phase_end
}

BPF_MODES=(tp_btf raw_tp kprobe)
phase_bpf() {
	local i mode ok t0
	phase_begin bpf
	if [[ ! -e /sys/kernel/btf/vmlinux ]]; then
		fail "bpf: this kernel has no BTF"
		phase_end
		return
	fi
	if [[ ! -e /sys/bus/event_source/devices/kprobe ]]; then
		echo "  no kprobes on this kernel: tp_btf and raw_tp only"
		BPF_MODES=(tp_btf raw_tp)
	fi
	load_start bpf 0
	for ((i = 1; i <= CYCLES; i++)); do
		stamp t0
		ok=1
		STEPS=
		mode=${BPF_MODES[(i - 1) % ${#BPF_MODES[@]}]}
		if timed "attach-$mode" cli -b bpf attach --mode "$mode"; then
			BPF_ATTACHED_BY_US=1
			sleep "$FLOOD"
			timed status check_status bpf 1 "$mode" || ok=0
		else
			ok=0
		fi
		timed detach cli -b bpf detach || ok=0
		# Detach removes every pin: nothing of the backend stays.
		if bpf_attached; then
			echo "  /sys/fs/bpf/skbstat is still there after detach"
			ok=0
		else
			BPF_ATTACHED_BY_US=0
		fi
		cycle_done bpf "$i" $ok "$t0"
	done
	load_stop bpf
	check_hooks_fired bpf
	phase_end
}

# ---------------------------------------------------------------- exact count

COUNTS=()	# lines for the summary

# count_round LABEL: N datagrams to a closed port in $COUNT_NS; the kernel's
# NoPorts delta there must be N, and each attached backend's no_socket rows
# of that netns must have grown by exactly as much, seen from the host
# (--netns) and from inside the netns.
count_round() {
	local label=$1 be view before after delta got ok=1 line
	local -A rows_before
	local -a views=()
	[[ -d /sys/module/skbstat ]] && views+=(kmod:host kmod:inside)
	bpf_attached && views+=(bpf:host bpf:inside)
	for view in "${views[@]}"; do
		count_rows "$view" || { fail "count ($label): reading $view"; return; }
		rows_before[$view]=$ROWS
	done
	before=$(udp_noports $COUNT_NS)
	run 120 ip netns exec $COUNT_NS "$FLOOD_BIN" udpn 127.0.0.1 9 "$COUNT" ||
		{ fail "count ($label): sending $COUNT datagrams"; return; }
	after=$(udp_noports $COUNT_NS)
	delta=$((after - before))
	line="$label: sent $COUNT, Udp NoPorts +$delta"
	((delta == COUNT)) || ok=0
	for view in "${views[@]}"; do
		count_rows "$view" || { fail "count ($label): reading $view"; return; }
		got=$((ROWS - rows_before[$view]))
		line+=", $view +$got"
		((got == delta)) || ok=0
	done
	COUNTS+=("$line")
	if ((ok)); then
		pass "exact count, $line"
	else
		fail "exact count, $line"
	fi
}

# The no_socket packets of $COUNT_NS's rows into ROWS, for VIEW
# (BACKEND:host or BACKEND:inside).
ROWS=0
count_rows() {
	local be=${1%%:*}
	if [[ ${1#*:} == host ]]; then
		cli -b "$be" -j drops --netns $COUNT_NS --reason no_socket || return 1
	else
		run "$T_CLI" nsenter --net=/run/netns/$COUNT_NS \
			"$CLI" -b "$be" -j drops --reason no_socket || return 1
	fi
	ROWS=$(sum_packets "$WORK/run.out")
}

phase_count() {
	local t0 t1
	stamp t0
	echo "== exact count: $COUNT datagrams to a closed port, fresh netns"
	if ! ip netns add $COUNT_NS || ! ip -n $COUNT_NS link set lo up; then
		fail "count: netns $COUNT_NS"
		return
	fi
	kmod_load attach_mode=tracepoint || { fail "count: insmod"; return; }
	if [[ -e /sys/kernel/btf/vmlinux ]]; then
		if cli -b bpf attach --mode tp_btf; then
			BPF_ATTACHED_BY_US=1
		else
			fail "count: bpf attach"
		fi
	fi
	count_round "kmod tracepoint + bpf tp_btf"
	if cli -b kmod attach --mode kprobe; then
		count_round "kmod kprobe + bpf tp_btf"
	else
		fail "count: kmod attach --mode kprobe"
	fi
	kmod_unload || fail "count: rmmod"
	if bpf_attached; then
		cli -b bpf detach || fail "count: bpf detach"
		BPF_ATTACHED_BY_US=0
	fi
	stamp t1
	secs t1 $((t1 - t0))
	echo "== exact count: $t1 s"
}

# ---------------------------------------------------------------- kernel checks

KMEMLEAK=/sys/kernel/debug/kmemleak
KMEMLEAK_RESULT="not checked"

kmemleak_available() {
	mountpoint -q /sys/kernel/debug ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	[[ -e $KMEMLEAK ]]
}

# No "clear" here: in a suite that runs other tests in the same VM first,
# it would hide their leaks from the final scan of guest-init.sh.  So the
# report covers the whole boot, and leaks are told apart by what they
# involve, not by when they were made.
kmemleak_begin() {
	kmemleak_available ||
		KMEMLEAK_RESULT="not in this kernel (no $KMEMLEAK)"
}

# Two scans (kmemleak reports an object only once it has been seen
# unreferenced and is older than 5 s), then the report.  Any leak fails:
# a module bug often leaks what the kernel allocated (an skb, a net device
# reference), with no skbstat frame in the backtrace, and the lab VM's own
# final check (guest-init.sh) fails on any leak anyway.  Each leak is also
# told apart as "involving skbstat" (allocated by the CLI, insmod or rmmod,
# or with a frame in skbstat or in no symbol at all: the text of an
# unloaded module, and the lab VM loads no other) or the kernel's own, to
# say where to look.  SKBSTAT_STRESS_KMEMLEAK=skbstat fails only on the
# former, for a kernel with leaks of its own.
kmemleak_end() {
	local total ours t0 t1
	[[ -e $KMEMLEAK ]] || return 0
	echo "== kmemleak"
	stamp t0
	if ! { timeout 600 sh -c "echo scan > $KMEMLEAK" && sleep 6 &&
	       timeout 600 sh -c "echo scan > $KMEMLEAK"; }; then
		KMEMLEAK_RESULT="scan failed"
		fail "kmemleak: scan failed"
		return
	fi
	cat "$KMEMLEAK" >"$WORK/kmemleak.txt" 2>/dev/null
	stamp t1
	secs t1 $((t1 - t0))
	awk '
		function flush() { if (obj) { print obj > (ours ? OURS : OTHER) } obj = ""; ours = 0 }
		/^unreferenced object/ { flush() }
		{ obj = obj $0 "\n" }
		/comm "(skbstat|insmod|rmmod)"/ { ours = 1 }
		/skbstat/ { ours = 1 }
		/\[<[0-9a-f]+>\] 0x[0-9a-f]+$/ { ours = 1 }
		END { flush() }' OURS="$WORK/kmemleak.ours" OTHER="$WORK/kmemleak.other" \
		"$WORK/kmemleak.txt"
	total=$(grep -c '^unreferenced object' "$WORK/kmemleak.txt")
	ours=$(grep -c '^unreferenced object' "$WORK/kmemleak.ours" 2>/dev/null)
	ours=${ours:-0}
	KMEMLEAK_RESULT="$total unreferenced objects, $ours involving skbstat (scans: $t1 s)"
	echo "  $KMEMLEAK_RESULT"
	if ((ours > 0)); then
		sed -n '1,60p' "$WORK/kmemleak.ours"
	fi
	if ((total > ours)); then
		echo "  the kernel's own (first ones):"
		sed -n '1,30s/^/  | /p' "$WORK/kmemleak.other"
	fi
	if ((ours > 0)) || { [[ $KMEMLEAK_POLICY != skbstat ]] && ((total > 0)); }; then
		fail "kmemleak: $KMEMLEAK_RESULT"
	else
		pass "kmemleak: $KMEMLEAK_RESULT"
	fi
}

LOG_MARK="skbstat-stress: start $$-$RANDOM"
KLOG_RESULT="not checked"

klog_check() {
	local bad
	dmesg >"$WORK/dmesg.txt" 2>/dev/null
	# From this run's mark on (the whole log if the mark is gone), less
	# kmemleak's own line about its scan: kmemleak_end judged that.
	if grep -qF "$LOG_MARK" "$WORK/dmesg.txt"; then
		sed -n "/$LOG_MARK/,\$p" "$WORK/dmesg.txt"
	else
		cat "$WORK/dmesg.txt"
	fi | grep -v 'kmemleak: .*suspected memory leaks' >"$WORK/dmesg.run"
	if bad=$(bash selftests/vm/check-kernel-log.sh <"$WORK/dmesg.run"); then
		KLOG_RESULT="clean"
		pass "kernel log clean"
	else
		KLOG_RESULT="not clean: $(head -n 1 <<<"$bad")"
		fail "kernel log: $(wc -l <<<"$bad") bad lines"
		echo "$bad" | head -n 40 | sed 's/^/  | /'
		grep -B5 -A40 -m1 -E 'WARNING:|BUG:|Oops|UBSAN:|lockdep|circular' \
			"$WORK/dmesg.run" | head -n 80 | sed 's/^/  | /'
	fi
}

# ---------------------------------------------------------------- summary

write_summary() {
	local p s min max
	[[ -n $SUMMARY ]] || return 0
	mkdir -p "$(dirname "$SUMMARY")"
	{
		echo "# skbstat lifecycle stress"
		echo
		echo "- kernel: \`$KVER\` ($(nproc) CPU)"
		echo "- module: \`$KO\`"
		echo "- flood: $PAIRS veth pairs, each with $UDP_RATE datagrams/s to a closed port and" \
		     "$TCP_RATE bytes/s of TCP through a 5% nftables drop;" \
		     "${FLOOD} s of flood per cycle; readers (drops, flows, queues, status -j) from the" \
		     "host and from netns \`$CONTAINER\`, resets from both"
		echo "- result: **$passed passed, $failed failed**"
		echo
		echo "| phase | cycles | failed | total (s) | cycle min (s) | cycle max (s) | readers and resets |"
		echo "|---|---|---|---|---|---|---|"
		for p in "${PHASES[@]}"; do
			secs s "${PHASE_TIME[$p]:-0}"
			secs min "${PHASE_MIN[$p]:-0}"
			secs max "${PHASE_MAX[$p]:-0}"
			echo "| $p | ${PHASE_CYCLES[$p]:-0} | ${PHASE_FAILED[$p]:-0} | $s | $min | $max |" \
			     "${PHASE_LOAD[$p]:-} |"
		done
		secs s "$TOTAL_US"
		echo
		echo "Total: $s s; rmmod retried $RMMOD_RETRIES times while a request held the module."
		echo
		echo "Runtime errors of the readers and resets (exit 1, allowed while the module"
		echo "is unloaded or BPF detached; none is allowed in kmod-mode):"
		echo
		for p in "${PHASES[@]}"; do
			[[ -s $WORK/phase-$p.errors ]] || continue
			echo "- $p:"
			sort "$WORK/phase-$p.errors" | uniq -c | sort -rn | head -n 8 |
				sed -E 's/^ *([0-9]+) (.*)$/  - \1x `\2`/'
		done
		echo
		echo "## Exact counts after the last cycle"
		echo
		for s in "${COUNTS[@]}"; do
			echo "- $s"
		done
		((${#COUNTS[@]})) || echo "- none ran"
		echo
		echo "## Kernel"
		echo
		echo "- kmemleak: $KMEMLEAK_RESULT (fails on $([[ $KMEMLEAK_POLICY == skbstat ]] &&
			echo 'leaks involving skbstat' || echo 'any leak'))"
		echo "- kernel log: $KLOG_RESULT"
		if ((${#FAILURES[@]})); then
			echo
			echo "## Failures"
			echo
			for s in "${FAILURES[@]}"; do
				echo "- $s"
			done
		fi
	} >"$SUMMARY"
	echo "summary: $SUMMARY"
}

# ---------------------------------------------------------------- main

cleanup() {
	local pid
	touch "$WORK/stop" 2>/dev/null
	for pid in "${LOAD_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	flood_stop
	((BPF_ATTACHED_BY_US)) && timeout 60 "$CLI" -b bpf detach >/dev/null 2>&1
	((MODULE_LOADED_BY_US)) && timeout 60 rmmod skbstat 2>/dev/null
	net_teardown
	rm -rf "$WORK"
}

preflight() {
	local ok=1 p
	((EUID == 0)) || { echo "stress: needs root (run it in the lab VM)" >&2; ok=0; }
	[[ -r $KO ]] || { echo "stress: no module at $KO (SKBSTAT_KO)" >&2; ok=0; }
	[[ -x $CLI ]] || { echo "stress: no CLI at $CLI (SKBSTAT_CLI)" >&2; ok=0; }
	[[ -x $FLOOD_BIN ]] || { echo "stress: no $FLOOD_BIN (SKBSTAT_FLOOD_BIN)" >&2; ok=0; }
	[[ $FLOOD =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "stress: bad SKBSTAT_STRESS_FLOOD" >&2; ok=0; }
	[[ $COUNT =~ ^[1-9][0-9]*$ ]] || { echo "stress: bad SKBSTAT_STRESS_COUNT" >&2; ok=0; }
	for p in "${RUN_PHASES[@]}"; do
		[[ $p =~ ^(kmod-load|kmod-mode|bpf)$ ]] ||
			{ echo "stress: unknown phase '$p' in SKBSTAT_STRESS_PHASES" >&2; ok=0; }
	done
	((${#RUN_PHASES[@]})) || { echo "stress: SKBSTAT_STRESS_PHASES is empty" >&2; ok=0; }
	[[ $UDP_RATE =~ ^[1-9][0-9]*$ && $TCP_RATE =~ ^[1-9][0-9]*$ ]] ||
		{ echo "stress: bad SKBSTAT_STRESS_UDP_RATE or _TCP_RATE" >&2; ok=0; }
	if [[ -d /sys/module/skbstat ]] || bpf_attached; then
		echo "stress: skbstat is already loaded or attached here; this needs a" \
		     "machine of its own (the lab VM)" >&2
		ok=0
	fi
	((ok))
}

main() {
	local t0 t1 p
	if ! preflight; then
		echo "stress: 0 passed, 1 failed"
		rm -rf "$WORK"
		exit 1
	fi
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	stamp t0
	echo "stress: $CYCLES cycles of each of ${RUN_PHASES[*]} on $KVER, $FLOOD s of flood each"
	echo "$LOG_MARK" >/dev/kmsg 2>/dev/null
	kmemleak_begin
	if ! net_setup; then
		fail "network setup"
	else
		flood_start
		flood_wait || fail "the flood did not start"
		for p in "${RUN_PHASES[@]}"; do
			"phase_${p/-/_}"
		done
		flood_stop
		phase_count
	fi
	net_teardown
	kmemleak_end
	klog_check
	stamp t1
	TOTAL_US=$((t1 - t0))
	echo "== timings"
	for p in "${PHASES[@]}"; do
		secs t1 "${PHASE_TIME[$p]:-0}"
		secs t0 $((${PHASE_TIME[$p]:-0} / (${PHASE_CYCLES[$p]:-1})))
		echo "  $p: $t1 s, $t0 s per cycle"
	done
	secs t1 "$TOTAL_US"
	echo "  total: $t1 s"
	write_summary
	echo "stress: $passed passed, $failed failed"
	((failed == 0))
}

# One line, read whole before it runs: editing this file during a run
# cannot make bash read on into the edit.
main "$@"; exit
