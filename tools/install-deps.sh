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
--browser) # make test-browser (puppeteer-core below)
    PKGS="$PKGS chromium"
    command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm" ;;
--bench) # peers and corpora for make bench (npm fetches the corpora)
    PKGS="$PKGS python3 python3-xapian ripgrep poppler-utils"
    command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm" ;;
esac

# make test-browser drives Chromium with puppeteer-core, from npm, into
# build/browser (never committed).
browser_deps() {
    [ "${1:-}" = --browser ] || return 0
    [ -d build/browser/node_modules/puppeteer-core ] && return 0
    mkdir -p build/browser
    echo "install-deps: npm install puppeteer-core (build/browser)" >&2
    npm install --prefix build/browser --no-audit --no-fund --silent puppeteer-core@23 >&2
}

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    browser_deps "${1:-}"
    exit 0
fi

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
browser_deps "${1:-}"
