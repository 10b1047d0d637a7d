#!/bin/sh
# tests/fuzz/run.sh [SECONDS] - build every tests/fuzz/fuzz-*.c with clang's
# libFuzzer (ASan+UBSan) against a sanitizer libhark in build/fuzz, and run
# each for SECONDS (default 60) on a copy of its corpus.  New inputs that
# crash are left as crash-* files in build/fuzz/<target>/: add them to
# tests/fuzz/corpus/<target>/ and write a golden case.
set -eu
secs=${1:-${FUZZ_SECONDS:-60}}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
command -v clang >/dev/null 2>&1 || { echo "make fuzz needs clang" >&2; exit 2; }
O=build/fuzz
# the library gets coverage instrumentation too (fuzzer-no-link), so
# libFuzzer sees the edges of the code under test, not only the harness
make -s O=$O CC=clang SANITIZE=address,undefined \
    CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" $O/libhark.a
cflags=$(make -s --no-print-directory O=$O print-cflags CC=clang SANITIZE=address,undefined)
libs=$(make -s --no-print-directory O=$O print-libs)
status=0
for src in tests/fuzz/fuzz-*.c; do
	t=$(basename "$src" .c); tgt=${t#fuzz-}
	mkdir -p "$O/$tgt/corpus"
	cp -R "tests/fuzz/corpus/$tgt/." "$O/$tgt/corpus/" 2>/dev/null || :
	# shellcheck disable=SC2086
	clang $cflags -fsanitize=fuzzer,address,undefined -o "$O/$tgt/fuzz" \
	    "$src" "$O/libhark.a" $libs
	echo "== $tgt ($secs s)"
	(cd "$O/$tgt" && ./fuzz -max_total_time="$secs" -print_final_stats=1 \
	    corpus) || status=1
done
exit $status
