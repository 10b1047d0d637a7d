#!/bin/sh
# bench/shard.sh - scale-out on this machine with GNU parallel, on at least
# 5M synthetic events (tests/t/shard-gen.awk: tickets and mention threads):
#   1. one sla-report over the file, against the sharded report: two
#      parallel jobs (-j2), each "mention-shard --shard K/2 | sla-report
#      --partial", then one --merge; wall time, the ratio, peak RSS per
#      worker;
#   2. sentiment-score and ticket-route: one process against
#      "parallel -j2 --pipe --keep-order";
#   3. the per-record costs measured, and what they give on paper for 100M
#      and 1G events on N hosts of 2 cores.
# Env: HARK_BIN, BENCH_TMP, BENCH_EVENTS (default 5000000).
set -u
: "${HARK_BIN:?}"
tmp=${BENCH_TMP:-${TMPDIR:-/tmp}}
n=${BENCH_EVENTS:-5000000}
top=$(cd "$(dirname "$0")/.." && pwd)
if ! parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
	echo "# SKIP shard bench: GNU parallel not installed"
	exit 0
fi
if [ ! -x /usr/bin/time ]; then
	echo "# SKIP shard bench: /usr/bin/time not installed"
	exit 0
fi
export PATH="$HARK_BIN:$PATH" HARK_NOW=2025-03-25T00:00:00Z LC_ALL=C
w=$(mktemp -d "$tmp/shard-bench.XXXXXX") || exit 1
in=$w/in.ndjson
trap 'rm -rf "$w"' EXIT INT TERM
awk -v n="$n" -v seed=5 -f "$top/tests/t/shard-gen.awk" > "$in"
lines=$(wc -l < "$in")
bytes=$(wc -c < "$in")
echo "events: $lines ($((bytes / 1048576)) MB), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
sr="sla-report --no-config -b channel,queue -f ndjson"

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }

# 1. one process (wall time; CPU seconds, which the load of other jobs
# on the machine does not inflate, for the per-event costs)
s=$(now)
/usr/bin/time -f "%U %S %M" -o "$w/rss.single" $sr "$in" > "$w/single.ndjson"
e=$(now); t1=$(secs "$s" "$e")
rss1=$(tail -n 1 "$w/rss.single" | cut -d' ' -f3)
cpu1=$(tail -n 1 "$w/rss.single" | awk '{ print $1 + $2 }')
echo "one sla-report:                 $t1 s ($cpu1 s CPU), peak RSS $((rss1 / 1024)) MB"
# the split alone (what each job pays on top of its report)
s=$(now)
/usr/bin/time -f "%U %S" -o "$w/cpu.split" mention-shard --shard 0/2 "$in" > /dev/null
e=$(now)
tsplit=$(secs "$s" "$e")
cpusplit=$(tail -n 1 "$w/cpu.split" | awk '{ print $1 + $2 }')
# sharded: 2 job slots, each job splits the stream and reports its shard
s=$(now)
parallel --will-cite -j2 "mention-shard --shard {}/2 $in |
    /usr/bin/time -f %M -o $w/rss.{} sla-report --no-config -b channel,queue --partial > $w/p.{}" ::: 0 1
