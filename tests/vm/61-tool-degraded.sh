#!/bin/sh
# assemble --degraded and replace. With a volume gone (an LV removed, an
# image file moved away) plain assemble refuses and leaves nothing;
# --degraded starts the device with the missing volumes as holes: their
# I/O fails, the others' works, status and map say "missing" (text and
# JSON). replace puts the same image file back, and a new LV (a copy of
# the lost one's data) in the other's place, keeping start, partition
# number, GUID and type; the data reads back. Refusals (too small, larger
# logical blocks, unknown ID) are one line and change nothing. A replace
# killed before the resume is discarded by the next command, one killed
# after it finished. member --udev names the timer of a degraded start
# only when dmcombine.conf sets degraded_after. assemble --degraded
# --dry-run prints the table and makes nothing; drop of the last present
# volume of a degraded device is refused without --force. A missing LV
# back is put in again by assemble --incremental (GPT entry, data, status,
# registry), unless it shrank.
. /tests/lib.sh
. /tests/tool.sh
need_module

brd_load 1 65536
# lv NAME OFFSET SECTORS: a dm-linear "LV" over /dev/ram0.
lv() {
	dmsetup create "$1" -u "LVM-test$1" --table "0 $3 linear /dev/ram0 $2" ||
		fail "dm-linear $1"
}
one_line_refusal() {
	! dmc "$@" 2>/tmp/refusal.err || fail "$* succeeded"
	[ "$(wc -l </tmp/refusal.err)" = 1 ] || fail "$*: not one line: $(cat /tmp/refusal.err)"
}
# readable SECTOR: a 4 KiB direct read of the device at SECTOR succeeds.
readable() {
	dd if=/dev/mapper/vm of=/dev/null bs=4096 skip=$(($1 / 8)) count=1 iflag=direct 2>/dev/null
}

lv lva 0 8192
lv lvc 16384 8192
image /tmp/b.img 4
dmc create vm a=/dev/mapper/lva b=/tmp/b.img c=/dev/mapper/lvc || fail "create"
a_start=$(volume_field vm a start)
b_start=$(volume_field vm b start)
c_start=$(volume_field vm c start)
dmc map vm --json | jq -c '.volumes[] | select(.id == "c") | [.start, .partition, .partuuid]' >/tmp/c.place
jq -r '.regions[] | select(.id == "c") | .parttype' "$config_dir/vm.json" >/tmp/c.type
for v in a b c; do
	eval "stamp /dev/mapper/vm \$${v}_start $v-data"
done
dmc remove vm || fail "remove"
# c's data survives on a copy, a new LV; then c and b go.
lv lvc2 32768 8192
dd if=/dev/mapper/lvc of=/dev/mapper/lvc2 bs=1M 2>/dev/null || fail "copy of lvc"
dmsetup remove lvc || fail "remove lvc"
mv /tmp/b.img /tmp/b.moved

! dmc assemble vm 2>/tmp/assemble.err || fail "assemble without b and c succeeded"
! dmsetup info vm >/dev/null 2>&1 || fail "failed assemble left the device"
[ -z "$(losetup -a)" ] || fail "failed assemble left a loop device: $(losetup -a)"

# udev's side, off by default: with degraded_after set, member --udev
# names the timer that would start the device degraded; a bad setting is
# reported and the rest still printed.
dmc member --udev /dev/mapper/lva >/tmp/member.out || fail "member --udev"
! grep -q DEGRADED /tmp/member.out || fail "degraded start without the setting: $(cat /tmp/member.out)"
echo degraded_after=30 >"$config_dir/dmcombine.conf"
dmc member --udev /dev/mapper/lva >/tmp/member.out || fail "member --udev with degraded_after"
grep -qx DMCOMBINE_DEGRADED_AFTER=30 /tmp/member.out &&
	grep -qx DMCOMBINE_DEGRADED_UNIT=dmcombine-degraded-vm /tmp/member.out ||
	fail "member --udev with degraded_after: $(cat /tmp/member.out)"
