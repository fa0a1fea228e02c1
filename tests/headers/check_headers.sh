#!/bin/sh
# check_headers.sh STD WORKDIR COMPILER... -- INCLUDE_DIR...
#
# Compiles every public header (INCLUDE_DIR/aero/*.h) on its own, in a
# translation unit of its own, as STD (c99 or c++11) with -pedantic -Wall
# -Wextra -Werror: a header that needs another one included first, uses a
# C11 or GNU feature, or is not clean C++ fails here. Each TU includes its
# header twice (the include guard), and one more TU initialises every
# versioned struct with its *_INIT macro (the rule in aero/common.h).
set -eu

std=$1
work=$2
shift 2
cc=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    cc="$cc $1"
    shift
done
[ $# -gt 0 ] && shift # the --
[ $# -gt 0 ] || { echo "usage: $0 STD WORKDIR COMPILER... -- INCLUDE_DIR..." >&2; exit 2; }

case $std in
c99) ext=c; flags="-x c -std=c99" ;;
c++11) ext=cpp; flags="-x c++ -std=c++11 -Wold-style-cast" ;;
*) echo "unknown standard $std" >&2; exit 2 ;;
esac
flags="$flags -pedantic -Wall -Wextra -Werror"

incs=""
for d in "$@"; do incs="$incs -I$d"; done

mkdir -p "$work"
fails=0
count=0
inits=""
for d in "$@"; do
    for h in "$d"/aero/*.h; do
        name=$(basename "$h")
        tu="$work/${name%.h}.$ext"
        printf '#include <aero/%s>\n#include <aero/%s>\n' "$name" "$name" >"$tu"
        count=$((count + 1))
        # shellcheck disable=SC2086
        if ! $cc $flags $incs -c "$tu" -o "$work/${name%.h}.o" 2>"$work/${name%.h}.err"; then
            echo "FAIL: aero/$name does not compile alone as $std:"
            cat "$work/${name%.h}.err"
            fails=$((fails + 1))
        fi
        for m in $(sed -n 's/^#define \(AERO_[A-Z0-9_]*\)_INIT\([ \\]\|$\).*/\1/p' "$h"); do
            inits="$inits $m"
        done
    done
done

# Every *_INIT macro initialises its struct (AERO_FOO_INIT -> aero_foo) without warnings.
tu="$work/inits.$ext"
{
    for d in "$@"; do
        for h in "$d"/aero/*.h; do printf '#include <aero/%s>\n' "$(basename "$h")"; done
    done
    echo "int aero_check_inits(void);"
    echo "int aero_check_inits(void) {"
    echo "    int n = 0;"
    for m in $inits; do
        t=$(echo "$m" | tr 'A-Z' 'a-z')
        echo "    { $t v = ${m}_INIT; n += AERO_CAST(int, v.version); }"
    done
    echo "    return n;"
    echo "}"
} >"$tu"
# shellcheck disable=SC2086
if ! $cc $flags $incs -c "$tu" -o "$work/inits.o" 2>"$work/inits.err"; then
    echo "FAIL: the *_INIT macros ($inits) do not compile as $std:"
    cat "$work/inits.err"
    fails=$((fails + 1))
fi

echo "$count headers, and the _INIT macros of$inits, checked as $std: $fails failure(s)"
[ "$count" -gt 0 ] && [ "$fails" -eq 0 ]