e=$(now); tjobs=$(secs "$s" "$e")
s=$(now)
$sr --merge "$w"/p.0 "$w"/p.1 > "$w/merged.ndjson"
e=$(now); tmerge=$(secs "$s" "$e")
t2=$(echo "$tjobs + $tmerge" | bc)
rssw=$(cat "$w"/rss.0 "$w"/rss.1 | sort -n | tail -n 1)
echo "sharded, parallel -j2:          $t2 s ($tjobs s jobs + $tmerge s merge), peak RSS per worker $((rssw / 1024)) MB"
echo "ratio one/sharded:              $(echo "scale=2; $t1 / $t2" | bc)x"
echo "mention-shard --shard 0/2 pass: $tsplit s ($cpusplit s CPU)"
# split once (as at ingest), then a report per shard file on 2 job slots
s=$(now)
mention-shard -n 2 -o "$w/s" "$in"
e=$(now); tsn=$(secs "$s" "$e")
s=$(now)
parallel --will-cite -j2 "/usr/bin/time -f '%U %S %M' -o $w/rssb.{} sla-report --no-config -b channel,queue --partial -o $w/q.{} $w/s.{}" ::: 0 1
e=$(now); tjb=$(secs "$s" "$e")
s=$(now)
/usr/bin/time -f "%U %S" -o "$w/cpu.merge" $sr --merge "$w"/q.0 "$w"/q.1 > /dev/null
e=$(now); tmb=$(secs "$s" "$e")
rssb=$(tail -q -n 1 "$w"/rssb.0 "$w"/rssb.1 | cut -d' ' -f3 | sort -n | tail -n 1)
cpuw=$(tail -q -n 1 "$w"/rssb.0 "$w"/rssb.1 | awk '{ t += $1 + $2 } END { print t }')
cpum=$(tail -n 1 "$w/cpu.merge" | awk '{ print $1 + $2 }')
kept=$(cat "$w"/q.0 "$w"/q.1 | grep -c '^{"conversation"')
convs=$(head -n 1 "$w/single.ndjson" | sed 's/.*"conversations":\([0-9]*\).*"excluded":\([0-9]*\).*/\1 \2/' | awk '{ print $1 + $2 }')
t3=$(echo "$tsn + $tjb + $tmb" | bc)
echo "split once (-n 2), then parallel -j2 reports: $t3 s ($tsn s split + $tjb s reports + $tmb s merge), peak RSS per worker $((rssb / 1024)) MB"
echo "ratio one/(reports + merge):    $(echo "scale=2; $t1 / ($tjb + $tmb)" | bc)x (the split paid at ingest)"
echo "CPU: one report $cpu1 s; the two workers $cpuw s together; the merge $cpum s"
echo "conversations kept in the partials for the merge: $kept of $convs"
echo "on 2 idle cores the jobs would take max(worker) + merge ~ $(echo "scale=1; $cpuw / 2 + $cpum" | bc) s: ratio ~ $(echo "scale=2; $cpu1 / ($cpuw / 2 + $cpum)" | bc)x"
rm -f "$w"/s.0 "$w"/s.1
if command -v jq >/dev/null 2>&1; then
	if d=$(jq -n -r --slurpfile a "$w/single.ndjson" --slurpfile b "$w/merged.ndjson" -f "$top/tests/t/shard-cmp.jq") &&
	    [ -z "$d" ]; then
		echo "merged report: equal to the single run (percentiles within 0.5%)"
	else
		echo "merged report DIFFERS: $(echo "$d" | head -n 3)"
	fi
fi
ls -l "$w"/p.0 | awk '{ printf "partial size: %d kB\n", $5 / 1024 }'

# 2. the filters
for f in sentiment-score "ticket-route --no-config"; do
	s=$(now); $f < "$in" > /dev/null; e=$(now); a=$(secs "$s" "$e")
	s=$(now)
	parallel --will-cite -j2 --pipe --keep-order --block 32M "$f" < "$in" > /dev/null
	e=$(now); b=$(secs "$s" "$e")
	s=$(now)
	parallel --will-cite -j2 --pipepart -a "$in" --block -2 --keep-order "$f" > /dev/null
	e=$(now); c=$(secs "$s" "$e")
	echo "$f: one process $a s; parallel -j2 --pipe --keep-order $b s (ratio $(echo "scale=2; $a / $b" | bc)x); --pipepart -a FILE $c s (ratio $(echo "scale=2; $a / $c" | bc)x)"
done

# 3. on paper, from the per-event CPU costs measured above.  A report
# worker holds its shard's events until the end (bytes per event
# measured), so the number of shards is set by memory (here 2 GB a worker:
# a worker reports its shards one after the other when there are more
# shards than workers), the number of hosts by time: every host runs two
# workers; the split is paid once where the data is written (mention-shard
# -n at ingest, 1 core); the final merge is one process, its cost per event
# of the input (mostly the kept conversations).
awk -v n="$lines" -v t1="$cpu1" -v tw="$cpuw" -v tsplit="$cpusplit" -v tm="$cpum" -v rss="$rss1" 'BEGIN {
	rec = tw / n; sp = tsplit / n; mem = rss * 1024 / n; budget = 2 * 1073741824
	mg = tm / n
	printf "per event (CPU): report %.2f us alone, %.2f us sharded; split %.2f us; merge %.2f us; %.0f bytes of report memory\n", \
	    t1 / n * 1e6, rec * 1e6, sp * 1e6, mg * 1e6, mem
	printf "plan (2 workers a host, at most 2 GB a worker, split once at ingest):\n"
	split("100000000 1000000000", E, " ")
	for (i = 1; i <= 2; i++) {
		shards = int(E[i] * mem / budget) + 1
		for (h = 1; h <= 64; h *= 4) {
			s = shards < 2 * h ? 2 * h : shards
			printf "  %4s events, %2d hosts: %4d shards of %5.1f M events, %4.1f GB a worker; split %5.0f s, reports %6.0f s, merge %5.0f s\n", \
			    E[i] == 1e8 ? "100M" : "1G", h, s, E[i] / s / 1e6, E[i] / s * mem / 1073741824, \
			    E[i] * sp, E[i] * rec / (2 * h), E[i] * mg
		}
	}
}'
