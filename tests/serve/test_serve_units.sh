#!/usr/bin/env bash
# The systemd user unit and the XDG autostart entry of vbsig serve: both
# valid for their tools (systemd-analyze verify --user, desktop-file-validate,
# with no warning either), installed by cmake --install, and the unit's
# ExecStart is the vbsig that install put there, which runs vbsig-serve.
source "$SRC/tests/cli/lib.sh"
prefix="$WORK/prefix"
run cmake --install "$BUILD" --prefix "$prefix"
expect_rc 0 "cmake --install --prefix"
unit=$(sed -n 's/^-- Installing: \(.*\/lib\/systemd\/user\/vbsig-serve\.service\)$/\1/p' <<<"$out")
desktop=$(sed -n 's/^-- Installing: \(.*\/xdg\/autostart\/vbsig-serve\.desktop\)$/\1/p' <<<"$out")
[ "$unit" = "$prefix/lib/systemd/user/vbsig-serve.service" ] && pass || fail "the unit went to '$unit'"
[ "$desktop" = "$prefix/etc/xdg/autostart/vbsig-serve.desktop" ] && pass || fail "the autostart entry went to '$desktop'"
expect_file "$unit" "installed unit"
expect_file "$desktop" "installed autostart entry"

# ExecStart: the installed vbsig, with serve; it finds vbsig-serve beside
# itself (../libexec/vbsig) and prints the serve help.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[ "$exec_start" = "$prefix/bin/vbsig serve" ] && pass || fail "ExecStart is '$exec_start'"
bin=${exec_start%% *}
[ -x "$bin" ] && pass || fail "ExecStart's $bin is not an installed executable"
run "$bin" serve --help
expect_rc 0 "the unit's command, with --help"
expect_in "vbsig serve pairings list" "$out" "it runs vbsig serve"
grep -q '^Restart=on-failure$' "$unit" && pass || fail "Restart=on-failure"
grep -q '^RestartPreventExitStatus=64$' "$unit" && pass || fail "no restart loop without an allowed origin (64)"

# systemd-analyze verify --user needs a runtime directory, not a running
# user manager. It checks the syntax and that ExecStart is executable:
# any message (an unknown key is only a warning) is a failure here.
export XDG_RUNTIME_DIR="$WORK/xdg-run"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
run systemd-analyze verify --user --man=no "$unit"
expect_rc 0 "systemd-analyze verify --user"
[ -z "$err" ] && pass || fail "systemd-analyze verify says: $err"
# The check can fail: a unit whose binary is missing is refused.
sed "s|^ExecStart=.*|ExecStart=$prefix/bin/no-such-vbsig serve|" "$unit" >"$WORK/broken.service"
run systemd-analyze verify --user --man=no "$WORK/broken.service"
[ "$rc" -ne 0 ] && pass || fail "verify accepted a missing ExecStart binary"
expect_in "no-such-vbsig" "$err" "verify names the missing binary"

# The autostart entry: valid, not in menus, started at login, runs vbsig serve.
run desktop-file-validate "$desktop"
expect_rc 0 "desktop-file-validate"
[ -z "$out$err" ] && pass || fail "desktop-file-validate says: $out$err"
for line in "Type=Application" "Exec=vbsig serve" "NoDisplay=true" "X-GNOME-Autostart-enabled=true" "Terminal=false"; do
  grep -qx "$line" "$desktop" && pass || fail "autostart entry lacks $line"
done
# Hidden=true would mean the entry is deleted: it must not be there.
grep -q '^Hidden=' "$desktop" && fail "the autostart entry has Hidden=" || pass
grep -q '^Name\[vi\]=.*ký số' "$desktop" && pass || fail "the Vietnamese name"
cmp -s "$desktop" "$SRC/cli/serve/vbsig-serve.desktop" && pass || fail "the installed entry is not the repository's"

# The Debian package ships both.
inst="$SRC/debian/vbsig.install"
grep -qx 'usr/lib/systemd/user/vbsig-serve.service' "$inst" && pass || fail "debian/vbsig.install lacks the unit"
grep -qx 'etc/xdg/autostart/vbsig-serve.desktop' "$inst" && pass || fail "debian/vbsig.install lacks the autostart entry"
finish
