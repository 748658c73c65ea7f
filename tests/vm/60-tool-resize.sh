#!/bin/sh
# resize: volumes that grew underneath (a dm-linear "LV" reloaded larger,
# an image file made longer) get their new size and nothing else moves.
# gpt with --headroom: a middle volume grows into its reserve (map shows
# it), its partition grows in the guest's view (a loop device with
# partition scanning over the device, rescanned with losetup -c and
# partx -u) and the device keeps its size; more than the room, and a
# shrink, are refused with one line and change nothing; the last volume
# grows past the end, the device grows and the backup GPT moves (sgdisk -v
# clean). assemble of a map whose volume grew keeps the old size and says
# how to resize. concat: only the last volume grows; --headroom is
# refused. A kill of resize before or after the resume is settled by the
# next command. Data stays where it was throughout.
. /tests/lib.sh
. /tests/tool.sh
need_module

brd_load 1 131072

# lv NAME OFFSET SECTORS: dm-linear NAME over /dev/ram0 from OFFSET, made
# or reloaded (grown or shrunk) to SECTORS, as lvextend does.
lv() {
	if dmsetup info "$1" >/dev/null 2>&1; then
		dmsetup reload "$1" --table "0 $3 linear /dev/ram0 $2" && dmsetup resume "$1"
	else
		dmsetup create "$1" -u "LVM-test$1" --table "0 $3 linear /dev/ram0 $2"
	fi || fail "dm-linear $1 at $3 sectors"
}

# one_line_refusal CMD...: CMD fails with exactly one line on stderr.
one_line_refusal() {
	! dmc "$@" 2>/tmp/refusal.err || fail "$* succeeded"
	[ "$(wc -l </tmp/refusal.err)" = 1 ] || fail "$*: not one line: $(cat /tmp/refusal.err)"
}

# gpt_clean: sgdisk finds no problem in the device's GPT.
gpt_clean() {
	sgdisk -v /dev/mapper/vm >/tmp/sgdisk 2>&1 || true
	grep -q 'No problems found' /tmp/sgdisk || fail "sgdisk -v $1: $(cat /tmp/sgdisk)"
}

# part_size N: sectors of partition N as the guest's disk shows it after a rescan.
part_size() {
	losetup -c "$disk" && partx -u "$disk" || fail "rescan of $disk"
	cat "/sys/class/block/${disk#/dev/}p$1/size"
}

# data_intact: every stamp reads back where it was written.
data_intact() {
	[ "$(stamp_of /dev/mapper/vm 2048)" = a-data ] || fail "a's data lost $1"
	[ "$(stamp_of /dev/mapper/vm $((2048 + 16384 - 8)))" = a-end ] || fail "a's end lost $1"
	[ "$(stamp_of /dev/mapper/vm "$b_start")" = b-data ] || fail "b's data lost $1"
}

# ---- gpt, a middle volume with headroom ----
lv lva 0 16384
image /tmp/b.img 8
dmc create vm --headroom 8M a=/dev/mapper/lva b=/tmp/b.img || fail "create --headroom 8M"
dmc map vm | grep -q 'HEADROOM' || fail "map shows no HEADROOM: $(dmc map vm)"
dmc map vm --json | jq -e '[.volumes[].headroom] == [16384, 16384]' >/dev/null ||
	fail "map --json headroom: $(dmc map vm --json)"
b_start=$(volume_field vm b start)
size=$(blockdev --getsz /dev/mapper/vm)
stamp /dev/mapper/vm 2048 a-data
stamp /dev/mapper/vm $((2048 + 16384 - 8)) a-end
stamp /dev/mapper/vm "$b_start" b-data
disk=$(losetup --show -f -P --direct-io=on /dev/mapper/vm) || fail "losetup -P on the device"
[ "$(part_size 1)" = 16384 ] || fail "partition 1 before: $(part_size 1)"

lv lva 0 24576
# --dry-run reports the change (--json: the table it would load) and makes none.
dmsetup table vm >/tmp/table.before
dmc resize vm a --dry-run --json >/tmp/dry.json || fail "resize --dry-run"
jq -e '.command == "resize" and .dry_run == true and .done == null and
	.map.volumes[0].length == 24576' /tmp/dry.json >/dev/null ||
	fail "resize --dry-run --json: $(cat /tmp/dry.json)"
dmsetup table vm | cmp -s - /tmp/table.before || fail "resize --dry-run changed the table"
dmc resize vm a --json >/tmp/done.json || fail "resize a by 4 MiB"
jq -e '.command == "resize" and .done == "resized" and .volumes == ["a"]' /tmp/done.json \
	>/dev/null || fail "resize --json: $(cat /tmp/done.json)"
dmc map vm --json | jq -e --argjson b "$b_start" '[.volumes[] | [.id, .length, .headroom, .start]] ==
	[["a", 24576, 8192, 2048], ["b", 16384, 16384, $b]]' >/dev/null ||
	fail "map after resize: $(dmc map vm --json)"
[ "$(blockdev --getsz /dev/mapper/vm)" = "$size" ] || fail "device size changed"
gpt_clean "after resize a"
[ "$(part_size 1)" = 24576 ] || fail "partition 1 did not grow: $(part_size 1)"
[ "$(stamp_of "${disk}p1" 0)" = a-data ] || fail "partition 1 does not start with a's data"
data_intact "after resize a"
# The new space is the volume's own: written through the device, read on the LV.
stamp /dev/mapper/vm $((2048 + 16384 + 8)) a-new
[ "$(stamp_of /dev/mapper/lva $((16384 + 8)))" = a-new ] || fail "a's new space is not lva's"

