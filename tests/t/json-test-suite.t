#!/bin/sh
# json-test-suite.t - JSONTestSuite (tests/json-test-suite) against every
# tool that reads records.  A file's text is put on one line (its newlines
# become spaces, a final newline is dropped), then:
#  - every y_ text, and the i_number_* and 500-nested-arrays texts, as the
#    member "x" of a record: accepted, and a filter's output line starts
#    with the input line's bytes up to its last member (nothing re-encoded);
#  - every y_ object as a record: accepted (an aggregator may refuse it for
#    what it says, never as invalid JSON);
#  - every one-line n_ text, bare and as a member, between valid records:
#    each reported as TOOL: FILE:LINE, copied verbatim to --rejects, absent
#    from stdout (an aggregator counts only the valid records), exit 3;
#  - every i_ text, bare and as a member: no crash, no hang.
# A new tool is one more word in FILTERS or AGGREGATORS: NAME or
# NAME:ARG,ARG (commas become spaces).  reply-send is an aggregator whose
# output (sent replies) is empty for these records.
set -u
. "$(dirname "$0")/tap.sh"
FILTERS="sentiment-score mention-shard:--shard,0/1 ticket-route:--no-config reply-draft:--no-config mention-alert:--no-config,-q crm-join:-c,crm.conf"
AGGREGATORS="sla-report:--no-config,-f,ndjson mention-report:--no-config,-f,ndjson reply-send:--no-config hark-train:--cv,2,-o,model.bin"
LIMIT=120	# seconds any one run may take

bin=${HARK_BIN:?}
top=${HARK_TOP:?}
suite=$top/tests/json-test-suite/test_parsing
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hark-jts.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
export LC_ALL=C TZ=UTC HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" \
    XDG_STATE_HOME="$tmp/home/.state" XDG_DATA_HOME="$tmp/home/.data" \
    XDG_CACHE_HOME="$tmp/home/.cache" HARK_NOW=2025-03-05T00:00:00Z
unset NO_COLOR HARK_CONFIG
mkdir -p "$HOME"
cd "$tmp" || exit 1
# the customer export crm-join joins with (a mapping has commas, which
# the FILTERS words cannot hold, so it is in a config file)
printf 'id,email,handle\nC1,ok@example.pl,x:@ok\n' > crm.csv
printf '[crm]\ncustomers = crm.csv\nmap = id=id,email=email,handle=handle\n' > crm.conf
# Each file's text on one line, once: t/NAME.
mkdir t
for f in "$suite"/*.json; do
	b=${f##*/}
	if [ "$(tail -c 1 "$f" | od -An -tx1 | tr -d ' ')" = 0a ]; then
		head -c -1 "$f"
	else
		cat "$f"
	fi > "t/$b.raw"
	# one-line: no newline left once the final one is dropped
	[ "$(tr -cd '\n' < "t/$b.raw" | wc -c)" -eq 0 ] && : > "t/$b.oneline"
	tr '\n' ' ' < "t/$b.raw" > "t/$b"
	rm "t/$b.raw"
	# blank: only spaces and tabs (the reader skips such a line)
	[ "$(tr -d ' \t' < "t/$b" | wc -c)" -eq 0 ] && : > "t/$b.blank"
	tr -d ' \t\r' < "t/$b" | head -c 1 | grep -q '{' && : > "t/$b.object"
done
sub() {	# sub TEMPLATE K: TEMPLATE with @K@ replaced by K
	printf '%s' "${1%%@K@*}$2${1#*@K@}"
}

# run SPEC IN: run the tool on file IN; sets st, out, err, rej
run() {
	name=${1%%:*} args=
	case $1 in *:*) args=$(printf '%s' "${1#*:}" | tr ',' ' ') ;; esac
	rm -f out err rej
	# shellcheck disable=SC2086
	timeout "$LIMIT" "$bin/$name" $args --rejects rej "$2" > out 2> err
	st=$?
	[ -f rej ] || : > rej
}
# sane LABEL: the run ended by itself
sane() {
	if [ "$st" -eq 124 ]; then
		nok "$1" "timed out after $LIMIT s"; return 1
	elif [ "$st" -ge 128 ]; then
		nok "$1" "crashed: status $st, $(tail -n 3 err)"; return 1
	fi
	return 0
}

