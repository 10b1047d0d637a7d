#!/bin/sh
# bench/filters.sh - every filter against "jq -c ." on three record shapes
# (bench/gen.sh): short text-heavy records (~470 bytes), mention-fetch's
# full schema (~770 bytes, many nulls) and long texts (1-2 kB).  Each pair
# of runs (jq, then the filter, on the same file) gives one ratio of CPU
# seconds (user + system, GNU time; the steadier figure on a shared
# machine); the median of BENCH_RUNS pairs is reported with its range.
# Goals (issue 9): ticket-route >= 2x jq on short records and >= 1.5x on
# the others; sentiment-score >= 1.5x; sla-report no slower than jq.
# Exit status 1 when a goal is missed.
#   env: HARK_BIN (built binaries), BENCH_TMP (scratch directory),
#   BENCH_RUNS (pairs per figure, default 5), BENCH_SHORT, BENCH_FULL,
#   BENCH_LONG (records per shape), BENCH_FILTERS (names to run)
set -u
: "${HARK_BIN:?}"
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=${BENCH_TMP:-${TMPDIR:-/tmp}}/filters
runs=${BENCH_RUNS:-5}
filters=${BENCH_FILTERS:-"ticket-route sentiment-score sla-report"}
mkdir -p "$tmp"
if ! command -v jq >/dev/null 2>&1; then
	echo "# SKIP filters bench: jq not installed"
	exit 0
fi
if [ ! -x /usr/bin/time ]; then
	echo "# SKIP filters bench: GNU time (/usr/bin/time) not installed"
	exit 0
fi

sh "$top/bench/gen.sh" short "${BENCH_SHORT:-250000}" > "$tmp/short.ndjson"
sh "$top/bench/gen.sh" full "${BENCH_FULL:-150000}" > "$tmp/full.ndjson"
sh "$top/bench/gen.sh" long "${BENCH_LONG:-60000}" > "$tmp/long.ndjson"

cpu() {	# cpu FILE CMD...: CPU seconds of one run reading FILE
	f=$1; shift
	/usr/bin/time -f '%U %S' -o "$tmp/time" "$@" "$f" > /dev/null ||
	    return 1
	awk '{ print $1 + $2 }' "$tmp/time"
}

goal() {	# goal FILTER SHAPE: the least acceptable ratio
	case $1 in
	ticket-route) [ "$2" = short ] && echo 2.0 || echo 1.5 ;;
	sentiment-score) echo 1.5 ;;
	*) echo 1.0 ;;
	esac
}

cmd_of() {	# the command line of FILTER, without the file
	case $1 in
	ticket-route) echo "$HARK_BIN/ticket-route --no-config" ;;
	sentiment-score) echo "$HARK_BIN/sentiment-score --no-config" ;;
	sla-report) echo "$HARK_BIN/sla-report --no-config -f ndjson --now 2025-04-01T00:00:00Z" ;;
	esac
}

status=0
printf '%-16s %-6s %7s %6s %6s %6s  %s\n' filter shape records median \
    min max "goal (CPU seconds jq / filter, $runs pairs)"
for f in $filters; do
	for shape in short full long; do
		in=$tmp/$shape.ndjson
		: > "$tmp/ratios"
		i=0
		while [ "$i" -lt "$runs" ]; do
			j=$(cpu "$in" jq -c .) || { echo "jq failed"; exit 1; }
			# shellcheck disable=SC2046
			t=$(cpu "$in" $(cmd_of "$f")) ||
			    { echo "$f failed on $shape"; exit 1; }
			awk -v j="$j" -v t="$t" 'BEGIN {
				printf "%.4f\n", j / (t > 0 ? t : 0.001) }' \
			    >> "$tmp/ratios"
			i=$((i + 1))
		done
		g=$(goal "$f" "$shape")
		line=$(sort -n "$tmp/ratios" | awk -v g="$g" '
			{ r[NR] = $1 }
			END {
				m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
				printf "%.2fx %.2fx %.2fx  >= %.1fx %s", m, r[1], r[NR], g,
				    (m >= g) ? "ok" : "BELOW GOAL"
			}')
		printf '%-16s %-6s %7s %s\n' "$f" "$shape" \
		    "$(wc -l < "$in" | tr -d ' ')" "$line"
		case $line in *"BELOW GOAL"*) status=1 ;; esac
	done
done
rm -f "$tmp"/*.ndjson "$tmp/time" "$tmp/ratios"
exit $status
