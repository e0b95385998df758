#!/usr/bin/env bash
# Regenerates po/vbsig.pot from the C sources, merges it into po/vi.po and
# prints the translation statistics.
#
# Usage: po/update.sh [--check | --verify]
#   --check   exit non-zero if po/vi.po has any untranslated or fuzzy message
#   --verify  change nothing: merge into a temporary copy and fail if any
#             message in the sources lacks a Vietnamese translation (ctest)
#
# May be called from any directory; works from the repository root.
set -euo pipefail

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  --verify) check=2 ;;
  -h|--help)
    sed -n '2,10s/^# \{0,1\}//p' "$0"
    exit 0 ;;
  *)
    echo "usage: $0 [--check]" >&2
    exit 2 ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."

for tool in xgettext msgmerge msginit msgfmt; do
  command -v "$tool" >/dev/null || { echo "update.sh: $tool not found (install gettext)" >&2; exit 2; }
done

# Sorted (byte order) so the .pot is reproducible on every machine.
mapfile -t sources < <(
  { find libvbsig/src pkcs11-bridge/src tsa/src -type f -name '*.c' 2>/dev/null; find cli/src -type f -name '*.c'; } |
    LC_ALL=C sort)
if [ "${#sources[@]}" -eq 0 ]; then
  echo "update.sh: no source files found" >&2
  exit 2
fi

if [ "$check" -eq 2 ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --package-name=vbsig \
    -o "$work/vbsig.pot" "${sources[@]}"
  msgmerge --quiet --no-fuzzy-matching -o "$work/vi.po" po/vi.po "$work/vbsig.pot"
  stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$work/vi.po" 2>&1)
  echo "sources against po/vi.po: $stats"
  case "$stats" in
    *fuzzy*|*untranslated*)
      msgattrib --untranslated --no-obsolete "$work/vi.po" | grep -A3 '^#:' >&2 || true
      echo "update.sh: messages without Vietnamese (run po/update.sh and translate them)" >&2
      exit 1 ;;
  esac
  exit 0
fi

tmp_pot=$(mktemp po/.vbsig.pot.XXXXXX)
trap 'rm -f "$tmp_pot"' EXIT
xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ \
  --add-comments=TRANSLATORS: --package-name=vbsig \
  -o "$tmp_pot" "${sources[@]}"
# Keep the committed template (and its POT-Creation-Date) when nothing but
# the date changed, so a run without source changes leaves git clean.
if [ -f po/vbsig.pot ] &&
   cmp -s <(grep -v '^"POT-Creation-Date:' po/vbsig.pot) <(grep -v '^"POT-Creation-Date:' "$tmp_pot"); then
  rm -f "$tmp_pot"
else
  chmod 644 "$tmp_pot"
  mv -f "$tmp_pot" po/vbsig.pot
fi

if [ ! -f po/vi.po ]; then
  msginit --no-translator --locale=vi --input=po/vbsig.pot --output-file=po/vi.po
fi
msgmerge --quiet --update --backup=none --no-fuzzy-matching po/vi.po po/vbsig.pot

# "N translated messages, M fuzzy translations, K untranslated messages."
if ! stats=$(LC_ALL=C msgfmt --statistics -o /dev/null po/vi.po 2>&1); then
  echo "$stats" >&2
  exit 1
fi
echo "po/vi.po: $stats"

if [ "$check" -eq 1 ]; then
  case "$stats" in
    *fuzzy*|*untranslated*)
      echo "update.sh: po/vi.po has untranslated or fuzzy messages" >&2
      exit 1 ;;
  esac
fi
