#!/bin/sh
# bench/run.sh O - run every bench/*.sh with the binaries in O/bin.
# Benchmarks print their own figures; this only sequences them.
set -u
O=${1:-build}
export HARK_BIN=$(cd "$O/bin" && pwd) BENCH_TMP=${BENCH_TMP:-$(mktemp -d)}
trap 'rm -rf "$BENCH_TMP"' EXIT
status=0
for b in "$(dirname "$0")"/[0-9a-z]*.sh; do
	case $(basename "$b") in run.sh|gen.sh) continue ;; esac	# gen.sh: a generator
	[ -f "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	sh "$b" || status=1
done
exit $status
