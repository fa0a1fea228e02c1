#!/usr/bin/env python3
"""
check_opcodes.py - no expression / CDT / bit / HLL opcode as a bare number.

Every protocol opcode has one name, in the X-macro tables of runtime/src/proto
(exp_ops.h, cdt_ops.h, bit_ops.h, hll_ops.h). This check reads the C sources
(comments and string literals removed, so wire vectors written as hex or as
the tests' msgpack notation stay as they are) and reports code that writes,
compares or dispatches on an opcode-like number:

  * in files that speak the protocol (they include one of the tables): a
    numeric `case` label other than 0 or table index (`[19] = ...`), a
    table row or grammar action giving an op as a number ({"abs", N_ABS, 27,
    ...}, `$$ = 1`, `yylval->i = 65`), a comparison of a variable named like
    an op code (op, opc, ropc, code.i, first.i, system, rt, rtype, ->op)
    with a number over 1, a numeric opcode argument to the expression
    writers (num, op0/op1/op2/opv, combine, VARIADIC, named, enc_kids, mk2,
    cdt, aero_mp__pack_int / mp_put_int of a literal over 1), or a CDT
    context type / return-type flag written as hex (0x10-0x13, 0x20-0x24,
    0x40, 0xff, 0x10000) other than as a mask (`& 0xff`, `| 0x20`).

In tests, which are full of byte data, table rows and hex are not read.
Files that include no table (directly or through a header next to them)
are not read: a test that builds expression
bytes in C includes proto/exp_ops.h (or cdt_ops.h) and names its opcodes.

Usage: check_opcodes.py <source root>. Exit 1 and one line per finding.
A line may opt out with a trailing comment `/* opcode-lint: <reason> */`.
"""
import os
import re
import sys

TABLES = {"exp_ops.h", "cdt_ops.h", "bit_ops.h", "hll_ops.h"}
SCAN = ["runtime/src", "runtime/include", "tools", "generator", "tests", "examples"]
SKIP_DIRS = {"golden", "build"}
OPT_OUT = "opcode-lint:"

OP_VAR = r"(?:\b(?:op|opc|ropc|code\.i|first\.i|system|rt|rtype)|->op)\b"
CMP_LIT = re.compile(OP_VAR + r"\s*(?:==|!=|>=|<=|>|<)\s*(0x[0-9a-fA-F]+|\d+)\b")
CASE_LIT = re.compile(r"\bcase\s+(-?(?:0x[0-9a-fA-F]+|\d+))\s*:")
WRITER_LIT = re.compile(
    r"\b(?:num\(o,|op[012v]\(|combine\(|VARIADIC\(\w+,|named\(|enc_kids\(c, o, n,|mk2\(c, \w+,|"
    r"cdt\(\w+,|aero_mp__pack_int\([^,()]+,|mp_put_int\([^,()]+,)\s*(0x[0-9a-fA-F]+|\d+)\s*[,)]")
GRAMMAR_LIT = re.compile(r"(?:yylval->i|\$\$)\s*=\s*(\d+)\s*;")
ROW_LIT = re.compile(r"\{\s*(?:\"\s*\"|[A-Z]\w*)\s*,\s*(?:[A-Z]\w*\s*,\s*)?(\d+)\s*,")
TABLE_ENTRY = re.compile(r"^\s*\[(0x[0-9a-fA-F]+|\d+)\]\s*=")
HEX_CTX = re.compile(r"(?<![&|] )\b0x(?:1[0-3]|2[0-4]|40|ff|10000)\b", re.I)


def strip(text):
    """Blank comments and string / char literals, keeping line structure."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * max(0, j - i - 2) + (c if j - i >= 2 else ""))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
_speaks = {}


def speaks_protocol(path, depth=0):
    """Whether path includes a table, directly or through headers next to it."""
    if path in _speaks:
        return _speaks[path]
    _speaks[path] = False
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return False
    res = False
    for inc in INCLUDE.findall(text):
        if inc.startswith("proto/") and os.path.basename(inc) in TABLES:
            res = True
        elif depth < 4 and not inc.startswith("proto/"):
            res = res or speaks_protocol(os.path.join(os.path.dirname(path), inc), depth + 1)
    _speaks[path] = res
    return res


def check_file(path, rel):
    raw = open(path, encoding="utf-8", errors="replace").read()
    code = strip(raw).split("\n")
    lines = raw.split("\n")
    proto = speaks_protocol(path)
    is_test = rel.startswith("tests" + os.sep)
    found = []
    for no, line in enumerate(code, 1):
        if OPT_OUT in lines[no - 1]:
            continue
        hits = []
        if proto:
            for m in CMP_LIT.finditer(line):
                if int(m.group(1), 0) > 1:
                    hits.append(m.group(0))
            for m in CASE_LIT.finditer(line):
                if int(m.group(1), 0) != 0:
                    hits.append(m.group(0))
            for rx in (GRAMMAR_LIT,) if is_test else (GRAMMAR_LIT, ROW_LIT):
                for m in rx.finditer(line):
                    if int(m.group(1), 0) > 1:
                        hits.append(m.group(0))
            for m in TABLE_ENTRY.finditer(line):
                hits.append(m.group(0))
            for m in WRITER_LIT.finditer(line):
                if int(m.group(1), 0) > 1:
                    hits.append(m.group(0))
            if not is_test:
                hits += [m.group(0) for m in HEX_CTX.finditer(line)]
        for h in hits:
            found.append("%s:%d: opcode as a number: %s" % (rel, no, h.strip()))
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    findings = []
    for top in SCAN:
        for d, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS and not x.startswith("build"))
            for f in sorted(files):
                if not f.endswith((".c", ".h", ".y", ".l")) or f in TABLES:
                    continue
                p = os.path.join(d, f)
                findings += check_file(p, os.path.relpath(p, root))
    for f in findings:
        print(f)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
