#!/usr/bin/env bash
# libcurl is not linked but loaded when the network is first used
# (libvbsig/src/util/curl_dl.c), so that offline commands start without its
# ~27 shared libraries: libvbsig.so does not need it, offline signing and
# verifying never load it, and a command that does go online loads it and
# reports curl's own error. (Working TSA, OCSP and CRL transfers are tested
# in test_timestamp.sh and test_revocation.sh.)
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tsa-shim/shim.sh"
doc="$PKI/documents/cong-van.txt"
p12=(--key "$PKI/signers/rsa2048.p12" --pass pass:vbsig-test)

# The shared library of the build (the CLI carries its own static copy).
libvbsig="$(dirname "$VBSIG")/../lib/libvbsig.so"
expect_file "$libvbsig" "the build's libvbsig.so"
run readelf -d "$libvbsig"
expect_rc 0 "readelf reads libvbsig.so"
expect_in "NEEDED" "$out" "libvbsig.so lists its needed libraries"
case "$out" in *libcurl*) fail "libvbsig.so still needs libcurl: $(grep NEEDED <<<"$out" | tr -s ' ')" ;; *) pass ;; esac
run ldd "$VBSIG"
case "$out" in *libcurl*) fail "the CLI still loads libcurl at start" ;; *) pass ;; esac

# Offline work: libcurl is never loaded (LD_DEBUG=files names every file
# the dynamic loader opens, on stderr).
run env LD_DEBUG=files "$VBSIG" sign "$doc" -o "$WORK/a.p7s" "${p12[@]}"
expect_rc 0 "offline CAdES signing"
case "$err" in *libcurl*) fail "offline signing loaded libcurl" ;; *) pass ;; esac
run env LD_DEBUG=files "$VBSIG" verify "$WORK/a.p7s" --trust "$PKI/root/root.pem"
expect_rc 0 "offline verification"
expect_in "TOTAL-PASSED" "$out" "the signature verifies"
case "$err" in *libcurl*) fail "offline verification loaded libcurl" ;; *) pass ;; esac

# Online: the TSA is asked through libcurl, loaded on demand; nobody
# listens, so curl's reason and the URL come back, exit 69, no output.
down=$(closed_url)
run env LD_DEBUG=files "$VBSIG" sign "$doc" -o "$WORK/t.p7s" "${p12[@]}" --tsa "$down" --tsa-retries 0
expect_rc 69 "a TSA that is down"
expect_in "file=libcurl.so.4" "$err" "libcurl is loaded when the TSA is asked"
expect_in "$down" "$err" "the URL is named"
expect_in "Couldn't connect" "$err" "curl's reason is given"
expect_no_file "$WORK/t.p7s" "nothing written"
finish
