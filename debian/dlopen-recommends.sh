#!/bin/sh
# Writes vbsig:Recommends for the libraries vbsig dlopen()s. Debian 12's
# dpkg-shlibdeps ignores the ELF .note.dlopen the libraries carry, so this
# reads that note (the sonames CMake detected) from each built library and
# maps every soname to the package shipping it (dpkg -S).
set -eu
recommends() { # <package> <library glob under usr/lib>
  lib=$(ls debian/$1/usr/lib/*/$2 | head -n 1)
  note=$(mktemp)
  objcopy -O binary --only-section=.note.dlopen "$lib" "$note"
  deps=""
  for so in $(strings "$note" | grep -o '"soname":\["[^"]*"' | sed 's/.*\["//; s/"$//'); do
    pkg=$(dpkg -S "*/$so" 2>/dev/null | head -n 1 | cut -d: -f1)
    [ -n "$pkg" ] || { echo "dlopen-recommends: no package ships $so" >&2; exit 1; }
    deps="${deps:+$deps, }$pkg"
  done
  rm -f "$note"
  [ -n "$deps" ] || { echo "dlopen-recommends: $lib has no .note.dlopen" >&2; exit 1; }
  echo "vbsig:Recommends=$deps" >> "debian/$1.substvars"
}
recommends libvbsig2 'libvbsig.so.*.*'
recommends libvbsig-pkcs11-1 'libvbsig_pkcs11.so.*.*'
