#!/bin/sh
# Saved exports (dmcombine-assemble.service restores them at boot): export
# saves what it made beside the map (NAME.exports: fabric, iSCSI portal,
# initiators, CHAP user and password file, never the password); remove
# keeps it; export --all makes every saved export of an active device
# again, with the same identity, and leaves live ones alone; a device not
# active fails export --all with one line while the others are restored;
# a refused export saves nothing; unexport and remove --forget forget.
# map and status show the saved exports (text and JSON). --dry-run of
# export, export --all, unexport and assemble prints the configfs objects,
# the saved exports and the table and changes nothing; --json of each.
. /tests/lib.sh
. /tests/tool.sh
. /tests/export.sh
need_module

iscsi_setup chap-secret-5616
saved=$config_dir/vm1.exports
echo "$secret" >/tmp/chap
chmod 600 /tmp/chap

# export --dry-run: the configfs objects and the saved exports; nothing made.
dmc export vm1 --dry-run >/tmp/dry 2>/tmp/err || fail "export --dry-run: $(cat /tmp/err)"
grep -q "^dry run: export vm1 over loopback, nothing changed$" /tmp/dry &&
	grep -q "^configfs: $lio/core/iblock_[0-9]*/dmcombine-vm1 (udev_path /dev/mapper/vm1, serial $uuid) would be made$" /tmp/dry &&
	grep -q "^configfs: $lio/loopback/naa\.[0-9a-f]*/tpgt_1/lun/lun_0/dmcombine -> $lio/core/iblock_[0-9]*/dmcombine-vm1 would be made$" /tmp/dry &&
	grep -q "^saved exports: $config_dir/vm1.exports would be saved as:$" /tmp/dry ||
	fail "export --dry-run: $(cat /tmp/dry)"
dmc export vm1 --dry-run --json | jq -e '.schema == 1 and .command == "export" and
	.dry_run == true and .done == null and .exports == [] and
	.saved_exports == [{fabric: "loopback"}] and (.configfs | length) >= 5' >/dev/null ||
	fail "export --dry-run --json: $(dmc export vm1 --dry-run --json)"
tree_is /tmp/tree.before "after export --dry-run"
[ ! -e "$saved" ] || fail "export --dry-run saved $saved"
dmc map vm1 | grep -q "saved export" && fail "map shows a saved export before any: $(dmc map vm1)"
dmc map vm1 --json | jq -e '.saved_exports == []' >/dev/null || fail "map --json, nothing saved"

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

# map and status show them, as saved.
dmc map vm1 >/tmp/map.txt || fail "map"
grep -qx "saved export over loopback, made again at boot" /tmp/map.txt &&
	grep -qx "saved export over iscsi, made again at boot, portal $portal, 1 initiators, CHAP user guest" /tmp/map.txt ||
	fail "map text: $(cat /tmp/map.txt)"
dmc status vm1 | grep -qx "saved export over loopback, made again at boot" || fail "status text: $(dmc status vm1)"
for command in map status; do
	dmc $command vm1 --json | jq -e --slurpfile f "$saved" '.saved_exports == $f[0].exports and
		(.exports | length) == 2' >/dev/null || fail "$command --json: $(dmc $command vm1 --json)"
done
# A dry run over a fabric already exported is refused as the export is.
one_line dmc export vm1 --dry-run | grep -q "already exported over loopback" ||
	fail "export --dry-run, exported: $(cat /tmp/one_line.err)"

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
dmc assemble vm1 --dry-run >/tmp/dry || fail "assemble --dry-run"
grep -q "^table: 0 [0-9]* combine " /tmp/dry || fail "assemble --dry-run: $(cat /tmp/dry)"
! dmsetup info vm1 >/dev/null 2>&1 || fail "assemble --dry-run made the device"
! losetup -a | grep -q alpha.img || fail "assemble --dry-run left a loop device: $(losetup -a)"
dmc assemble vm1 vm2 --dry-run --json | jq -e '.dry_run == true and
	[.devices[] | [.name, .done, (.table | type)]] == [["vm1", null, "string"], ["vm2", null, "null"]]' \
	>/dev/null || fail "assemble --dry-run --json: $(dmc assemble vm1 vm2 --dry-run --json)"
dmc assemble vm1 || fail "assemble vm1"
lio_tree >/tmp/tree.assembled
dmc export --all --dry-run >/tmp/dry || fail "export --all --dry-run"
grep -qx "vm1: would be exported over loopback" /tmp/dry && grep -qx "vm1: would be exported over iscsi" /tmp/dry &&
	! grep -q "^vm2:" /tmp/dry || fail "export --all --dry-run: $(cat /tmp/dry)"
tree_is /tmp/tree.assembled "after export --all --dry-run"
dmc export --all --json >/tmp/all.json || fail "export --all"
jq -e '.dry_run == false and
	([.devices[] | select(.name == "vm1") | .done, [.exports[].fabric]] == ["exported", ["loopback", "iscsi"]]) and
	([.devices[] | select(.name == "vm2") | .done] == ["nothing to export"])' /tmp/all.json >/dev/null ||
	fail "export --all --json: $(cat /tmp/all.json)"
disk=$(dmc map vm1 --json | jq -r '.exports[] | select(.fabric == "loopback") | .disk')
[ -b "$disk" ] || fail "no loopback disk after export --all: $(dmc map vm1 --json | jq -c .exports)"
[ "$(cat "/sys/block/${disk#/dev/}/device/wwid")" = "$wwid" ] || fail "identity changed after export --all"
auth=$lio/iscsi/iqn.2003-01.org.linux-iscsi.dmcombine:$uuid/tpgt_1/acls/$allowed/auth
[ "$(cat "$auth/password")" = "$secret" ] || fail "CHAP password not restored"
echo "export --all: loopback $disk (wwid $wwid) and iscsi with CHAP made again"

# A saved password file that went away: export --all says so.
lio_tree >/tmp/tree.exported
dmc unexport vm2 --dry-run >/tmp/dry || fail "unexport --dry-run"
grep -q "^configfs: the export over loopback as naa\.[0-9a-f]* and its backstore would be removed$" /tmp/dry &&
	grep -qx "saved exports: $config_dir/vm2.exports would be deleted" /tmp/dry ||
	fail "unexport --dry-run: $(cat /tmp/dry)"
dmc unexport vm2 --dry-run --json | jq -e '.dry_run == true and .done == null and
	.saved_exports_deleted == true and [.exports[].fabric] == ["loopback"]' >/dev/null ||
	fail "unexport --dry-run --json: $(dmc unexport vm2 --dry-run --json)"
tree_is /tmp/tree.exported "after unexport --dry-run"
[ -e "$config_dir/vm2.exports" ] || fail "unexport --dry-run deleted the saved exports"
dmc unexport vm2 --json | jq -e '.done == "unexported" and .saved_exports_deleted == true' >/dev/null ||
	fail "unexport vm2"
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
