#!/bin/sh
# bench/fetch.sh - mention-fetch's concurrency: several sources of
# different types against a slow local server (each answers after its own
# delay).  Fetched together, a run should take about as long as the
# slowest source, not the sum of all; this prints both figures.
#   env: HARK_BIN (built binaries), BENCH_TMP (scratch directory)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${HARK_BIN:-$top/build/bin}
helpers=$(dirname "$bin")/tests/helpers
tmp=${BENCH_TMP:-$(mktemp -d)}/fetch
fx=$top/tests/fixtures/mention-fetch
mkdir -p "$tmp"
cd "$tmp"
PATH=$bin:$helpers:$PATH
export PATH
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY
# HARK_NOW after the fixtures' dates; no state: every run does the same work
HARK_NOW=2025-03-11T00:00:00Z HARK_MENTION_FETCH_X_TOKEN=bench \
    HARK_MENTION_FETCH_YT_TOKEN=bench
export HARK_NOW HARK_MENTION_FETCH_X_TOKEN HARK_MENTION_FETCH_YT_TOKEN

cat > routes <<ROUTES
GET /rss.xml delay=500 file=$fx/rss/news-pl.xml
GET /atom.xml delay=700 file=$fx/atom/blog-page2.xml
GET /hn/search_by_date delay=900 file=$fx/hackernews/search-page1.json
GET /reddit/search.json delay=1100 file=$fx/reddit/search-page2.json
GET /x/2/tweets/search/recent delay=1300 file=$fx/x/search-page2.json
GET /yt/commentThreads delay=1500 file=$fx/youtube/threads-page2.json
ROUTES
port=$(stub-server -D -d . -l requests.log -t 120)
base=http://127.0.0.1:$port
cat > bench.conf <<CONF
[mention-fetch]
query = lumilo OR lumilocare OR lampka OR zarovka OR hub

[source "rss"]
type = rss
url = $base/rss.xml

[source "atom"]
type = atom
url = $base/atom.xml

[source "hn"]
type = hackernews
base_url = $base/hn

[source "reddit"]
type = reddit
base_url = $base/reddit

[source "x"]
type = x
base_url = $base/x

[source "yt"]
type = youtube
base_url = $base/yt
video_id = dQw4w9WgXcQ
CONF

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
sources="rss atom hn reddit x yt"
sum=0
for s in $sources; do
	t0=$(now)
	mention-fetch -q -c bench.conf --no-state --source "$s" > "one-$s.ndjson"
	t1=$(now)
	dt=$(calc "$t1 - $t0")
	printf '  %-7s alone: %5.2f s, %s records\n' "$s" "$dt" \
	    "$(wc -l < "one-$s.ndjson")"
	sum=$(calc "$sum + $dt")
done
t0=$(now)
mention-fetch -q -c bench.conf --no-state > all.ndjson
t1=$(now)
all=$(calc "$t1 - $t0")
stub-server -Q "$port" || true
n=$(wc -l < all.ndjson)
printf 'sources fetched one after another (sum): %5.2f s\n' "$sum"
printf 'all 6 sources in one run (concurrent):   %5.2f s, %s records\n' \
    "$all" "$n"
printf 'slowest single source answers after:     %5.2f s\n' 1.5
# the claim: one run ~ the slowest source, clearly below the sum
ok=$(calc "($all < 1.5 + 0.75 && $all < $sum / 2) ? 1 : 0")
if [ "$ok" = 1 ]; then
	echo "ok: concurrent run ~ slowest source, not the sum"
else
	echo "NOT OK: concurrent run is not close to the slowest source" >&2
	exit 1
fi
