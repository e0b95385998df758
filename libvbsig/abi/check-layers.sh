#!/usr/bin/env bash
# check-layers.sh SRC_DIR: the library's layers point one way
# (../shared/design.md, docs/design-notes.md "Layers"). Every
# `#include "DIR/…"` of a file in libvbsig/src/X must name X itself, the
# public headers (vbsig/) or a layer X may use below; anything else is
# printed and fails.
set -u
src=${1:?usage: check-layers.sh libvbsig/src}
declare -A may=(
  [util]=""
  [crypto]="util"
  [validate]="crypto util"
  [cms]="validate crypto util"
  [tsp]="cms validate crypto util"
  [cades]="tsp cms validate crypto util"
  [xml]="tsp cms validate crypto util"
  [pdf]="util"
  [appearance]="pdf util"
  [pades]="cades appearance pdf tsp cms validate crypto util"
  [report]="validate crypto util"
  [verify]="pades cades xml tsp cms report validate crypto util"
  [sign]="pades cades xml tsp cms report validate crypto util"
)
bad=0
for dir in "$src"/*/; do
  layer=$(basename "$dir")
  if [ -z "${may[$layer]+set}" ]; then
    echo "FAIL: $layer/ is no known layer: add it to check-layers.sh with what it may use"
    bad=1
    continue
  fi
  while IFS=: read -r file _ inc; do
    used=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$inc")
    [ "$used" = "$layer" ] || [ "$used" = vbsig ] && continue
    case " ${may[$layer]} " in *" $used "*) continue ;; esac
    echo "FAIL: ${file#"$src"/} includes $used/, which $layer/ may not use (it may use: ${may[$layer]:-nothing})"
    bad=1
  done < <(grep -rnE '^#include "[a-z_]+/' "$dir" --include='*.c' --include='*.h')
done
[ $bad -eq 0 ] && echo "ok: every include of $(ls -d "$src"/*/ | wc -l) layers points down"
exit $bad
