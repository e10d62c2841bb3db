#!/bin/sh
# SPDX-License-Identifier: MIT
#
# setup-debian.sh - install, with apt-get, every Debian package hailsham
# needs to build, test and draw its reports.  Does nothing when all are
# present.  Uses sudo when not run as root.
#
#   scripts/setup-debian.sh            build, run and test dependencies
#                                      (the web page's too: emscripten, node, npm)
#   scripts/setup-debian.sh --run      only what building and running need,
#                                      with the report's charts
set -eu

# building and running hailsham, and drawing its reports
RUN="gcc meson ninja-build pkg-config
libcmocka-dev libyaml-dev libsqlite3-dev libjansson-dev
gnuplot-nox fonts-dejavu-core"
# the tests: sanitizers, MPI, valgrind, the browser, the web page
TEST="clang mpich libmpich-dev libclang-rt-14-dev valgrind strace chromium python3
emscripten nodejs"

case "${1:-}" in
    --run) PACKAGES=$RUN ;;
    "") PACKAGES="$RUN $TEST"
        # the web page's bundler and tests come from npm (web/package-lock.json);
        # a node from elsewhere (nodesource) brings its own npm, which Debian's
        # npm package would conflict with
        if ! command -v npm >/dev/null 2>&1; then
            PACKAGES="$PACKAGES npm"
        fi ;;
    *) echo "usage: scripts/setup-debian.sh [--run]" >&2
       exit 2 ;;
esac

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    echo "setup: all packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "setup: need root (or sudo) to install:$missing" >&2
        exit 1
    fi
fi
echo "setup: installing:$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
