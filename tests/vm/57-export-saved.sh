#!/bin/sh
# Saved exports (dmcombine-assemble.service restores them at boot): export
# saves what it made beside the map (NAME.exports: fabric, iSCSI portal,
# initiators, CHAP user and password file, never the password); remove
# keeps it; export --all makes every saved export of an active device
# again, with the same identity, and leaves live ones alone; a device not
# active fails export --all with one line while the others are restored;
# a refused export saves nothing; unexport and remove --forget forget.
. /tests/lib.sh
. /tests/tool.sh
. /tests/export.sh
need_module

iscsi_setup chap-secret-5616
saved=$config_dir/vm1.exports
echo "$secret" >/tmp/chap
chmod 600 /tmp/chap

disk=$(dmc export vm1) || fail "export over loopback"
wwid=$(cat "/sys/block/${disk#/dev/}/device/wwid")
dmc export vm1 --fabric iscsi --portal "$portal" --initiator "$allowed" \
	--chap-user guest --chap-password-file /tmp/chap >/dev/null || fail "export over iscsi"
jq -e --arg p "$portal" --arg i "$allowed" '.format == 1 and
	.exports == [{fabric: "loopback"}, {fabric: "iscsi", portal: $p, initiators: [$i],
		      chap_user: "guest", chap_password_file: "/tmp/chap"}]' "$saved" >/dev/null ||
	fail "saved exports: $(cat "$saved")"
! grep -q "$secret" "$saved" || fail "the CHAP password is in $saved"
[ "$(stat -c %a "$saved")" = 600 ] || fail "$saved has mode $(stat -c %a "$saved")"
echo "saved: $(jq -c .exports "$saved")"

# A refused export (already exported over loopback) leaves the file as it was.
cp "$saved" /tmp/saved.before
one_line dmc export vm1 | grep -q "already exported over loopback" ||
	fail "second export: $(cat /tmp/one_line.err)"
cmp -s "$saved" /tmp/saved.before || fail "a refused export changed $saved"

# Live exports are left alone.
lio_tree >/tmp/tree.exported
dmc export --all || fail "export --all with everything live"
tree_is /tmp/tree.exported "after export --all with everything live"

# remove --force takes the exports down and keeps them saved; after
# assemble, export --all makes both again, with the same identity.
dmc remove --force --yes vm1 || fail "remove --force"
cmp -s "$saved" /tmp/saved.before || fail "remove changed $saved"
# Not active: said in one line, and another device is still restored.
image /tmp/delta.img 4 delta
dmc create vm2 /tmp/delta.img || fail "create vm2"
dmc export vm2 >/dev/null || fail "export vm2"
dmc remove --force --yes vm2 || fail "remove --force vm2"
dmc assemble vm2 || fail "assemble vm2"
dmc -q export --all 2>/tmp/all.err && fail "export --all with vm1 not active succeeded"
grep -q "^dmcombine: vm1: not active" /tmp/all.err || fail "export --all, vm1 not active: $(cat /tmp/all.err)"
[ "$(grep -c '^dmcombine: ' /tmp/all.err)" = 1 ] || fail "more than one error: $(cat /tmp/all.err)"
[ -n "$(dmc map vm2 --json | jq -r '.exports[].disk')" ] || fail "vm2 not exported again beside the inactive vm1"
dmc assemble vm1 || fail "assemble vm1"
dmc export --all || fail "export --all"
disk=$(dmc map vm1 --json | jq -r '.exports[] | select(.fabric == "loopback") | .disk')
[ -b "$disk" ] || fail "no loopback disk after export --all: $(dmc map vm1 --json | jq -c .exports)"
[ "$(cat "/sys/block/${disk#/dev/}/device/wwid")" = "$wwid" ] || fail "identity changed after export --all"
auth=$lio/iscsi/iqn.2003-01.org.linux-iscsi.dmcombine:$uuid/tpgt_1/acls/$allowed/auth
[ "$(cat "$auth/password")" = "$secret" ] || fail "CHAP password not restored"
echo "export --all: loopback $disk (wwid $wwid) and iscsi with CHAP made again"

# A saved password file that went away: export --all says so.
dmc unexport vm2 || fail "unexport vm2"
dmc remove --force --yes vm1 || fail "remove --force vm1"
dmc assemble vm1 || fail "assemble vm1"
mv /tmp/chap /tmp/chap.gone
dmc export --all 2>/tmp/all.err && fail "export --all without the password file succeeded: $(cat /tmp/all.err; ls -l /tmp/chap*; cat "$saved")"
grep -q "/tmp/chap" /tmp/all.err || fail "export --all without the password file: $(cat /tmp/all.err)"
[ -n "$(dmc map vm1 --json | jq -r '.exports[] | select(.fabric == "loopback") | .disk')" ] ||
	fail "loopback not restored beside the failing iscsi export"
mv /tmp/chap.gone /tmp/chap

# A corrupt file: one clear line naming it.
dmc unexport vm1 || fail "unexport vm1"
echo '{"format": 1, "exports": [{"fabric": "token-ring"}]}' >"$saved"
one_line dmc export --all | grep -q "vm1.exports is corrupt" || fail "corrupt file: $(cat /tmp/one_line.err)"

# unexport forgets; export --all then makes nothing.
dmc unexport vm1 || fail "unexport"
[ ! -e "$saved" ] || fail "unexport left $saved"
tree_is /tmp/tree.before "after unexport"
dmc export --all || fail "export --all with nothing saved"
tree_is /tmp/tree.before "after export --all with nothing saved"

# remove --forget forgets too.
dmc export vm1 >/dev/null || fail "export"
dmc remove --force --yes --forget vm1 || fail "remove --force --forget"
[ ! -e "$saved" ] || fail "remove --forget left $saved"
dmc remove --forget vm2 || fail "remove vm2"
[ -z "$(ls "$config_dir")" ] || fail "left in the registry: $(ls -a "$config_dir")"
no_trace vm1
rm -f /tmp/chap /tmp/delta.img
lio_stop tcm_loop iscsi_target_mod
ip link set lo down
