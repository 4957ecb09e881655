#!/bin/sh
# disk_full.sh - building into a full filesystem: a 3 MB tmpfs holds the
# corpus/ index, but not the index of corpus/ plus 40 SOTU addresses. The
# second build must fail with a one-line "No space left on device" error and
# exit status 2, leave the published index answering as before and passing
# --verify, and remove
# its temporary; a later build that fits must succeed. Then, on a
# filesystem with room for the current generation and a build but not for
# the previous one besides (a build keeps all three): every later build must
# still succeed, removing the previous generation first with a warning, and
# with --keep-previous fail cleanly, the index intact.
# Needs root to mount the tmpfs; prints "skipped" and exits 0 otherwise.
# Usage: tools/reliability/disk_full.sh [bin/quire]
set -u
Q=$(realpath "${1:-bin/quire}")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d)
trap 'umount "$W/fs" 2>/dev/null; rm -rf "$W"' EXIT
mkdir -p "$W/fs" "$W/big"
if ! mount -t tmpfs -o size=3m tmpfs "$W/fs" 2>/dev/null; then
    echo "disk_full: cannot mount a tmpfs (needs root): skipped"
    exit 0
fi
cp "$ROOT"/corpus/*.txt "$W/big/"
SOTU="$ROOT/build/bench/corpora/sotu"
[ -d "$SOTU" ] || { echo "disk_full: run tools/bench/prepare.py --only sotu first" >&2; exit 1; }
ls "$SOTU" | head -40 | while read -r f; do cp "$SOTU/$f" "$W/big/"; done
fail() { echo "disk_full: FAILED: $*"; exit 1; }

"$Q" index -q --index "$W/fs/idx" "$ROOT/corpus" || fail "the small index does not fit"
before=$("$Q" search --json -n 20 --index "$W/fs/idx" UN Charter sanctions)
"$Q" index -q --replace --index "$W/fs/idx" "$W/big" 2>"$W/err"
rc=$?
[ "$rc" -eq 2 ] || fail "exit status $rc, want 2"
[ "$(wc -l <"$W/err")" -eq 1 ] || fail "want one line of error, got: $(cat "$W/err")"
grep -q "No space left on device" "$W/err" || fail "the error does not say why: $(cat "$W/err")"
after=$("$Q" search --json -n 20 --index "$W/fs/idx" UN Charter sanctions)
[ "$before" = "$after" ] || fail "the published index changed"
"$Q" index -q --verify --index "$W/fs/idx" || fail "the published index fails --verify"
ls "$W/fs/idx" | grep -q tmp && fail "a temporary was left: $(ls "$W/fs/idx")"
"$Q" index -q --full --index "$W/fs/idx" "$ROOT/corpus" || fail "a build that fits failed after"

# room for two generations
mkdir -p "$W/one" "$W/two"
"$Q" index -q --index "$W/one/idx" "$ROOT/corpus" || fail "cannot build the sizing index"
gen_kb=$(du -sk "$W/one/idx/current/" | cut -f1)
# the current generation and a build (2.3 times a generation at its peak)
# fit; a previous generation besides them does not
mount -t tmpfs -o size=$((gen_kb * 36 / 10 + 64))k tmpfs "$W/two" || fail "second tmpfs"
trap 'umount "$W/fs" "$W/two" 2>/dev/null; rm -rf "$W"' EXIT
"$Q" index -q --index "$W/two/idx" "$ROOT/corpus" || fail "room for two: first build"
"$Q" index -q --full --index "$W/two/idx" "$ROOT/corpus" || fail "room for two: second build"
for i in 1 2 3; do
    "$Q" index -q --full --index "$W/two/idx" "$ROOT/corpus" 2>"$W/err2" ||
        fail "room for two: build $((i + 2)) failed: $(cat "$W/err2")"
    grep -q "little free space: the previous generation was removed" "$W/err2" ||
        fail "room for two: no warning: $(cat "$W/err2")"
done
"$Q" index -q --full --keep-previous --index "$W/two/idx" "$ROOT/corpus" 2>"$W/err3" &&
    fail "--keep-previous: built without room"
grep -q "No space left on device" "$W/err3" || fail "--keep-previous: $(cat "$W/err3")"
"$Q" index -q --verify --index "$W/two/idx" || fail "--keep-previous: the index fails --verify"
echo "disk_full: ok: $(cat "$W/err"); room for two generations: builds go on, --keep-previous fails cleanly"
