#!/bin/sh
# tests/eval/model.sh - hark-train models on the labelled dev sets in
# $HARK_SHARED/data (read in place, never copied): each set is split into
# two fixed halves (A: odd lines, B: even lines); a model is trained on A
# and scored on B with sentiment-score --model (ticket-route --model for
# the Bitext categories), then the halves are swapped (B->A) to show the
# noise.  Printed beside: the lexicon's figure on the same half (no model)
# and the naive-Bayes baseline quoted in the data README (5-fold CV inside
# dev, so only roughly comparable).  Metrics as in sentiment.sh: mf1 =
# macro-F1, mrec = macro-recall, polar = accuracy of the score's sign on
# pos/neg sets, acc = accuracy.  The models go to O/eval-models only.
# Env: HARK_BIN, HARK_SHARED, EVAL_SETS (subset), HARK_TRAIN_ARGS (extra
# hark-train options, for experiments).  After each set's row: the A->B
# figure apart for the texts without a lexicon hit (lexicon score 0, where
# the model has only the words to go by) and for the others.
# Column cv5: hark-train --cv 5 on the whole dev set (A and B together, so
# each model trains on 80% of it), closer to the held-out scoring, which
# trains on the whole dev set; on sets of pos/neg only, its accuracy is the
# polar accuracy.  The verdict is "ok" only when the worse half clears the
# goal by more than the two halves differ; "within noise" when it clears it
# by less (a goal met by less than the noise is not met).
set -u
: "${HARK_BIN:?HARK_BIN must name the directory of the binaries}"
shared=${HARK_SHARED:-$(dirname "$0")/../../../shared}
data=$shared/data
models=$(dirname "$HARK_BIN")/eval-models
if [ ! -d "$data/sentiment" ]; then
	echo "# SKIP model eval: $data/sentiment not found"
	exit 0
fi
command -v jq >/dev/null 2>&1 || { echo "# SKIP model eval: no jq"; exit 0; }
mkdir -p "$models"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hark-eval-model.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# set  metric  goal  naive-Bayes baseline (README: accuracy for polar
# and acc sets, macro-F1 for the others)
sets="en-airline-tweets mf1 0.72 0.662
en-tweeteval-sentiment mrec 0.66 0.605
vader-tweets acc - -
pl-mozetic-tweets polar 0.78 0.713
czech-facebook mf1 0.70 0.615
czech-mallcz mf1 0.62 0.569
sk-mozetic-tweets polar - 0.736
vader-amazon mf1 - -
vader-movies mf1 - -
vader-nyt mf1 - -"

# metric FILE METRIC: the metric of "gold<TAB>predicted<TAB>score" lines
metric() {
	awk -F '\t' -v metric="$2" '
	{
		g = $1; p = $2
		if (metric == "polar") p = $3 + 0 < 0 ? "negative" : "positive"
		n++; if (g == p) { ok++; tp[g]++ }
		gold[g]++; pred[p]++; cls[g] = 1
	}
	END {
		if (n == 0) { print "-"; exit }
		for (c in cls) {
			nc++
			pr = pred[c] ? tp[c] / pred[c] : 0
			rc = gold[c] ? tp[c] / gold[c] : 0
			f1s += pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0
			recs += rc
		}
		printf "%.3f\n", metric == "mf1" ? f1s / nc : metric == "mrec" ? \
		    recs / nc : ok / n
	}' "$1"
}

# cpu seconds of the last hark-train run, from GNU time when present
train() {	# train LABELPATH MODEL FILE [OPTION...]
	l=$1 m=$2 f=$3
	shift 3
	if [ -x /usr/bin/time ]; then
		# shellcheck disable=SC2086
		/usr/bin/time -f '%U %S' -o "$tmp/time" "$HARK_BIN/hark-train" \
		    -q --label "$l" -o "$m" "$@" ${HARK_TRAIN_ARGS:-} "$f" ||
		    return 1
		awk '{ printf "%.1f", $1 + $2 }' "$tmp/time"
	else
		# shellcheck disable=SC2086
		"$HARK_BIN/hark-train" -q --label "$l" -o "$m" "$@" \
		    ${HARK_TRAIN_ARGS:-} "$f" || return 1
		printf -- -
	fi
}

# verdict A B GOAL: "ok" when the worse half clears GOAL by more than the
# halves differ, "within noise" when by less, else "BELOW GOAL"
verdict() {
	awk -v a="$1" -v b="$2" -v g="$3" 'BEGIN {
		if (g == "-") exit
		m = a < b ? a : b; d = a - b; if (d < 0) d = -d
		v = (m - g > d) ? "ok" : (m >= g) ? "within noise" : \
		    (a >= g || b >= g) ? "BELOW GOAL on one half" : "BELOW GOAL"
		printf "%s (worse half %+.3f, halves differ by %.3f)", v,
		    m - g, d }'
}

# cv5 FILE METRIC [OPTION...]: hark-train --cv 5 on FILE, the METRIC
# (acc and polar: accuracy; mf1: macro F1; mrec: macro recall)
cv5() {
	f=$1 mt=$2
	shift 2
	# shellcheck disable=SC2086
	"$HARK_BIN/hark-train" -q --label label "$@" ${HARK_TRAIN_ARGS:-} \
	    --cv 5 "$f" 2>/dev/null | awk -v m="$mt" '
	    $1 == "accuracy" && (m == "acc" || m == "polar") { v = $2 }
	    $1 == "macro" && m == "mf1" { v = $4 }
	    $1 == "macro" && m == "mrec" { v = $3 }
	    END { printf "%s", v == "" ? "-" : v }'
}

