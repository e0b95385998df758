#!/usr/bin/env bash
# cmake --install gives a usable SDK: headers, a shared library with a SONAME
# that exports only vbsig_ symbols, a relocatable pkg-config file, a CMake
# package, and a vbsig command that finds its Vietnamese catalogue.
source "$(dirname "$0")/lib.sh"
prefix="$WORK/prefix"
run cmake --install "$BUILD" --prefix "$prefix"
expect_rc 0 "cmake --install"
so=$(ls "$prefix"/lib*/libvbsig.so.0 2>/dev/null | head -n 1)
expect_file "$so" "shared library"
soname=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
[ "$soname" = "libvbsig.so.0" ] && pass || fail "SONAME is '$soname'"
leaked=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^vbsig_' || true)
[ -z "$leaked" ] && pass || fail "non-public symbols exported: $leaked"
expect_file "$prefix/include/vbsig/vbsig.h" "public header"

cat >"$WORK/main.c" <<'C'
#include <stdio.h>
#include <vbsig/vbsig.h>
int main(void)
{
    vbsig_ctx *ctx = NULL;
    int rc = vbsig_ctx_new(&ctx);
    printf("%s %s\n", vbsig_version(), vbsig_status_name(rc));
    vbsig_ctx_free(ctx);
    return rc != VBSIG_OK;
}
C
# A sanitizer build's library needs its consumers built the same way.
san_flags=""
nm -D "$so" | grep -q ' __asan_' && san_flags="-fsanitize=address,undefined"
pcdir=$(dirname "$(ls "$prefix"/lib*/pkgconfig/vbsig.pc)")
run bash -c "cc $san_flags '$WORK/main.c' \$(PKG_CONFIG_PATH='$pcdir' pkg-config --cflags --libs vbsig) -o '$WORK/by-pkgconfig'"
expect_rc 0 "build against pkg-config"
LD_LIBRARY_PATH=$(dirname "$so") run "$WORK/by-pkgconfig"
expect_in "VBSIG_OK" "$out" "pkg-config consumer runs"

mkdir -p "$WORK/cm"
cat >"$WORK/cm/CMakeLists.txt" <<'C'
cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(vbsig REQUIRED)
add_executable(consumer ../main.c)
target_link_libraries(consumer PRIVATE vbsig::vbsig)
add_executable(consumer_static ../main.c)
target_link_libraries(consumer_static PRIVATE vbsig::vbsig_static)
C
run cmake -S "$WORK/cm" -B "$WORK/cm/build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_FLAGS="$san_flags"
expect_rc 0 "find_package(vbsig)"
run cmake --build "$WORK/cm/build"
expect_rc 0 "build against the CMake package"
LD_LIBRARY_PATH=$(dirname "$so") run "$WORK/cm/build/consumer"
expect_in "VBSIG_OK" "$out" "CMake consumer runs"
run "$WORK/cm/build/consumer_static"
expect_in "VBSIG_OK" "$out" "static CMake consumer runs without the shared library"

env -u VBSIG_LOCALEDIR "$prefix/bin/vbsig" --version >"$WORK/v.txt" 2>&1
expect_in "vbsig 0." "$(cat "$WORK/v.txt")" "installed vbsig runs"
finish
