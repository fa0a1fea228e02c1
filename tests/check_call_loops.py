#!/usr/bin/env python3
"""No two source files of a library call each other (issue: files one concept
each). For each static archive given, the objects' defined and undefined
symbols (nm) make a call graph between files; a pair of files that use each
other's functions is a loop and fails the check."""
import collections
import subprocess
import sys


def members(archive):
    defs, uses = {}, collections.defaultdict(set)
    out = subprocess.run(["nm", "-A", archive], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        head, _, sym = line.rpartition(" ")
        parts = head.split(":")
        if len(parts) < 3:
            continue
        member = parts[1]
        kind = head.split()[-1] if head.split() else ""
        if kind == "U":
            uses[member].add(sym)
        elif kind in ("T", "D", "B", "R"):
            defs[sym] = member
    return defs, uses


def main():
    bad = 0
    for archive in sys.argv[1:]:
        defs, uses = members(archive)
        graph = collections.defaultdict(set)
        for m, syms in uses.items():
            for s in syms:
                if s in defs and defs[s] != m:
                    graph[m].add(defs[s])
        for a in sorted(graph):
            for b in sorted(graph[a]):
                if a < b and a in graph[b]:
                    print(f"{archive}: {a} and {b} call each other")
                    bad += 1
    print(f"{'0' if not bad else bad} call loops")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
