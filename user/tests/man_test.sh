#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The man page renders without warnings and documents what the program
# prints: every command, every JSON key and every OpenMetrics metric that
# the golden files hold.
# usage: man_test.sh MAN_PAGE GOLDEN_DIR SKBSTAT
# Exits 77 (skip) without groff, 1 when something is missing.
set -u

page=$1 golden=$2 skbstat=$3
command -v groff >/dev/null || { echo "     skip: no groff"; exit 77; }

failed=0
fail() { echo "     $*"; failed=1; }

warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
[ -z "$warnings" ] || fail "groff warns: $warnings"

# The page as text, hyphenation and adjustment off, so words stay whole.
text=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -rHY=0 -dAD=l -P-cbou "$page" 2>/dev/null)

for cmd in $("$skbstat" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
	grep -q "^       $cmd" <<< "$text" || fail "command '$cmd' has no entry"
done

for key in $(cat "$golden"/*.json | grep -o '"[a-z_]*":' | tr -d '":' | sort -u); do
	grep -qw -- "$key" <<< "$text" || fail "JSON key '$key' is not documented"
done

for metric in $(cat "$golden"/*.prom | sed -n 's/^# TYPE \([a-z_]*\) .*/\1/p' | sort -u); do
	grep -qw -- "$metric" <<< "$text" || fail "metric '$metric' is not documented"
done

for label in $(cat "$golden"/*.prom | grep -o '[{,][a-z_]*="' | tr -d '{,="' | sort -u); do
	grep -qw -- "$label" <<< "$text" || fail "label '$label' is not documented"
done
exit $failed
