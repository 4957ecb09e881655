#!/bin/sh
# Runs the libquire examples (built by `make examples`) on the bundled
# corpus and checks what they print: the shared build needs libquire.so.0
# and the static one does not; index builds five files; search finds and
# highlights "unilateral sanctions"; a missing index is a clear error.
# $EXAMPLE_WRAP (e.g. "valgrind --error-exitcode=9 --leak-check=full") runs each under a tool.
#
# Usage: tools/run-examples.sh BUILD_DIR LIB_DIR CORPUS
set -eu
bin=$1 libdir=$2 corpus=$3
wrap=${EXAMPLE_WRAP:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "examples: $*" >&2; exit 1; }

readelf -d "$bin/search" | grep -q 'NEEDED.*libquire\.so\.0' || fail "search is not linked to libquire.so.0"
readelf -d "$bin/search-static" | grep -q 'libquire' && fail "search-static needs libquire.so"

for kind in "" -static; do
  export LD_LIBRARY_PATH="$libdir"
  out=$($wrap "$bin/index$kind" "$tmp/idx$kind" "$corpus") || fail "index$kind failed"
  echo "$out" | grep -q ': 5 files, [0-9]* passages, generation 1 ([1-9][0-9]* progress calls)' \
    || fail "index$kind printed: $out"
  out=$($wrap "$bin/search$kind" "$tmp/idx$kind" 'unilateral sanctions') || fail "search$kind failed"
  echo "$out" | grep -q '\[unilateral\] \[sanctions\]' || fail "search$kind printed: $out"
  echo "$out" | tail -1 | grep -q '^5 of [0-9]* passages$' || fail "search$kind summary: $out"
  if $wrap "$bin/search$kind" "$tmp/none" x >"$tmp/out" 2>"$tmp/err"; then
    fail "search$kind on a missing index succeeded"
  fi
  grep -q 'no index' "$tmp/err" || fail "search$kind on a missing index said: $(cat "$tmp/err")"
done
echo "examples: index and search, shared and static: ok"
