#!/bin/sh
# tests/eval/run.sh O - run every tests/eval/*.sh; each reads the labelled
# sets in ../shared/data in place and skips cleanly when they are absent.
set -u
O=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
export HARK_BIN=$(cd "$O/bin" && pwd) HARK_SHARED=${HARK_SHARED:-$top/../shared}
status=0
for e in "$(dirname "$0")"/*.sh; do
	[ "$(basename "$e")" = run.sh ] && continue
	[ -f "$e" ] || continue
	echo "== $(basename "$e" .sh)"
	sh "$e" || status=1
done
exit $status
