#!/bin/sh
# Writes vbsig:Recommends for the libraries vbsig dlopen()s: each soname that
# CMake detected (VBSIG_SONAME_* cache entries) is mapped to the package that
# ships it with dpkg -S, because dpkg-shlibdeps on Debian 12 ignores
# .note.dlopen and would otherwise leave them out.
set -eu
cache=$1
pkg_of() {
  # the package owning the file named by this soname, without :arch
  path=$(dpkg -S "*/$1" 2>/dev/null | head -n 1 | cut -d: -f1)
  [ -n "$path" ] || { echo "dlopen-recommends: no package ships $1" >&2; exit 1; }
  echo "$path"
}
soname() { sed -n "s/^$1:[A-Z]*=//p" "$cache"; }
lib=$(pkg_of "$(soname VBSIG_SONAME_CURL)"), $(pkg_of "$(soname VBSIG_SONAME_XML2)")
p11=$(pkg_of "$(soname VBSIG_SONAME_P11)"), $(pkg_of "$(soname VBSIG_SONAME_PCSC)")
echo "vbsig:Recommends=$lib" >> debian/libvbsig1.substvars
echo "vbsig:Recommends=$p11" >> debian/libvbsig-pkcs11-1.substvars
