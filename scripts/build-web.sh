#!/bin/sh
# SPDX-License-Identifier: MIT
#
# build-web.sh - build hailsham's web page: the engine and the world model
# compiled to WebAssembly with Emscripten (Debian's emscripten package), and
# a static folder, build-web/site/ by default, that opens from disk or from
# any static host and fetches nothing at run time:
#
#     index.html   the page
#     app.js       the page's script, uPlot and the worker with the
#                  simulator (its WebAssembly inside it), bundled by esbuild
#     app.css      the page's style and uPlot's
#
#   scripts/build-web.sh [OUTDIR]
#
# Needs the native build (scripts/build.sh, made here if missing): its
# hs-scenario-sets turns the built-in scenarios into --set assignments the
# page applies without a YAML reader, and its generated ziggurat tables are
# compiled in.  Needs emcc, node and npm (scripts/setup-debian.sh); the npm
# packages are installed from web/package-lock.json (npm ci) when they are
# missing or the lock file has changed since.
set -eu
cd "$(dirname "$0")/.."
out=${1:-build-web}
native=${HS_NATIVE_BUILD:-build}

for tool in emcc node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build-web: $tool not found (scripts/setup-debian.sh installs it)" >&2
        exit 1
    fi
done
# emcc's JavaScript helpers are Debian's node modules; a node that is not
# Debian's own looks for them only where NODE_PATH says.
if [ -d /usr/share/nodejs ]; then
    NODE_PATH=${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs
    export NODE_PATH
fi

if [ ! -x "$native/src/web/hs-scenario-sets" ]; then
    scripts/build.sh "$native"
fi
meson compile -C "$native" hs-scenario-sets ziggurat_tables >/dev/null

gen="$out/gen"
site="$out/site"
mkdir -p "$gen/yaml" "$site"
"$native/src/web/hs-scenario-sets" "$gen/builtins.c"
# apply.c walks libyaml's document structure: its header, not its code
yaml_h=$(pkg-config --variable=includedir yaml-0.1 2>/dev/null || echo /usr/include)/yaml.h
if [ ! -f "$yaml_h" ]; then
    echo "build-web: $yaml_h not found (libyaml-dev)" >&2
    exit 1
fi
ln -sf "$yaml_h" "$gen/yaml/yaml.h"

# The scenario files the page needs: the schema, the checks and --set,
# but not the YAML parser (reader.c), files, sweeps or the docs.
scenario="schema text diag where apply apply_sweep check set emit"
src=""
for f in src/engine/*.c src/world/*.c; do src="$src $f"; done
for f in $scenario; do src="$src src/scenario/$f.c"; done
# the chronicle: its telling and its text buffer, reading the run from memory
src="$src src/report/chronicle.c src/report/chronicle_words.c src/report/chronicle_phrases.c"
src="$src src/report/charts.c src/web/chronicle_web.c"
src="$src src/output/catalogue.c src/output/yearly.c src/web/flow.c src/web/hsweb.c"
src="$src $gen/builtins.c $native/src/engine/ziggurat_tables.c"

# shellcheck disable=SC2086
emcc -std=c17 -O3 -flto \
    -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
    -Wformat=2 -Wundef -Wvla -Wno-unused-parameter -Werror \
    -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DNDEBUG \
    -Iinclude -I"$native/include" -Isrc/engine -Isrc/world -Isrc/scenario -Isrc/report -Isrc/web \
    -I"$gen/yaml" \
    $src \
    -sMODULARIZE=1 -sEXPORT_NAME=createHailsham -sENVIRONMENT=worker,node \
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB -sSINGLE_FILE=1 \
    -sEXPORTED_FUNCTIONS=_hsweb_info,_hsweb_field,_hsweb_check,_hsweb_run,_hsweb_donors,_hsweb_chronicle,_hsweb_could_job,_hsweb_could_answer \
    -sEXPORTED_RUNTIME_METHODS=ccall \
    -o "$gen/hailsham.js"

# the worker: the module, then what answers the page's messages
cat "$gen/hailsham.js" web/worker.js > "$gen/worker.txt"

# the npm packages of web/package-lock.json, installed again when it changes
if ! cmp -s web/package-lock.json web/node_modules/.hs-lock 2>/dev/null; then
    (cd web && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.hs-lock)
fi
node web/build.mjs "$site" "$gen/worker.txt"
cp web/index.html "$site/index.html"
cat web/style.css >> "$site/app.css"
echo "build-web: $site/index.html ($(cat "$site"/* | wc -c) bytes)"
