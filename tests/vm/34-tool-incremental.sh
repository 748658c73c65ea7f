#!/bin/sh
# The tool's side of udev assembly, without udev: `member` names the device
# and volume a block device is (by path or by file system UUID), and
# `assemble --incremental` waits until the last volume is present, creates
# the device once, and exits 0 for devices that are waiting, active or
# nobody's, also when ten invocations race; a partition of a whole-disk
# volume is marked for udev to hide, a volume that is a host's partition
# keeps its partition links.
. /tests/lib.sh
. /tests/tool.sh
need_module

a=$(nullb_create inca 16 memory_backed=1)
b=$(nullb_create incb 16 memory_backed=1)
other=$(nullb_create incother 16 memory_backed=1)
mke2fs -q -L incb "$b" >/dev/null 2>&1 || fail "mke2fs"
dmc create vm1 a="$a" b="$b" || fail "create"
dmc map vm1 --json | jq -r '.volumes[].source' >/dev/null || fail "map"
dmc remove vm1 || fail "remove"

[ "$(dmc member "$a")" = "vm1 a" ] || fail "member $a: $(dmc member "$a")"
dmc member --udev "$b" >/tmp/props || fail "member --udev $b"
for want in ID_DMCOMBINE_MEMBER=1 DMCOMBINE_NAME=vm1 DMCOMBINE_VOLUME=b; do
	grep -qx "$want" /tmp/props || fail "member --udev $b: no $want in $(cat /tmp/props)"
done
[ -z "$(dmc member --udev "$other")" ] || fail "$other is nobody's volume"
# Through a symlink: saved paths are compared by device number too.
ln -s "$a" /tmp/link-a
[ "$(dmc member /tmp/link-a)" = "vm1 a" ] || fail "a by a link"

# b is away: a's event waits, b's return assembles.
echo 0 >/sys/kernel/config/nullb/incb/power
dmc assemble --incremental "$a" || fail "incremental with b away failed"
! dmsetup info vm1 >/dev/null 2>&1 || fail "assembled without b"
echo 1 >/sys/kernel/config/nullb/incb/power
dmc assemble --incremental "$b" || fail "incremental for the last volume failed"
dmsetup info vm1 >/dev/null 2>&1 || fail "not assembled when b came back"
dmc assemble --incremental "$a" || fail "incremental on an active device failed"
dmc assemble --incremental "$other" || fail "incremental on nobody's volume failed"

# Ten at once: every one exits 0, one device.
dmc remove vm1 || fail "remove"
pids=
for _ in 1 2 3 4 5; do
	dmc assemble --incremental "$a" & pids="$pids $!"
	dmc assemble --incremental "$b" & pids="$pids $!"
done
for pid in $pids; do
	wait "$pid" || fail "a racing assemble --incremental failed"
done
[ "$(dmsetup ls | grep -c '^vm1[[:space:]]')" = 1 ] || fail "devices: $(dmsetup ls)"

dmc remove vm1 --forget || fail "remove --forget"

# Partitions: one of a host's disk as a volume keeps its table's links
# (the host's); one of a whole-disk volume (the table the guest wrote) is
# marked DMCOMBINE_VOLUME_PARTITION for the rules to hide, and is no volume.
sd=$(scsi_debug_load dev_size_mb=8)
sgdisk -n 1:2048:+2M -n 2:0:+2M "$sd" >/dev/null 2>&1 || fail "sgdisk"
partx -a "$sd" 2>/dev/null || true
for _ in 1 2 3 4 5; do [ -b "${sd}2" ] || sleep 1; done
[ -b "${sd}2" ] || fail "no ${sd}2"
dmc create hp --layout concat "${sd}2" 2>/dev/null || fail "create over a partition"
dmc member --udev "${sd}2" /dev/disk/by-partuuid/p-2 /dev/disk/by-uuid/u-2 >/tmp/props ||
	fail "member --udev ${sd}2"
grep -qx ID_DMCOMBINE_MEMBER=1 /tmp/props && grep -qx 'DMCOMBINE_LINKS=disk/by-partuuid/p-2' /tmp/props ||
	fail "a host's partition as a volume: $(cat /tmp/props)"
dmc remove --forget hp || fail "remove --forget hp"
dmc create whole --layout concat "$sd" 2>/dev/null || fail "create over the disk"
dmc member --udev "${sd}1" /dev/disk/by-partuuid/p-1 >/tmp/props || fail "member --udev ${sd}1"
grep -qx DMCOMBINE_VOLUME_PARTITION=1 /tmp/props && grep -qx DMCOMBINE_NAME=whole /tmp/props &&
	! grep -q 'ID_DMCOMBINE_MEMBER\|COMPLETE\|DMCOMBINE_LINKS' /tmp/props ||
	fail "a partition of a volume: $(cat /tmp/props)"
dmc assemble --incremental "${sd}1" || fail "incremental on a volume's partition"
[ "$(dmc member "${sd}1")" = "" ] || fail "a volume's partition is a member: $(dmc member "${sd}1")"
dmc remove --forget whole || fail "remove --forget whole"
rmmod scsi_debug

for n in inca incb incother; do
	nullb_remove "$n"
done
rm -f /tmp/link-a
