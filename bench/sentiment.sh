#!/bin/sh
# bench/sentiment.sh - sentiment-score throughput against 'jq -c .' on the
# same deterministic synthetic stream (BENCH_SENT_N records, default 1M,
# mixed English/Polish/Czech mention records, half without "lang"), peak
# RSS, and the latency of scoring one record end to end (start-up with
# the lexicons loaded).  Goals (issue): ratio >= 1.5, RSS <= 16 MB,
# one record <= 5 ms.
#   env: HARK_BIN (built binaries), BENCH_TMP (scratch directory)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${HARK_BIN:-$top/build/bin}
tmp=${BENCH_TMP:-$(mktemp -d)}/sentiment
n=${BENCH_SENT_N:-1000000}
mkdir -p "$tmp"
f=$tmp/mentions.ndjson

# Deterministic: a linear congruential generator picks the pieces.
awk -v n="$n" 'BEGIN {
	split("I love the new app|the flight was delayed again, still waiting|" \
	    "thanks for nothing @airline|great service, very friendly staff :)|" \
	    "my parcel has not arrived, no reply for 3 days|" \
	    "on hold for 40 minutes!!! terrible|where is my order?|" \
	    "nie działa aplikacja, nadal nic|dzięki za szybką pomoc 👍|" \
	    "paczka nie dotarla, czekam juz tydzien|super obsługa, polecam|" \
	    "nefunguje to, zasilka neprisla|díky za nic|skvělý produkt, doporučuji|" \
	    "porad nic, uz tyden cekam 😡|the app crashes when I log in #fail", t, "|")
	split("x|facebook|reddit|youtube|rss", src, "|")
	split("en|pl|cs", lg, "|")
	s = 12345
	for (i = 1; i <= n; i++) {
		s = (s * 1103515245 + 12345) % 2147483648; a = int(s / 65536) % 16 + 1
		s = (s * 1103515245 + 12345) % 2147483648; b = int(s / 65536) % 16 + 1
		s = (s * 1103515245 + 12345) % 2147483648; c = int(s / 65536) % 5 + 1
		lang = (i % 2) ? "" : sprintf(",\"lang\":\"%s\"", lg[a <= 7 ? 1 : a <= 11 ? 2 : 3])
		printf "{\"id\":\"%d\",\"source\":\"%s\",\"created_at\":\"2025-03-0%dT%02d:%02d:00Z\",\"author\":{\"name\":\"user%d\",\"followers\":%d},\"text\":\"%s %s\"%s,\"url\":\"https://example.com/p/%d\"}\n", \
		    i, src[c], 1 + i % 9, i % 24, i % 60, i % 5000, (i * 7) % 100000, t[a], (b > 12 ? t[b] : ""), lang, i
	}
}' > "$f"
size=$(wc -c < "$f" | tr -d ' ')
echo "input: $n records, $size bytes ($f)"

# wall and CPU (user + system) seconds of one command, via /usr/bin/time
# when installed (the machine may be shared: CPU time is the steadier
# figure), else wall time from date(1)
measure() {	# measure OUTFILE CMD...
	out=$1; shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" > "$out"
		cat "$tmp/time"
	else
		t0=$(date +%s%N); "$@" > "$out"; t1=$(date +%s%N)
		echo "$(( (t1 - t0) / 1000000 ))" | awk '{ printf "%.3f 0 0 0\n", $1 / 1000 }'
	fi
}

if command -v jq >/dev/null 2>&1; then
	jq_t=$(measure /dev/null jq -c . "$f")
else
	jq_t=""
fi
ss_t=$(measure "$tmp/out" "$bin/sentiment-score" "$f")
lines=$(wc -l < "$tmp/out" | tr -d ' ')
[ "$lines" -eq "$n" ] || { echo "FAIL: $lines records out of $n"; exit 1; }
echo "$ss_t" | awk -v n="$n" '{ printf "sentiment-score:  %.2f s wall, %.2f s CPU (%.0f records/s wall), peak RSS %.1f MB\n", $1, $2 + $3, n / ($1 > 0 ? $1 : 1), $4 / 1024 }'
if [ -n "$jq_t" ]; then
	echo "$jq_t" | awk '{ printf "jq -c .:          %.2f s wall, %.2f s CPU\n", $1, $2 + $3 }'
	echo "$jq_t $ss_t" | awk '{
		w = $1 / ($5 > 0 ? $5 : 0.001); c = ($2 + $3) / ($6 + $7 > 0 ? $6 + $7 : 0.001)
		printf "throughput ratio vs jq: %.2fx wall, %.2fx CPU (goal >= 1.5x) %s\n", w, c, (w >= 1.5 ? "ok" : "BELOW GOAL")
	}'
fi

if [ -x /usr/bin/time ]; then
	echo "$ss_t" | awk '{ printf "peak RSS: %.1f MB (goal <= 16 MB) %s\n", $4 / 1024, ($4 <= 16384 ? "ok" : "BELOW GOAL") }'
	/usr/bin/time -f '%M' -o "$tmp/rss1" "$bin/sentiment-score" --explain "$f" > /dev/null
	awk '{ printf "peak RSS with --explain: %.1f MB\n", $1 / 1024 }' "$tmp/rss1"
else
	echo "peak RSS: SKIP (no /usr/bin/time)"
fi

# one record end to end: best and mean of 50 runs, beside the same for
# /bin/true (the cost of fork+exec on this machine, which the goal does
# not count)
echo '{"id":"1","text":"nefunguje to, zasilka neprisla :("}' > "$tmp/one"
runs() {	# runs CMD... -> "best_us mean_us"
	best=999999999 total=0 i=0
	while [ $i -lt 50 ]; do
		t0=$(date +%s%N); "$@" < "$tmp/one" > /dev/null; t1=$(date +%s%N)
		us=$(( (t1 - t0) / 1000 ))
		total=$((total + us)); [ $us -lt $best ] && best=$us
		i=$((i + 1))
	done
	echo "$best $((total / 50))"
}
base=$(runs /bin/true)
one=$(runs "$bin/sentiment-score")
echo "$base $one" | awk '{
	printf "exec of /bin/true: best %.2f ms, mean %.2f ms\n", $1 / 1000, $2 / 1000
	printf "one record end to end: best %.2f ms, mean %.2f ms\n", $3 / 1000, $4 / 1000
	d = ($3 - $1) / 1000
	printf "one record beyond exec (best - best): %.2f ms (goal <= 5 ms) %s\n", d, (d <= 5 ? "ok" : "BELOW GOAL")
}'
