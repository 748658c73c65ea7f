#!/bin/sh
# The exported disk of a device with the gpt layout (the default once it
# exists): over loopback the host sees one partition per volume, in map
# order, named by the volume IDs, each holding the volume's file system.
# Skipped while dmcombine has no gpt layout.
. /tests/lib.sh
. /tests/tool.sh
. /tests/export.sh
need_module
need_gpt_layout

export_setup
disk=$(dmc export vm1) || fail "export failed"
lsblk -rno NAME,TYPE,PARTLABEL "$disk" >/tmp/lsblk || fail "lsblk $disk"
[ "$(awk '$2 == "part" { print $3 }' /tmp/lsblk | tr '\n' ' ')" = "alpha beta gamma " ] ||
	fail "partitions of $disk: $(cat /tmp/lsblk)"
for id in alpha beta gamma; do
	part=/dev/$(awk -v id="$id" '$3 == id { print $1 }' /tmp/lsblk)
	[ "$(blkid -o value -s LABEL "$part")" = "$id" ] || fail "$part holds no file system $id"
	[ "$(sectors_of "$part")" = "$(volume_field vm1 "$id" length)" ] ||
		fail "$part: $(sectors_of "$part") sectors, volume $id $(volume_field vm1 "$id" length)"
done
dmc remove --force --forget vm1 || fail "remove --force failed"
no_trace vm1
lio_stop tcm_loop
