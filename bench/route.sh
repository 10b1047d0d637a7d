#!/bin/sh
# bench/route.sh - ticket-route on hostile posts: one record each of
# about 1 MiB built to make a text scanner quadratic ("#12345 " repeated,
# e-mail-like, phone-like, IBAN-like and URL tokens, "a@" repeated,
# "order " repeated; bench/gen.sh hostile).  Every scan of a text must be
# linear in its length: each post must route, with --redact, in well
# under a second (goal: 1 s of CPU, generous for a shared machine; it
# took 83 s for the first shape when the order-number scan was
# quadratic).  Throughput on ordinary records: bench/filters.sh.
#   env: HARK_BIN (built binaries), BENCH_TMP (scratch directory)
set -u
: "${HARK_BIN:?}"
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=${BENCH_TMP:-${TMPDIR:-/tmp}}/route
mkdir -p "$tmp"
sh "$top/bench/gen.sh" hostile 7 > "$tmp/hostile.ndjson"
names="#12345 e-mail phone IBAN URL a@ order"
status=0
i=1
for name in $names; do
	sed -n "${i}p" "$tmp/hostile.ndjson" > "$tmp/one.ndjson"
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S %e' -o "$tmp/time" \
		    "$HARK_BIN/ticket-route" --no-config --redact \
		    "$tmp/one.ndjson" > "$tmp/out" 2> "$tmp/err"
		rc=$?
		t=$(awk '{ print $1 + $2 }' "$tmp/time")
	else
		s=$(date +%s.%N)
		"$HARK_BIN/ticket-route" --no-config --redact \
		    "$tmp/one.ndjson" > "$tmp/out" 2> "$tmp/err"
		rc=$?
		t=$(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
	fi
	n=$(wc -c < "$tmp/one.ndjson" | tr -d ' ')
	ok=$(awk -v t="$t" 'BEGIN { print (t < 1.0) ? "ok" : "TOO SLOW" }')
	[ "$rc" -eq 0 ] || ok="exit $rc"
	printf 'hostile post %-7s %8s bytes: %6.3f s CPU  (goal < 1 s) %s\n' \
	    "$name" "$n" "$t" "$ok"
	[ "$ok" = ok ] || status=1
	i=$((i + 1))
done
rm -f "$tmp/hostile.ndjson" "$tmp/one.ndjson" "$tmp/out" "$tmp/err" \
    "$tmp/time"
exit $status