y_values=$(cd "$suite" && ls y_*.json i_number_*.json \
    i_structure_500_nested_arrays.json)
y_objects=$(cd t && for f in y_*.json; do
	[ -e "$f.object" ] && echo "$f"; done)
n_texts=$(cd t && for f in n_*.json; do
	[ -e "$f.oneline" ] && echo "$f"; done)
n_nonblank=$(cd t && for f in $n_texts; do
	[ -e "$f.blank" ] || echo "$f"; done)
i_texts=$(cd "$suite" && ls i_*.json)

# members PREFIX SUFFIX FILES: one record per file, its text as member x
members() {
	pre=$1 suf=$2; shift 2
	k=0
	for f in "$@"; do
		k=$((k + 1))
		sub "$pre" $k
		cat "t/$f"
		printf '%s\n' "$suf"
	done
}
# between GOOD FORM FILES: GOOD (with @K@) before every text, FORM bare
# or member; writes expected rejects to want-rej, line numbers to want-ln
between() {
	good=$1 form=$2; shift 2
	k=0; : > want-rej; : > want-ln
	for f in "$@"; do
		k=$((k + 1))
		sub "$good" $k; echo
		if [ "$form" = member ]; then
			{ printf '{"x":'; cat "t/$f"; printf '}\n'; } >> want-rej
		else
			{ cat "t/$f"; echo; } >> want-rej
		fi
		tail -n 1 want-rej
		echo $((2 * k)) >> want-ln
	done
}
# reported NAME FILE: line numbers of FILE named in NAME's stderr
reported() {
	sed -n "s/^$1: $2:\([0-9][0-9]*\):.*/\1/p" err | sort -n | uniq
}
count() { set -- $1; echo $#; }

good_filter='{"id":"ok:@K@","text":"ok"}'
good_event='{"ticket":"T@K@","event":"customer_message","ts":"2025-03-03T09:00:00Z","channel":"x"}'
good_mention='{"id":"m:@K@","created_at":"2025-03-03T09:00:00Z","text":"ok"}'
good_label='{"label":"@K@","text":"ok"}'
# what an aggregator's NDJSON says when it counted N records
counted() {
	case $1 in
	mention-report) echo "\"mentions\":$2," ;;
	hark-train) echo "cross-validation: $2 records" ;;
	*) echo "\"conversations\":$2," ;;
	esac
}
ny=$(count "$y_values")

