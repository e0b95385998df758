#!/usr/bin/env bash
# Builds the Debian packages from a clean copy of the committed-or-not tree
# (git ls-files, so build/ and other local output never leak in), offline,
# unsigned, binary only; then runs lintian. Output: $OUT (default
# build/packages) holds the .deb, .buildinfo, .changes and lintian.txt.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$src/build/packages}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/vbsig-0.1.0" "$out"
(cd "$src" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/vbsig-0.1.0")
start=$(date +%s)
(cd "$work/vbsig-0.1.0" && DEB_BUILD_OPTIONS="parallel=${JOBS:-2} nocheck" dpkg-buildpackage -us -uc -b)
echo "package: built in $(( $(date +%s) - start )) s" >&2
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
if command -v lintian >/dev/null; then
  # lintian exits non-zero on errors only (default --fail-on error)
  lintian --info --display-info "$out"/*.changes | tee "$out/lintian.txt"
fi
ls -l "$out"/*.deb
