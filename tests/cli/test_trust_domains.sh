#!/usr/bin/env bash
# Trust domains from a configuration file: two independent roots of the
# test PKI (the test root, standing in for the national root, and the
# "unknown" root, standing in for the Government CA root), a policy of
# which to accept, the domain named in the report, the default config
# locations, command-line precedence, and refusal of broken files.
source "$(dirname "$0")/lib.sh"
doc="$PKI/documents/cong-van.txt"
export VBSIG_CONFIG=""   # no config from the machine running the tests

sign() { # sign OUT SIGNER
  run "$VBSIG" sign "$doc" -o "$WORK/$1" --detached --key "$PKI/signers/$2.p12" --pass pass:vbsig-test
  expect_rc 0 "sign $1"
}
sign national.p7s rsa2048
sign gov.p7s unknownroot
sign withrev.p7s withrev

mkdir -p "$WORK/roots/gov.d"
cp "$PKI/unknownroot/root.pem" "$WORK/roots/gov.d/gov-root.pem"
conf() { # conf FILE ACCEPT-LINE [extra lines…]
  local f=$1 acc=$2
  shift 2
  {
    echo "# vbsig test configuration"
    echo "[trust.national-root]"
    echo "anchors = $PKI/root/root.pem   # the root file"
    echo ""
    echo "[trust.gov-ca]"
    echo "anchors = $WORK/roots/gov.d"
    [ -n "$acc" ] && printf '[policy]\naccept = %s\n' "$acc"
    local l
    for l in "$@"; do echo "$l"; done
  } >"$f"
}
verify() { # verify FILE [options…]
  local f=$1
  shift
  run "$VBSIG" verify "$WORK/$f" --data "$doc" --json "$@"
}
sig() { json_get "$out" "d['signatures'][0]$1"; }

# 1. Both domains accepted: each signature passes, in its own domain.
conf "$WORK/both.conf" "national-root gov-ca"
verify national.p7s --config "$WORK/both.conf"
expect_rc 0 "national signer, both domains accepted"
[ "$(sig "['trust_domain']")" = national-root ] && pass || fail "domain of the national signer: $out"
verify gov.p7s --config "$WORK/both.conf"
expect_rc 0 "gov signer, both domains accepted"
[ "$(sig "['trust_domain']")" = gov-ca ] && pass || fail "domain of the gov signer: $out"
run "$VBSIG" verify "$WORK/gov.p7s" --data "$doc" --config "$WORK/both.conf" --lang en
expect_rc 0 "text report"
grep -Eq '^ *Trust domain: +gov-ca$' <<<"$out" && pass || fail "the text report names the domain: $out"

# 2. No [policy]: every declared domain is accepted.
conf "$WORK/all.conf" ""
verify gov.p7s --config "$WORK/all.conf"
expect_rc 0 "no policy: all domains accepted"

# 3. Only the national root accepted: the gov signature has no chain, and
#    the report says which domain it would have needed.
conf "$WORK/national.conf" "national-root"
verify gov.p7s --config "$WORK/national.conf"
expect_rc 2 "gov signer, its domain not accepted"
[ "$(sig "['status'], d['signatures'][0]['subindication'], d['signatures'][0]['trust_domain']")" = \
  "INDETERMINATE NO_CERTIFICATE_CHAIN_FOUND None" ] && pass || fail "refused domain: $out"
expect_in "trust domain 'gov-ca', which the trust policy does not accept" "$out" "the refused domain is named"
verify national.p7s --config "$WORK/national.conf"
expect_rc 0 "national signer still passes"

# 4. --trust anchors are the "command-line" domain, alongside the file's.
verify gov.p7s --config "$WORK/national.conf" --trust "$PKI/unknownroot/root.pem"
expect_rc 0 "--trust adds an anchor to the configured ones"
[ "$(sig "['trust_domain']")" = command-line ] && pass || fail "command-line domain: $out"

# 5. Default locations: $VBSIG_CONFIG, then $XDG_CONFIG_HOME/vbsig/vbsig.conf;
#    --no-config ignores them.
VBSIG_CONFIG="$WORK/both.conf" run "$VBSIG" verify "$WORK/gov.p7s" --data "$doc" --json
expect_rc 0 "VBSIG_CONFIG names the file"
mkdir -p "$WORK/xdg/vbsig"
cp "$WORK/both.conf" "$WORK/xdg/vbsig/vbsig.conf"
(unset VBSIG_CONFIG; XDG_CONFIG_HOME="$WORK/xdg" run "$VBSIG" verify "$WORK/gov.p7s" --data "$doc" --json; exit "$rc")
rc=$?
expect_rc 0 "XDG_CONFIG_HOME/vbsig/vbsig.conf is read by default"
(unset VBSIG_CONFIG; XDG_CONFIG_HOME="$WORK/xdg" run "$VBSIG" verify "$WORK/gov.p7s" --data "$doc" --json --no-config; exit "$rc")
rc=$?
expect_rc 2 "--no-config ignores the default file"

# 6. Revocation settings in the file, and the command line winning over
#    them: offline + soft makes the unreachable status a warning …
conf "$WORK/rev.conf" "national-root" "[network]" "offline = yes" "[revocation]" "mode = soft"
verify withrev.p7s --config "$WORK/rev.conf"
expect_rc 0 "offline + soft from the file"
[ "$(sig "['revocation']['status']")" = unavailable ] && pass || fail "status unavailable offline: $out"
# … and --revocation hard on the command line overrides the file's soft.
verify withrev.p7s --config "$WORK/rev.conf" --revocation hard
expect_rc 2 "--revocation hard beats the file"
[ "$(sig "['subindication']")" = TRY_LATER ] && pass || fail "hard: $out"

# 7. Broken files are refused with file:line, before any verification.
bad_conf() { # bad_conf DESCRIPTION EXPECTED-TEXT LINES…
  local what=$1 want=$2
  shift 2
  printf '%s\n' "$@" >"$WORK/bad.conf"
  verify national.p7s --config "$WORK/bad.conf"
  expect_rc 64 "$what"
  expect_in "$want" "$err" "$what: message"
}
bad_conf "unknown section" "bad.conf:2:" "# x" "[trusted]" "anchors = /x"
bad_conf "unknown key" "bad.conf:2:" "[trust.a]" "anchor = $PKI/root/root.pem"
bad_conf "accept names an undeclared domain" "'nowhere'" "[trust.a]" "anchors = $PKI/root/root.pem" "[policy]" "accept = a nowhere"
bad_conf "bad domain name" "bad.conf:1:" "[trust.]" "anchors = $PKI/root/root.pem"
bad_conf "no equals sign" "bad.conf:2:" "[network]" "offline"
bad_conf "bad revocation mode" "bad.conf:2:" "[revocation]" "mode = maybe"
bad_conf "domain without anchors" "bad.conf:1:" "[trust.empty]"
bad_conf "duplicate domain" "bad.conf:3:" "[trust.a]" "anchors = $PKI/root/root.pem" "[trust.a]"
printf '[trust.a]\nanchors = %s\n' "$WORK/missing.pem" >"$WORK/bad.conf"
verify national.p7s --config "$WORK/bad.conf"
expect_rc 66 "anchor file missing"
expect_in "missing.pem" "$err" "the missing anchor file is named"
head -c 1100000 /dev/zero | tr '\0' '#' >"$WORK/huge.conf"
verify national.p7s --config "$WORK/huge.conf"
[ "$rc" -ne 0 ] && pass || fail "a 1 MB+ config file must be refused"
verify national.p7s --config "$WORK/nothing-here.conf"
expect_rc 66 "a named config file that does not exist"

finish
