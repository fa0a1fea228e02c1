#!/bin/sh
# Golden test of aerogen for one case directory.
#
#   run.sh AEROGEN CASE_DIR WORK_DIR
#
# CASE_DIR holds schema.aero, optionally `args` (extra aerogen options, e.g.
# --prefix app_, on one line), and either
#   expected.h + expected.c (+ expected.err for warnings): aerogen must succeed
#     and produce exactly these files (and exactly these diagnostics), or
#   expected.err only: aerogen must fail with exit status 1, print exactly
#     these diagnostics, and write nothing.
# AEROGEN_GOLDEN_UPDATE=1 rewrites the expected files from the actual output.
set -u
aerogen=$1
case_dir=$2
work=$3
name=$(basename "$case_dir")
case $aerogen in /*) ;; *) aerogen=$PWD/$aerogen ;; esac
case $work in /*) ;; *) work=$PWD/$work ;; esac
rm -rf "$work"
mkdir -p "$work"

fail() { echo "FAIL [$name]: $*"; exit 1; }

cd "$case_dir" || fail "no case directory"
extra=
[ -f args ] && extra=$(cat args)
# shellcheck disable=SC2086 # $extra is a list of options
"$aerogen" $extra --header "$work/out.h" --source "$work/out.c" --include schema.aero.h schema.aero \
    >"$work/stdout" 2>"$work/stderr"
rc=$?

if [ "${AEROGEN_GOLDEN_UPDATE:-}" = 1 ]; then
    if [ $rc = 0 ]; then
        cp "$work/out.h" expected.h; cp "$work/out.c" expected.c
    fi
    if [ -s "$work/stderr" ]; then cp "$work/stderr" expected.err; else rm -f expected.err; fi
    echo "updated $name (exit $rc)"
    exit 0
fi

if [ -f expected.h ]; then
    [ $rc = 0 ] || { cat "$work/stderr"; fail "aerogen exited $rc, expected success"; }
    diff -u expected.h "$work/out.h" || fail "header differs"
    diff -u expected.c "$work/out.c" || fail "source differs"
    # The header is the users' code: it may call only public runtime API (no aero_<module>__<verb>).
    grep -n 'aero_[a-z0-9_]*__' "$work/out.h" && fail "header uses an internal runtime symbol"
    if [ -f expected.err ]; then
        diff -u expected.err "$work/stderr" || fail "diagnostics differ"
    else
        [ -s "$work/stderr" ] && { cat "$work/stderr"; fail "unexpected diagnostics"; }
    fi
    # Same input, same bytes: run again and compare.
    "$aerogen" $extra -o "$work" schema.aero 2>/dev/null || fail "second run failed"
    cmp -s "$work/out.h" "$work/schema.aero.h" || fail "output is not deterministic (header)"
    cmp -s "$work/out.c" "$work/schema.aero.c" || fail "output is not deterministic (source)"
else
    [ -f expected.err ] || fail "case has neither expected.h nor expected.err"
    [ $rc = 1 ] || fail "aerogen exited $rc, expected 1"
    diff -u expected.err "$work/stderr" || fail "diagnostics differ"
    [ -e "$work/out.h" ] || [ -e "$work/out.c" ] && fail "partial output written on failure"
    ls "$work" | grep -q '\.tmp$' && fail "temporary file left behind"
    # --check agrees.
    "$aerogen" $extra --check schema.aero >/dev/null 2>&1
    [ $? = 1 ] || fail "--check did not fail"
fi
echo "ok [$name]"
exit 0
