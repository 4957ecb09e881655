#!/bin/sh
# Installs, from Debian packages, whatever Quire's build, tests and lint need
# and the machine lacks. Idempotent and quiet when everything is present:
# `make` calls it before every build, so it must cost ~nothing the second time.
# Uses sudo when not root. Exit status is non-zero only when an install fails.
set -eu

PKGS="g++ make pkg-config python3 libxapian-dev libutf8proc-dev libstemmer-dev libcriterion-dev libjansson-dev xapian-tools zlib1g-dev libuchardet-dev libzstd-dev libpoppler-glib-dev libzip-dev libxml2-dev libexttextcat-dev libmicrohttpd-dev"
case "${1:-}" in
--lint) PKGS="$PKGS cppcheck clang-tidy clang-format" ;;
--eval) PKGS="$PKGS python3 python3-xapian" ;; # baselines for make eval
--fuzz) PKGS="$PKGS clang" ;;
--valgrind) PKGS="$PKGS valgrind" ;; # libFuzzer and the sanitizers for make fuzz
--bench) # peers and corpora for make bench (npm fetches the corpora)
    PKGS="$PKGS python3 python3-xapian ripgrep poppler-utils"
    command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm" ;;
esac

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install-deps: need root or sudo to install:$missing" >&2
        exit 1
    fi
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
