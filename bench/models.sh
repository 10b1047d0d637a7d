#!/bin/sh
# bench/models.sh - hark-train and the tools with a model (issue 11):
#  - hark-train's CPU time on 100000 short records (bench/gen.sh; goal
#    <= 30 s on one core), for a sentiment model (label: the generated
#    sentiment.label) and a category model (label: ticket-route's own
#    category on the same records, --features all,-lexicon as
#    hark-train(1) advises);
#  - the model files' sizes (goal <= 16 MiB) and load time (runs on
#    empty input with and without the model; goal <= 20 ms);
#  - sentiment-score and ticket-route with --model against "jq -c ." on
#    the three shapes of bench/filters.sh, as the median ratio of CPU
#    seconds over BENCH_RUNS pairs, beside the same ratio without a model
#    (goal >= 1.5x with a model).
# Exit status 1 when a goal is missed.
#   env: HARK_BIN, BENCH_TMP, BENCH_RUNS (default 5), BENCH_SHORT,
#   BENCH_FULL, BENCH_LONG (records per shape), BENCH_TRAIN (default
#   100000)
set -u
: "${HARK_BIN:?}"
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=${BENCH_TMP:-${TMPDIR:-/tmp}}/models
runs=${BENCH_RUNS:-5}
mkdir -p "$tmp"
if ! command -v jq >/dev/null 2>&1; then
	echo "# SKIP models bench: jq not installed"
	exit 0
fi
if [ ! -x /usr/bin/time ]; then
	echo "# SKIP models bench: GNU time (/usr/bin/time) not installed"
	exit 0
fi
status=0

cpu() {	# cpu FILE CMD...: CPU seconds of one run reading FILE
	f=$1; shift
	/usr/bin/time -f '%U %S' -o "$tmp/time" "$@" "$f" > /dev/null ||
	    return 1
	awk '{ print $1 + $2 }' "$tmp/time"
}

ntrain=${BENCH_TRAIN:-100000}
sh "$top/bench/gen.sh" short "$ntrain" > "$tmp/train.ndjson"
"$HARK_BIN/ticket-route" --no-config "$tmp/train.ndjson" > "$tmp/routed.ndjson"
printf '%-34s %10s %10s  %s\n' "hark-train ($ntrain short records)" \
    "CPU s" "model" "goal"
for kind in sentiment category; do
	if [ $kind = sentiment ]; then
		in=$tmp/train.ndjson label=sentiment.label
	else
		in=$tmp/routed.ndjson label=route.category
	fi
	# a category model without the lexicon's features (hark-train(1))
	f=all
	[ $kind = category ] && f=all,-lexicon
	s=$(cpu "$in" "$HARK_BIN/hark-train" -q --label "$label" \
	    --features "$f" -o "$tmp/$kind.model") ||
	    { echo "hark-train failed"; exit 1; }
	size=$(wc -c < "$tmp/$kind.model" | tr -d ' ')
	v=$(awk -v s="$s" -v z="$size" 'BEGIN {
		printf "%s", (s <= 30 && z <= 16777216) ? "ok" : "BELOW GOAL" }')
	printf '%-34s %10s %10s  <= 30 s, <= 16 MiB %s\n' "$kind model" "$s" \
	    "$size" "$v"
	case $v in *BELOW*) status=1 ;; esac
done
rm -f "$tmp/train.ndjson" "$tmp/routed.ndjson"

# load time: runs on empty input, with and without the model (mean of
# 20 runs each, wall clock; the difference is reading and checking it)
load() {	# mean wall-clock milliseconds of 20 runs of CMD < /dev/null
	t0=$(date +%s%N)
	i=0
	while [ $i -lt 20 ]; do
		"$@" < /dev/null > /dev/null
		i=$((i + 1))
	done
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 20e6 }'
}
for kind in sentiment category; do
	if [ $kind = sentiment ]; then c=sentiment-score; else c=ticket-route; fi
	with=$(load "$HARK_BIN/$c" --no-config --model "$tmp/$kind.model")
	without=$(load "$HARK_BIN/$c" --no-config)
	ms=$(awk -v a="$with" -v b="$without" 'BEGIN { d = a - b
		printf "%.1f", d < 0 ? 0 : d }')
	v=$(awk -v m="$ms" 'BEGIN { print (m <= 20) ? "ok" : "BELOW GOAL" }')
	case $v in *BELOW*) status=1 ;; esac
	printf '%-34s %7s ms (run %s ms, without model %s ms)  <= 20 ms %s\n' \
	    "load $kind model ($c)" "$ms" "$with" "$without" "$v"
done

sh "$top/bench/gen.sh" short "${BENCH_SHORT:-100000}" > "$tmp/short.ndjson"
sh "$top/bench/gen.sh" full "${BENCH_FULL:-60000}" > "$tmp/full.ndjson"
sh "$top/bench/gen.sh" long "${BENCH_LONG:-25000}" > "$tmp/long.ndjson"

ratio() {	# ratio FILE CMD...: median jq/CMD CPU ratio over $runs pairs
	f=$1; shift
	: > "$tmp/ratios"
	i=0
	while [ "$i" -lt "$runs" ]; do
		j=$(cpu "$f" jq -c .) || return 1
		t=$(cpu "$f" "$@") || return 1
		awk -v j="$j" -v t="$t" 'BEGIN {
			printf "%.4f\n", j / (t > 0 ? t : 0.001) }' >> "$tmp/ratios"
		i=$((i + 1))
	done
	sort -n "$tmp/ratios" | awk '{ r[NR] = $1 } END {
		m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
		printf "%.2fx", m }'
}

echo
printf '%-16s %-6s %7s %10s %10s  %s\n' filter shape records "no model" \
    "model" "goal (median CPU-seconds ratio jq / filter, $runs pairs)"
for c in sentiment-score ticket-route; do
	if [ $c = sentiment-score ]; then m=$tmp/sentiment.model
	else m=$tmp/category.model; fi
	for shape in short full long; do
		in=$tmp/$shape.ndjson
		a=$(ratio "$in" "$HARK_BIN/$c" --no-config) ||
		    { echo "$c failed"; exit 1; }
		b=$(ratio "$in" "$HARK_BIN/$c" --no-config --model "$m") ||
		    { echo "$c --model failed"; exit 1; }
		v=$(awk -v b="${b%x}" 'BEGIN { print (b >= 1.5) ? "ok" : "BELOW GOAL" }')
		printf '%-16s %-6s %7s %10s %10s  >= 1.5x with a model %s\n' \
		    "$c" "$shape" "$(wc -l < "$in" | tr -d ' ')" "$a" "$b" "$v"
		case $v in *BELOW*) status=1 ;; esac
	done
done
rm -f "$tmp"/*.ndjson "$tmp"/*.model "$tmp/time" "$tmp/ratios"
exit $status