status=0
echo "hark-train models: train on one half, test on the other"
printf '%-24s %-6s %6s %6s %6s %6s %6s %6s %5s %5s  %s\n' set metric \
    lexicon "A->B" "B->A" cv5 NB goal n train-s verdict
echo "$sets" | while read -r set metric goal nb; do
	f=$data/sentiment/$set/dev.jsonl
	[ -f "$f" ] || { echo "# SKIP $set: no dev.jsonl"; continue; }
	case " ${EVAL_SETS:-$set} " in *" $set "*) ;; *) continue ;; esac
	# bipolar (czech-facebook) is neither side: dropped, as in sentiment.sh
	grep -v '"label": *"bipolar"' "$f" | awk 'NR % 2 == 1' > "$tmp/A"
	grep -v '"label": *"bipolar"' "$f" | awk 'NR % 2 == 0' > "$tmp/B"
	vals= secs=
	for dir in AB BA; do
		tr=$tmp/${dir%?} te=$tmp/${dir#?}
		m=$models/$set.$dir.model
		s=$(train label "$m" "$tr") ||
		    { echo "not ok - $set: hark-train failed"; continue 2; }
		secs="$secs${secs:+/}$s"
		"$HARK_BIN/sentiment-score" --no-config --model "$m" "$te" |
		    jq -r '[.label, .sentiment.label, (.sentiment.score |
		    tostring)] | @tsv' > "$tmp/pairs"
		vals="$vals $(metric "$tmp/pairs" "$metric")"
		cp "$tmp/pairs" "$tmp/pairs.$dir"
	done
	"$HARK_BIN/sentiment-score" --no-config "$tmp/B" |
	    jq -r '[.label, .sentiment.label, (.sentiment.score | tostring)] |
	    @tsv' > "$tmp/pairs"
	lex=$(metric "$tmp/pairs" "$metric")
	# the A->B figure apart for the texts the lexicon has no word of
	# (score 0) and the others: where the model learns from words alone
	paste "$tmp/pairs" "$tmp/pairs.AB" | awk -F '\t' -v z="$tmp/zero" \
	    -v h="$tmp/hit" '{ print $4 "\t" $5 "\t" $6 > ($3 + 0 == 0 ? z : h) }'
	: >> "$tmp/zero"; : >> "$tmp/hit"
	nz=$(wc -l < "$tmp/zero" | tr -d ' ')
	# shellcheck disable=SC2086
	set -- $vals
	cat "$tmp/A" "$tmp/B" > "$tmp/AB"
	cv=$(cv5 "$tmp/AB" "$metric")
	verdict=$(verdict "$1" "$2" "$goal")
	printf '%-24s %-6s %6s %6s %6s %6s %6s %6s %5s %5s  %s\n' "$set" \
	    "$metric" "$lex" "$1" "$2" "$cv" "$nb" "$goal" "$(wc -l < \
	    "$tmp/B" | tr -d ' ')" "$secs" "$verdict"
	printf '#   %s: %s of %s texts without a lexicon hit, A->B %s on' \
	    "$set" "$nz" "$(wc -l < "$tmp/B" | tr -d ' ')" \
	    "$(metric "$tmp/zero" "$metric")"
	printf ' them, %s on the rest\n' "$(metric "$tmp/hit" "$metric")"
	rm -f "$tmp/zero" "$tmp/hit"
done

# Bitext: its own 11 categories (and the 27 intents) from the request
# text, through ticket-route --model; category models are trained without
# the lexicon's features, as hark-train(1) advises (same accuracy here,
# and ticket-route need not run the sentiment scorer)
f=$data/bitext-support-intents/bitext_train_shared_half.csv
conv=$(dirname "$HARK_BIN")/tests/helpers/route-csv2ndjson
if [ -f "$f" ] && [ ! -x "$conv" ]; then
	top=$(cd "$(dirname "$0")/../.." && pwd)
	${MAKE:-make} -s -C "$top" O="$(dirname "$HARK_BIN")" "$conv" >&2 ||
	    true
fi
if [ -f "$f" ] && [ -x "$conv" ]; then
	"$conv" < "$f" | jq -c '{text: .instruction, category, intent}' \
	    > "$tmp/bitext"
	awk 'NR % 2 == 1' "$tmp/bitext" > "$tmp/A"
	awk 'NR % 2 == 0' "$tmp/bitext" > "$tmp/B"
	for label in category intent; do
		vals= secs=
		for dir in AB BA; do
			tr=$tmp/${dir%?} te=$tmp/${dir#?}
			m=$models/bitext-$label.$dir.model
			s=$(train "$label" "$m" "$tr" --features all,-lexicon) ||
			    { echo "not ok - bitext: hark-train failed"; break; }
			secs="$secs${secs:+/}$s"
			"$HARK_BIN/ticket-route" --no-config --model "$m" "$te" |
			    jq -r --arg l "$label" '[.[$l], .route.category,
			    "0"] | @tsv' > "$tmp/pairs"
			vals="$vals $(metric "$tmp/pairs" acc)"
		done
		# shellcheck disable=SC2086
		set -- $vals
		goal=-
		[ "$label" = category ] && goal=0.97
		verdict=$(verdict "$1" "$2" "$goal")
		cat "$tmp/A" "$tmp/B" > "$tmp/AB"
		cv=$(cv5 "$tmp/AB" acc --label "$label" --features all,-lexicon)
		printf '%-24s %-6s %6s %6s %6s %6s %6s %6s %5s %5s  %s\n' \
		    "bitext-$label" acc - "$1" "$2" "$cv" - "$goal" \
		    "$(wc -l < "$tmp/B" | tr -d ' ')" "$secs" "$verdict"
	done
else
	echo "# SKIP bitext-support-intents: $f or $conv not found"
fi
exit $status
