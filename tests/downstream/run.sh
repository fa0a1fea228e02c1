#!/usr/bin/env bash
# tests/downstream/run.sh [BUILD_DIR] - the downstream check (.ci/run runs it
# after the suite): install BUILD_DIR (default: build, already built) with
# `meson install --destdir` into a temporary folder, copy
# tests/downstream/consumer/ out of the tree, and build it there twice, each
# time finding aero only through the install:
#   - Meson: pkg-config (aero.pc, aero-testserver.pc); aerogen is the one
#     aero.pc names, run by a generator();
#   - CMake: find_package(aero) (libdir/cmake/aero), aero_generate().
# Each build has a C and a C++ program that link libaero.so and
# libaero-testserver.so and run a typed upsert/get against the embedded test
# server (or the cluster named by AERO_HOSTS). Needs meson, ninja, cmake,
# pkg-config, a C and a C++ compiler.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/aero-downstream.XXXXXX")
trap 'rm -rf "$work"' EXIT

dest="$work/dest"
echo "== meson install --destdir $dest"
meson install -C "$build" --destdir "$dest" --quiet

# Where the build installs to; the destdir holds that tree.
read -r prefix libdir < <(meson introspect --buildoptions "$build" | python3 -c '
import json, sys
opts = {o["name"]: o["value"] for o in json.load(sys.stdin)}
print(opts["prefix"], opts["libdir"])')
case "$libdir" in /*) ;; *) libdir="$prefix/$libdir" ;; esac

# pkg-config reads the staged .pc files and maps their paths into the destdir.
export PKG_CONFIG_PATH="$dest$libdir/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$dest"
# The staged libraries are not where their install names say: let the loader find them.
export LD_LIBRARY_PATH="$dest$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

cp -r "$root/tests/downstream/consumer" "$work/consumer"

echo "== Meson consumer (pkg-config)"
meson setup "$work/build-meson" "$work/consumer" >"$work/meson-setup.log" || {
    cat "$work/meson-setup.log"
    exit 1
}
ninja -C "$work/build-meson"
"$work/build-meson/consumer_c"
"$work/build-meson/consumer_cpp"

echo "== CMake consumer (find_package(aero))"
cmake -S "$work/consumer" -B "$work/build-cmake" -G Ninja -DCMAKE_PREFIX_PATH="$dest$prefix" >"$work/cmake.log" || {
    cat "$work/cmake.log"
    exit 1
}
cmake --build "$work/build-cmake"
"$work/build-cmake/consumer_c"
"$work/build-cmake/consumer_cpp"
echo "== downstream check: ok"
