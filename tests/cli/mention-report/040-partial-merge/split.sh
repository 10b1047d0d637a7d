# Split the fixture three ways (every third line, so threads and weeks
# are cut apart), summarise each part with --partial, merge the parts in
# two orders (one of them with a part merged from a merge's inputs given
# twice as many files), and compare every format with the single run.
set -u
in=$FIXTURES/mention-report/weeks.ndjson
opts="--no-config --tz Europe/Prague --now 2025-04-07T06:00:00Z --min-count 3 --by brand"
for k in 0 1 2; do
	awk -v k=$k 'NR % 3 == k' "$in" > part$k
	mention-report $opts --partial part$k > p$k || echo "partial $k failed"
done
gzip -c p1 > p1.gz
for f in table markdown csv ndjson html; do
	mention-report $opts -f $f "$in" > single.$f
	mention-report $opts -f $f --merge p0 p1 p2 > m1.$f
	mention-report $opts -f $f --merge p2 p1.gz p0 > m2.$f
	if cmp -s single.$f m1.$f && cmp -s single.$f m2.$f; then
		echo "$f: merge equals the single run"
	else
		echo "$f: merge differs"
		diff single.$f m1.$f | head -n 5
	fi
done
# The parts are not trivial: each holds mentions, examples and messages.
for k in 0 1 2; do
	grep -c '"k":"cell"' p$k >/dev/null && grep -q '"k":"msgs"' p$k &&
	    echo "part $k: cells and messages"
done
head -n 1 p0 | sed 's/"fingerprint":"[0-9a-f]*"/"fingerprint":"..."/; s/"hark":"[^"]*"/"hark":"..."/'
tail -n 1 p0 | sed 's/[0-9][0-9]*/N/'