echo degraded_after=soon >"$config_dir/dmcombine.conf"
dmc member --udev /dev/mapper/lva >/tmp/member.out 2>/tmp/member.err || fail "member --udev, bad setting"
grep -q 'line 1: degraded_after' /tmp/member.err && grep -qx DMCOMBINE_NAME=vm /tmp/member.out &&
	! grep -q DEGRADED /tmp/member.out || fail "bad setting: $(cat /tmp/member.err /tmp/member.out)"
rm "$config_dir/dmcombine.conf"

dmc assemble --degraded --dry-run vm >/tmp/dry 2>/dev/null || fail "assemble --degraded --dry-run"
grep -q "^table: 0 [0-9]* combine " /tmp/dry || fail "assemble --degraded --dry-run: $(cat /tmp/dry)"
! dmsetup info vm >/dev/null 2>&1 || fail "assemble --dry-run made the device"
dmc assemble --degraded vm 2>/tmp/degraded.err || fail "assemble --degraded: $(cat /tmp/degraded.err)"
grep -q 'volume b .*missing' /tmp/degraded.err && grep -q 'volume c .*missing' /tmp/degraded.err &&
	grep -q 'degraded' /tmp/degraded.err || fail "assemble --degraded said: $(cat /tmp/degraded.err)"
[ "$(stamp_of /dev/mapper/vm "$a_start")" = a-data ] || fail "a unreadable while degraded"
readable "$b_start" && fail "read of missing b succeeded"
readable "$c_start" && fail "read of missing c succeeded"
stamp /dev/mapper/vm $((a_start + 8)) a-more
[ "$(stamp_of /dev/mapper/vm $((a_start + 8)))" = a-more ] || fail "a not writable while degraded"
dmc status vm --json | jq -e '[.volumes[] | .state] == ["ok", "missing", "missing"]' >/dev/null ||
	fail "status --json: $(dmc status vm --json)"
dmc status vm | grep -Eq '^b .*missing$' || fail "status text: $(dmc status vm)"
dmc map vm --json | jq -e '[.volumes[] | .missing] == [false, true, true]' >/dev/null ||
	fail "map --json: $(dmc map vm --json)"
dmc map vm | grep -Eq '^c +[0-9]+ +[^ ]+ +missing ' || fail "map text: $(dmc map vm)"

# Refusals: unknown ID, too small, larger logical blocks; the last present
# volume dropped (a dry run exits as the drop would; --force goes ahead).
cp "$config_dir/vm.json" /tmp/map.before
dmsetup table vm >/tmp/table.before
one_line_refusal drop vm a
grep -q "^dmcombine: a: the last present volume of degraded vm: .*drop --force" /tmp/refusal.err ||
	fail "drop of the last present volume: $(cat /tmp/refusal.err)"
one_line_refusal drop vm a --dry-run
dmc drop vm a --force --dry-run --json | jq -e '.dry_run == true and .volumes == ["a"] and
	(.map.volumes | map(.id)) == ["b", "c"]' >/dev/null ||
	fail "drop --force --dry-run: $(dmc drop vm a --force --dry-run --json)"
image /tmp/small.img 2
one_line_refusal replace vm nosuch /tmp/small.img
one_line_refusal replace vm b /tmp/small.img
grep -q 'smaller' /tmp/refusal.err || fail "too small: $(cat /tmp/refusal.err)"
big_block=$(losetup --show -f -b 4096 /tmp/b.moved) || fail "losetup -b 4096"
one_line_refusal replace vm b "$big_block"
grep -q 'logical block size' /tmp/refusal.err || fail "4096-byte blocks: $(cat /tmp/refusal.err)"
losetup -d "$big_block"
cmp -s "$config_dir/vm.json" /tmp/map.before || fail "refused replace changed the map"
dmsetup table vm | cmp -s - /tmp/table.before || fail "refused replace changed the table"
[ -z "$(losetup -a)" ] || fail "refused replace left a loop device: $(losetup -a)"

# The same file back.
mv /tmp/b.moved /tmp/b.img
dmc replace vm b /tmp/b.img || fail "replace b with itself"
[ "$(stamp_of /dev/mapper/vm "$b_start")" = b-data ] || fail "b's data not back"

