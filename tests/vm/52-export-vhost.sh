#!/bin/sh
# dmcombine export --fabric vhost: the configfs tree is what QEMU's
# vhost-scsi-pci (wwpn=) and libvirt's <hostdev type='scsi_host'> need: a
# vhost target named by the printed WWPN, TPG 1 with an I_T nexus, LUN 0
# linked to the iblock backstore on /dev/mapper/NAME, and /dev/vhost-scsi
# to open.  Loopback and vhost exports of one device share the backstore;
# unexport takes both back and leaves configfs as it was.
. /tests/lib.sh
. /tests/tool.sh
. /tests/export.sh
need_module

export_setup
wwpn=naa.5001405$(echo "$hex" | cut -c1-9)

dmc export vm1 --fabric vhost >/tmp/out || fail "export --fabric vhost failed"
grep -qx "QEMU:    -device vhost-scsi-pci,wwpn=$wwpn" /tmp/out || fail "QEMU line: $(cat /tmp/out)"
grep -q "<source protocol='vhost' wwpn='$wwpn'/>" /tmp/out || fail "libvirt snippet: $(cat /tmp/out)"
grep -q "<hostdev mode='subsystem' type='scsi_host' managed='no'>" /tmp/out ||
	fail "libvirt snippet: $(cat /tmp/out)"

tpg=$lio/vhost/$wwpn/tpgt_1
[ -d "$tpg" ] || fail "no $tpg"
[ "$(ls "$lio/vhost" | grep -c '^naa\.')" = 1 ] || fail "targets: $(ls "$lio/vhost")"
[ "$(cat "$tpg/nexus")" = "naa.5001405$(echo "$hex" | cut -c10-18)" ] ||
	fail "nexus: '$(cat "$tpg/nexus")'"
link=$(find "$tpg/lun/lun_0" -maxdepth 1 -type l)
[ -n "$link" ] || fail "LUN 0 links to no backstore"
so=$(readlink -f "$link")
case $so in
"$lio"/core/iblock_*/dmcombine-vm1) ;;
*) fail "LUN 0 links to $so" ;;
esac
[ "$(cat "$so/udev_path")" = /dev/mapper/vm1 ] || fail "udev_path $(cat "$so/udev_path")"
grep -q "T10 VPD Unit Serial Number: $uuid" "$so/wwn/vpd_unit_serial" ||
	fail "serial: $(cat "$so/wwn/vpd_unit_serial")"
[ "$(cat "$so/enable")" = 1 ] || fail "backstore not enabled"
[ -c /dev/vhost-scsi ] || fail "no /dev/vhost-scsi for QEMU to open"
dmc map vm1 --json | jq -e --arg w "$wwpn" '.exports == [{fabric: "vhost", wwn: $w, disk: null}]' \
	>/dev/null || fail "map --json exports: $(dmc map vm1 --json | jq -c .exports)"

# Also over loopback: one backstore, two exports, both taken back.
disk=$(dmc export vm1) || fail "loopback export besides vhost failed"
[ "$(ls -d "$lio"/core/iblock_*/dmcombine-vm1 | wc -l)" = 1 ] || fail "two backstores"
dmc status vm1 --json | jq -e '[.exports[].fabric] == ["loopback", "vhost"]' >/dev/null ||
	fail "status --json exports: $(dmc status vm1 --json | jq -c .exports)"
dmc unexport vm1 || fail "unexport failed"
[ ! -e "/sys/block/${disk#/dev/}" ] || fail "$disk still there after unexport"
tree_is /tmp/tree.before "after unexport"
dmc remove --forget vm1 || fail "remove failed"
no_trace vm1
lio_stop vhost_scsi vhost vhost_iotlb tcm_loop
