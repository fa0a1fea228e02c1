#!/bin/sh
# check-symbols.sh NM LIB.a LIB.so HEADER
#
# The installed test server libraries must export exactly the functions the
# public header declares (AERO_TESTSERVER_API), nothing else (no mp_*, cdt_*,
# ts_* that could clash with a user's libraries), and must not need any
# libaero internal (aero_<module>__<verb>), which an installed libaero hides.
set -eu
nm=$1
a=$2
so=$3
hdr=$4
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sed -n 's/^AERO_TESTSERVER_API[^(]*[ *]\(aero_testserver_[a-z0-9_]*\)(.*/\1/p' "$hdr" | sort -u >"$tmp/declared"
if [ ! -s "$tmp/declared" ]; then
    echo "no AERO_TESTSERVER_API declarations found in $hdr"
    exit 1
fi

# symbols every shared object defines (linker-provided), not part of any API
linker_syms='^(_init|_fini|_edata|_end|__bss_start)$'

"$nm" -g --defined-only "$a" | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/a.exported"
"$nm" -D --defined-only "$so" | awk 'NF == 3 { print $3 }' | grep -Ev "$linker_syms" | sort -u >"$tmp/so.exported"

for lib in a so; do
    if ! cmp -s "$tmp/declared" "$tmp/$lib.exported"; then
        echo "libaero-testserver.$lib: exported symbols differ from $hdr (< declared only, > exported only):"
        diff "$tmp/declared" "$tmp/$lib.exported" || true
        fail=1
    fi
done

"$nm" -u "$a" | awk '{ print $NF }' | grep -E '^aero_[a-z0-9_]*__' >"$tmp/a.internal" || true
"$nm" -D -u "$so" | awk '{ print $NF }' | grep -E '^aero_[a-z0-9_]*__' >"$tmp/so.internal" || true
for lib in a so; do
    if [ -s "$tmp/$lib.internal" ]; then
        echo "libaero-testserver.$lib: undefined references to libaero internals:"
        sort -u "$tmp/$lib.internal"
        fail=1
    fi
done

[ "$fail" -eq 0 ] && echo "ok: $(wc -l <"$tmp/declared") exported functions, no internal references"
exit "$fail"
