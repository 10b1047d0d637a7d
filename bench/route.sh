#!/bin/sh
# bench/route.sh - ticket-route throughput with the built-in rules against
# "jq -c ." on the same synthetic stream of mention records (goal: at
# least 1.5 times jq's records per second).  Prints wall-clock and CPU
# figures; the exit status follows the CPU ratio, which the load of a
# shared machine does not skew.  Env: HARK_BIN, BENCH_TMP, BENCH_RECORDS
# (default 200000).
set -u
: "${HARK_BIN:?}"
tmp=${BENCH_TMP:-${TMPDIR:-/tmp}}
n=${BENCH_RECORDS:-200000}
in=$tmp/route-bench.ndjson
if ! command -v jq >/dev/null 2>&1; then
	echo "# SKIP route bench: jq not installed"
	exit 0
fi

# A deterministic stream: mention-fetch's record layout with
# sentiment-score's member, texts cycling through EN/PL/CS complaints,
# questions, praise, PII and abuse.
awk -v n="$n" 'BEGIN {
	t[0] = "@brand my order #4432190 never arrived, where is my package?? it is late again"
	t[1] = "Zamówienie nie doszło, chcę zwrot pieniędzy! Kurier nie przyjechał."
	t[2] = "Objednávka nedorazila, zásilka je ztracená. Chci vrátit peníze, volejte +420 777 123 456"
	t[3] = "Thanks so much for the quick help, you guys are awesome!"
	t[4] = "Dziękuję za szybką pomoc, polecam!"
	t[5] = "the app keeps crashing after the update, login does not work"
	t[6] = "Czy macie ten model w kolorze czarnym? Kiedy będzie dostępny?"
	t[7] = "Faktura je špatně, účtovali jste mi dvakrát. Reklamace!"
	t[8] = "I was charged twice for my subscription, email me at jan.novak@example.com"
	t[9] = "my kid got a rash from your cream, I am calling my lawyer"
	src[0] = "x"; src[1] = "facebook"; src[2] = "instagram"; src[3] = "reddit"
	lang[0] = "en"; lang[1] = "pl"; lang[2] = "cs"; lang[3] = "en"; lang[4] = "pl"
	lang[5] = "en"; lang[6] = "pl"; lang[7] = "cs"; lang[8] = "en"; lang[9] = "en"
	for (i = 0; i < n; i++) {
		k = i % 10; s = src[i % 4]
		printf "{\"v\":1,\"source\":\"%s\",\"id\":\"%s:%d\",\"native_id\":\"%d\",\"kind\":\"post\",\"url\":\"https://example.com/p/%d\",\"created_at\":\"2025-03-0%dT%02d:%02d:00Z\",\"updated_at\":null,\"author\":{\"id\":\"u%d\",\"handle\":\"user%d\",\"name\":\"User %d\",\"url\":null,\"followers\":%d,\"is_brand\":false},\"title\":null,\"text\":\"%s\",\"html\":null,\"lang\":\"%s\",\"thread\":{\"root_id\":null,\"parent_id\":null,\"in_reply_to_author_id\":null},\"context\":{\"community\":null,\"title\":null,\"url\":null},\"metrics\":{\"likes\":%d,\"reposts\":0,\"replies\":1,\"quotes\":0,\"score\":null,\"views\":null},\"rating\":null,\"query\":\"brand\",\"fetched_at\":\"2025-03-07T00:00:00Z\",\"sentiment\":{\"score\":%.3f,\"label\":\"%s\"}}\n", \
		    s, s, i, i, i, 1 + i % 6, i % 24, i % 60, i % 997, i % 997, i % 997, (i * 37) % 50000, t[k], lang[k], i % 50, (k == 3 || k == 4) ? 0.8 : -0.6, (k == 3 || k == 4) ? "positive" : "negative"
	}
}' > "$in"
bytes=$(wc -c < "$in")

calc() {	# calc EXPR: floating-point arithmetic with awk
	awk "BEGIN { print ($1) }"
}

# best CMD...: the fastest of 3 runs as "WALL CPU" seconds (CPU = user +
# system, from GNU time when installed, else the wall time), because a
# shared machine's load moves wall times far more than CPU times.
best() {
	bw="" bc=""
	for _ in 1 2 3; do
		s=$(date +%s.%N)
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f '%U %S' -o "$tmp/route-bench.time" \
			    "$@" < "$in" > /dev/null || return 1
			c=$(awk '{ print $1 + $2 }' "$tmp/route-bench.time")
		else
			"$@" < "$in" > /dev/null || return 1
			c=""
		fi
		e=$(date +%s.%N)
		w=$(calc "$e - $s")
		[ -n "$c" ] || c=$w
		if [ -z "$bw" ] || [ "$(calc "$w < $bw")" = 1 ]; then bw=$w; fi
		if [ -z "$bc" ] || [ "$(calc "$c < $bc")" = 1 ]; then bc=$c; fi
	done
	echo "$bw $bc"
}

r=$(best jq -c .) || { echo "jq failed"; exit 1; }
jw=${r% *} jc=${r#* }
r=$(best "$HARK_BIN/ticket-route" --no-config) ||
    { echo "ticket-route failed"; exit 1; }
tw=${r% *} tc=${r#* }
echo "records: $n ($bytes bytes), best of 3 runs"
printf 'jq -c .:                  wall %7.3f s %8.0f rec/s   cpu %7.3f s %8.0f rec/s\n' \
    "$jw" "$(calc "$n / $jw")" "$jc" "$(calc "$n / $jc")"
printf 'ticket-route --no-config: wall %7.3f s %8.0f rec/s   cpu %7.3f s %8.0f rec/s\n' \
    "$tw" "$(calc "$n / $tw")" "$tc" "$(calc "$n / $tc")"
ratio=$(calc "$jc / $tc")
printf 'speed-up over jq: %.2fx wall, %.2fx cpu (goal >= 1.5x)\n' \
    "$(calc "$jw / $tw")" "$ratio"
rm -f "$in" "$tmp/route-bench.time"
[ "$(calc "$ratio >= 1.5")" = 1 ]
