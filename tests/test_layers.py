#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# test_layers.py - no module of src/ includes a header of a module above it.
#
# The layers, lowest first, as docs/architecture.md draws them.  A quoted
# include is resolved to the module whose directory holds a header of that
# name (a relative "../x/y.h" names its module directly); system headers and
# the public headers of include/hailsham/ belong to the engine.
import os
import re
import sys

LAYERS = ["engine", "world", "scenario", "output", "report", "experiment", "web", "cli"]
# the web page and the command line are both at the top and never include each other
PEERS = {("web", "cli"), ("cli", "web")}

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
src = os.path.join(root, "src")
owner = {}
for mod in LAYERS:
    for name in os.listdir(os.path.join(src, mod)):
        if name.endswith(".h"):
            owner.setdefault(name, set()).add(mod)

bad = []
checked = 0
for mod in LAYERS:
    for name in sorted(os.listdir(os.path.join(src, mod))):
        if not name.endswith((".c", ".h")):
            continue
        path = os.path.join(src, mod, name)
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m:
                    continue
                inc = m.group(1)
                checked += 1
                rel = re.match(r"\.\./([a-z]+)/", inc)
                if rel:
                    mods = {rel.group(1)}
                elif os.path.exists(os.path.join(src, mod, inc)):
                    mods = {mod}
                else:
                    mods = owner.get(os.path.basename(inc), set())
                for m2 in mods:
                    if m2 not in LAYERS:
                        continue
                    if (mod, m2) in PEERS or LAYERS.index(m2) > LAYERS.index(mod):
                        bad.append(f"src/{mod}/{name}:{lineno}: includes {inc} of src/{m2}, "
                                   f"a layer above src/{mod}")

for b in bad:
    print(b)
print(f"layers: {checked} includes checked, {len(bad)} upward")
sys.exit(1 if bad or checked == 0 else 0)
