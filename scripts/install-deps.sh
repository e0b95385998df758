#!/usr/bin/env bash
# Installs what building and testing vbsig needs on Debian 12 (bookworm).
# Safe to run again: packages already present are not downloaded.
set -euo pipefail

packages=(
  build-essential cmake pkg-config gettext
  openssl libssl-dev libtasn1-6-dev libjansson-dev libcmocka-dev
  libnss3-tools python3
  clang libclang-rt-14-dev
  zlib1g-dev qpdf
  libmicrohttpd-dev libsqlite3-dev curl wrk
  libcurl4-openssl-dev faketime
  libp11-kit-dev p11-kit p11-kit-modules libpcsclite-dev softhsm2 opensc pcscd
  vsmartcard-vpcd python3-virtualsmartcard python3-pycryptodome util-linux
  libxml2-dev xmlsec1
  poppler-utils libp11-dev libpq-dev postgresql
  openjdk-17-jdk-headless libpdfbox2-java libbcprov-java libbcpkix-java mupdf-tools
  debhelper dpkg-dev lintian fakeroot
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
