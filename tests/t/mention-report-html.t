#!/bin/sh
# mention-report-html.t - the HTML report is one self-contained page:
# inline SVG charts (volume by sentiment, category shares, rising terms),
# no scripts, styles, images or fonts from elsewhere; links only as <a>
# to the mentions (http/https, never javascript:); and it renders in a
# real headless browser (screenshot written, no console errors, no
# network requests).  The browser part is a TAP skip without chromium.
set -u
bin=${HARK_BIN:?}/mention-report
top=${HARK_TOP:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hark-html.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/tap.sh"
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# The fixture plus a mention whose URL is a script and whose text is
# markup: neither may become live.
in=$tmp/in.ndjson
cat "$top/tests/fixtures/mention-report/weeks.ndjson" > "$in"
printf '%s\n' '{"id":"x:evil","source":"x","created_at":"2025-04-01T10:00:00Z","url":"javascript:alert(1)","author":{"handle":"<b>evil</b>","followers":999999,"is_brand":false},"text":"<script>alert(1)</script> battery drain <img src=x onerror=alert(1)>","sentiment":{"score":-0.9,"label":"negative"},"route":{"category":"defect\"><script>"}}' >> "$in"
"$bin" --no-config -f html --tz Europe/Prague --now 2025-04-07T06:00:00Z \
    --min-count 3 --title 'Care <team> & "weekly"' "$in" > "$tmp/r.html"
st=$?
[ $st -eq 0 ] && ok "mention-report -f html exits 0" || nok "mention-report -f html exits 0" "status $st"

h=$tmp/r.html
# Three charts, plus the small legend swatches of the category chart.
[ "$(grep -c '<svg xmlns="http://www.w3.org/2000/svg" role="img"' "$h")" -eq 3 ] &&
    ok "three inline SVG charts" ||
    nok "three inline SVG charts" "$(grep -c '<svg .*role="img"' "$h") found"
if grep -Eio 'src="[^"]*"|url\([^)]*\)|@import|<script|<link|<img|<iframe|<object|<embed|javascript:' "$h" >/dev/null; then
	nok "no external resources or live markup" "$(grep -Eio 'src="[^"]*"|url\([^)]*\)|@import|<script|<link|<img|<iframe|javascript:' "$h" | head -5)"
else
	ok "no external resources or live markup"
fi
# Links go to the mentions only, as anchors.
bad=$(grep -o 'href="[^"]*"' "$h" | grep -v '^href="https://[a-z.]*example/p/[0-9]*"$')
[ -z "$bad" ] && ok "links only to the mentions" || nok "links only to the mentions" "$bad"
grep -q '<title>Care &lt;team&gt; &amp; &quot;weekly&quot;</title>' "$h" &&
    ok "title escaped" || nok "title escaped"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt; battery drain' "$h" &&
    ok "mention text escaped" || nok "mention text escaped"
bal=ok
for tag in html body table svg h1 h2 h3 p a; do
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
	    --window-size=1100,2400 --screenshot="$tmp/shot.png" \
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
