#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# test_citations.py - every document a built-in scenario cites is in the
# repository: "(canon.md §2)" and "(MODEL.md, donors)" name a file of
# docs/sources/, "(docs/model.md)" a path from the root, and a section
# cited by its number or its name is a heading of that file.
import glob
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
bad, n = [], 0


def find(name):
    for d in ("", "docs", "docs/sources", "data/real"):
        p = os.path.join(root, d, name)
        if os.path.isfile(p):
            return p
    return None


for path in sorted(glob.glob(os.path.join(root, "scenarios", "*.yaml"))):
    for lineno, line in enumerate(open(path, encoding="utf-8"), 1):
        if "#" not in line:
            continue
        comment = line[line.index("#"):]
        for m in re.finditer(r"([\w./-]+\.(?:md|csv))(?:,? *(§ *\d+|[a-z][\w ,'-]*))?", comment):
            n += 1
            name, section = m.group(1), (m.group(2) or "").strip()
            where = "%s:%d" % (os.path.relpath(path, root), lineno)
            f = find(name)
            if f is None:
                bad.append("%s: cites %s, which is not in the repository" % (where, name))
                continue
            if section.startswith("§"):
                num = section[1:].strip()
                heads = re.findall(r"^#+ *(\d+)\.", open(f, encoding="utf-8").read(), re.M)
                if num not in heads:
                    bad.append("%s: cites %s %s, which has no section %s" % (where, name,
                                                                           section, num))
            elif section and name == "MODEL.md":
                heads = [h.lower() for h in re.findall(r"^#+ *(.+)$",
                                                       open(f, encoding="utf-8").read(), re.M)]
                if not any(section.lower().split(",")[0].strip() in h for h in heads):
                    bad.append("%s: cites %s, %s: no such section" % (where, name, section))
for b in bad:
    print(b)
print("citations: %d checked, %d not found" % (n, len(bad)))
sys.exit(1 if bad or n == 0 else 0)