for spec in $FILTERS $AGGREGATORS; do
	name=${spec%%:*}
	case " $AGGREGATORS " in *" $spec "*) agg=1 ;; *) agg=0 ;; esac

	# y_ values as members, passed through byte for byte
	# shellcheck disable=SC2086
	if [ $agg = 1 ] && [ "$name" = mention-report ]; then
		members '{"id":"y:@K@","created_at":"2025-03-03T09:00:00Z","x":' \
		    '}' $y_values > y.ndjson
	elif [ "$name" = hark-train ]; then
		members '{"label":"@K@","text":"ok","x":' \
		    '}' $y_values > y.ndjson
	elif [ $agg = 1 ]; then
		members '{"ticket":"Y@K@","event":"customer_message","ts":"2025-03-03T09:00:00Z","channel":"x","x":' \
		    '}' $y_values > y.ndjson
	else
		members '{"id":"y:@K@","x":' ',"text":"ok"}' $y_values > y.ndjson
	fi
	run "$spec" y.ndjson
	label="$name: $ny y_ values as a member are accepted"
	if sane "$label"; then
		if [ "$st" -ne 0 ] || [ -s err ]; then
			nok "$label" "status $st; $(cat err)"
		elif [ "$name" = reply-send ]; then
			[ ! -s out ] && ok "$label (nothing to send)" ||
			    nok "$label (nothing to send)" "$(head -c 300 out)"
		elif [ $agg = 1 ]; then
			grep -q "$(counted "$name" $ny)" out &&
			    ok "$label and counted" ||
			    nok "$label and counted" "$(head -c 300 out)"
		else
			bad=$(awk 'NR == FNR { sub(/}$/, ""); want[FNR] = $0;
			    next }
			    substr($0, 1, length(want[FNR])) != want[FNR] {
			    print "line " FNR ": " substr($0, 1, 120) }
			    END { if (FNR != NR - FNR) print "line count" }' \
			    y.ndjson out)
			[ -z "$bad" ] && ok "$label and passed through byte for byte" ||
			    nok "$label and passed through byte for byte" "$bad"
		fi
	fi

	# y_ objects as records
	# shellcheck disable=SC2086
	(cd t && for f in $y_objects; do cat "$f"; echo; done) > yo.ndjson
	run "$spec" yo.ndjson
	label="$name: every y_ object is accepted as a record"
	if sane "$label"; then
		if [ $agg = 1 ]; then
			grep -q 'invalid JSON\|not a JSON object' err &&
			    nok "$label" "$(grep 'invalid JSON' err)" ||
			    ok "$label (no JSON error)"
		elif [ "$st" -eq 0 ] && [ ! -s err ] &&
		    [ "$(wc -l < out)" -eq "$(wc -l < yo.ndjson)" ]; then
			ok "$label"
		else
			nok "$label" "status $st; $(cat err)"
		fi
	fi

	# n_ texts, bare and as a member, between valid records
	for form in bare member; do
		if [ $agg = 0 ]; then g=$good_filter
		elif [ "$name" = mention-report ]; then g=$good_mention
		elif [ "$name" = hark-train ]; then g=$good_label
		else g=$good_event; fi
		# blank lines are skipped (hark-records(5)): not bare
		if [ $form = bare ]; then set -- $n_nonblank; else set -- $n_texts; fi
		nt=$#
		between "$g" $form "$@" > n.ndjson
		run "$spec" n.ndjson
		label="$name: $nt one-line n_ texts ($form) are rejected"
		sane "$label" || continue
		why=
		[ "$st" -eq 3 ] || why="status $st"
		got=$(reported "$name" n.ndjson)
		[ "$got" = "$(cat want-ln)" ] || why="$why; lines reported: \
$(printf '%s\n' "$got" | diff want-ln - | grep '^[<>]' | tr '\n' ' ')"
		cmp -s rej want-rej || why="$why; --rejects differs: \
$(cmp rej want-rej 2>&1)"
		if [ $agg = 1 ]; then
			# sla-report and mention-report count them; reply-send
			# (no drafts in these records) writes nothing
			case $name in
			reply-send) [ ! -s out ] ||
			    why="$why; stdout: $(head -c 200 out)" ;;
			*) grep -q "$(counted "$name" $nt)" out ||
			    why="$why; report: $(head -c 200 out)" ;;
			esac
		elif [ "$(grep -c '^{"id":"ok:' out)" -ne "$nt" ] ||
		    [ "$(wc -l < out)" -ne "$nt" ]; then
			why="$why; stdout has other lines"
		fi
		[ -z "$why" ] && ok "$label: FILE:LINE, verbatim in --rejects, \
not on stdout" || nok "$label" "$why"
	done

	# i_ texts: no crash, no hang
	# shellcheck disable=SC2086
	{ between "$good_filter" bare $i_texts
	  between "$good_filter" member $i_texts; } > i.ndjson
	run "$spec" i.ndjson
	label="$name: no i_ text crashes or hangs"
	if sane "$label"; then
		ok "$label (status $st)"
	fi
done
echo "1..$n"
