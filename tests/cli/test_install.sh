#!/usr/bin/env bash
# cmake --install gives a usable SDK: headers, a shared library with a SONAME
# that exports only vbsig_ symbols, a relocatable pkg-config file, a CMake
# package, and a vbsig command that finds its Vietnamese catalogue.
source "$(dirname "$0")/lib.sh"
prefix="$WORK/prefix"
run cmake --install "$BUILD" --prefix "$prefix"
expect_rc 0 "cmake --install"
# The SONAMEs carry the ABI versions of the top-level CMakeLists.txt.
abi=$(sed -n 's/^set(VBSIG_ABI_VERSION \([0-9]*\)).*/\1/p' "$SRC/CMakeLists.txt")
p11abi=$(sed -n 's/^set(VBSIG_PKCS11_ABI_VERSION \([0-9]*\)).*/\1/p' "$SRC/CMakeLists.txt")
so=$(ls "$prefix"/lib*/libvbsig.so."$abi" 2>/dev/null | head -n 1)
expect_file "$so" "shared library"
soname=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
[ "$soname" = "libvbsig.so.$abi" ] && pass || fail "SONAME is '$soname'"
leaked=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^vbsig_' || true)
[ -z "$leaked" ] && pass || fail "non-public symbols exported: $leaked"
expect_file "$prefix/include/vbsig/vbsig.h" "public header"

# The consumer (tests/install/consumer.c) sees only the installed headers
# and `pkg-config vbsig`. It needs a TSA and the revocation servers (B-LTA).
source "$SRC/tests/tsa/tsa_lib.sh"
source "$SRC/tests/revocation/rev_lib.sh" # start_pki_rev, stop_revs
trap 'stop_revs; tsa_cleanup' EXIT
cp "$SRC/tests/install/consumer.c" "$WORK/consumer.c"
# A sanitizer build's library needs its consumers built the same way.
san_flags=""
nm -D "$so" | grep -q ' __asan_' && san_flags="-fsanitize=address,undefined"
pcdir=$(dirname "$(ls "$prefix"/lib*/pkgconfig/vbsig.pc)")
run bash -c "cc -std=c11 -Wall -Wextra -Werror $san_flags '$WORK/consumer.c' \$(PKG_CONFIG_PATH='$pcdir' pkg-config --cflags --libs vbsig) -o '$WORK/by-pkgconfig'"
expect_rc 0 "build the consumer against pkg-config (installed headers only)"
LD_LIBRARY_PATH=$(dirname "$so") run "$WORK/by-pkgconfig" --smoke
expect_in "VBSIG_OK" "$out" "pkg-config consumer runs"
tsa_start inst --allow-unsynced-clock || { fail "vbsig-tsa did not start"; finish; }
start_pki_rev
mkdir -p "$WORK/run"
xml_doc="$SRC/test-vectors/corpus/xml/einvoice-tt78-vinhlong.xml"
pdf_doc="$SRC/test-vectors/corpus/pdf/cairo-longan.pdf"
LD_LIBRARY_PATH=$(dirname "$so") run "$WORK/by-pkgconfig" "$PKI" "$TSA_URL/" "$WORK/vbsig.conf" "$WORK/run" "$pdf_doc" "$xml_doc"
expect_rc 0 "consumer: B-LTA in three formats, a batch, two-step XAdES, signer check, report accessors"
expect_in "consumer: 0 failures" "$out" "consumer reports no failure"
# Every field the accessors gave agrees with the CLI's JSON report of the same file.
for f in lta.pdf lta.p7m lta.xml; do
  run "$VBSIG" verify "$WORK/run/$f" --trust "$PKI/root/root.pem" --json "${RW[@]}"
  printf '%s' "$out" >"$WORK/run/$f.json"
  run python3 "$SRC/tests/install/compare_fields.py" "$WORK/run/$f.fields" "$WORK/run/$f.json"
  expect_rc 0 "$f: accessors agree with vbsig verify --json ($out)"
done
# The signer check's certificate fields are openssl's reading of the certificate.
subj=$(openssl x509 -in "$PKI/signers/withrev.pem" -noout -serial | sed 's/serial=//')
expect_in "0.signer.serial=$subj" "$(cat "$WORK/run/signer.fields")" "signer check: serial as openssl reads it"
stop_revs
tsa_stop

