#!/usr/bin/env bash
# Reports, help and errors in Vietnamese with --lang vi or LANG=vi_VN.UTF-8,
# even on a machine without the vi_VN locale installed.
source "$(dirname "$0")/lib.sh"
sig="$PKI/samples/openssl-cades-detached.p7s"
data="$PKI/documents/cong-van.txt"
run "$VBSIG" verify "$sig" --data "$data" --trust "$PKI/root/root.pem" --lang vi
expect_rc 0 "Vietnamese report"
expect_in "HỢP LỆ" "$out" "verdict in Vietnamese"
expect_in "Nguyễn Văn An" "$out" "signer name"
expect_in "+07:00" "$out" "Vietnam time"
run "$VBSIG" verify "$sig" --data "$data" --trust "$PKI/root/root.pem" --lang en
expect_in "VALID" "$out" "verdict in English"
LANG=vi_VN.UTF-8 LC_ALL= LANGUAGE= run "$VBSIG" verify "$PKI/samples/garbage.p7s"
expect_rc 65 "Vietnamese error"
case "$err" in *"PEM block is not"*) fail "LANG=vi_VN.UTF-8 gave an English error: $err" ;; *) pass ;; esac
run "$VBSIG" help verify --lang vi
expect_in "Cách dùng" "$out" "Vietnamese help"
run "$VBSIG" verify "$PKI/samples/tampered-data.p7s" --data "$PKI/samples/cong-van-tampered.txt" --trust "$PKI/root/root.pem" --lang vi --json
expect_rc 1 "tampered, Vietnamese JSON"
expect_in '"status": "TOTAL-FAILED"' "$out" "JSON codes stay untranslated"
finish
