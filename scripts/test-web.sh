#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test-web.sh - build the web page (scripts/build-web.sh) and run its tests
# in Debian's Chromium, headless (web/test/page.test.mjs), against the
# native program of the build in $1 (default build/).  Screenshots and the
# files compared are kept in build-web/test/.  Ends with the line
# "web tests: N passed, M failed"; exit status non-zero on any failure.
#
# HS_WEB_TESTS=0 skips them, saying so; nothing else does: a missing
# emcc, node or chromium is a failure (scripts/setup-debian.sh installs
# them).  CHROMIUM names another Chromium than /usr/bin/chromium.
set -eu
dir=${1:-build}
if [ ! -d "$dir" ]; then
    echo "test-web: no build in $dir (scripts/build.sh makes it)" >&2
    echo "web tests: 0 passed, 1 failed"
    exit 1
fi
dir=$(cd "$dir" && pwd)
cd "$(dirname "$0")/.."
if [ "${HS_WEB_TESTS:-1}" = 0 ]; then
    echo "web tests: skipped, as HS_WEB_TESTS=0 asks"
    exit 0
fi
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "test-web: no Chromium at $chromium (scripts/setup-debian.sh installs it;" \
         "HS_WEB_TESTS=0 skips the web tests)" >&2
    echo "web tests: 0 passed, 1 failed"
    exit 1
fi
if ! HS_NATIVE_BUILD=$dir scripts/build-web.sh build-web; then
    echo "test-web: the page did not build (HS_WEB_TESTS=0 skips the web tests)" >&2
    echo "web tests: 0 passed, 1 failed"
    exit 1
fi
CHROMIUM=$chromium node web/test/page.test.mjs build-web/site "$dir/hailsham" build-web/test
