# ml-lib.sh - shell helpers for mention-listen's golden cases; sourced by
# a case's cmd:  . "$TOP/tests/helpers/ml-lib.sh"
#
#   ml_start [OPTION...]  start mention-listen -v on 127.0.0.1 (a port the
#                    kernel picks) with --state-dir st -o out.ndjson and
#                    OPTIONs, stderr appended to ml.log; sets ML_PID, ML_URL
#   ml_post FILE [HEADER-VALUE]  POST FILE to $ML_URL/webhook signed with
#                    $HARK_LISTEN_APP_SECRET (or with the given
#                    X-Hub-Signature-256 value; "-" sends none); prints
#                    the HTTP status on stderr
#   ml_stop          SIGTERM the receiver, print its exit status on stderr
# Standard output is left to records (a case's out must parse as JSON).
#   ml_log           ml.log on stderr, the port shown as PORT
# The app secret of every case is "test-app-secret" unless env says else.

unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY
: "${HARK_LISTEN_APP_SECRET:=test-app-secret}"
export HARK_LISTEN_APP_SECRET

ml_start() {
	touch ml.log
	start=$(wc -l < ml.log)
	mention-listen -v --listen 127.0.0.1:0 --state-dir st -o out.ndjson \
	    "$@" 2>> ml.log &
	ML_PID=$!
	n=0
	while [ "$(tail -n +$((start + 1)) ml.log | grep -c 'listening on')" = 0 ]; do
		if ! kill -0 "$ML_PID" 2>/dev/null || [ $n -gt 200 ]; then
			echo "mention-listen did not start" >&2
			return 1
		fi
		sleep 0.05
		n=$((n + 1))
	done
	ML_URL=$(tail -n +$((start + 1)) ml.log |
	    sed -n 's#.*listening on \(https*://[^/]*\)/.*#\1#p')
	export ML_PID ML_URL
}

ml_post() {
	if [ "${2:-}" = - ]; then
		curl -s -o /dev/null -w 'POST: %{http_code}\n' \
		    -H 'Content-Type: application/json' --data-binary @"$1" \
		    "$ML_URL/webhook" >&2
		return
	fi
	sig=${2:-$(hmac-sign "$HARK_LISTEN_APP_SECRET" < "$1")}
	curl -s -o /dev/null -w 'POST: %{http_code}\n' \
	    -H "X-Hub-Signature-256: $sig" \
	    -H 'Content-Type: application/json' --data-binary @"$1" \
	    "$ML_URL/webhook" >&2
}

ml_stop() {
	kill -TERM "$ML_PID"
	wait "$ML_PID"
	echo "exit $?" >&2
}

ml_log() {
	sed 's#127\.0\.0\.1:[0-9][0-9]*#127.0.0.1:PORT#g' ml.log >&2
}
