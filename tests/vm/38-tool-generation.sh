#!/bin/sh
# Generations (dmcombine(8), GENERATIONS) and the facts member --udev gives
# udev, without udev: every save of a map increments its generation, the
# generation a device runs is recorded in /run and forgotten at remove; a
# device running an older one is assembled again from the map when nothing
# has it open and reported STALE (assemble, status and map fail) while it
# is open, and assemble --dry-run says which it would do to one whose live
# table is the older layout; an initramfs record holding another copy makes drop and
# remove --forget say to regenerate the image; member --udev says
# DMCOMBINE_COMPLETE only when every volume is present (an online marker
# counts only while its device exists), DMCOMBINE_SIGNATURE only for the
# volume a concat device begins with, and every volume's DMCOMBINE_LINKS,
# its links without those made from what the guest wrote on it.
. /tests/lib.sh
. /tests/tool.sh
need_module

a=$(nullb_create gena 16 memory_backed=1)
b=$(nullb_create genb 16 memory_backed=1)
c=$(nullb_create genc 16 memory_backed=1)
record=/run/dmcombine/generation/vm1
images=/var/lib/dmcombine/initramfs
generation() { jq -r .generation "$config_dir/vm1.json"; }
running() { cut -d' ' -f2 "$record"; }

dmc create --layout concat vm1 a="$a" b="$b" || fail "create"
uuid=$(jq -r .uuid "$config_dir/vm1.json")
[ "$(generation)" = 1 ] || fail "created as generation $(generation)"
[ "$(running)" = 1 ] || fail "runs generation $(running)"

dmc member --udev "$a" >/tmp/props || fail "member --udev $a"
grep -qx DMCOMBINE_COMPLETE=1 /tmp/props || fail "a: not complete: $(cat /tmp/props)"
grep -qx DMCOMBINE_SIGNATURE=1 /tmp/props || fail "a: no DMCOMBINE_SIGNATURE"
grep -qx DMCOMBINE_UNIT=dmcombine-assemble-vm1 /tmp/props || fail "a: no DMCOMBINE_UNIT"
# The links udev gave, without those made from contents (the rules'
# SYMLINK=); a is a whole disk, so a partition entry's are the guest's too.
dmc member --udev "$a" /dev/disk/by-id/wwn-0x1 /dev/disk/by-uuid/u-1 /dev/disk/by-label/l_1 \
	/dev/disk/by-partuuid/p-1 /dev/disk/by-id/lvm-pv-uuid-x >/tmp/props || fail "member --udev $a LINK..."
grep -qx 'DMCOMBINE_LINKS=disk/by-id/wwn-0x1' /tmp/props ||
	fail "a: links $(grep DMCOMBINE_LINKS /tmp/props)"
dmc member --udev "$b" /dev/disk/by-label/l_2 /dev/disk/by-id/wwn-0x2 >/tmp/props || fail "member --udev $b"
! grep -q 'DMCOMBINE_SIGNATURE' /tmp/props || fail "b carries no signature of vm1"
grep -qx 'DMCOMBINE_LINKS=disk/by-id/wwn-0x2' /tmp/props ||
	fail "b: links $(grep DMCOMBINE_LINKS /tmp/props)"
dmc remove vm1 || fail "remove"
[ ! -e "$record" ] || fail "the record outlived the device"
# b gone: its marker from the run above no longer counts.
echo 0 >/sys/kernel/config/nullb/genb/power
dmc member --udev "$a" >/tmp/props || fail "member --udev $a with b away"
! grep -q DMCOMBINE_COMPLETE /tmp/props || fail "complete with b away"
echo 1 >/sys/kernel/config/nullb/genb/power
dmc assemble vm1 || fail "assemble"
[ "$(running)" = 1 ] || fail "assembled, runs generation $(running)"

dmc add vm1 c="$c" || fail "add"
[ "$(generation)" = 2 ] && [ "$(running)" = 2 ] || fail "after add: $(generation), running $(running)"
mkdir -p "$images"
echo "vm1 $uuid 2" >"$images/initrd.img-test"
dmc drop vm1 c 2>/tmp/drop.err || fail "drop"
grep -q 'initramfs initrd.img-test holds generation 2 .*regenerate' /tmp/drop.err ||
	fail "drop did not say to regenerate: $(cat /tmp/drop.err)"
[ "$(generation)" = 3 ] && [ "$(running)" = 3 ] || fail "after drop: $(generation), running $(running)"

