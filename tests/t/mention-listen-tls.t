#!/bin/sh
# mention-listen-tls.t - mention-listen serves HTTPS with --tls-cert and
# --tls-key: the handshake and a signed delivery over TLS, a certificate
# the client checks, plain HTTP refused on the TLS port.  A TAP skip
# without openssl (to make the test certificate) or curl.
set -u
bin=${HARK_BIN:?}/mention-listen
top=${HARK_TOP:?}
sign=${HARK_BUILD:?}/tests/helpers/hmac-sign
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hark-tls.XXXXXX") || exit 1
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/tap.sh"
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

if ! command -v openssl >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
	n=$((n + 1)); echo "ok $n - mention-listen over TLS # SKIP needs openssl and curl"
	echo "1..$n"; exit 0
fi
cd "$tmp" || exit 1
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout key.pem -out cert.pem \
    >/dev/null 2>&1 || { nok "test certificate made"; echo "1..$n"; exit 0; }
chmod 600 key.pem
export HARK_LISTEN_APP_SECRET=tls-secret HARK_LISTEN_VERIFY_TOKEN=tls-token
"$bin" -v --listen 127.0.0.1:0 --state-dir st -o out.ndjson \
    --tls-cert cert.pem --tls-key key.pem 2> log &
pid=$!
i=0
while ! grep -q 'listening on' log && [ $i -lt 200 ] && kill -0 $pid 2>/dev/null; do
	sleep 0.05; i=$((i + 1))
done
url=$(sed -n 's#.*listening on \(https://[^/]*\)/.*#\1#p' log)
[ -n "$url" ] && ok "listens with https" || nok "listens with https" "$(cat log)"

got=$(curl -s --cacert cert.pem "$url/?hub.mode=subscribe&hub.verify_token=tls-token&hub.challenge=771")
[ "$got" = 771 ] && ok "handshake over TLS, certificate verified" ||
    nok "handshake over TLS, certificate verified" "got '$got'"

f=$top/tests/fixtures/mention-listen/messenger.json
sig=$("$sign" tls-secret < "$f")
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert cert.pem \
    -H "X-Hub-Signature-256: $sig" --data-binary @"$f" "$url/")
[ "$code" = 200 ] && ok "signed delivery over TLS: 200" || nok "signed delivery over TLS: 200" "got $code"

code=$(curl -s -o /dev/null -w '%{http_code}' -m 5 "http://${url#https://}/?hub.mode=subscribe")
[ "$code" != 200 ] && [ "$code" != 400 ] && ok "plain HTTP refused on the TLS port" ||
    nok "plain HTTP refused on the TLS port" "got $code"

kill -TERM $pid; wait $pid; st=$?; pid=
[ $st -eq 0 ] && ok "SIGTERM: exit 0" || nok "SIGTERM: exit 0" "status $st"
[ "$(wc -l < out.ndjson)" -eq 4 ] && ok "four records written" ||
    nok "four records written" "$(wc -l < out.ndjson) lines"
if grep -q -e tls-secret -e 'PRIVATE KEY' log out.ndjson st/*; then
	nok "neither the secret nor the key in the log, output or spool"
else
	ok "neither the secret nor the key in the log, output or spool"
fi
echo "1..$n"
