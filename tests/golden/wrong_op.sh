#!/bin/sh
# A wrong typed op does not compile.
#
#   wrong_op.sh AEROGEN SCHEMA C_FILE WORK_DIR INCLUDE_DIR COMPILER...
#
# Generates SCHEMA (tests/golden/ok_ops/schema.aero) into WORK_DIR, then
# compiles C_FILE (wrong_op.c): with -DRIGHT_OPS it must compile (so a
# failure below is the op's, not the set-up's), with each -DWRONG_OP=N it must
# fail with a diagnostic naming the function or type that does not fit.
set -u
aerogen=$1 schema=$2 src=$3 work=$4 inc=$5
shift 5
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL [wrong_op]: $*"; exit 1; }
"$aerogen" -o "$work" "$schema" || fail "aerogen failed"
"$@" -std=c11 -Wall -Wextra -Werror -I"$work" -I"$inc" -DRIGHT_OPS -c "$src" -o "$work/right.o" \
    2>"$work/right.err" || { cat "$work/right.err"; fail "the right ops do not compile"; }
for n in 1 2 3 4 5; do
    case $n in
    1) want=member_ops_age_append ;;
    2) want=member_ops_tags_increment ;;
    3) want=member_ops_name_increment ;;
    4) want=member_ops_flags_increment ;;
    5) want=tally_ops ;;
    esac
    if "$@" -std=c11 -Wall -Wextra -Werror -I"$work" -I"$inc" -DWRONG_OP=$n -c "$src" -o "$work/wrong$n.o" \
        2>"$work/wrong$n.err"; then
        fail "WRONG_OP=$n ($want) compiled"
    fi
    grep -q "$want" "$work/wrong$n.err" || { cat "$work/wrong$n.err"; fail "WRONG_OP=$n did not fail on $want"; }
done
echo "ok [wrong_op]: the right ops compile, 5 wrong ones do not"
