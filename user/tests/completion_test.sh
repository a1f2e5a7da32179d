#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bash completion of skbstat: what a TAB offers after each word.
# usage: completion_test.sh COMPLETION_FILE
# Exits 77 (skip) without the bash-completion package, 1 on a mismatch.
set -u

lib=/usr/share/bash-completion/bash_completion
[ -r "$lib" ] || { echo "     skip: no $lib (package bash-completion)"; exit 77; }
# shellcheck disable=SC1090
source "$lib"
# shellcheck disable=SC1090
source "$1"
# Outside a real completion, compopt has nothing to set.
compopt() { :; }

failed=0

# expect "WORDS TYPED SO FAR" "EXPECTED COMPLETIONS, sorted, space separated"
expect() {
	local line=$1 want=$2 got
	read -r -a COMP_WORDS <<< "$line"
	[[ $line == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_skbstat skbstat "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | xargs)
	if [ "$got" != "$want" ]; then
		echo "     '$line<TAB>': got '$got', expected '$want'"
		failed=1
	fi
}

expect "skbstat " "attach detach drops flows queues reset serve status top"
expect "skbstat d" "detach drops"
expect "skbstat serve --m" "--max-series"
expect "skbstat serve --listen :19816 --t" "--top-flows"
expect "skbstat -b " "auto bpf kmod"
expect "skbstat -o " "json openmetrics text"
expect "skbstat -j -i 1 q" "queues"
expect "skbstat -b kmod drops --b" "--backend --by"
expect "skbstat drops --by reason,l" "reason,location"
expect "skbstat drops --by reason,location," \
	"reason,location,dev reason,location,netns reason,location,proto"
expect "skbstat reset " "drops flows queues"
expect "skbstat attach --mode k" "kprobe"
expect "skbstat top --" \
	"--backend --by --count --help --interval --json --no-resolve --output --top --usage --version"
expect "skbstat queues --n" "--netns --no-resolve"
expect "skbstat queues --dev lo" "lo"
expect "skbstat attach --d" "--drop-rows"
expect "skbstat -b bpf attach --mode raw_tp --q" "--queue-rows"
exit $failed
