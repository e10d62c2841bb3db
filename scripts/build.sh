#!/bin/sh
# SPDX-License-Identifier: MIT
#
# build.sh - configure (once) and build hailsham in build/ (release), or in
# the directory given as the first argument with extra meson options after
# it.  Safe to run again: it reconfigures only when needed.
#
#   scripts/build.sh                         release build in build/
#   scripts/build.sh build-asan -Db_sanitize=address,undefined -Dbuildtype=debugoptimized
set -eu
dir=${1:-build}
[ $# -gt 0 ] && shift
if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@"
elif [ $# -gt 0 ]; then
    meson configure "$dir" "$@"
fi
meson compile -C "$dir"
