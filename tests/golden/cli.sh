#!/bin/sh
# aerogen command line: options, exit statuses, no partial output.
#   cli.sh AEROGEN GOLDEN_SOURCE_DIR WORK_DIR
set -u
aerogen=$1
src=$2
work=$3
case $aerogen in /*) ;; *) aerogen=$PWD/$aerogen ;; esac
rm -rf "$work"
mkdir -p "$work"
n=0
fail() { echo "FAIL: $*"; exit 1; }
expect() { # expect STATUS DESCRIPTION -- command...
    want=$1; what=$2; shift 3
    "$@" >"$work/out" 2>"$work/err"
    got=$?
    n=$((n + 1))
    [ "$got" = "$want" ] || { cat "$work/out" "$work/err"; fail "$what: exit $got, expected $want"; }
}

expect 0 "--version" -- "$aerogen" --version
grep -q '^aerogen [0-9][0-9.]* (schema ABI 1)$' "$work/out" || fail "--version output: $(cat "$work/out")"
expect 0 "--help" -- "$aerogen" --help
grep -q 'usage: aerogen' "$work/out" || fail "--help output"
expect 2 "no arguments" -- "$aerogen"
expect 2 "unknown option" -- "$aerogen" --frobnicate "$src/ok_minimal/schema.aero"
expect 2 "no output given" -- "$aerogen" "$src/ok_minimal/schema.aero"
expect 2 "two schemas" -- "$aerogen" --check "$src/ok_minimal/schema.aero" "$src/warn_only/schema.aero"
expect 2 "-o without a value" -- "$aerogen" "$src/ok_minimal/schema.aero" -o
expect 2 "-o with --header" -- "$aerogen" -o "$work" --header "$work/x.h" "$src/ok_minimal/schema.aero"
expect 3 "missing schema" -- "$aerogen" --check "$work/does-not-exist.aero"
grep -q 'cannot read' "$work/err" || fail "missing schema message"

expect 0 "--check good" -- "$aerogen" --check "$src/ok_minimal/schema.aero"
[ -s "$work/err" ] && fail "--check good printed: $(cat "$work/err")"
ls "$work" | grep -q '\.aero\.' && fail "--check wrote files"
expect 1 "--check bad" -- "$aerogen" --check "$src/err_limits/schema.aero"
grep -q ' errors, nothing written$' "$work/err" || fail "error summary line"

# Warnings: printed but success; -Werror makes them errors; -w hides them.
expect 0 "warnings" -- "$aerogen" --check "$src/warn_only/schema.aero"
grep -q 'warning:' "$work/err" || fail "warnings not printed"
expect 1 "-Werror" -- "$aerogen" -Werror -o "$work" "$src/warn_only/schema.aero"
grep -q 'warning:' "$work/err" && fail "-Werror still says warning"
[ -e "$work/schema.aero.h" ] && fail "-Werror failure wrote output"
expect 0 "-w" -- "$aerogen" -w --check "$src/warn_only/schema.aero"
[ -s "$work/err" ] && fail "-w printed: $(cat "$work/err")"

# -o writes NAME.h / NAME.c; an unwritable directory is an I/O error with nothing left behind.
expect 0 "-o" -- "$aerogen" -o "$work" "$src/ok_minimal/schema.aero"
[ -s "$work/schema.aero.h" ] && [ -s "$work/schema.aero.c" ] || fail "-o outputs missing"
grep -q '#include "schema.aero.h"' "$work/schema.aero.c" || fail "source does not include its header"
expect 3 "unwritable output" -- "$aerogen" -o "$work/no/such/dir" "$src/ok_minimal/schema.aero"
[ -e "$work/no" ] && fail "partial output in missing dir"
expect 0 "--include" -- "$aerogen" --header "$work/a.h" --source "$work/a.c" --include "gen/a.h" "$src/ok_minimal/schema.aero"
grep -q '#include "gen/a.h"' "$work/a.c" || fail "--include not used"

# --prefix: checked like the start of a C identifier; empty is no prefix.
mkdir -p "$work/p"
expect 0 "--prefix" -- "$aerogen" --prefix app_ -o "$work/p" "$src/ok_minimal/schema.aero"
grep -q '^typedef struct app_kv {' "$work/p/schema.aero.h" || fail "--prefix: no struct app_kv"
grep -q '^#define APP_KV_INIT' "$work/p/schema.aero.h" || fail "--prefix: no APP_KV_INIT"
grep -q 'aero_status app_kv_get(' "$work/p/schema.aero.h" || fail "--prefix: no app_kv_get"
grep -Eq '(^|[^_A-Za-z])(kv|KV)_' "$work/p/schema.aero.h" "$work/p/schema.aero.c" && fail "--prefix: unprefixed names left"
expect 0 "--prefix ''" -- "$aerogen" --prefix '' -o "$work/p" "$src/ok_minimal/schema.aero"
grep -q '^typedef struct kv {' "$work/p/schema.aero.h" || fail "--prefix '': not the default names"
for bad in 9app _app __ aero_ AERO_x app-x 'a b' abcdefghijklmnopqrstuvwxyzabcdefg; do
    expect 2 "--prefix '$bad'" -- "$aerogen" --prefix "$bad" --check "$src/ok_minimal/schema.aero"
    grep -q "prefix '$bad' is not" "$work/err" || fail "--prefix '$bad' message: $(cat "$work/err")"
done
expect 2 "--prefix without a value" -- "$aerogen" "$src/ok_minimal/schema.aero" --check --prefix

# The index functions are named after the schema file: users.aero gives users_create_indexes(); a file
# name that gives no C name is an error unless --prefix makes one; other characters become '_'.
mkdir -p "$work/ix"
cp "$src/ok_indexes/schema.aero" "$work/ix/my-users.v2.aero"
expect 0 "index stem" -- "$aerogen" -w -o "$work/ix" "$work/ix/my-users.v2.aero"
grep -q '^static inline aero_status my_users_create_indexes(aero_session \*session, aero_error \*err)$' \
    "$work/ix/my-users.v2.aero.h" || fail "index stem: no my_users_create_indexes()"
grep -q '^const aero_index_def my_users_indexes\[MY_USERS_INDEX_COUNT\] = {$' "$work/ix/my-users.v2.aero.c" ||
    fail "index stem: no my_users_indexes table"
cp "$src/ok_indexes/schema.aero" "$work/ix/9lives.aero"
expect 1 "index stem from a digit" -- "$aerogen" -w --check "$work/ix/9lives.aero"
grep -q "the functions of the indexes are named after the file: '9lives' gives '9lives'" "$work/err" ||
    fail "index stem message: $(cat "$work/err")"
expect 0 "index stem with --prefix" -- "$aerogen" -w --prefix app_ -o "$work/ix" "$work/ix/9lives.aero"
grep -q 'app_9lives_create_indexes' "$work/ix/9lives.aero.h" || fail "index stem with --prefix"

# A failing run never replaces good output.
cp "$work/schema.aero.h" "$work/keep.h"
cp "$src/err_limits/schema.aero" "$work/schema.aero"
expect 1 "failed regeneration" -- "$aerogen" -o "$work" "$work/schema.aero"
cmp -s "$work/keep.h" "$work/schema.aero.h" || fail "failed run modified previous output"
echo "ok: $n aerogen command lines"
