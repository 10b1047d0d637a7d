#!/bin/sh
# bench/alert.sh - mention-alert throughput against "jq -c ." on the same
# 1M mention records, with one volume alert of 20 keys (5 sources x 2
# sentiment labels x 2 languages), a negative-share alert and an item
# alert (goal: at least jq's records per second; the RSS must not grow
# with the input: it is printed for 1/4 and all of the records).  The
# exit status follows the CPU ratio.  Env: HARK_BIN, BENCH_TMP,
# BENCH_RECORDS (default 1000000), BENCH_RUNS (default 3).
set -u
: "${HARK_BIN:?}"
tmp=${BENCH_TMP:-${TMPDIR:-/tmp}}
n=${BENCH_RECORDS:-1000000}
runs=${BENCH_RUNS:-3}
in=$tmp/alert-bench.ndjson
conf=$tmp/alert-bench.conf
if ! command -v jq >/dev/null 2>&1; then
	echo "# SKIP alert bench: jq not installed"
	exit 0
fi

# A deterministic stream over 14 days (about one record per 1.2 s), with
# sentiment-score's and ticket-route's members.
gen() {	# gen N
	awk -v n="$1" 'BEGIN {
	src[0] = "x"; src[1] = "facebook"; src[2] = "instagram"; src[3] = "reddit"; src[4] = "youtube"
	t[0] = "my order never arrived, where is my package?? it is late again"
	t[1] = "Zamówienie nie doszło, chcę zwrot pieniędzy! Kurier nie przyjechał."
	t[2] = "Thanks so much for the quick help, you guys are awesome!"
	for (i = 0; i < n; i++) {
		k = i % 3; s = src[i % 5]
		sec = int(i * 1209600 / n); d = 1 + int(sec / 86400); r = sec % 86400
		printf "{\"v\":1,\"source\":\"%s\",\"id\":\"%s:%d\",\"url\":\"https://example.com/p/%d\",\"created_at\":\"2025-03-%02dT%02d:%02d:%02dZ\",\"author\":{\"handle\":\"user%d\",\"followers\":%d},\"text\":\"%s\",\"lang\":\"%s\",\"sentiment\":{\"score\":%.3f,\"label\":\"%s\"},\"route\":{\"category\":\"delivery\",\"priority\":\"%s\",\"tags\":[]}}\n", \
		    s, s, i, i, d, int(r / 3600), int(r % 3600 / 60), r % 60, i % 997, (i * 37) % 60000, t[k], (i % 7 < 4) ? "pl" : "en", k == 2 ? 0.8 : -0.6, (i % 11 < 4) ? "positive" : "negative", (i % 1000 == 0) ? "urgent" : "normal"
	}
}'
}
gen "$n" > "$in"
bytes=$(wc -c < "$in")
cat > "$conf" <<'CONF'
[alert "volume"]
window = 15m
by = source, sentiment.label, lang
baseline = 7d

[alert "negative-share"]
window = 1h
by = source
share = sentiment.label == "negative"

[alert "urgent"]
when = route.priority == "urgent" or author.followers >= 59990
CONF

calc() {	# calc EXPR: floating-point arithmetic with awk
	awk "BEGIN { print ($1) }"
}

# best CMD...: the fastest of $runs runs as "WALL CPU RSS_KB"
best() {
	bw="" bc="" rss=""
	i=0
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		s=$(date +%s.%N)
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f '%U %S %M' -o "$tmp/alert-bench.time" \
			    "$@" < "$in" > /dev/null || return 1
			c=$(awk '{ print $1 + $2 }' "$tmp/alert-bench.time")
			rss=$(awk '{ print $3 }' "$tmp/alert-bench.time")
		else
			"$@" < "$in" > /dev/null || return 1
			c="" rss="?"
		fi
		e=$(date +%s.%N)
		w=$(calc "$e - $s")
		[ -n "$c" ] || c=$w
		if [ -z "$bw" ] || [ "$(calc "$w < $bw")" = 1 ]; then bw=$w; fi
		if [ -z "$bc" ] || [ "$(calc "$c < $bc")" = 1 ]; then bc=$c; fi
	done
	echo "$bw $bc $rss"
}

r=$(best jq -c .) || { echo "jq failed"; exit 1; }
set -- $r; jw=$1 jc=$2
r=$(best sh -c "rm -rf \"$tmp/alert-bench.st\"; exec \"$HARK_BIN/mention-alert\" -q -c \"$conf\" --state-dir \"$tmp/alert-bench.st\" --no-deliver") ||
    { echo "mention-alert failed"; exit 1; }
set -- $r; tw=$1 tc=$2 trss=$3
echo "records: $n ($bytes bytes), best of $runs runs"
printf 'jq -c .:                 wall %7.3f s %8.0f rec/s   cpu %7.3f s %8.0f rec/s\n' \
    "$jw" "$(calc "$n / $jw")" "$jc" "$(calc "$n / $jc")"
printf 'mention-alert (filter):  wall %7.3f s %8.0f rec/s   cpu %7.3f s %8.0f rec/s   rss %s KiB\n' \
    "$tw" "$(calc "$n / $tw")" "$tc" "$(calc "$n / $tc")" "$trss"
alerts=$("$HARK_BIN/mention-alert" -q -c "$conf" --replay < "$in" | wc -l)
echo "alerts raised: $alerts"
# RSS against input size: the same run over a quarter of the records
if [ -x /usr/bin/time ]; then
	gen $((n / 4)) > "$in.q"
	/usr/bin/time -f '%M' -o "$tmp/alert-bench.time" \
	    "$HARK_BIN/mention-alert" -q -c "$conf" --replay < "$in.q" > /dev/null
	echo "rss: $(cat "$tmp/alert-bench.time") KiB for $((n / 4)) records, $trss KiB for $n"
	rm -f "$in.q"
fi
ratio=$(calc "$jc / $tc")
printf 'speed-up over jq: %.2fx wall, %.2fx cpu (goal >= 1x)\n' \
    "$(calc "$jw / $tw")" "$ratio"
rm -rf "$in" "$conf" "$tmp/alert-bench.time" "$tmp/alert-bench.st"
[ "$(calc "$ratio >= 1")" = 1 ]
