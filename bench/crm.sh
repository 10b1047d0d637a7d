#!/bin/sh
# bench/crm.sh - crm-join against "jq -c ." on the same mention records,
# with a synthetic customer export of BENCH_CUSTOMERS rows (default 5
# million; CSV, five keys a row: id, e-mail, phone, handle, order).  The
# goal (issue 14): the join at least as fast as jq reads the mentions,
# and a peak RSS of at most 512 MB (GNU time's maximum resident set).
# Env: HARK_BIN, BENCH_TMP, BENCH_CUSTOMERS, BENCH_RECORDS (mentions,
# default 1000000).  Prints the figures; the exit status follows the
# RSS bound and the CPU ratio.
set -u
: "${HARK_BIN:?}"
tmp=${BENCH_TMP:-${TMPDIR:-/tmp}}
nc=${BENCH_CUSTOMERS:-5000000}
nm=${BENCH_RECORDS:-1000000}
cust=$tmp/crm-bench.csv
in=$tmp/crm-bench.ndjson
if ! command -v jq >/dev/null 2>&1; then
	echo "# SKIP crm bench: jq not installed"
	exit 0
fi
if [ ! -x /usr/bin/time ]; then
	echo "# SKIP crm bench: GNU time (/usr/bin/time) not installed"
	exit 0
fi

# The export: deterministic, every key distinct, a quoted name with a
# comma in every tenth row.
awk -v n="$nc" 'BEGIN {
	print "customer_id,name,email,phone,social,segment,ltv,open_orders"
	seg[0] = "regular"; seg[1] = "vip"; seg[2] = "new"
	for (i = 0; i < n; i++) {
		name = (i % 10 == 0) ? "\"Nowak, Anna " i "\"" : "Jan Kowalski " i
		printf "C%d,%s,user.%d@example.pl,+48 6%08d,x:@user_%d,%s,%d.%02d,ZAM-%07d\n", \
		    i, name, i, i, i, seg[i % 3], i % 9973, i % 100, i
	}
}' > "$cust"
# The mentions: a third match by handle, a third by e-mail in the text,
# a sixth by phone, the rest by nobody.
awk -v n="$nm" -v nc="$nc" 'BEGIN {
	for (i = 0; i < n; i++) {
		c = (i * 7919) % nc; k = i % 6
		if (k < 2) { h = "user_" c; t = "where is my parcel?" }
		else if (k < 4) { h = "someone" i; t = "mail me at User." c "@Example.PL please" }
		else if (k == 4) { h = "someone" i; t = "call me: 6" sprintf("%08d", c) }
		else { h = "stranger" i; t = "nice shop, no customer here" }
		printf "{\"v\":1,\"source\":\"x\",\"id\":\"x:%d\",\"native_id\":\"%d\",\"kind\":\"post\",\"url\":\"https://example.com/p/%d\",\"created_at\":\"2026-12-0%dT%02d:%02d:00Z\",\"author\":{\"id\":\"u%d\",\"handle\":\"%s\",\"name\":null,\"followers\":%d,\"is_brand\":false},\"text\":\"%s\",\"lang\":\"pl\",\"metrics\":{\"likes\":%d,\"replies\":1},\"fetched_at\":\"2026-12-07T00:00:00Z\",\"sentiment\":{\"score\":-0.6,\"label\":\"negative\"}}\n", \
		    i, i, i, 1 + i % 6, i % 24, i % 60, i, h, i % 5000, t, i % 50
	}
}' > "$in"

calc() { awk "BEGIN { print ($1) }"; }
# run NAME CMD...: "WALL CPU RSS_KB" of one run, stdin the mentions
run() {
	name=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/crm-bench.time" "$@" \
	    < "$in" > "$tmp/crm-bench.out" || { echo "$name failed"; return 1; }
	awk '{ print $1, $2 + $3, $4 }' "$tmp/crm-bench.time"
}

r=$(run jq jq -c .) || exit 1
set -- $r; jw=$1 jc=$2
r=$(run crm-join "$HARK_BIN/crm-join" --no-config --customers "$cust" \
    --map id=customer_id,name=name,email=email,phone=phone,handle=social,segment=segment,ltv=ltv,order=open_orders) ||
    exit 1
set -- $r; cw=$1 cc=$2 rss=$3
matched=$(grep -c '"customer":' "$tmp/crm-bench.out")
echo "customers: $nc rows ($(wc -c < "$cust") bytes), mentions: $nm ($(wc -c < "$in") bytes), matched: $matched"
printf 'jq -c . (mentions):  wall %7.2f s  cpu %7.2f s\n' "$jw" "$jc"
printf 'crm-join (load+join): wall %7.2f s  cpu %7.2f s  peak RSS %d MB (goal <= 512)\n' \
    "$cw" "$cc" "$((rss / 1024))"
ratio=$(calc "$jc / $cc")
printf 'crm-join vs jq: %.2fx wall, %.2fx cpu (goal >= 1.0x)\n' \
    "$(calc "$jw / $cw")" "$ratio"
rm -f "$cust" "$in" "$tmp/crm-bench.out" "$tmp/crm-bench.time"
[ "$rss" -le $((512 * 1024)) ] && [ "$(calc "$ratio >= 1.0")" = 1 ]
