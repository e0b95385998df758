#!/usr/bin/env bash
# Checks the symbols the built libraries expose.
#
#   check-symbols.sh prefix LIB...        every defined global symbol of each
#                                         static (.a) or shared (.so) library
#                                         starts with vbsig_
#   check-symbols.sh abi LIST SO [A]      the shared library's exports (and the
#                                         static archive's globals) are exactly
#                                         the recorded LIST
#   check-symbols.sh update LIST SO       rewrites LIST from SO
#   check-symbols.sh called LIST TEST.c   every symbol of LIST is called in
#                                         TEST.c (the NULL-argument tests:
#                                         a new public function cannot be
#                                         left out of them)
#
# LIST holds one symbol a line, sorted; lines starting with # are comments.
# A changed signature, struct layout or enum value of a symbol that stays
# breaks the ABI too without showing here: bump the ABI version for those.
set -u
die() { echo "check-symbols: $*" >&2; exit 2; }

# Defined global names (functions, data, weak) of a library, sorted.
globals() {
  local lib=$1
  [ -e "$lib" ] || die "$lib: no such file (build it first)"
  case "$lib" in
    *.a) nm -g --defined-only "$lib" ;;
    *) nm -D --defined-only "$lib" ;;
  esac | awk 'NF == 3 { print $3 }' | sed 's/@.*//' | LC_ALL=C sort -u
}
recorded() { grep -v '^#' "$1" | sed '/^[[:space:]]*$/d' | LC_ALL=C sort -u; }

mode=${1:-}
shift || true
case "$mode" in
  prefix)
    [ $# -ge 1 ] || die "usage: $0 prefix LIB..."
    bad=0
    for lib in "$@"; do
      n=$(globals "$lib" | wc -l)
      [ "$n" -gt 0 ] || { echo "FAIL: $lib defines no global symbol at all"; bad=1; continue; }
      leaked=$(globals "$lib" | grep -v '^vbsig_' || true)
      if [ -n "$leaked" ]; then
        echo "FAIL: $lib exposes $(wc -l <<<"$leaked") global symbols without the vbsig_ prefix;"
        echo "      make them static or keep them hidden (no VBSIG_API):"
        sed 's/^/        /' <<<"$leaked"
        bad=1
      else
        echo "ok: $lib: $n global symbols, all vbsig_"
      fi
    done
    exit $bad ;;
  abi)
    [ $# -ge 2 ] || die "usage: $0 abi LIST SO [A]"
    list=$1 so=$2 ar=${3:-}
    [ -e "$list" ] || die "$list: no such file"
    bad=0
    removed=$(LC_ALL=C comm -23 <(recorded "$list") <(globals "$so"))
    added=$(LC_ALL=C comm -13 <(recorded "$list") <(globals "$so"))
    if [ -n "$removed" ]; then
      echo "FAIL: $so no longer exports symbols recorded in $list:"
      sed 's/^/        /' <<<"$removed"
      echo "      Removing or renaming a public symbol breaks the ABI: bump VBSIG_ABI_VERSION"
      echo "      (or VBSIG_PKCS11_ABI_VERSION) in CMakeLists.txt, then record the new set with"
      echo "      $0 update $list $so"
      bad=1
    fi
    if [ -n "$added" ]; then
      echo "FAIL: $so exports symbols not recorded in $list:"
      sed 's/^/        /' <<<"$added"
      echo "      New symbols are compatible (no ABI bump needed) but must be recorded:"
      echo "      $0 update $list $so"
      bad=1
    fi
    if [ -n "$ar" ]; then
      diff=$(LC_ALL=C comm -3 <(recorded "$list") <(globals "$ar"))
      if [ -n "$diff" ]; then
        echo "FAIL: the global symbols of $ar differ from $list (left: only in the list, right: only in the archive):"
        sed 's/^/        /' <<<"$diff"
        bad=1
      else
        echo "ok: $ar: its globals are the recorded ABI"
      fi
    fi
    [ $bad -eq 0 ] && echo "ok: $so exports exactly the $(recorded "$list" | wc -l) symbols of $list"
    exit $bad ;;
  update)
    [ $# -eq 2 ] || die "usage: $0 update LIST SO"
    list=$1 so=$2
    tmp=$(mktemp)
    { grep '^#' "$list" 2>/dev/null || printf '# Exported symbols of %s, one a line, sorted (libvbsig/abi/check-symbols.sh).\n' "$(basename "$so" | sed 's/\.so.*//')"
      globals "$so"; } >"$tmp"
    mv "$tmp" "$list"
    echo "wrote $list ($(recorded "$list" | wc -l) symbols)" ;;
  called)
    [ $# -eq 2 ] || die "usage: $0 called LIST TEST.c"
    list=$1 test=$2
    [ -e "$test" ] || die "$test: no such file"
    # A call is the name followed by "(", outside comments.
    calls=$(sed -e 's://.*$::' "$test" | perl -0pe 's:/\*.*?\*/::gs' |
            grep -oE '\bvbsig_[A-Za-z0-9_]+[[:space:]]*\(' | sed 's/[[:space:](]*$//' | LC_ALL=C sort -u)
    missing=$(LC_ALL=C comm -23 <(recorded "$list") <(printf '%s\n' "$calls"))
    if [ -n "$missing" ]; then
      echo "FAIL: $(basename "$test") never calls these public functions of $(basename "$list"):"
      sed 's/^/        /' <<<"$missing"
      echo "      Call each with NULL in every pointer argument it requires (VBSIG_E_INVALID_ARG"
      echo "      naming the argument), or with NULL where the header allows it."
      exit 1
    fi
    echo "ok: $(basename "$test") calls all $(recorded "$list" | wc -l) symbols of $(basename "$list")" ;;
  *) die "usage: $0 prefix LIB... | abi LIST SO [A] | update LIST SO | called LIST TEST.c" ;;
esac
