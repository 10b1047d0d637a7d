#!/bin/sh
# bench/sla.sh - sla-report on a deterministic synthetic stream of at least
# 1M events (ticket events with replies, notes, automated replies, pauses,
# resolves and reopens, plus mention records linked by thread ids), wall
# time against "jq -c ." on the same file, and peak RSS.  Goals: no slower
# than jq, RSS <= 256 MB.  Env: HARK_BIN, BENCH_TMP, BENCH_EVENTS.
set -u
: "${HARK_BIN:?}"
tmp=${BENCH_TMP:-${TMPDIR:-/tmp}}
n=${BENCH_EVENTS:-1000000}
in=$tmp/sla-bench.ndjson
if ! command -v jq >/dev/null 2>&1; then
	echo "# SKIP sla bench: jq not installed"
	exit 0
fi

# Conversations of 4..12 events; every fifth conversation comes as mention
# records (customer post, brand replies through thread.parent_id).
awk -v n="$n" 'BEGIN {
	ch[0] = "x"; ch[1] = "facebook"; ch[2] = "instagram"; ch[3] = "email"
	q[0] = "billing"; q[1] = "delivery"; q[2] = "tech"; q[3] = "returns"
	pr[0] = "low"; pr[1] = "normal"; pr[2] = "high"; pr[3] = "urgent"
	seed = 42; t0 = 1740787200; ev = 0; c = 0
	while (ev < n) {
		seed = (seed * 1103515245 + 12345) % 2147483648
		len = 4 + int(seed / 65536) % 9
		t = t0 + int(c * 37.3) % (86400 * 60)
		k = c % 4; a = "agent" (int(seed / 1024) % 50)
		if (c % 5 == 4) {
			id = "m" c
			printf "{\"v\":1,\"source\":\"%s\",\"id\":\"%s\",\"kind\":\"post\",\"created_at\":\"%s\",\"author\":{\"id\":\"u%d\",\"handle\":\"user%d\",\"is_brand\":false},\"text\":\"@brand where is my parcel %d\",\"thread\":{\"root_id\":null,\"parent_id\":null}}\n", ch[k], id, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), c, c, c
			prev = id; ev++
			for (j = 1; j < len && ev < n; j++) {
				seed = (seed * 1103515245 + 12345) % 2147483648
				t += 60 + seed % 7200
				brand = j % 2
				printf "{\"v\":1,\"source\":\"%s\",\"id\":\"%s-%d\",\"kind\":\"comment\",\"created_at\":\"%s\",\"author\":{\"id\":\"%s\",\"handle\":\"%s\",\"is_brand\":%s},\"text\":\"reply %d\",\"thread\":{\"root_id\":\"%s\",\"parent_id\":\"%s\"}}\n", ch[k], id, j, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), brand ? "brand" : "u" c, brand ? "brand" : "user" c, brand ? "true" : "false", j, id, prev
				prev = id "-" j; ev++
			}
		} else {
			tk = "T" c
			printf "{\"ticket\":\"%s\",\"event\":\"customer_message\",\"ts\":\"%s\",\"channel\":\"%s\",\"queue\":\"%s\",\"priority\":\"%s\",\"text\":\"my order %d is late\"}\n", tk, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), ch[k], q[int(seed / 65536) % 4], pr[int(seed / 262144) % 4], c
			ev++
			for (j = 1; j < len && ev < n; j++) {
				seed = (seed * 1103515245 + 12345) % 2147483648
				t += 30 + seed % 5400
				r = int(seed / 65536) % 10
				if (j == len - 1) e = "resolved"
				else if (r < 3) e = "agent_reply"
				else if (r < 5) e = "customer_message"
				else if (r == 5) e = "auto_reply"
				else if (r == 6) e = "private_note"
				else if (r == 7) e = "status_changed"
				else if (r == 8) e = "reopened"
				else e = "agent_reply"
				if (e == "status_changed")
					printf "{\"ticket\":\"%s\",\"event\":\"status_changed\",\"ts\":\"%s\",\"status\":\"%s\"}\n", tk, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), (seed % 2) ? "pending" : "open"
				else
					printf "{\"ticket\":\"%s\",\"event\":\"%s\",\"ts\":\"%s\",\"agent\":\"%s\"}\n", tk, e, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), a
				ev++
			}
		}
		c++
	}
}' > "$in"
lines=$(wc -l < "$in")
bytes=$(wc -c < "$in")
cat > "$tmp/sla-bench.conf" <<'CONF'
[calendar "office"]
zone = Europe/Warsaw
hours = mon-fri 08:00-18:00
hours = sat 09:00-13:00
holiday = 2025-01-01 2025-04-21 2025-05-01 2025-05-03
[sla "urgent"]
when = priority == "urgent"
calendar = office
first_response = 1h
next_response = 2h
resolution = 1d
[sla "email"]
when = source == "email"
calendar = office
first_response = 8h
resolution = 3d
CONF

best() {	# best CMD...: fastest of 3 runs, in seconds
	b=""
	for _ in 1 2 3; do
		s=$(date +%s.%N)
		"$@" < "$in" > /dev/null || return 1
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}

sr() {
	"$HARK_BIN/sla-report" -c "$tmp/sla-bench.conf" --now 2025-06-01T00:00:00Z \
	    -b channel,queue -f ndjson "$@"
}
tj=$(best jq -c .) || { echo "jq failed"; exit 1; }
ts=$(best sr) || { echo "sla-report failed"; exit 1; }
echo "events: $lines ($bytes bytes)"
echo "jq -c .:                 $tj s"
echo "sla-report -b channel,queue: $ts s"
echo "ratio jq/sla-report: $(echo "scale=2; $tj / $ts" | bc)x (goal >= 1.00)"
if [ -x /usr/bin/time ]; then
	rss=$(/usr/bin/time -f %M "$HARK_BIN/sla-report" -c "$tmp/sla-bench.conf" \
	    --now 2025-06-01T00:00:00Z -b channel,queue -f ndjson < "$in" 2>&1 >/dev/null | tail -n 1)
	echo "peak RSS: $((rss / 1024)) MB (goal <= 256 MB)"
	rss=$(/usr/bin/time -f %M jq -c . < "$in" 2>&1 >/dev/null | tail -n 1)
	echo "jq peak RSS: $((rss / 1024)) MB"
else
	echo "# peak RSS: /usr/bin/time not installed"
fi
rm -f "$in"