# A new LV for c: killed before the resume, discarded; after it, finished.
pending=$config_dir/.vm.json.pending
DMCOMBINE_TEST_STOP=pending-saved dmc replace vm c /dev/mapper/lvc2 2>/dev/null &&
	fail "no stop at pending-saved"
[ -e "$pending" ] || fail "no pending map after a kill at pending-saved"
dmc -q map vm >/dev/null || fail "map after a kill at pending-saved"
[ ! -e "$pending" ] || fail "pending map left"
[ "$(volume_field vm c missing)" = true ] || fail "replace killed before the resume took effect"
DMCOMBINE_TEST_STOP=table-resumed dmc replace vm c /dev/mapper/lvc2 2>/dev/null &&
	fail "no stop at table-resumed"
dmc -q map vm >/dev/null || fail "map after a kill at table-resumed"
[ ! -e "$pending" ] || fail "pending map left"
[ "$(volume_field vm c missing)" = false ] || fail "replace killed after the resume not finished"
[ "$(volume_field vm c identity)" = DM_UUID=LVM-testlvc2 ] ||
	fail "c's identity: $(volume_field vm c identity)"
dmc map vm --json | jq -c '.volumes[] | select(.id == "c") | [.start, .partition, .partuuid]' |
	cmp -s - /tmp/c.place || fail "c's place or partition changed: $(dmc map vm --json)"
jq -r '.regions[] | select(.id == "c") | .parttype' "$config_dir/vm.json" | cmp -s - /tmp/c.type ||
	fail "c's partition type changed"
[ "$(stamp_of /dev/mapper/vm "$c_start")" = c-data ] || fail "c's data not read from the new LV"
dmc status vm --json | jq -e '[.volumes[] | .state] == ["ok", "ok", "ok"]' >/dev/null ||
	fail "status after replace: $(dmc status vm --json)"

# A present volume replaced (by a copy) while the device is open: asked,
# so refused without a terminal, and done with --yes.
cp /tmp/b.img /tmp/b2.img
exec 7</dev/mapper/vm
dmc replace vm b /tmp/b2.img 2>/tmp/replace.err && fail "replace of a volume in use went ahead"
grep -q "in use" /tmp/replace.err || fail "replace in use: $(cat /tmp/replace.err)"
dmc replace vm b /tmp/b2.img --yes || fail "replace --yes"
exec 7<&-
[ "$(stamp_of /dev/mapper/vm "$b_start")" = b-data ] || fail "b's data after replace --yes"

# A missing volume back (a late LUN): udev's assemble --incremental of it
# puts it in the active degraded device again, as mdadm --incremental
# re-adds; its region took no writes while missing, so its data is
# current. One that shrank meanwhile stays missing, the device as it was.
# partitions DEV: "NR NAME," for each partition in DEV's GPT.
partitions() {
	partx -s -g -o NR,NAME "$1" | awk '{ printf "%s %s,", $1, $2 }'
}
c_length=$(volume_field vm c length)
c_offset=$(volume_field vm c offset)
# c_region DEV SECTOR: checksum of c's region on DEV from SECTOR on.
c_region() {
	dd if="$1" bs=512 skip="$2" count="$c_length" iflag=direct 2>/dev/null | md5sum
}
c_region /dev/mapper/lvc2 "$c_offset" >/tmp/c.sum
jq -S .regions "$config_dir/vm.json" >/tmp/regions.before
dmc remove vm || fail "remove before c goes"
dmsetup remove lvc2 || fail "remove lvc2"
dmc assemble --degraded vm 2>/dev/null || fail "assemble --degraded without c"
[ "$(partitions /dev/mapper/vm)" = "1 a,2 b," ] || fail "GPT without c: $(partitions /dev/mapper/vm)"
# The monitor reports c missing, then back (not through dmc: kill needs its pid).
dmcombine --config-dir "$config_dir" monitor --interval 1 2>/tmp/monitor.log &
monitor=$!
# monitor_said TEXT: the monitor's log has a line matching TEXT within 20 s.
monitor_said() {
	for _ in $(seq 40); do
		! grep -q "$1" /tmp/monitor.log || return 0
		sleep 0.5
	done
	fail "monitor did not log '$1': $(cat /tmp/monitor.log)"
}
monitor_said "vm: volume c .* is missing"
stamp /dev/mapper/vm $((a_start + 16)) a-while-c-away
dmsetup table vm >/tmp/table.before
cp "$config_dir/vm.json" /tmp/map.before
lv lvc2 32768 4096
dmc assemble --incremental /dev/mapper/lvc2 2>/tmp/readd.err ||
	fail "incremental of a shrunk c did not exit 0: $(cat /tmp/readd.err)"
