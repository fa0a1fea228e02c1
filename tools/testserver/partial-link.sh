#!/bin/sh
# partial-link.sh OUT.a IN.a LD OBJCOPY AR
#
# Turns the archive of test server objects (compiled with hidden visibility)
# into a static library of one object that exports only the symbols marked
# AERO_TESTSERVER_API: ld -r joins every object so references between them
# are resolved inside it, then objcopy --localize-hidden makes every hidden
# symbol local.
set -eu
out=$1
in=$2
ld=$3
objcopy=$4
ar=$5
obj="$out.partial.o"
"$ld" -r --whole-archive "$in" -o "$obj"
"$objcopy" --localize-hidden "$obj"
rm -f "$out"
"$ar" rcs "$out" "$obj"
rm -f "$obj"
