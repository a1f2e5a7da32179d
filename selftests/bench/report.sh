#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh VM.json HOST.json RESULTS KVER SECONDS [MEMORY.jsonl]: results/bench.md, the
# raw results/bench.json and the chart, from skbstat-bench's JSON of the lab
# VM run and of this machine's run (HOST.json may be missing).  When
# results/bench.json is there from an earlier run, bench.md says how far
# the two runs differ.  MEMORY.jsonl (memory.sh) adds the tables' memory.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vm=$1 host=$2 results=$3 kver=$4 seconds=$5 memory=${6:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[[ -s $host ]] || echo '{"overhead": [], "dumps": []}' >"$host"
jq -n --slurpfile vm "$vm" --slurpfile host "$host" \
	--arg kver "$kver" --arg host_kernel "$(uname -r)" \
	--arg qemu "$(qemu-system-x86_64 --version | head -n1)" \
	--arg date "$(date -u +%Y-%m-%dT%H:%MZ)" --argjson seconds "$seconds" \
	'{date: $date, seconds: $seconds, lab_kernel: $kver, host_kernel: $host_kernel,
	  qemu: $qemu, vm: $vm[0], host: $host[0]}' >"$tmp/bench.json"

# ---- repeatability against the previous run
repeat_note="No earlier run in $results/bench.json to compare with."
if [[ -s $results/bench.json ]]; then
	repeat_note=$(jq -r --slurpfile old "$results/bench.json" '
		def key: "\(.config) \(.hook) \(.rows)";
		($old[0].vm.overhead | map({(key): .}) | add) as $o
		| [.vm.overhead[] | select($o[key] != null) | . as $n | $o[key] as $p
		   | {row: key,
		      abs: (($n.added_median - $p.added_median) | fabs),
		      total: ((($n.per_event_median - $p.per_event_median) / $p.per_event_median) | fabs),
		      added: (if $p.added_median >= 50
			      then ((($n.added_median - $p.added_median) / $p.added_median) | fabs)
			      else null end)}] as $d
		| ($d | max_by(.total)) as $t
		| ($d | map(select(.added != null)) | max_by(.added)) as $a
		| ($d | max_by(.abs)) as $b
		| "Compared with the previous run (\($old[0].date)): instructions per event " +
		  "differ by at most \($t.total * 10000 | round / 100)% (\($t.row)); the added " +
		  "cost, where it is 50 instructions or more, by at most " +
		  "\($a.added * 10000 | round / 100)% (\($a.row)); any added cost by at most " +
		  "\($b.abs * 100 | round / 100) instructions (\($b.row))."' "$tmp/bench.json")
fi

# ---- the chart
jq -r '.vm.overhead as $o
	| [$o[] | select(.rows == 1 and .config != "baseline") | .config] | unique as $seen
	| [$o[] | select(.rows == 1) | .config] as $order
	| ($order | reduce .[] as $c ([]; if index([$c]) then . else . + [$c] end)) as $configs
	| $configs[] | select(. != "baseline") as $c
	| [$c,
	   ([$o[] | select(.config == $c and .rows == 1 and .hook == "skb:kfree_skb")
	     | .added_median | tostring] | first // "-"),
	   ([$o[] | select(.config == $c and .rows == 1 and .hook == "net:net_dev_queue")
	     | .added_median | tostring] | first // "-"),
	   ([$o[] | select(.config == $c and .rows == 1 and .hook == "tcp:tcp_retransmit_skb")
	     | .added_median | tostring] | first // "-")]
	| @tsv' "$tmp/bench.json" >"$tmp/overhead.dat"
# One block per configuration and hook: drops, then flows.
for hook in skb:kfree_skb tcp:tcp_retransmit_skb; do
	jq -r --arg hook "$hook" '.vm.overhead as $o
		| [$o[] | select(.hook == $hook and .rows > 1) | .config] as $order
		| ($order | reduce .[] as $c ([]; if index([$c]) then . else . + [$c] end)) as $configs
		| $configs[] | select(. != "baseline") as $c
		| "\"\($c) \($hook | split(":")[1])\"",
		  ($o[] | select(.config == $c and .hook == $hook) | "\(.rows)\t\(.added_median)"),
		  "", ""' "$tmp/bench.json" >"$tmp/scale-${hook#*:}.dat"
done
gnuplot -e "dir='$tmp'; out='$tmp/bench.png'; term='pngcairo'" "$HERE/bench.gnuplot"
gnuplot -e "dir='$tmp'; out='$tmp/bench.svg'; term='svg'" "$HERE/bench.gnuplot"

# ---- the table
jq -r --arg repeat "$repeat_note" '
	def n: if . == null then "-" else (. * 10 | round / 10 | tostring) end;
	def r: if . == null or . == 0 then "-" else (. * 100 | round / 100 | tostring) + "×" end;
	def row($c; $h; $rows): [.vm.overhead[] | select(.config == $c and .hook == $h and .rows == $rows)] | first;
	def ratio_to($a; $b): if $a == null or $b == null or $b.added_median <= 0 then null
		else $a.added_median / $b.added_median end;
	def verdict($x; $limit): if $x == null then "not measured"
		elif $x <= $limit then "met" else "missed" end;
	. as $all
	| row("kmod-tracepoint"; "skb:kfree_skb"; 1) as $kmod
	| row("bpf-tp_btf"; "skb:kfree_skb"; 1) as $bpf
	| row("bpftrace"; "skb:kfree_skb"; 1) as $bt
	| "# skbstat overhead benchmark",
	"",
	"Made by `make bench` on \(.date); the measurements took \(.seconds) s of wall time.  Lab VM: Debian \(.lab_kernel)",
	"under \(.qemu), TCG, one vCPU, `-icount shift=0,align=off,sleep=off`: the guest clock",
	"advances one ns per instruction, so **instructions** below are guest ns.  This machine:",
	"\(.host_kernel), real time.  How it is measured: README.md, section *Overhead*.",
	"",
	"## Cost per event in the lab VM, one table row",
	"",
	"Each configuration was set up from nothing, measured and taken away, \(.vm.overhead[0].runs) rounds",
	"in turn (A/B/A/B).  *Added* = its instructions per event less the baseline'"'"'s (min less min,",
	"median less median).  *Spread* = slowest less fastest round.  *× floor* = added median over",
	"the added median of the probe that does nothing on the same hook in the same way.",
	"",
	"| hook | configuration | instructions/event min | median | added min | added median | spread | × floor |",
	"|---|---|---:|---:|---:|---:|---:|---:|",
	(.vm.overhead[] | select(.rows == 1)
	 | "| \(.hook) | \(.config) | \(.per_event_min | n) | \(.per_event_median | n) | \(.added_min | n) | \(.added_median | n) | \(.spread | n) | \(.ratio | r) |"),
	"",
	"## Targets (issue 15: added instructions, one row)",
	"",
	"Where a target is missed, results/overhead-accounting.md shows where each instruction goes.",
	"",
	"| hook | configuration | target | measured | verdict |",
	"|---|---|---:|---:|---|",
	((["skb:kfree_skb", 64, 200], ["net:net_dev_queue", 64, 200],
	  ["tcp:tcp_retransmit_skb", 128, 360]) as [$hook, $km, $bp]
	 | (["kmod-tracepoint", $km], ["bpf-tp_btf", $bp]) as [$c, $limit]
	 | row($c; $hook; 1) as $r
	 | "| \($hook) | \($c) | ≤ \($limit) | \($r.added_median | n) | \(verdict(if $r == null then null else $r.added_median / $limit end; 1)) |"),
	"| skb:kfree_skb | kmod-tracepoint, against drop_monitor | < \(row("drop_monitor"; "skb:kfree_skb"; 1).added_median | n) | \($kmod.added_median | n) | \(verdict(ratio_to($kmod; row("drop_monitor"; "skb:kfree_skb"; 1)); 0.9999)) |",
	"| skb:kfree_skb | bpf-tp_btf, against bpftrace | ≤ 1/5 | \(ratio_to($bpf; $bt) | r) | \(verdict(ratio_to($bpf; $bt); 0.2)) |",
	"",
	"tcp:tcp_retransmit_skb: a retransmit cannot be made alone (it needs a connection, a lost",
	"segment and a timer, whose cost dwarfs the hook and varies), so the trigger runs the",
	"probes attached to the tracepoint itself, as `trace_tcp_retransmit_skb()` does, for an idle",
	"kernel TCP socket and a one-segment skb.  That reaches every probe on the tracepoint",
	"(module, raw_tp, tp_btf, bpftrace'"'"'s perf event) but no kprobe: the kprobe modes have no",
	"flows numbers.  Its baseline is the trigger'"'"'s loop alone.",
	"",
	((["skb:kfree_skb", "drops"], ["tcp:tcp_retransmit_skb", "flows"]) as [$hook, $table]
	| "## \($hook) as the \($table) table grows",
	"",
	"Added instructions per event (median) when the events cycle through N keys, so that the",
	"table holds N rows; the rows exist before the timed run.  Instructions, not cycles: QEMU",
	"models no caches, so cache misses of a large table do not show here.",
	"",
	([$all.vm.overhead[] | select(.hook == $hook) | .rows] | unique) as $sizes
	| ([$all.vm.overhead[] | select(.hook == $hook and .rows > 1) | .config]
	   | reduce .[] as $c ([]; if index([$c]) then . else . + [$c] end)) as $configs
	| ("| configuration | " + ($sizes | map("\(.) rows") | join(" | ")) + " |"),
	  ("|---|" + ($sizes | map("---:") | join("|")) + "|"),
	  ($configs[] as $c
	   | "| \($c) | " + ([$sizes[] as $s | $all | row($c; $hook; $s) | .added_median | n] | join(" | ")) + " |"),
	""),
	"## Dumping \(.vm.dumps[0].rows // "-") drop rows",
	"",
	"From opening the backend to the last row, as `skbstat drops` reads them (netlink dump with",
	"in-kernel symbolization for kmod; map batch reads and /proc/kallsyms for bpf).",
	"",
	"| backend | rows | lab VM, M instructions (min / median) | this machine, ms (min / median) |",
	"|---|---:|---:|---:|",
	(.vm.dumps[] as $d
	 | ([$all.host.dumps[] | select(.backend == $d.backend)] | first) as $h
	 | "| \($d.backend) | \($d.rows) | \($d.min_ns / 1e6 | n) / \($d.median_ns / 1e6 | n) | " +
	   (if $h then "\($h.min_ns / 1e6 | n) / \($h.median_ns / 1e6 | n)" else "-" end) + " |"),
	"",
	"## The scrape of skbstat serve, on the same rows",
	"",
	"What a Prometheus scrape costs the exporter, HTTP itself aside: reading status, reasons,",
	"drops, flows and queues from the backend it keeps open, rendering the Prometheus text",
	"format (drops by reason, device, netns and protocol: one series per row here), then",
	"gzip, which Prometheus asks for.  The first scrape, which opens the backend, is not timed.",
	"",
	"| backend | rows | bytes (gzip) | lab VM, M instructions: scrape + gzip (min / median) | this machine, ms: scrape + gzip (min / median) |",
	"|---|---:|---:|---:|---:|",
	(.vm.dumps[] as $d
	 | ([$all.host.dumps[] | select(.backend == $d.backend)] | first) as $h
	 | def both($x): "\($x.scrape_min_ns / 1e6 | n) + \($x.gzip_min_ns / 1e6 | n) / " +
	     "\($x.scrape_median_ns / 1e6 | n) + \($x.gzip_median_ns / 1e6 | n)";
	   "| \($d.backend) | \($d.rows) | \($d.scrape_bytes) (\($d.gzip_bytes)) | \(both($d)) | " +
	   (if $h then both($h) else "-" end) + " |"),
	"",
	"## The BPF backend on this machine, real time",
	"",
	"UDP datagrams to 127.0.0.1:9 from a network namespace whose nftables output chain drops",
	"them: one skb:kfree_skb (NETFILTER_DROP) per send and no transmit.  ns per event,",
	"\(.host.overhead[0].runs // 0) rounds, on a machine shared with other work: the minimum is the",
	"number to trust, the spread shows the noise.",
	"",
	"| hook | configuration | ns/event min | median | added min | added median | spread | × floor |",
	"|---|---|---:|---:|---:|---:|---:|---:|",
	(.host.overhead[]
	 | "| \(.hook) | \(.config) | \(.per_event_min | n) | \(.per_event_median | n) | \(.added_min | n) | \(.added_median | n) | \(.spread | n) | \(.ratio | r) |"),
	"",
	"## Repeatability",
	"",
	$repeat,
	"",
	"![chart](bench.png)"' "$tmp/bench.json" >"$tmp/bench.md"

if [[ -s $memory ]]; then
	printf '\n' >>"$tmp/bench.md"
	"$HERE/memory.sh" report "$memory" >>"$tmp/bench.md"
fi

mkdir -p "$results"
for f in bench.md bench.json bench.png bench.svg; do
	cp "$tmp/$f" "$results/$f.tmp"
	mv "$results/$f.tmp" "$results/$f"
done