grep -q 'volume c shrank' /tmp/readd.err || fail "shrunk c: $(cat /tmp/readd.err)"
dmsetup table vm | cmp -s - /tmp/table.before || fail "a shrunk c changed the table"
cmp -s "$config_dir/vm.json" /tmp/map.before || fail "a shrunk c changed the map"
[ "$(volume_field vm c missing)" = true ] || fail "a shrunk c is not missing"
dmsetup remove lvc2 || fail "remove the shrunk lvc2"
lv lvc2 32768 8192
# udev's side: the rules start assembly for a complete map, and with the
# map still incomplete (b's image moved away, its loop still mapped) for
# the volume back: member --udev marks it so, and it alone.
dmc member --udev /dev/mapper/lvc2 >/tmp/member.out || fail "member --udev of c back"
grep -qx DMCOMBINE_COMPLETE=1 /tmp/member.out || fail "c back, complete: $(cat /tmp/member.out)"
mv /tmp/b2.img /tmp/b2.moved
dmc member --udev /dev/mapper/lvc2 >/tmp/member.out || fail "member --udev of c back"
grep -qx DMCOMBINE_BACK=1 /tmp/member.out && ! grep -q COMPLETE /tmp/member.out ||
	fail "c back, b away: $(cat /tmp/member.out)"
dmc member --udev /dev/mapper/lva >/tmp/member.out || fail "member --udev of a"
! grep -q DMCOMBINE_BACK /tmp/member.out || fail "a marked back: $(cat /tmp/member.out)"
mv /tmp/b2.moved /tmp/b2.img
dmc assemble --incremental /dev/mapper/lvc2 2>/tmp/readd.err || fail "incremental of c back"
grep -q '^dmcombine: vm: volume c of vm is back' /tmp/readd.err || fail "c back said: $(cat /tmp/readd.err)"
dmsetup table vm | grep -q " $(devnum /dev/mapper/lvc2) " || fail "c not in the table: $(dmsetup table vm)"
c_region /dev/mapper/vm "$c_start" | cmp -s - /tmp/c.sum || fail "c's region differs from before"
[ "$(stamp_of /dev/mapper/vm $((a_start + 16)))" = a-while-c-away ] || fail "a's write while c was away"
[ "$(partitions /dev/mapper/vm)" = "1 a,2 b,3 c," ] || fail "GPT with c back: $(partitions /dev/mapper/vm)"
dmc status vm --json | jq -e '[.volumes[] | .state] == ["ok", "ok", "ok"]' >/dev/null ||
	fail "status with c back: $(dmc status vm --json)"
[ "$(volume_field vm c missing)" = false ] || fail "map: c still missing"
monitor_said "vm: volume c (/dev/mapper/lvc2 on /dev/dm-[0-9]*) is back"
kill "$monitor"
wait "$monitor" || fail "monitor exited $? on SIGTERM"
jq -S .regions "$config_dir/vm.json" | cmp -s - /tmp/regions.before ||
	fail "the registry's volumes changed: $(jq -c .regions "$config_dir/vm.json")"
# Complete and active: another event leaves it as it is.
dmsetup table vm >/tmp/table.before
dmc assemble --incremental /dev/mapper/lvc2 || fail "incremental of a complete device"
dmsetup table vm | cmp -s - /tmp/table.before || fail "incremental changed a complete device"

# The map assembles whole again.
dmc remove vm || fail "remove"
dmc assemble vm || fail "assemble after replace"
for v in a b c; do
	eval "[ \"\$(stamp_of /dev/mapper/vm \$${v}_start)\" = $v-data ]" || fail "$v's data after assemble"
done
dmc remove --forget vm || fail "remove --forget"
dmsetup remove lva && dmsetup remove lvc2 || fail "remove the LVs"
no_trace vm
brd_unload
