#!/usr/bin/env bash
# libp11 and pcsc-lite are not linked but loaded when first used
# (pkcs11-bridge/src/p11_dl.h), so that a CLI run that never lists tokens or
# watches readers, such as verifying a PDF, starts without them. Token
# listing and reader watching load them on demand. (Their full behaviour is
# tested in test_pkcs11_sign.sh, test_pkcs11_faults.sh, test_pkcs11_watch.sh.)
source "$(dirname "$0")/lib.sh"
pdf="$PKI/documents/lo-directive-vinhlong.pdf"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)
loads() { grep -E "file=lib$1\.so" <<<"$err" >/dev/null; } # from LD_DEBUG=files on stderr

# Neither the bridge nor the CLI names them any more.
# The shared library of the build (the CLI carries its own static copy).
bridge="$(dirname "$VBSIG")/../lib/libvbsig_pkcs11.so"
expect_file "$bridge" "the build's libvbsig_pkcs11.so"
run readelf -d "$bridge"
expect_rc 0 "readelf reads libvbsig_pkcs11.so"
expect_in "NEEDED" "$out" "libvbsig_pkcs11.so lists its needed libraries"
case "$out" in *libp11* | *libpcsclite*) fail "libvbsig_pkcs11.so still needs: $(grep -E 'libp11|pcsc' <<<"$out" | tr -s ' ')" ;; *) pass ;; esac
run ldd "$VBSIG"
case "$out" in *libp11.so* | *libpcsclite*) fail "the CLI still loads libp11 or libpcsclite at start" ;; *) pass ;; esac

# Signing with a local key and verifying a PDF load neither.
run env LD_DEBUG=files "$VBSIG" sign "$pdf" -o "$WORK/s.pdf" "${p12[@]}"
expect_rc 0 "PAdES signing with a PKCS#12 key"
if loads p11 || loads pcsclite; then fail "signing with a PKCS#12 key loaded libp11 or libpcsclite"; else pass; fi
run env LD_DEBUG=files "$VBSIG" verify "$WORK/s.pdf" --trust "$PKI/root/root.pem"
expect_rc 0 "PDF verification"
expect_in "TOTAL-PASSED" "$out" "the PDF signature verifies"
if loads p11; then fail "verifying a PDF loaded libp11"; else pass; fi
if loads pcsclite; then fail "verifying a PDF loaded libpcsclite"; else pass; fi

# Listing tokens loads libp11 and works (a real SoftHSM2 token).
bash "$SRC/test-vectors/make-softhsm.sh" "$WORK/hsm" "$PKI" >"$WORK/hsm.log" 2>&1 || { fail "make-softhsm.sh: $(tail -n 3 "$WORK/hsm.log")"; finish; }
export SOFTHSM2_CONF=$WORK/hsm/softhsm2.conf
module=$(cat "$WORK/hsm/module.txt")
run env LD_DEBUG=files "$VBSIG" token list --module "$module" --json
expect_rc 0 "token list"
expect_in "vbsig-test" "$out" "the SoftHSM2 token is listed"
if loads p11; then pass; else fail "token list did not load libp11"; fi
if loads pcsclite; then fail "token list loaded libpcsclite"; else pass; fi
run env LD_DEBUG=files "$VBSIG" token certs --module "$module" --json
expect_rc 0 "token certs"
expect_in "pkcs11:" "$out" "token certs gives URIs"

# Watching readers loads pcsc-lite. Whether a pcscd answers on this machine
# is not ours to decide: either the timeout ends the watch (0) or the
# service is missing (69, naming pcscd); both went through pcsc-lite.
run env LD_DEBUG=files "$VBSIG" token watch --timeout 1
case "$rc" in 0) pass ;; 69) expect_in "pcscd" "$err" "a missing service names pcscd" ;; *) fail "token watch: exit $rc" ;; esac
if loads pcsclite; then pass; else fail "token watch did not load libpcsclite"; fi
finish
