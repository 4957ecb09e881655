#!/usr/bin/env python3
"""The rooms of docs/ARCHITECTURE.md, checked against the code: every
`#include "..."` in a room's files names a header of that room or of a room
its row says it depends on. Exits 1 listing each include that crosses into
a room the table does not allow (make lint).

Usage: tools/lint/rooms.py
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def table():
    """{room: set of rooms it may include} from ARCHITECTURE.md's room table."""
    rooms, order = {}, []
    text = open(os.path.join(ROOT, "docs", "ARCHITECTURE.md"), encoding="utf-8").read()
    for line in text.splitlines():
        m = re.match(r"\|\s*`([a-z]+)/`\s*\|.*\|\s*([^|]*?)\s*\|\s*$", line)
        if not m:
            continue
        room, deps = m.group(1), m.group(2)
        allowed = set(order) if "everything" in deps else {
            d.strip() for d in deps.split(",") if d.strip() in order}
        rooms[room] = allowed | {room}
        order.append(room)
    return rooms


def main():
    rooms = table()
    if not {"stemmer", "lib", "indexer", "searcher", "cli"} <= set(rooms):
        print("rooms: the table in docs/ARCHITECTURE.md lacks a room")
        return 1
    home = {}  # header name -> room
    for room in rooms:
        d = os.path.join(ROOT, room)
        for name in os.listdir(d) if os.path.isdir(d) else []:
            if name.endswith(".h"):
                home[name] = room
    bad = []
    for room, allowed in rooms.items():
        d = os.path.join(ROOT, room)
        if not os.path.isdir(d) or room == "tests":
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith((".c", ".h", ".cc")):
                continue
            for n, line in enumerate(open(os.path.join(d, name), encoding="utf-8"), 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if m and home.get(os.path.basename(m.group(1)), room) not in allowed:
                    bad.append("%s/%s:%d includes %s (room %s), which the table does not allow"
                               % (room, name, n, m.group(1), home[os.path.basename(m.group(1))]))
    for b in bad:
        print("rooms: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
