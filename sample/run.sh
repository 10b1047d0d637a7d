#!/bin/sh
# sample/run.sh O - the README's quick-start pipeline on the bundled sample
# data, with no network: fetch the sample feeds (file: URLs), score, route,
# keep the tickets, and print the SLA report as a table.
set -eu
O=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
PATH=$(cd "$O/bin" && pwd):$PATH
export PATH
tmp=${TMPDIR:-/tmp}/hark-sample.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM
# A fixed "now" keeps the report reproducible; drop it to use the clock.
HARK_NOW=${HARK_NOW:-2025-03-03T18:00:00Z}
export HARK_NOW
mention-fetch -c "$here/brand.conf" --state-dir "$tmp/state" \
    | sentiment-score \
    | ticket-route -c "$here/brand.conf" \
    | tee "$tmp/tickets.ndjson" \
    | sla-report -c "$here/brand.conf" --format table
echo
echo "Routed mentions (jq):"
jq -r '[.source, .sentiment.label, .route.category, .route.priority,
        (.text | .[0:60])] | @tsv' "$tmp/tickets.ndjson"
