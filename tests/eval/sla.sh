#!/bin/sh
# tests/eval/sla.sh - sla-report on real reply chains: first-response
# median, p90 and the share answered within 1 h per company, for the TWCS
# head (CSV, --map) and the IBM care conversations (turned into event
# records with jq).  Reads $HARK_SHARED/data in place; skips when absent.
set -u
bin=${HARK_BIN:?}/sla-report
data=${HARK_SHARED:-../shared}/data
tmp=${TMPDIR:-/tmp}/hark-eval-sla.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

# One line per company: n, median, p90 (calendar time), share within 1 h.
summary() {
	jq -r 'select(.group != null) | .group.brand as $b
	    | .first_response as $f | select($f.count > 0)
	    | [($b // "(unknown)"), $f.count,
	       ($f.median // "-"), ($f.p90 // "-"),
	       (if $f.share_achieved == null then "-"
	        else ($f.share_achieved * 1000 | round / 10 | tostring) + "%" end)]
	    | @tsv' |
	awk -F '\t' 'BEGIN { printf "%-18s %5s %9s %9s %7s\n", "company",
	    "n", "median_s", "p90_s", "<=1h" }
	    { printf "%-18s %5s %9s %9s %7s\n", $1, $2, $3, $4, $5 }'
}
total() {
	jq -r 'select(.group == null) | . as $g | .first_response
	    | "all: n=\(.count) answered=\(.achieved + .breached) median=\(.median)s (\(.median / 0.6 | round / 100) min) p90=\(.p90)s share<=1h=\(.share_achieved * 1000 | round / 10)% excluded=\($g.excluded) (fragments \($g.fragments))"'
}

# Policy for both sets: 1 h first response in calendar time (the X target).
cat > "$tmp/conf" <<'CONF'
[sla "one-hour"]
first_response = 1h
next_response = 1h
CONF

twcs=$data/twcs-sample/twcs_head5000.csv
if [ -f "$twcs" ]; then
	echo "# TWCS head (5000 tweets): first response per company"
	"$bin" -c "$tmp/conf" --no-default-policies --now 2018-01-01T00:00:00Z \
	    --map id=tweet_id,author=author_id,inbound=inbound,ts=created_at,parent=in_response_to_tweet_id,text=text \
	    --source x -b brand -f ndjson "$twcs" > "$tmp/twcs.ndjson"
	st=$?
	summary < "$tmp/twcs.ndjson"
	total < "$tmp/twcs.ndjson" | tee "$tmp/twcs.total"
	[ $st -eq 0 ] || echo "sla-report exited $st"
else
	echo "ok # SKIP $twcs absent"
fi

ibm=$data/ibm-twitter-care
if [ -f "$ibm/dev.json" ]; then
	echo "# IBM twitter care (dev+test, 1025 conversations): first response per company"
	# Every turn becomes an event: the brand's only when it has an
	# "agent" member ("client1" is a second customer); the final agent
	# turn (agentURL) has no
	# datetime, so it comes from the tweet id (snowflake: ms = id>>22 +
	# 1288834974657).
	jq -c '.[] | .dialogHeader as $h
	    | ( .dialogContent[]
	        | {ticket: $h.sessionID, brand: $h.company, channel: "x",
	           event: (if has("agent") then "agent_reply" else "customer_message" end),
	           ts: .datetime} ),
	      ( .agentURL | {ticket: $h.sessionID, brand: $h.company,
	           channel: "x", event: "agent_reply",
	           ts: ((.tweet_ID | tonumber / 4194304 | floor)
	                + 1288834974657 | . / 1000 | floor | todate)} )' \
	    "$ibm/dev.json" "$ibm/test.json" > "$tmp/ibm-events.ndjson"
	"$bin" -c "$tmp/conf" --no-default-policies --now 2021-01-01T00:00:00Z \
	    -b brand -f ndjson "$tmp/ibm-events.ndjson" > "$tmp/ibm.ndjson"
	st=$?
	summary < "$tmp/ibm.ndjson"
	total < "$tmp/ibm.ndjson" | tee "$tmp/ibm.total"
	[ $st -eq 0 ] || echo "sla-report exited $st"
else
	echo "ok # SKIP $ibm absent"
fi
# The two sets side by side.  A conversation belongs to the customer who
# opened it (sla-report(1)): on TWCS, customers who join someone else's
# thread are conversations of their own, so n and answered include them.
if [ -s "$tmp/twcs.total" ] || [ -s "$tmp/ibm.total" ]; then
	echo "# first response, every company"
	[ -s "$tmp/twcs.total" ] && sed 's/^all:/TWCS:/' "$tmp/twcs.total"
	[ -s "$tmp/ibm.total" ] && sed 's/^all:/IBM: /' "$tmp/ibm.total"
fi
exit 0