# As if the initramfs had assembled generation 1: open, it stays and is reported.
echo "$uuid 1" >"$record"
exec 3</dev/mapper/vm1
dmc status vm1 >/tmp/status.out 2>&1 && fail "status of a stale device succeeded"
grep -q 'STALE: runs generation 1 of its map, the saved map is generation 3' /tmp/status.out ||
	fail "status: $(cat /tmp/status.out)"
dmc map vm1 >/dev/null 2>&1 && fail "map of a stale device succeeded"
dmc assemble vm1 2>/tmp/assemble.err && fail "assemble of an open stale device succeeded"
grep -q 'STALE: .*is not applied: the device is in use' /tmp/assemble.err ||
	fail "assemble: $(cat /tmp/assemble.err)"
dmsetup info vm1 >/dev/null 2>&1 || fail "the open stale device was removed"
exec 3<&-
# Unused: assembled again from the current map.
dmc assemble vm1 2>/tmp/assemble.err || fail "assemble of an unused stale device: $(cat /tmp/assemble.err)"
grep -q 'was running generation 1 of its map: assembled again from generation 3' /tmp/assemble.err ||
	fail "assemble said: $(cat /tmp/assemble.err)"
[ "$(running)" = 3 ] || fail "reassembled, runs generation $(running)"
dmc status vm1 >/dev/null || fail "status after reassembly"
# A map older than the running device (restored from a backup) is not applied.
echo "$uuid 9" >"$record"
dmc assemble vm1 2>/tmp/assemble.err && fail "assemble with an older saved map succeeded"
grep -q 'older than the running device' /tmp/assemble.err || fail "assemble: $(cat /tmp/assemble.err)"
echo "$uuid 3" >"$record"

# A device running an older layout (as from an initramfs's copy of the map):
# generation 3 (a, b, the hole c left) live, the saved map generation 4
# (c added again after the hole).
# assemble --dry-run says what assemble would do and changes nothing.
old_maps=$(mktemp -d)
cp "$config_dir/vm1.json" "$old_maps/"
dmc add vm1 c="$c" 2>/dev/null || fail "add c again"
dmc remove vm1 || fail "remove before the stale device"
dmcombine --config-dir "$old_maps" assemble vm1 || fail "assemble generation 3"
[ "$(running)" = 3 ] && [ "$(generation)" = 4 ] || fail "stale: runs $(running), saved $(generation)"
dmsetup table vm1 >/tmp/table.stale
dmc assemble vm1 --dry-run >/tmp/dry 2>/tmp/dry.err ||
	fail "assemble --dry-run of an unused stale device: $(cat /tmp/dry.err)"
grep -q 'runs generation 3 of its map: assemble removes it and makes it again from generation 4' \
	/tmp/dry.err || fail "assemble --dry-run said: $(cat /tmp/dry.err)"
# The saved map's table, c's new region included (the stale device holds a and b).
c_devno=$(printf '%d:%d' "0x$(stat -Lc %t "$c")" "0x$(stat -Lc %T "$c")")
grep -q "^table: 0 [0-9]* combine 0 4 .* - 0 [0-9]* $c_devno 0\$" /tmp/dry ||
	fail "assemble --dry-run of a stale device: $(cat /tmp/dry)"
dmc assemble vm1 --dry-run --latency --json | jq -e '.dry_run == true and
	.devices[0].done == null and (.devices[0].table | test("^0 [0-9]+ combine 1 latency 4 "))' \
	>/dev/null || fail "assemble --dry-run --latency --json of a stale device: $(
		dmc assemble vm1 --dry-run --latency --json 2>&1)"
exec 3</dev/mapper/vm1
dmc assemble vm1 --dry-run >/tmp/dry 2>&1 && fail "assemble --dry-run of an open stale device succeeded"
grep -q 'STALE: runs generation 3 .*is not applied: the device is in use' /tmp/dry ||
	fail "assemble --dry-run of an open stale device: $(cat /tmp/dry)"
exec 3<&-
dmsetup table vm1 | cmp -s - /tmp/table.stale || fail "assemble --dry-run changed the stale table"
[ "$(running)" = 3 ] || fail "assemble --dry-run changed the record: $(running)"
dmc assemble vm1 2>/dev/null || fail "assemble of the stale device"
[ "$(running)" = 4 ] && [ "$(table_regions vm1)" = 4 ] ||
	fail "reassembled: runs $(running), $(table_regions vm1) regions"
rm -rf "$old_maps"

dmc remove vm1 --forget 2>/tmp/forget.err || fail "remove --forget"
grep -q 'initrd.img-test holds generation 2 .*regenerate' /tmp/forget.err ||
	fail "remove --forget did not say to regenerate: $(cat /tmp/forget.err)"
rm -rf "$images"
for n in gena genb genc; do
	nullb_remove "$n"
done
