#!/bin/sh
# config-errors.t - every command that reads the config file reports a
# missing or bad one alike (hark_common_config): "prog: cannot open
# 'FILE': ..." or "prog: FILE:LINE:COL: msg" naming the file it read
# (from -c or $HARK_CONFIG), and exit status 2.
set -u
bin=${HARK_BIN:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hark-cfg.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/tap.sh"
export LC_ALL=C TZ=UTC HOME="$tmp" XDG_CONFIG_HOME="$tmp/.config" \
    XDG_STATE_HOME="$tmp/.state"
unset HARK_CONFIG
printf '# a section header without its bracket\n[route\ncategory = x\n' > "$tmp/bad.conf"
# expect TEST STATUS STDERR-LINE: run from the caller's "got" and "st"
expect() {
	if [ "$st" -eq "$2" ] && [ "$got" = "$3" ]; then ok "$1"
	else nok "$1" "status $st, stderr:
$got
expected status $2:
$3"; fi
}
for t in crm-join mention-alert mention-fetch mention-report reply-draft \
    reply-send sentiment-score sla-report ticket-route; do
	got=$("$bin/$t" -c "$tmp/none.conf" < /dev/null 2>&1 >/dev/null); st=$?
	expect "$t -c with a missing file" 2 \
	    "$t: cannot open '$tmp/none.conf': No such file or directory"
	got=$("$bin/$t" -c "$tmp/bad.conf" < /dev/null 2>&1 >/dev/null); st=$?
	expect "$t -c with a bad file" 2 "$t: $tmp/bad.conf:2:7: ']' expected"
	got=$(HARK_CONFIG=$tmp/bad.conf "$bin/$t" < /dev/null 2>&1 >/dev/null)
	st=$?
	expect "$t with a bad \$HARK_CONFIG names that file" 2 \
	    "$t: $tmp/bad.conf:2:7: ']' expected"
	mkdir -p "$tmp/.config/hark"
	cp "$tmp/bad.conf" "$tmp/.config/hark/config"
	got=$("$bin/$t" < /dev/null 2>&1 >/dev/null); st=$?
	expect "$t with a bad default config names that file" 2 \
	    "$t: $tmp/.config/hark/config:2:7: ']' expected"
	rm -f "$tmp/.config/hark/config"
done
echo "1..$n"
