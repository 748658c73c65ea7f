#!/bin/sh
# dmcombine export over tcm_loop: the host sees one SCSI disk whose size and
# bytes are the combined device's, with the UUID as unit serial and NAA
# designator, vendor LIO-ORG, product dmcombine; map and status show the
# export; the disk grows after add and a rescan; export again gives the
# same identity; remove refuses an exported device unless --force;
# unexport leaves configfs exactly as it was.
. /tests/lib.sh
. /tests/tool.sh
. /tests/export.sh
need_module

export_setup
# The last 4 KiB of alpha and of gamma, away from their file systems.
alpha_end=$(($(volume_field vm1 alpha start) + $(volume_field vm1 alpha length) - 8))
gamma_end=$(($(volume_field vm1 gamma start) + $(volume_field vm1 gamma length) - 8))
stamp /dev/mapper/vm1 "$alpha_end" end-of-alpha

disk=$(dmc export vm1) || fail "export failed"
[ -b "$disk" ] || fail "export printed '$disk', not a block device"
size=$(sectors_of /dev/mapper/vm1)
[ "$(sectors_of "$disk")" = "$size" ] ||
	fail "$disk has $(sectors_of "$disk") sectors, vm1 $size"
[ "$(md5_range "$disk" 0 "$size")" = "$(md5_range /dev/mapper/vm1 0 "$size")" ] ||
	fail "$disk and vm1 differ"
[ "$(stamp_of "$disk" "$alpha_end")" = end-of-alpha ] || fail "stamp not read through $disk"
stamp "$disk" "$gamma_end" through-scsi
[ "$(stamp_of /dev/mapper/vm1 "$gamma_end")" = through-scsi ] || fail "write through $disk lost"

# Identity: VPD 0x80 is the UUID; LIO makes the NAA designator of 0x83
# from its hex digits (IEEE OUI 00:14:05, then 25 digits).
naa=6001405$(echo "$hex" | cut -c1-25)
sg_inq "$disk" >/tmp/inq || fail "sg_inq $disk"
grep -q "Vendor identification: LIO-ORG" /tmp/inq || fail "vendor: $(cat /tmp/inq)"
grep -q "Product identification: dmcombine" /tmp/inq || fail "product: $(cat /tmp/inq)"
grep -q "Unit serial number: $uuid" /tmp/inq || fail "serial: $(cat /tmp/inq)"
sg_inq -p 0x83 "$disk" | tr -d ' ' | grep -qi "0x$naa" ||
	fail "no NAA 0x$naa in $(sg_inq -p 0x83 "$disk")"
sysdisk=/sys/block/${disk#/dev/}
[ "$(cat "$sysdisk/device/wwid")" = "naa.$naa" ] ||
	fail "wwid $(cat "$sysdisk/device/wwid"), not naa.$naa"

# map and status show it, from configfs alone.
dmc map vm1 --json | jq -e --arg d "$disk" --arg w "naa.5001405$(echo "$hex" | cut -c1-9)" '
	.exports == [{fabric: "loopback", wwn: $w, disk: $d}]' >/dev/null ||
	fail "map --json exports: $(dmc map vm1 --json | jq -c .exports)"
dmc status vm1 --json | jq -e '.exports | length == 1' >/dev/null ||
	fail "status --json: $(dmc status vm1 --json | jq -c .exports)"
dmc status vm1 | grep -q "^exported over loopback as naa.* disk $disk" ||
	fail "status text: $(dmc status vm1)"

# Refusals change nothing: a second export over loopback, remove.
lio_tree >/tmp/tree.exported
one_line dmc export vm1 | grep -q "already exported over loopback" ||
	fail "second export: $(cat /tmp/one_line.err)"
one_line dmc remove vm1 | grep -q "exported over loopback" ||
	fail "remove: $(cat /tmp/one_line.err)"
tree_is /tmp/tree.exported "after a refusal"
[ -b /dev/mapper/vm1 ] || fail "remove took vm1 away"

# The LUN reports the new capacity after add; the initiator rescans.
image /tmp/delta.img 4 delta
dmc add vm1 /tmp/delta.img || fail "add failed"
echo 1 >"$sysdisk/device/rescan"
[ "$(sectors_of "$disk")" = "$(sectors_of /dev/mapper/vm1)" ] ||
	fail "after add and rescan $disk has $(sectors_of "$disk") sectors, vm1 $(sectors_of /dev/mapper/vm1)"

# Unexport: the disk goes, configfs is as before; export again: same identity.
dmc unexport vm1 || fail "unexport failed"
[ ! -e "$sysdisk" ] || fail "$disk still there after unexport"
tree_is /tmp/tree.before "after unexport"
dmc map vm1 --json | jq -e '.exports == []' >/dev/null || fail "exports after unexport"
dmc unexport vm1 || fail "unexport of an unexported device is not a no-op"
disk=$(dmc export vm1) || fail "export again failed"
[ "$(cat "/sys/block/${disk#/dev/}/device/wwid")" = "naa.$naa" ] || fail "identity changed on re-export"
sg_inq "$disk" | grep -q "Unit serial number: $uuid" || fail "serial changed on re-export"

# remove --force unexports first.
dmc remove --force --yes --forget vm1 || fail "remove --force failed"
[ ! -e "/sys/block/${disk#/dev/}" ] || fail "$disk still there after remove --force"
tree_is /tmp/tree.before "after remove --force"
no_trace vm1
lio_stop tcm_loop
