# tests/t/tap.sh - sourced by the tests/t/*.t scripts: TAP lines
# "ok N - NAME" and "not ok N - NAME" (with up to 15 lines of DETAIL as
# "#" comments); each script prints "1..$n" at its end.
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() {
	n=$((n + 1)); echo "not ok $n - $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 15 | sed 's/^/#   /'
	return 0
}
