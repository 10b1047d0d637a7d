#!/bin/sh
# sla-report-html.t - the HTML report is one self-contained page: inline
# SVG charts, no scripts, styles or images from elsewhere; and it renders
# in a real headless browser (screenshot written, no console errors, no
# network requests).  The browser part is a TAP skip without chromium.
set -u
bin=${HARK_BIN:?}/sla-report
top=${HARK_TOP:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hark-html.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/tap.sh"
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

in=$top/tests/cli/sla-report/053-format-html/in
HARK_NOW=2025-03-05T00:00:00Z "$bin" -c "$top/tests/fixtures/sla-report/office.conf" \
    -f html --tz Europe/Warsaw --title 'Care <team> & "SLA"' "$in" > "$tmp/r.html"
st=$?
[ $st -eq 0 ] && ok "sla-report -f html exits 0" || nok "sla-report -f html exits 0" "status $st"

h=$tmp/r.html
[ "$(grep -c '<svg ' "$h")" -eq 3 ] && ok "three inline SVG charts" ||
    nok "three inline SVG charts" "$(grep -c '<svg ' "$h") found"
if grep -Eio '(src|href)="[^"]*"|url\([^)]*\)|@import|<script|<link|<img|<iframe' "$h" >/dev/null; then
	nok "no external resources" "$(grep -Eio '(src|href)="[^"]*"|url\([^)]*\)|@import|<script|<link|<img|<iframe' "$h" | head -5)"
else
	ok "no external resources"
fi
if grep -o 'https\{0,1\}://[^" ]*' "$h" | grep -v '^http://www.w3.org/2000/svg$' >/dev/null; then
	nok "no URLs besides the SVG namespace" "$(grep -o 'https\{0,1\}://[^" ]*' "$h" | sort -u)"
else
	ok "no URLs besides the SVG namespace"
fi
grep -q '<title>Care &lt;team&gt; &amp; &quot;SLA&quot;</title>' "$h" &&
    ok "title escaped" || nok "title escaped"
# HTML5 with inline SVG (xmllint's HTML 4 parser does not know SVG):
# check that the containers are closed.
bal=ok
for tag in html body table svg h1 h2 p; do
	o=$(grep -o "<${tag}[ >]" "$h" | wc -l)
	c=$(grep -o "</$tag>" "$h" | wc -l)
	[ "$o" -eq "$c" ] || bal="$tag: $o opened, $c closed"
done
[ "$bal" = ok ] && ok "elements closed" || nok "elements closed" "$bal"

browser=""
for b in chromium chromium-browser google-chrome google-chrome-stable; do
	if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
	skip "headless browser renders the page" "chromium not installed"
	skip "no console errors" "chromium not installed"
	skip "no network requests" "chromium not installed"
else
	# Every host resolves to nothing: a request would show as net::ERR_.
	timeout 60 "$browser" --headless --no-sandbox --disable-gpu \
	    --no-first-run --disable-extensions --hide-scrollbars \
	    --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 \
	    --host-resolver-rules='MAP * ~NOTFOUND' \
	    --window-size=1100,1600 --screenshot="$tmp/shot.png" \
	    "file://$h" > "$tmp/log" 2>&1
	if [ -s "$tmp/shot.png" ] && [ "$(head -c 8 "$tmp/shot.png" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ]; then
		ok "headless browser renders the page ($browser)"
	else
		nok "headless browser renders the page ($browser)" "$(tail -n 20 "$tmp/log")"
	fi
	if grep -E 'CONSOLE|Uncaught|console\.error' "$tmp/log" >/dev/null; then
		nok "no console errors" "$(grep -E 'CONSOLE|Uncaught' "$tmp/log" | head -5)"
	else
		ok "no console errors"
	fi
	if grep -E 'net::ERR_|Failed to load resource' "$tmp/log" >/dev/null; then
		nok "no network requests" "$(grep -E 'net::ERR_|Failed to load' "$tmp/log" | head -5)"
	else
		ok "no network requests"
	fi
fi
echo "1..$n"
