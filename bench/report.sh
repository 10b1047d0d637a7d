#!/bin/sh
# bench/report.sh - mention-report on a deterministic synthetic stream of
# 1M mention records (after sentiment-score | ticket-route: sentiment,
# route, author followers, views on x, threads with brand replies to
# every tenth mention; texts of 6-24 words from a 6,000-word vocabulary
# in three languages, so the term dictionary fills realistically), CPU
# time against "jq -c ." on the same file, and peak RSS.  Goal: no slower
# than jq.  Env: HARK_BIN, BENCH_TMP, BENCH_MENTIONS.
set -u
# shellcheck disable=SC2086
: "${HARK_BIN:?}"
tmp=${BENCH_TMP:-${TMPDIR:-/tmp}}
n=${BENCH_MENTIONS:-1000000}
in=$tmp/report-bench.ndjson
if ! command -v jq >/dev/null 2>&1; then
	echo "# SKIP report bench: jq not installed"
	exit 0
fi

awk -v n="$n" 'BEGIN {
	split("ka lo mi ne pu ra si to vu za be do fi go hu ja ke li mo nu", sy, " ")
	for (i = 0; i < 6000; i++) {
		w = ""
		k = i
		do { w = w sy[k % 20 + 1]; k = int(k / 20) } while (k > 0)
		voc[i] = w
	}
	split("x mastodon reddit facebook youtube bluesky", src, " ")
	split("negative neutral positive", lab, " ")
	split("delivery billing defect question praise refund account", cat, " ")
	split("en pl cs", lang, " ")
	seed = 16; t0 = 1740787200; m = 0
	while (m < n) {
		seed = (seed * 1103515245 + 12345) % 2147483648
		t = t0 + int(m * 5.2)
		s = src[seed % 6 + 1]; l = lab[int(seed / 8) % 3 + 1]
		c = cat[int(seed / 64) % 7 + 1]; lg = lang[int(seed / 512) % 3 + 1]
		nw = 6 + int(seed / 4096) % 19; txt = ""
		for (j = 0; j < nw; j++) {
			seed = (seed * 1103515245 + 12345) % 2147483648
			# a Zipf-like draw: small ranks are common
			r = int(6000 * (seed / 2147483648) ^ 3)
			txt = txt (j ? " " : "") voc[r]
		}
		if (t > t0 + 86400 * 50 && m % 7 == 0) txt = txt " battery drain"
		sc = l == "negative" ? -0.5 : l == "positive" ? 0.6 : 0
		id = s ":" m
		printf "{\"v\":1,\"source\":\"%s\",\"id\":\"%s\",\"native_id\":\"%d\",\"kind\":\"post\",\"url\":\"https://%s.example/p/%d\",\"created_at\":\"%s\",\"updated_at\":null,\"author\":{\"id\":\"u%d\",\"handle\":\"user%d\",\"name\":null,\"url\":null,\"followers\":%s,\"is_brand\":false},\"title\":null,\"text\":\"%s\",\"html\":null,\"lang\":\"%s\",\"thread\":{\"root_id\":\"%s\",\"parent_id\":null,\"in_reply_to_author_id\":null},\"metrics\":{\"likes\":null,\"views\":%s},\"query\":\"brand\",\"brand\":\"%s\",\"sentiment\":{\"score\":%s,\"label\":\"%s\",\"lang\":\"%s\"},\"route\":{\"category\":\"%s\",\"priority\":\"normal\",\"queue\":\"care\"}}\n", s, id, m, s, m, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), m % 50000, m % 50000, s == "x" || s == "mastodon" ? seed % 10000 : "null", txt, lg, id, s == "x" ? seed % 50000 : "null", m % 3 ? "lumilo" : "lumilo-pro", sc, l, lg, c
		m++
		if (m % 10 == 0 && m < n) {
			printf "{\"v\":1,\"source\":\"%s\",\"id\":\"%s:r\",\"kind\":\"comment\",\"url\":null,\"created_at\":\"%s\",\"author\":{\"id\":\"brand\",\"handle\":\"lumilo\",\"followers\":9000,\"is_brand\":true},\"text\":\"We are sorry, please send us a DM\",\"lang\":\"en\",\"thread\":{\"root_id\":\"%s\",\"parent_id\":\"%s\",\"in_reply_to_author_id\":\"u%d\"}}\n", s, id, strftime("%Y-%m-%dT%H:%M:%SZ", t + 600 + seed % 7200, 1), id, id, (m - 1) % 50000
			m++
		}
	}
}' > "$in"
lines=$(wc -l < "$in")
bytes=$(wc -c < "$in")

cpu() {	# cpu CMD...: user+sys seconds of the fastest of 3 runs
	b=""
	for _ in 1 2 3; do
		t=$( { /usr/bin/time -f '%U %S' "$@" < "$in" > /dev/null; } 2>&1 |
		    tail -n 1 | awk '{ print $1 + $2 }') || return 1
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}
rss() {	# rss CMD...: peak RSS in MB
	/usr/bin/time -f %M "$@" < "$in" 2>&1 >/dev/null | tail -n 1 |
	    awk '{ printf "%d", $1 / 1024 }'
}
# /usr/bin/time runs programs, not shell functions: the command as words.
mr="$HARK_BIN/mention-report --no-config --tz Europe/Prague --now 2025-06-01T00:00:00Z"
if [ ! -x /usr/bin/time ]; then
	echo "# SKIP report bench: /usr/bin/time not installed"
	exit 0
fi
tj=$(cpu jq -c .) || { echo "jq failed"; exit 1; }
tr=$(cpu $mr -f ndjson) || { echo "mention-report failed"; exit 1; }
tb=$(cpu $mr -f ndjson -b brand) || { echo "mention-report -b failed"; exit 1; }
tp=$(cpu $mr --partial) || { echo "mention-report --partial failed"; exit 1; }
echo "records: $lines ($bytes bytes)"
echo "jq -c .:                          $tj s CPU"
echo "mention-report -f ndjson:         $tr s CPU ($(echo "scale=2; $tj / $tr" | bc)x jq)"
echo "mention-report -f ndjson -b brand: $tb s CPU ($(echo "scale=2; $tj / $tb" | bc)x jq)"
echo "mention-report --partial:         $tp s CPU ($(echo "scale=2; $tj / $tp" | bc)x jq)"
echo "peak RSS: mention-report $(rss $mr -f ndjson) MB, -b brand $(rss $mr -f ndjson -b brand) MB, jq $(rss jq -c .) MB"
rm -f "$in"
[ "$(echo "$tr <= $tj" | bc)" = 1 ] || { echo "mention-report is slower than jq -c ."; exit 1; }
