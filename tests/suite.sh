#!/bin/sh
# tests/suite.sh O - one pass of the test suite over the build in O:
# unit tests, golden CLI cases, hand-written tests/t/*.t scripts, fuzz
# corpus replay, lint.  HARK_SUITE_ONLY=unit|cli|lint limits it.  Prints
# TAP from each part and ends with "N passed, N failed".
set -u
O=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
O=$(cd "$O" && pwd)
only=${HARK_SUITE_ONLY:-}
log=$(mktemp "${TMPDIR:-/tmp}/hark-suite.XXXXXX")
trap 'rm -f "$log"' EXIT
pass=0 fail=0

count() {	# count TAP results of the output in $log
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	pass=$((pass + p)); fail=$((fail + f))
}
run_part() {	# run_part LABEL COMMAND...
	label=$1; shift
	echo "# $label"
	"$@" > "$log" 2>&1
	rc=$?
	cat "$log"
	count
	if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$log"; then
		echo "not ok - $label exited $rc without a failing test"
		fail=$((fail + 1))
	fi
}

export HARK_BIN="$O/bin" HARK_BUILD="$O" HARK_TOP="$top"
if [ -z "$only" ] || [ "$only" = unit ]; then
	for t in "$O"/tests/unit/test-*; do
		[ -x "$t" ] || continue
		case $t in *.o|*.d) continue ;; esac
		run_part "unit $(basename "$t")" sh -c 'cd "$1" && "$2"' _ "$top/tests/unit" "$t"
	done
	for r in "$O"/tests/fuzz/replay-*; do
		[ -x "$r" ] || continue
		case $r in *.o|*.d) continue ;; esac
		tgt=${r##*/replay-fuzz-}
		run_part "fuzz replay $tgt" "$r" "$top/tests/fuzz/corpus/$tgt"
	done
fi
if [ -z "$only" ] || [ "$only" = cli ]; then
	run_part "golden cases" "$top/tests/run" -b "$O/bin"
	for t in "$top"/tests/t/*.t; do
		[ -f "$t" ] || continue
		run_part "script $(basename "$t")" sh "$t"
	done
fi
if [ -z "$only" ] || [ "$only" = lint ]; then
	run_part "lint" sh "$top/tests/lint.sh" "$O"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
