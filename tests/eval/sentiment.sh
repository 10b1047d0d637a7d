#!/bin/sh
# tests/eval/sentiment.sh - score the labelled dev sets in
# $HARK_SHARED/data/sentiment/<set>/dev.jsonl with sentiment-score and print
# per set: accuracy, macro-F1, the set's headline metric (macro-F1,
# macro-recall, or polar accuracy for pos/neg sets), the goal and the
# baseline quoted in that folder's README, and the share of texts whose
# score is exactly 0 (no lexicon hit; also summed per language after the
# table); half-A and half-B are the headline metric on alternate records,
# so that a change can be checked on two halves (a goal met by less than
# the difference between them is not met); then language-detection
# accuracy on the same texts with their "lang" member removed.
# The sets are read in place (never copied); skips when they are absent.
# Env: HARK_BIN (directory of the binaries), HARK_SHARED, EVAL_SETS
# (space-separated subset), EVAL_SHOW=N (print N misclassified texts).
set -u
: "${HARK_BIN:?HARK_BIN must name the directory of the binaries}"
shared=${HARK_SHARED:-$(dirname "$0")/../../../shared}
data=$shared/data/sentiment
bin=$HARK_BIN/sentiment-score
if [ ! -d "$data" ]; then
	echo "# SKIP sentiment eval: $data not found"
	exit 0
fi
command -v jq >/dev/null 2>&1 || { echo "# SKIP sentiment eval: no jq"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hark-eval.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# set  metric  goal  baseline (from the set's README)  baseline system
sets="en-airline-tweets mf1 0.60 0.458 VADER
en-tweeteval-sentiment mrec 0.60 0.578 VADER
vader-tweets acc 0.85 0.882 VADER
pl-mozetic-tweets polar 0.70 0.634 AFINN-pl
czech-facebook mf1 0.60 0.470 MT-AFINN-cs
czech-mallcz mf1 0.50 0.368 MT-AFINN-cs
sk-mozetic-tweets polar - 0.710 MT-AFINN-sk
vader-amazon mf1 - 0.534 VADER
vader-movies mf1 - 0.405 VADER
vader-nyt mf1 - 0.540 VADER"

status=0
printf '%-24s %6s %6s %6s %5s  %-6s %6s %6s %6s %5s %6s %s\n' set n acc mF1 \
    zero metric value half-A half-B goal base "(baseline system)"
: > "$tmp/zero"
echo "$sets" | while read -r set metric goal base who; do
	f=$data/$set/dev.jsonl
	[ -f "$f" ] || { echo "# SKIP $set: no dev.jsonl"; continue; }
	case " ${EVAL_SETS:-$set} " in *" $set "*) ;; *) continue ;; esac
	"$bin" "$f" > "$tmp/out" 2> "$tmp/err" || { echo "not ok - $set: sentiment-score failed"; cat "$tmp/err"; continue; }
	jq -r '[.label, .sentiment.label, (.sentiment.score | tostring),
	    (.lang // "und")] | @tsv' \
	    < "$tmp/out" > "$tmp/pairs"
	awk -F '\t' -v set="$set" -v metric="$metric" -v goal="$goal" \
	    -v base="$base" -v who="$who" '
	# the headline metric of part H (0 and 1: alternate records, 2: all)
	function value(h,    c, nc, f1s, recs, pr, rc) {
		nc = 0; f1s = 0; recs = 0
		for (c in cls) {
			nc++
			pr = pred[h, c] ? tp[h, c] / pred[h, c] : 0
			rc = gold[h, c] ? tp[h, c] / gold[h, c] : 0
			f1s += pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0
			recs += rc
		}
		return metric == "mf1" ? f1s / nc : metric == "mrec" ? \
		    recs / nc : ok[h] / n[h]
	}
	$1 == "bipolar" { next }
	{
		g = $1; p = $2; s = $3 + 0
		if (s == 0) zero++
		printf "%s\t%d\n", $4, s == 0 >> zf
		if (metric == "polar")
			p = s < 0 ? "negative" : "positive"
		for (k = 0; k < 2; k++) {
			h = k == 0 ? n[2] % 2 : 2
			n[h]++
			if (g == p) { ok[h]++; tp[h, g]++ }
			gold[h, g]++; pred[h, p]++
		}
		cls[g] = 1
	}
	END {
		if (n[2] == 0) exit
		for (c in cls) { all_ok += tp[2, c] }
		acc = all_ok / n[2]
		metric_was = metric; metric = "mf1"; mf1 = value(2)
		metric = metric_was
		v = value(2)
		verdict = goal == "-" ? "" : sprintf("%s (%+.3f)", v >= goal ? \
		    "ok" : "BELOW GOAL", v - goal)
		printf "%-24s %6d %6.3f %6.3f %5.3f  %-6s %6.3f %6.3f %6.3f %5s %6.3f (%s) %s\n", \
		    set, n[2], acc, mf1, zero / n[2], metric, v, value(0), \
		    value(1), goal, base, who, verdict
	}' zf="$tmp/zero" "$tmp/pairs"
	if [ -n "${EVAL_SHOW:-}" ]; then
		jq -r 'select(.label != "bipolar" and .label != .sentiment.label) |
		    [.label, .sentiment.label, (.sentiment.score|tostring), .text] | @tsv' \
		    < "$tmp/out" | shuf -n "$EVAL_SHOW" --random-source="$f"
	fi
done

echo
echo "zero scores (no lexicon hit) per language, over the sets above"
awk -F '\t' '{ n[$1]++; z[$1] += $2 }
END { for (l in n) printf "%-4s %6d texts  %5.1f%% score exactly 0\n", l, n[l],
    100 * z[l] / n[l] }' "$tmp/zero" | sort

echo
echo "language detection (lang member removed; en/pl/cs goal >= 0.97)"
printf '%-24s %6s %6s  %s\n' set n correct "detected as"
for set in vader-tweets en-airline-tweets en-tweeteval-sentiment \
    pl-mozetic-tweets czech-facebook czech-mallcz sk-mozetic-tweets; do
	f=$data/$set/dev.jsonl
	[ -f "$f" ] || continue
	case " ${EVAL_SETS:-$set} " in *" $set "*) ;; *) continue ;; esac
	jq -c 'del(.lang) + {gold_lang: .lang}' < "$f" | "$bin" > "$tmp/lang" 2>/dev/null
	jq -r '[.gold_lang, .sentiment.lang] | @tsv' < "$tmp/lang" |
	awk -F '\t' -v set="$set" '
	{ n++; if ($1 == $2) ok++; seen[$2]++ }
	END {
		d = ""
		for (l in seen) d = d sprintf("%s:%d ", l, seen[l])
		printf "%-24s %6d %6.4f  %s\n", set, n, ok / n, d
	}'
done
exit $status
