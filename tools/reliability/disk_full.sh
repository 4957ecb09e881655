#!/bin/sh
# disk_full.sh - building into a full filesystem: a 3 MB tmpfs holds the
# corpus/ index, but not the index of corpus/ plus 40 SOTU addresses. The
# second build must fail with a one-line "No space left on device" error and
# exit status 2, leave the published index answering as before and passing
# --verify, and remove
# its temporary; a later build that fits must succeed.
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
"$Q" index -q --index "$W/fs/idx" "$W/big" 2>"$W/err"
rc=$?
[ "$rc" -eq 2 ] || fail "exit status $rc, want 2"
[ "$(wc -l <"$W/err")" -eq 1 ] || fail "want one line of error, got: $(cat "$W/err")"
grep -q "No space left on device" "$W/err" || fail "the error does not say why: $(cat "$W/err")"
after=$("$Q" search --json -n 20 --index "$W/fs/idx" UN Charter sanctions)
[ "$before" = "$after" ] || fail "the published index changed"
"$Q" index -q --verify --index "$W/fs/idx" || fail "the published index fails --verify"
ls "$W/fs/idx" | grep -q tmp && fail "a temporary was left: $(ls "$W/fs/idx")"
"$Q" index -q --full --index "$W/fs/idx" "$ROOT/corpus" || fail "a build that fits failed after"
echo "disk_full: ok: $(cat "$W/err")"
