#!/bin/sh
# shard-parallel.t - the README's "More than one machine" recipes under
# real GNU parallel with several local job slots: a sharded sla-report
# (mention-shard --shard K/N per job, one partial each, one merge) gives
# the report of one run; sentiment-score and ticket-route under
# parallel --pipe --keep-order give the output of one process, byte for
# byte.  A TAP skip without GNU parallel (tools/deps: check).
set -u
bin=${HARK_BIN:?}
top=${HARK_TOP:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hark-par.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/tap.sh"
if ! parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
	echo "ok 1 - GNU parallel runs # SKIP GNU parallel not installed"
	echo "1..1"
	exit 0
fi
if ! command -v jq >/dev/null 2>&1; then
	echo "ok 1 - GNU parallel runs # SKIP jq not installed"
	echo "1..1"
	exit 0
fi
export LC_ALL=C TZ=UTC HARK_NOW=2025-03-25T00:00:00Z HOME="$tmp" \
    XDG_CONFIG_HOME="$tmp/.config" XDG_STATE_HOME="$tmp/.state" \
    PATH="$bin:$PATH"
unset HARK_CONFIG
cd "$tmp" || exit 1
awk -v n=20000 -v seed=4711 -f "$top/tests/t/shard-gen.awk" > in.ndjson

# The report: 6 shards on 3 job slots.
sla-report --no-config -b channel,brand -f ndjson in.ndjson > single.ndjson
parallel --will-cite -j3 "mention-shard --shard {}/6 in.ndjson |
    sla-report --no-config -b channel,brand --partial > p.{}" ::: 0 1 2 3 4 5
st=$?
[ $st -eq 0 ] && ok "parallel -j3: six partials" || nok "parallel -j3: six partials" "status $st"
sla-report --no-config -b channel,brand -f ndjson --merge p.* > merged.ndjson
d=$(jq -n -r --slurpfile a single.ndjson --slurpfile b merged.ndjson -f "$top/tests/t/shard-cmp.jq")
[ -z "$d" ] && ok "merged partials of parallel jobs equal one run" || nok "merged partials of parallel jobs equal one run" "$d"

# Shard files on disk, reported by parallel jobs, merged in another order
# (--pipe is for the per-record filters: cutting a stream by lines would
# split conversations, so the report shards by conversation first).
mention-shard -n 4 -o s in.ndjson
parallel --will-cite -j2 "sla-report --no-config -b channel,brand --partial < s.{} > r.{}" ::: 0 1 2 3
sla-report --no-config -b channel,brand -f ndjson --merge r.3 r.1 r.0 r.2 > merged2.ndjson
d=$(jq -n -r --slurpfile a single.ndjson --slurpfile b merged2.ndjson -f "$top/tests/t/shard-cmp.jq")
[ -z "$d" ] && ok "shard files reported by parallel -j2 equal one run" || nok "shard files reported by parallel -j2 equal one run" "$d"

# The README's several-hosts command line, with this machine as the only
# sshlogin (":": no ssh here, so nothing is transferred, but the options
# and the files named are the same).
printf '[sla "x"]\nfirst_response = 1h\n' > brand.conf
mention-shard -z -n 5 -o shard in.ndjson
now=2025-03-25T00:00:00Z
parallel --will-cite -S 2/: --basefile brand.conf --transferfile {} \
    --return {}.partial --cleanup \
    "sla-report -c brand.conf -b queue --now $now --partial -o {}.partial {}" \
    ::: shard.*.gz 2>/dev/null
st=$?
sla-report -c brand.conf -b queue --now "$now" -f ndjson in.ndjson > single2.ndjson
sla-report -c brand.conf -b queue --now "$now" -f ndjson --merge shard.*.partial > merged3.ndjson
d=$(jq -n -r --slurpfile a single2.ndjson --slurpfile b merged3.ndjson -f "$top/tests/t/shard-cmp.jq")
[ $st -eq 0 ] && [ -z "$d" ] && ok "the several-hosts command line (-S 2/:) equals one run" ||
    nok "the several-hosts command line (-S 2/:) equals one run" "status $st; $d"

# The same over ssh, to two "hosts" and this machine: tests/helpers/
# fake-ssh runs each host's commands in a directory of its own, so the
# configuration and the shards reach a host only through --basefile and
# --transferfile, and the partials come back only through --return
# (rsync, as behind a real ssh).  --cleanup leaves the hosts empty.
if command -v rsync >/dev/null 2>&1; then
	export FAKE_HOSTS="$tmp/hosts"
	mkdir -p "$FAKE_HOSTS" ssh && cd ssh || exit 1
	cp ../brand.conf ../shard.*.gz .
	parallel --will-cite --ssh "$top/tests/helpers/fake-ssh" \
	    -S 1/care1,1/care2,1/: --basefile brand.conf --transferfile {} \
	    --return {}.partial --cleanup \
	    "sla-report -c brand.conf -b queue --now $now --partial -o {}.partial {}" \
	    ::: shard.*.gz > ../ssh.out 2>&1
	st=$?
	sla-report -c brand.conf -b queue --now "$now" -f ndjson \
	    --merge shard.*.partial > ../merged4.ndjson
	d=$(jq -n -r --slurpfile a ../single2.ndjson --slurpfile b \
	    ../merged4.ndjson -f "$top/tests/t/shard-cmp.jq")
	[ $st -eq 0 ] && [ -z "$d" ] &&
	    ok "the several-hosts command line over ssh equals one run" ||
	    nok "the several-hosts command line over ssh equals one run" \
	    "status $st; $d; $(cat ../ssh.out)"
	h=$(grep -c ': exec perl .*GNU_Parallel_worker' "$FAKE_HOSTS/log")
	c1=$(grep -c '^care1: .*GNU_Parallel_worker' "$FAKE_HOSTS/log")
	c2=$(grep -c '^care2: .*GNU_Parallel_worker' "$FAKE_HOSTS/log")
	[ "$c1" -ge 1 ] && [ "$c2" -ge 1 ] && [ "$h" -lt 5 ] &&
	    ok "over ssh: both hosts and this machine ran shards" ||
	    nok "over ssh: both hosts and this machine ran shards" \
	    "care1 $c1, care2 $c2, remote $h of 5"
	left=$(find "$FAKE_HOSTS" -type f ! -name log)
	[ -z "$left" ] && ok "over ssh: --cleanup leaves nothing on the hosts" ||
	    nok "over ssh: --cleanup leaves nothing on the hosts" "$left"
	# the nightly script's --halt now,fail=1: a damaged shard fails the run
	head -c 100 shard.2.gz > bad.gz
	parallel --will-cite --halt now,fail=1 --ssh "$top/tests/helpers/fake-ssh" \
	    -S 1/care1,1/care2 --basefile brand.conf --transferfile {} \
	    --return {}.partial --cleanup \
	    "sla-report -c brand.conf -b queue --now $now --partial -o {}.partial {}" \
	    ::: shard.0.gz bad.gz shard.1.gz > ../halt.out 2>&1
	st=$?
	[ $st -ne 0 ] && grep -q '^sla-report: bad\.gz' ../halt.out &&
	    ok "over ssh with --halt now,fail=1: a damaged shard fails the run" ||
	    nok "over ssh with --halt now,fail=1: a damaged shard fails the run" \
	    "status $st; $(cat ../halt.out)"
	cd .. || exit 1
else
	ok "the several-hosts command line over ssh # SKIP rsync not installed"
fi

# The filters: parallel --pipe --keep-order is one process's output.
for f in "sentiment-score" "ticket-route --no-config"; do
	$f < in.ndjson > one.out
	parallel --will-cite -j2 --pipe --keep-order --block 300k "$f" < in.ndjson > par.out
	cmp -s one.out par.out && ok "$f under parallel --pipe --keep-order: the same bytes" ||
	    nok "$f under parallel --pipe --keep-order: the same bytes" "$(cmp one.out par.out)"
done
echo "1..$n"