mkdir -p "$WORK/cm"
cat >"$WORK/cm/CMakeLists.txt" <<'C'
cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(vbsig REQUIRED)
add_executable(consumer ../consumer.c)
target_link_libraries(consumer PRIVATE vbsig::vbsig)
add_executable(consumer_static ../consumer.c)
target_link_libraries(consumer_static PRIVATE vbsig::vbsig_static)
C
run cmake -S "$WORK/cm" -B "$WORK/cm/build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_FLAGS="$san_flags"
expect_rc 0 "find_package(vbsig)"
run cmake --build "$WORK/cm/build"
expect_rc 0 "build against the CMake package"
LD_LIBRARY_PATH=$(dirname "$so") run "$WORK/cm/build/consumer" --smoke
expect_in "VBSIG_OK" "$out" "CMake consumer runs"
run "$WORK/cm/build/consumer_static" --smoke
expect_in "VBSIG_OK" "$out" "static CMake consumer runs without the shared library"

# The PKCS#11 bridge: a consumer through pkg-config (vbsig-pkcs11) and
# through the CMake package (vbsig::pkcs11, vbsig::pkcs11_static). It loads
# a module that does not exist: the bridge's own error comes back.
p11so=$(ls "$prefix"/lib*/libvbsig_pkcs11.so."$p11abi" 2>/dev/null | head -n 1)
expect_file "$p11so" "shared bridge library"
expect_file "$(dirname "$p11so")/libvbsig_pkcs11.a" "static bridge library"
expect_file "$pcdir/vbsig-pkcs11.pc" "bridge pkg-config file"
expect_file "$prefix/include/vbsig/pkcs11.h" "bridge header"
leaked=$(nm -D --defined-only "$p11so" | awk '{print $3}' | grep -v '^vbsig_' || true)
[ -z "$leaked" ] && pass || fail "bridge exports non-public symbols: $leaked"
cat >"$WORK/p11.c" <<'C'
#include <stdio.h>
#include <vbsig/pkcs11.h>
#include <vbsig/vbsig.h>
int main(int argc, char **argv)
{
    vbsig_pkcs11_token *list = NULL;
    size_t n = 0;
    int rc = vbsig_pkcs11_list_tokens(NULL, argc > 1 ? argv[1] : "/nonexistent/module.so", &list, &n);
    printf("%s %s\n", vbsig_status_name(rc), rc != VBSIG_OK ? vbsig_last_error() : "");
    vbsig_pkcs11_tokens_free(list, n);
    return rc == VBSIG_E_MODULE_LOAD ? 0 : 1;
}
C
run bash -c "cc $san_flags '$WORK/p11.c' \$(PKG_CONFIG_PATH='$pcdir' pkg-config --cflags --libs vbsig-pkcs11) -o '$WORK/p11-by-pkgconfig'"
expect_rc 0 "build a bridge consumer against pkg-config"
LD_LIBRARY_PATH=$(dirname "$so") run "$WORK/p11-by-pkgconfig"
expect_rc 0 "pkg-config bridge consumer runs"
expect_in "/nonexistent/module.so" "$out" "bridge error names the module"
mkdir -p "$WORK/cm11"
cat >"$WORK/cm11/CMakeLists.txt" <<'C'
cmake_minimum_required(VERSION 3.25)
project(p11consumer C)
find_package(vbsig REQUIRED)
if(NOT TARGET vbsig::pkcs11 OR NOT TARGET vbsig::pkcs11_static)
  message(FATAL_ERROR "vbsig::pkcs11 targets missing")
endif()
add_executable(p11consumer ../p11.c)
target_link_libraries(p11consumer PRIVATE vbsig::pkcs11)
add_executable(p11consumer_static ../p11.c)
target_link_libraries(p11consumer_static PRIVATE vbsig::pkcs11_static)
C
run cmake -S "$WORK/cm11" -B "$WORK/cm11/build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_FLAGS="$san_flags"
expect_rc 0 "find_package(vbsig) with the bridge"
run cmake --build "$WORK/cm11/build"
expect_rc 0 "build bridge consumers against the CMake package"
LD_LIBRARY_PATH=$(dirname "$so") run "$WORK/cm11/build/p11consumer"
expect_rc 0 "CMake bridge consumer runs"
run "$WORK/cm11/build/p11consumer_static"
expect_rc 0 "static CMake bridge consumer runs without the shared libraries"
ldd "$WORK/cm11/build/p11consumer_static" | grep -q libvbsig && fail "static bridge consumer needs libvbsig*.so" || pass

env -u VBSIG_LOCALEDIR "$prefix/bin/vbsig" --version >"$WORK/v.txt" 2>&1
expect_in "vbsig 0." "$(cat "$WORK/v.txt")" "installed vbsig runs"
finish
