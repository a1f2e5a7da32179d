#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh SKBSTAT - the service's files hold up: promtool checks the
# alerting rules and runs their unit tests, systemd-analyze verifies the
# unit (with ExecStart pointed at SKBSTAT, the build's binary).
# Ends with "N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
skbstat=$(realpath "${1:?usage: check.sh SKBSTAT}")
passed=0
failed=0

check() {
	local name=$1
	shift
	if out=$("$@" 2>&1); then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name"
		sed 's/^/     /' <<<"$out"
	fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|/usr/sbin/skbstat|$skbstat|" "$here/skbstat.service" >"$tmp/skbstat.service"

check "promtool check rules" promtool check rules "$here/skbstat.rules.yml"
check "promtool test rules" promtool test rules "$here/skbstat.rules.test.yml"
# verify prints its findings and exits 0 on some of them: any output fails.
check "systemd-analyze verify" sh -c \
	'out=$(systemd-analyze verify --man=no "$1" 2>&1); [ -z "$out" ] || { echo "$out"; exit 1; }' \
	sh "$tmp/skbstat.service"
echo "service files: $passed passed, $failed failed"
((failed == 0))
