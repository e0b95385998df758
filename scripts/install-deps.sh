#!/usr/bin/env bash
# Installs what building and testing vbsig needs on Debian 12 (bookworm).
# Safe to run again: packages already present are not downloaded.
set -euo pipefail

packages=(
  build-essential cmake pkg-config gettext
  openssl libssl-dev libtasn1-6-dev libjansson-dev libcmocka-dev
  libnss3-tools python3
  clang libclang-rt-14-dev
  zlib1g-dev qpdf libpng-dev
  libmicrohttpd-dev libsqlite3-dev curl wrk
  libcurl4-openssl-dev faketime
  libp11-kit-dev p11-kit p11-kit-modules libpcsclite-dev softhsm2 opensc pcscd
  vsmartcard-vpcd python3-virtualsmartcard python3-pycryptodome util-linux
  libxml2-dev xmlsec1
  poppler-utils libp11-dev libpq-dev postgresql
  openjdk-17-jdk-headless libpdfbox2-java libbcprov-java libbcpkix-java mupdf-tools
  debhelper dpkg-dev lintian fakeroot
  libpng-dev libharfbuzz-dev fonts-liberation2
  python3-cffi libjna-java junit5
  libassuan-dev pinentry-tty chromium haproxy desktop-file-utils
  systemd # systemd-analyze, for the unit tests of vbsig-tsa and vbsig serve
)

# Node.js for the xml-crypto cross-checks: Debian's nodejs and npm, unless a
# node is already there (a NodeSource nodejs carries its own npm and
# conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# xml-crypto (npm), a third XML signature implementation for
# tests/cli/test_cross_xml_matrix.sh, pinned, outside the source tree.
npm_dir=${VBSIG_NPM_DIR:-/var/cache/vbsig/npm}
if [ ! -f "$npm_dir/node_modules/xml-crypto/package.json" ] ||
  ! grep -q '"version": "6.3.2"' "$npm_dir/node_modules/xml-crypto/package.json"; then
  echo "install-deps: npm install xml-crypto@6.3.2 into $npm_dir" >&2
  $SUDO mkdir -p "$npm_dir"
  $SUDO npm install --prefix "$npm_dir" --no-audit --no-fund --silent xml-crypto@6.3.2 >/dev/null
fi
# playwright-core drives Debian's chromium in the `vbsig serve` browser tests
# (no browser download: the tests pass executablePath /usr/bin/chromium).
if [ ! -f "$npm_dir/node_modules/playwright-core/package.json" ]; then
  echo "install-deps: npm install playwright-core into $npm_dir" >&2
  $SUDO mkdir -p "$npm_dir"
  $SUDO npm install --prefix "$npm_dir" --no-audit --no-fund --silent playwright-core@1.64.1 >/dev/null
fi
