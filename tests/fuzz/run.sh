#!/bin/sh
# tests/fuzz/run.sh [SECONDS [TARGET ...]] - build every tests/fuzz/fuzz-*.c
# (or only fuzz-TARGET.c for each TARGET given) with clang's libFuzzer
# (ASan+UBSan) against a sanitizer libhark in build/fuzz, and run each for
# SECONDS (default 60) on a copy of its corpus.  New inputs that crash are
# left as crash-* files in build/fuzz/<target>/: add them to
# tests/fuzz/corpus/<target>/ and write a golden case.  A dictionary
# tests/fuzz/fuzz-<target>.dict, when there is one, is passed to libFuzzer.
#
# A target of code that lives in a command rather than in libhark has a
# line "/* fuzz-cmd: NAME */" of its own: cmd/NAME/*.c except main.c are
# compiled into its fuzzer.  The Makefile reads the same line to link the
# command's objects (except main.o) into the replay binary of `make check`.
set -eu
secs=${1:-${FUZZ_SECONDS:-60}}
[ $# -gt 0 ] && shift
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
command -v clang >/dev/null 2>&1 || { echo "make fuzz needs clang" >&2; exit 2; }
O=build/fuzz
# the library gets coverage instrumentation too (fuzzer-no-link), so
# libFuzzer sees the edges of the code under test, not only the harness
make -s O=$O CC=clang SANITIZE=address,undefined \
    CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" $O/libhark.a
if [ $# -gt 0 ]; then
	srcs=; for t in "$@"; do srcs="$srcs tests/fuzz/fuzz-$t.c"; done
else
	srcs=$(echo tests/fuzz/fuzz-*.c)
fi
status=0
for src in $srcs; do
	t=$(basename "$src" .c); tgt=${t#fuzz-}
	[ -f "$src" ] || { echo "no fuzz target $src" >&2; exit 2; }
	cmd=$(sed -n 's,^/\* fuzz-cmd: \([a-z0-9-]*\) \*/$,\1,p' "$src")
	extra=
	if [ -n "$cmd" ]; then
		for c in cmd/"$cmd"/*.c; do
			[ "$c" = "cmd/$cmd/main.c" ] || extra="$extra $c"
		done
	fi
	cflags=$(make -s --no-print-directory O=$O print-cflags CC=clang \
	    SANITIZE=address,undefined FUZZ_CMD="$cmd")
	libs=$(make -s --no-print-directory O=$O print-libs FUZZ_CMD="$cmd")
	mkdir -p "$O/$tgt/corpus"
	cp -R "tests/fuzz/corpus/$tgt/." "$O/$tgt/corpus/" 2>/dev/null || :
	# shellcheck disable=SC2086
	clang $cflags -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -o "$O/$tgt/fuzz" \
	    "$src" $extra "$O/libhark.a" $libs
	# a dictionary of the input's words, when the target has one
	dict=; [ ! -f "tests/fuzz/$t.dict" ] || dict=-dict=$top/tests/fuzz/$t.dict
	echo "== $tgt ($secs s)"
	# shellcheck disable=SC2086
	(cd "$O/$tgt" && ./fuzz -max_total_time="$secs" -print_final_stats=1 \
	    $dict corpus) || status=1
done
exit $status
