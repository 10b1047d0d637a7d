# mf-lib.sh - shell helpers for mention-fetch's golden cases; sourced by a
# case's cmd:  . "$TOP/tests/helpers/mf-lib.sh"
#
#   mf_serve [DIR]   start stub-server on 127.0.0.1 (random port) with the
#                    routes in DIR (default .), logging requests to
#                    ./requests.log; sets PORT and BASE, and writes
#                    brand.conf from brand.conf.in with @BASE@ replaced.
#   mf_requests [sort] compare ./requests.log with ./requests (the expected
#                    requests; "sort" compares sorted, for concurrent
#                    sources); differences go to stderr.
#   mf_stop          ask the server to quit.
# Files under $FIXTURES are named in routes as ${FIXTURES}/...; bodies may
# contain @BASE@ for absolute paging URLs.

# a proxy from the caller's environment must not see loopback requests
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

mf_serve() {
	: > requests.log
	PORT=$(stub-server -D -d "${1:-.}" -l "$PWD/requests.log" -t 20) ||
	    { echo "stub-server failed" >&2; exit 99; }
	BASE=http://127.0.0.1:$PORT
	if [ -f brand.conf.in ]; then
		sed "s#@BASE@#$BASE#g" brand.conf.in > brand.conf
	fi
	export PORT BASE
}

mf_requests() {
	if [ "${1:-}" = sort ]; then
		sort requests > .want-requests
		sort requests.log > .got-requests
	else
		cp requests .want-requests
		cp requests.log .got-requests
	fi
	diff -u .want-requests .got-requests >&2 || true
}

mf_stop() {
	[ -n "${PORT:-}" ] && stub-server -Q "$PORT" 2>/dev/null
	PORT=
}

# mf_show FILE... - print FILEs with the server's URL shown as @BASE@
# (ids of feeds without permalink guids contain the feed URL).
mf_show() {
	sed "s#${BASE:-@BASE@}#@BASE@#g" "$@"
}
