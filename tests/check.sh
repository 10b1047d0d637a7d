#!/bin/sh
# tests/check.sh MAKE O - what 'make check' runs: the suite over a normal
# build in O, then over an AddressSanitizer+UBSan build in build/asan
# (skipped with a note when the compiler cannot link sanitizers).  The
# last line is the total: "N passed, N failed".
set -u
MAKE=${1:-make}
O=${2:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
total_p=0 total_f=0
out=$(mktemp "${TMPDIR:-/tmp}/hark-check.XXXXXX")
trap 'rm -f "$out"' EXIT

pass_over() {	# pass_over LABEL BUILD_DIR MAKE-ARGS...
	label=$1 dir=$2; shift 2
	echo "## $label ($dir)"
	if ! $MAKE -s O="$dir" "$@" tests-build; then
		echo "not ok - $label: build failed"
		total_f=$((total_f + 1))
		return
	fi
	tests/suite.sh "$dir" | tee "$out"
	last=$(tail -n 1 "$out")
	p=${last%% passed*}; f=${last#*passed, }; f=${f%% failed*}
	case $p$f in *[!0-9]*|'') p=0; f=1 ;; esac
	total_p=$((total_p + p)); total_f=$((total_f + f))
}

pass_over "plain build" "$O"
# clang's UBSan checks more (pointer arithmetic on NULL, for one); use it
# when it is installed, else gcc.
san_cc=${CC:-cc}
command -v clang >/dev/null 2>&1 && san_cc=clang
if echo 'int main(void){return 0;}' | $san_cc -fsanitize=address,undefined -x c -o /dev/null - 2>/dev/null; then
	export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
	pass_over "sanitizers, $san_cc" build/asan CC="$san_cc" SANITIZE=address,undefined CFLAGS="-O1 -g"
else
	echo "# SKIP sanitizer pass: $san_cc cannot link -fsanitize=address,undefined"
fi
echo "$total_p passed, $total_f failed"
[ $total_f -eq 0 ]
