#!/bin/sh
# shard-merge.t - the property of sla-report --partial/--merge: split a
# generated stream (tests/t/shard-gen.awk: every case whose figures depend
# on the whole input) with mention-shard into 1..16 shards, write a
# partial per shard, merge the partials in random orders and random
# groupings (merged partials merged again), and compare the report with
# the one run over the whole stream: every count, share and status
# exactly, percentiles within the bound sla-report(1) states (0.5%,
# rounded to the second).  Also: --check on merged results, every output
# format after a merge, the busy-hours heatmap.  HARK_SHARD_SEED and
# HARK_SHARD_ROUNDS change the seed and the number of rounds.
set -u
bin=${HARK_BIN:?}
top=${HARK_TOP:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hark-shard.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/tap.sh"
if ! command -v jq >/dev/null 2>&1; then
	echo "ok 1 - shard/merge property # SKIP jq not installed"
	echo "1..1"
	exit 0
fi
export LC_ALL=C TZ=UTC HARK_NOW=2025-03-25T00:00:00Z
unset HARK_CONFIG
seed=${HARK_SHARD_SEED:-20261207}
rounds=${HARK_SHARD_ROUNDS:-6}
cd "$tmp" || exit 1
cat > t.conf <<'CONF'
[calendar "office"]
zone = Europe/Warsaw
hours = mon-fri 08:00-18:00
[sla "urgent"]
when = priority == "urgent"
calendar = office
first_response = 1h
next_response = 2h
resolution = 1d
[sla "social"]
when = source == "x" || source == "instagram"
first_response = 30m
next_response = 1h
resolution = 2d
CONF
awk -v n=6000 -v seed="$seed" -f "$top/tests/t/shard-gen.awk" > in.ndjson
# rnd N: a number in 0..N-1 from the seed (state in the file rng)
echo "$seed" > rng
rnd() {
	s=$(awk -v s="$(cat rng)" 'BEGIN { printf "%d", (s * 1103515245 + 12345) % 2147483648 }')
	echo "$s" > rng
	echo $(( (s / 65536) % $1 ))
}
# shuffle FILE...: the names in a random order
shuffle() {
	for f in "$@"; do echo "$(rnd 100000) $f"; done | sort -n | cut -d' ' -f2
}
sr() { "$bin/sla-report" -c t.conf "$@"; }

set -- "" "-b channel,queue" "-b brand,day" "-b sentiment.label,priority" "-b agent" "-b category,language"
r=0
while [ $r -lt "$rounds" ]; do
	by=$(eval "echo \"\${$((r % $# + 1))}\"")
	shards=$(( $(rnd 16) + 1 ))
	label="round $r: $by, $shards shards, seed $seed"
	rm -rf w && mkdir w
	# shellcheck disable=SC2086
	sr $by -f ndjson in.ndjson > w/single.ndjson
	"$bin/mention-shard" -n "$shards" -o w/s in.ndjson
	k=0
	while [ $k -lt "$shards" ]; do
		# shellcheck disable=SC2086
		sr $by --partial -o w/p.$k w/s.$k || nok "$label: partial $k"
		k=$((k + 1))
	done
	# all at once, in a random order
	# shellcheck disable=SC2046,SC2086
	sr $by -f ndjson --merge $(shuffle w/p.*) > w/merged.ndjson
	d=$(jq -n -r --slurpfile a w/single.ndjson --slurpfile b w/merged.ndjson -f "$top/tests/t/shard-cmp.jq")
	[ -z "$d" ] && ok "$label: one merge equals the single run" || nok "$label: one merge equals the single run" "$d"
	# random groupings: merge 1-4 partials into one until one is left
	pool=$(shuffle w/p.*); m=0
	while [ "$(echo "$pool" | wc -w)" -gt 1 ]; do
		cnt=$(echo "$pool" | wc -w)
		take=$(( $(rnd 4) + 1 )); [ $take -gt "$cnt" ] && take=$cnt
		pick=$(echo "$pool" | tr ' ' '\n' | head -n "$take")
		pool=$(echo "$pool" | tr ' ' '\n' | tail -n +"$((take + 1))")
		# shellcheck disable=SC2086
		sr $by --merge --partial -o w/m.$m $pick
		pool=$(shuffle $pool w/m.$m)
		m=$((m + 1))
	done
	# shellcheck disable=SC2086
	sr $by -f ndjson --merge $pool > w/tree.ndjson
	d=$(jq -n -r --slurpfile a w/single.ndjson --slurpfile b w/tree.ndjson -f "$top/tests/t/shard-cmp.jq")
	[ -z "$d" ] && ok "$label: $m grouped merges equal the single run" || nok "$label: $m grouped merges equal the single run" "$d"
	r=$((r + 1))
done

# Two shards of the whole stream: more values than a partial lists
# exactly, so the merge reads its percentiles from the sketches.
rm -rf w && mkdir w
awk -v n=20000 -v seed="$seed" -f "$top/tests/t/shard-gen.awk" > w/in.ndjson
"$bin/mention-shard" -n 2 -o w/s w/in.ndjson
sr -f ndjson w/in.ndjson > w/single.ndjson
sr --partial -o w/p.0 w/s.0 && sr --partial -o w/p.1 w/s.1
sr -f ndjson --merge w/p.1 w/p.0 > w/merged.ndjson
d=$(jq -n -r --slurpfile a w/single.ndjson --slurpfile b w/merged.ndjson -f "$top/tests/t/shard-cmp.jq")
if [ "$(jq -s '[.[] | select(has("group") and .group == null)][0].metrics.first_response | has("exact")' w/p.0)" != false ]; then
	nok "a large partial carries sketches only" "$(head -c 300 w/p.0)"
elif [ -n "$d" ]; then
	nok "sketched percentiles within 0.5% of the single run" "$d"
else
	ok "sketched percentiles within 0.5% of the single run"
fi

# The same shards, every output format, the heatmap and --check.
rm -rf w && mkdir w
"$bin/mention-shard" -n 5 -o w/s in.ndjson
for k in 0 1 2 3 4; do sr -b channel --partial -o w/p.$k w/s.$k; done
for f in table csv markdown html; do
	sr -b channel -f $f --merge w/p.* > w/m.$f; st=$?
	[ $st -eq 0 ] && [ -s w/m.$f ] && ok "-f $f after a merge" || nok "-f $f after a merge" "status $st"
done
sr -b channel --busy-hours -f ndjson in.ndjson > w/b1
sr -b channel --busy-hours -f ndjson --merge w/p.* > w/b2
cmp -s w/b1 w/b2 && ok "busy-hours heatmap merges exactly" || nok "busy-hours heatmap merges exactly" "$(diff w/b1 w/b2 | head -5)"
conv=$(sr -b channel -f ndjson in.ndjson | head -n 1 | jq .conversations)
# (NDJSON rounds the share to 4 decimals: check just below it)
share=$(sr -b channel -f ndjson in.ndjson | head -n 1 | jq '.first_response.share_achieved - 0.0001')
sr -b channel -f ndjson --merge w/p.* --check "conversations == $conv" --check "first_response.share >= $share" > /dev/null 2>w/err
st=$?
[ $st -eq 0 ] && ok "--check holds on a merge (exact count and share)" || nok "--check holds on a merge" "status $st: $(cat w/err)"
sr -b channel -f ndjson --merge w/p.* --check "conversations != $conv" > /dev/null 2>w/err
st=$?
[ $st -eq 5 ] && grep -q "check failed: 'conversations != $conv' (actual $conv)" w/err &&
    ok "--check fails on a merge with exit 5" || nok "--check fails on a merge with exit 5" "status $st: $(cat w/err)"
echo "1..$n"
