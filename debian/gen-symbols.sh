#!/bin/sh
# Regenerates debian/libvbsig2.symbols and debian/libvbsig-pkcs11-1.symbols
# from the ABI lists the ctest abi checks keep current, so the two never
# drift apart. Every symbol dates from 0.1.0, the first packaged release.
set -eu
cd "$(dirname "$0")/.."
gen() { # <abi-list> <soname> <package>
  { echo "$2 $3 #MINVER#"
    echo "* Build-Depends-Package: libvbsig-dev"
    grep -v '^#' "$1" | grep . | sed 's/^/ /; s/$/@Base 0.1.0/'
  } > "debian/$3.symbols"
}
gen libvbsig/abi/libvbsig.symbols libvbsig.so.2 libvbsig2
gen pkcs11-bridge/abi/libvbsig_pkcs11.symbols libvbsig_pkcs11.so.1 libvbsig-pkcs11-1
