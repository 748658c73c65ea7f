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
# Names from the GPT itself: lsblk's PARTLABEL comes from udev, which the
# guest does not run.
lsblk -rno NAME,TYPE "$disk" | awk '$2 == "part" { print $1 }' >/tmp/parts ||
	fail "lsblk $disk"
for part in $(cat /tmp/parts); do
	echo "$part $(blkid -p -o value -s PART_ENTRY_NAME "/dev/$part")"
done >/tmp/names
[ "$(cut -d' ' -f2 /tmp/names | tr '\n' ' ')" = "alpha beta gamma " ] ||
	fail "partitions of $disk: $(cat /tmp/names)"
for id in alpha beta gamma; do
	part=/dev/$(awk -v id="$id" '$2 == id { print $1 }' /tmp/names)
	[ "$(blkid -o value -s LABEL "$part")" = "$id" ] || fail "$part holds no file system $id"
	[ "$(sectors_of "$part")" = "$(volume_field vm1 "$id" length)" ] ||
		fail "$part: $(sectors_of "$part") sectors, volume $id $(volume_field vm1 "$id" length)"
done
dmc remove --force --yes --forget vm1 || fail "remove --force failed"
no_trace vm1
lio_stop tcm_loop
