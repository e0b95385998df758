#!/usr/bin/env bash
# The main job on embedded defaults: install, build, make a demo PKI, sign a
# real official document, verify the signature and print the report.
# LANG=vi_VN.UTF-8 (or DEMO_LANG=vi) gives the report in Vietnamese.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" --target vbsig_cli >/dev/null

demo=build/demo
bash test-vectors/gen-pki.sh "$demo/pki" >/dev/null
doc=test-vectors/corpus/pdf/lo-directive-vinhlong.pdf
lang_args=()
[ -n "${DEMO_LANG:-}" ] && lang_args=(--lang "$DEMO_LANG")

echo "Signing $doc as Nguyễn Văn An (demo PKI, RSA-2048, CAdES B-B, detached) ..."
build/bin/vbsig sign "$doc" -o "$demo/lo-directive-vinhlong.pdf.p7s" --format cades --detached \
  --key "$demo/pki/signers/rsa2048.p12" --pass pass:vbsig-test --trust "$demo/pki/root/root.pem" \
  "${lang_args[@]}"
echo "Wrote $demo/lo-directive-vinhlong.pdf.p7s"
echo
build/bin/vbsig verify "$demo/lo-directive-vinhlong.pdf.p7s" --data "$doc" \
  --trust "$demo/pki/root/root.pem" "${lang_args[@]}"