# Nothing to do, more than the room, a shrink: the map and table stay.
dmc resize vm a 2>/tmp/same.err || fail "resize without growth: $(cat /tmp/same.err)"
grep -q 'already has its whole size' /tmp/same.err || fail "resize without growth said: $(cat /tmp/same.err)"
dmsetup table vm >/tmp/table.before
cp "$config_dir/vm.json" /tmp/map.before
lv lva 0 34816
one_line_refusal resize vm a
grep -q 'room after it' /tmp/refusal.err || fail "growth past the room: $(cat /tmp/refusal.err)"
lv lva 0 20480
one_line_refusal resize vm a
grep -q 'shrank' /tmp/refusal.err || fail "shrink: $(cat /tmp/refusal.err)"
dmsetup table vm | cmp -s - /tmp/table.before || fail "refused resize changed the table"
cmp -s "$config_dir/vm.json" /tmp/map.before || fail "refused resize changed the map"

# Exactly the room: the padding goes, b stays.
lv lva 0 32768
dmc resize vm a || fail "resize a into all of its room"
[ "$(volume_field vm a headroom)" = 0 ] || fail "headroom left: $(volume_field vm a headroom)"
[ "$(volume_field vm b start)" = "$b_start" ] || fail "b moved"
[ "$(part_size 1)" = 32768 ] || fail "partition 1: $(part_size 1)"
data_intact "after resize a into all of its room"

# ---- assemble of a grown volume, then the last volume grows the device ----
losetup -d "$disk"
dmsetup table vm >/tmp/table.before
dmc remove vm || fail "remove"
dd if=/dev/zero of=/tmp/b.img bs=1M count=0 seek=20 2>/dev/null
dmc assemble vm 2>/tmp/assemble.err || fail "assemble of a grown volume: $(cat /tmp/assemble.err)"
grep -q 'volume b grew' /tmp/assemble.err && grep -q 'dmcombine resize vm b' /tmp/assemble.err ||
	fail "assemble did not say how to resize: $(cat /tmp/assemble.err)"
dmsetup table vm | sed 's/ [0-9]*:[0-9]* / DEV /g' >/tmp/table.after
sed 's/ [0-9]*:[0-9]* / DEV /g' /tmp/table.before | cmp -s - /tmp/table.after ||
	fail "assemble of a grown volume changed the layout: $(cat /tmp/table.after)"
data_intact "after assemble"
disk=$(losetup --show -f -P --direct-io=on /dev/mapper/vm) || fail "losetup -P on the device"
dmc resize vm b 2>/tmp/resize.err || fail "resize b: $(cat /tmp/resize.err)"
grep -q 'the device grew' /tmp/resize.err || fail "resize b said: $(cat /tmp/resize.err)"
new_size=$(blockdev --getsz /dev/mapper/vm)
[ "$new_size" -gt "$size" ] && [ $((new_size % 2048)) = 0 ] ||
	fail "device did not grow to whole MiB: $size -> $new_size"
[ "$(volume_field vm b length)" = 40960 ] || fail "b's length: $(volume_field vm b length)"
gpt_clean "after the device grew"
[ "$(part_size 2)" = 40960 ] || fail "partition 2 did not grow: $(part_size 2)"
data_intact "after resize b"
losetup -d "$disk"
dmc remove --forget vm || fail "remove"

# ---- concat: the last volume only; a killed resize is settled ----
lv lvx 65536 8192
image /tmp/y.img 4
one_line_refusal create c --layout concat --headroom 10% x=/dev/mapper/lvx y=/tmp/y.img
no_trace c
dmc create c --layout concat x=/dev/mapper/lvx y=/tmp/y.img || fail "create concat"
stamp /dev/mapper/c 8192 y-data
lv lvx 65536 10240
one_line_refusal resize c x
dd if=/dev/zero of=/tmp/y.img bs=1M count=0 seek=6 2>/dev/null
pending=$config_dir/.c.json.pending
DMCOMBINE_TEST_STOP=pending-saved dmc resize c y 2>/dev/null && fail "no stop at pending-saved"
[ -e "$pending" ] || fail "no pending map after a kill at pending-saved"
dmc -q map c >/dev/null || fail "map after a kill at pending-saved"
[ ! -e "$pending" ] && [ "$(volume_field c y length)" = 8192 ] || fail "killed resize not discarded"
DMCOMBINE_TEST_STOP=table-resumed dmc resize c y 2>/dev/null && fail "no stop at table-resumed"
dmc -q map c >/dev/null || fail "map after a kill at table-resumed"
[ ! -e "$pending" ] && [ "$(volume_field c y length)" = 12288 ] || fail "killed resize not finished"
[ "$(blockdev --getsz /dev/mapper/c)" = $((8192 + 12288)) ] || fail "concat device size"
[ "$(stamp_of /dev/mapper/c 8192)" = y-data ] || fail "y's data lost"
dmc remove --forget c || fail "remove c"
dmsetup remove lva && dmsetup remove lvx || fail "remove the LVs"
no_trace vm
brd_unload
