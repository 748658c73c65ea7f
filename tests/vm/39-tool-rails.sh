#!/bin/sh
# Safety rails and exit codes: drop and remove of a device a program has
# open ask on a terminal (script(1) gives one) and are refused without one
# unless --yes; a volume a program has
# open is refused by create likewise; --dry-run prints the table line and
# the map change and changes nothing; --json reports each change; status
# exits 0 healthy, 1 failing, 4 not active. share, unshare, import and
# move (foreground, --background, --abort) report with --json too, and
# share --json's shared_map imports.
. /tests/lib.sh
. /tests/tool.sh
need_module

brd_load 5 8192					# 16384 sectors each
dmsetup create flaky --table "0 16384 linear /dev/ram2 0"
dmc create vm1 --layout concat --json a=/dev/ram0 b=/dev/ram1 f=/dev/mapper/flaky c=/dev/ram4 \
	>/tmp/j || fail "create"
jq -e '.schema == 1 and .command == "create" and .done == "created" and .dry_run == false and
	.device == "/dev/mapper/vm1" and .volumes == ["a","b","f","c"] and
	(.table | startswith("0 65536 combine ")) and .map.size_bytes == 65536 * 512' /tmp/j \
	>/dev/null || fail "create --json: $(cat /tmp/j)"
dmc status vm1 >/dev/null || fail "status of a healthy device: exit $?"

# refused NAME WHAT CMD...: CMD fails with one line saying NAME is in use by WHAT.
refused() {
	name=$1 what=$2
	shift 2
	rc=0
	dmc "$@" </dev/null >/dev/null 2>/tmp/err || rc=$?
	[ "$rc" = 1 ] && [ "$(wc -l </tmp/err)" = 1 ] &&
		grep -q "^dmcombine: $name: in use (.*$what.*); --yes goes ahead anyway$" /tmp/err ||
		fail "$*: exit $rc: $(cat /tmp/err)"
}

# A program that has the device open, without O_EXCL, as QEMU has its disks.
sleep 1000 </dev/mapper/vm1 &
holder=$!
cp "$config_dir/vm1.json" /tmp/map.before
dmsetup table vm1 >/tmp/table.before
refused vm1 "open by sleep (pid $holder)" drop vm1 b
refused vm1 "open by sleep (pid $holder)" remove vm1
cmp -s "$config_dir/vm1.json" /tmp/map.before || fail "a refused drop changed the map"

# --dry-run: the table line and the map it would save; nothing changes.
dmc drop vm1 b --dry-run >/tmp/dry 2>/tmp/err || fail "drop --dry-run: $(cat /tmp/err)"
grep -q "^table: 0 65536 combine 0 4 16384 1:0 0 16384 - 0 16384 [0-9]*:[0-9]* 0 16384 [0-9]*:[0-9]* 0$" /tmp/dry ||
	fail "drop --dry-run table: $(cat /tmp/dry)"
grep -q "^map: $config_dir/vm1.json would be saved as generation 2:$" /tmp/dry ||
	fail "drop --dry-run map: $(cat /tmp/dry)"
sed -n '/^{/,$p' /tmp/dry | jq -e '.generation == 2 and (.regions | length) == 4' >/dev/null ||
	fail "drop --dry-run map content: $(cat /tmp/dry)"
dmc drop vm1 b --dry-run --json | jq -e '.dry_run == true and .done == null and
	.volumes == ["b"] and (.map.holes | length) == 1 and .map.holes[0].start == 16384' \
	>/dev/null || fail "drop --dry-run --json: $(dmc drop vm1 b --dry-run --json)"
dmc remove vm1 --forget --dry-run >/tmp/dry || fail "remove --dry-run"
grep -qx "device: /dev/mapper/vm1 would be removed" /tmp/dry &&
	grep -qx "map: $config_dir/vm1.json would be deleted" /tmp/dry || fail "remove --dry-run: $(cat /tmp/dry)"
cmp -s "$config_dir/vm1.json" /tmp/map.before || fail "a dry run changed the map"
dmsetup table vm1 | cmp -s - /tmp/table.before || fail "a dry run changed the table"
echo "in use: refused without --yes, dry runs change nothing"

# On a terminal the tool asks: n keeps the volume, y drops it.
# The guest's /init mounts no devpts, which script needs for its terminal.
grep -q ' /dev/pts devpts ' /proc/mounts || { mkdir -p /dev/pts && mount -t devpts devpts /dev/pts; }
# tty_dmc ANSWER ARG...: dmcombine on a terminal, ANSWER typed; output in /tmp/tty.
tty_dmc() {
	answer=$1
	shift
	printf '%s\n' "$answer" | script -qec "dmcombine --config-dir $config_dir $*" /dev/null \
		>/tmp/tty 2>&1
}
tty_dmc n drop vm1 c && fail "answered n, dropped anyway: $(cat /tmp/tty)"
grep -q "drop the volumes anyway? \[y/N\]" /tmp/tty || fail "no question: $(cat /tmp/tty)"
grep -q "vm1: not confirmed: nothing changed" /tmp/tty || fail "n: $(cat /tmp/tty)"
cmp -s "$config_dir/vm1.json" /tmp/map.before || fail "answered n, the map changed"
tty_dmc y drop vm1 c || fail "answered y: $(cat /tmp/tty)"
[ -z "$(volume_field vm1 c start)" ] || fail "answered y, c still there"
umount /dev/pts
echo "on a terminal: asked, n keeps, y drops"

# --yes goes ahead, and says what it did.
dmc drop vm1 b --yes --json >/tmp/j 2>/tmp/err || fail "drop --yes: $(cat /tmp/err)"
grep -q "vm1: in use (.*sleep.*): going ahead (--yes)" /tmp/err || fail "drop --yes said: $(cat /tmp/err)"
jq -e '.done == "dropped" and .volumes == ["b"] and .map.holes[0] == {"start": 16384,
	"start_bytes": 8388608, "length": 16384, "length_bytes": 8388608}' /tmp/j >/dev/null ||
	fail "drop --json: $(cat /tmp/j)"
dmc map vm1 --json | jq -e '.schema == 1 and (.holes | length) == 2 and
	([.volumes[].id] == ["a","f"])' >/dev/null || fail "map --json: $(dmc map vm1 --json)"
kill "$holder"
wait "$holder" 2>/dev/null || true
echo "drop --yes: done, holes in map --json"

# status: a failing volume exits 1, stats_reset makes it healthy again.
dmsetup suspend flaky
dmsetup load flaky --table "0 16384 error"
dmsetup resume flaky
f_start=$(volume_field vm1 f start)
dd if=/dev/mapper/vm1 of=/dev/null bs=4096 skip=$((f_start / 8)) count=1 iflag=direct \
	2>/dev/null && fail "read of the failed volume succeeded"
rc=0
dmc status vm1 >/tmp/status || rc=$?
[ "$rc" = 1 ] && grep -q '^f .*failing$' /tmp/status || fail "status of a failing volume: exit $rc: $(cat /tmp/status)"
rc=0
dmc status vm1 --json >/dev/null || rc=$?
[ "$rc" = 1 ] || fail "status --json of a failing volume: exit $rc"
dmsetup message vm1 0 stats_reset
dmc status vm1 >/dev/null || fail "status after stats_reset: exit $?"
dmc remove vm1 --json | jq -e '.done == "removed" and .device == null and .map_deleted == false' \
	>/dev/null || fail "remove --json"
rc=0
dmc status vm1 >/dev/null || rc=$?
[ "$rc" = 4 ] || fail "status of an inactive device: exit $rc"
rc=0
dmc status nosuch 2>/dev/null || rc=$?
[ "$rc" = 4 ] || fail "status of an unknown device: exit $rc"
# assemble --dry-run: the table it would load, --latency's included; nothing made.
dmc assemble vm1 --dry-run --latency >/tmp/dry || fail "assemble --dry-run"
grep -q "^table: 0 65536 combine 1 latency " /tmp/dry || fail "assemble --dry-run --latency: $(cat /tmp/dry)"
! dmsetup info vm1 >/dev/null 2>&1 || fail "assemble --dry-run made the device"
dmc assemble vm1 --json | jq -e '.dry_run == false and .devices == [{"name": "vm1",
	"device": "/dev/mapper/vm1", "done": "assembled"}]' >/dev/null || fail "assemble --json"
dmsetup table vm1 >/tmp/table.before
dmc assemble vm1 --dry-run | grep -qx "device: /dev/mapper/vm1 is active and stays as it is" ||
	fail "assemble --dry-run of an active device: $(dmc assemble vm1 --dry-run)"
dmc assemble vm1 --dry-run --latency --json | jq -e '.dry_run == true and
	.devices[0].done == null and (.devices[0].table | startswith("0 65536 combine 1 latency "))' \
	>/dev/null || fail "assemble --dry-run --latency --json: $(dmc assemble vm1 --dry-run --latency --json)"
dmsetup table vm1 | cmp -s - /tmp/table.before || fail "assemble --dry-run --latency changed the table"
dmc remove vm1 --forget --json | jq -e '.done == "removed and forgotten" and .map == null' \
	>/dev/null || fail "remove --forget --json"
no_trace vm1
echo "status exit codes: 0 healthy, 1 failing, 0 after stats_reset, 4 inactive or unknown"

# A volume a program has open is refused too: a block device and an image file.
sleep 1000 </dev/ram3 &
holder=$!
refused /dev/ram3 "open by sleep (pid $holder)" create vm2 d=/dev/ram3
no_trace vm2
dmc create vm2 d=/dev/ram3 --dry-run >/tmp/dry 2>&1 || fail "create --dry-run: $(cat /tmp/dry)"
grep -q "^table: 0 [0-9]* combine 3 gpt 512 " /tmp/dry || fail "create --dry-run: $(cat /tmp/dry)"
no_trace vm2
kill "$holder"
wait "$holder" 2>/dev/null || true
image /tmp/i.img 4
sleep 1000 </tmp/i.img &
holder=$!
refused /tmp/i.img "open by sleep (pid $holder)" create vm2 i=/tmp/i.img
no_trace vm2
dmc create vm2 i=/tmp/i.img --yes 2>/dev/null || fail "create --yes"
kill "$holder"
wait "$holder" 2>/dev/null || true
dmc remove vm2 --forget || fail "remove vm2"
no_trace vm2
echo "volumes open by a program: refused without --yes"

# share, import, unshare and move with --json, on "LVs" (dm-linear with a
# DM UUID, an identity another host shares) over /dev/ram3.
sectors=8192
dmsetup create lvx -u LVM-testlvx --table "0 $sectors linear /dev/ram3 0" || fail "lvx"
dmsetup create lvy -u LVM-testlvy --table "0 $sectors linear /dev/ram3 $sectors" || fail "lvy"
dmc create vm3 x=/dev/mapper/lvx || fail "create vm3"
dmc share vm3 --json >/tmp/share.json || fail "share --json"
jq -e '.schema == 1 and .command == "share" and .done == "shared" and .map_saved == true and
	.device == "/dev/mapper/vm3" and .shared_map.shared == true and .map.shared == true' \
	/tmp/share.json >/dev/null || fail "share --json: $(cat /tmp/share.json)"
dmc remove vm3 --forget || fail "remove vm3"
jq .shared_map /tmp/share.json | dmc import - --json >/tmp/j || fail "import of shared_map"
jq -e '.command == "import" and .done == "imported" and .device == null and .map_saved == true and
	.map.name == "vm3"' /tmp/j >/dev/null || fail "import --json: $(cat /tmp/j)"
jq .shared_map /tmp/share.json | dmc import - --json | jq -e '.done == "already imported"' \
	>/dev/null || fail "import again --json"
dmc assemble vm3 || fail "assemble vm3"
dmc unshare vm3 --json | jq -e '.done == "unshared" and .map_saved == true and
	.map.shared == false and .map.volumes[0].device != null' >/dev/null ||
	fail "unshare --json: $(dmc unshare vm3 --json)"
# A slow new device (1 s a request): begun in the background, then aborted.
dmsetup create slow --table "0 $sectors delay /dev/ram3 $sectors 1000" || fail "slow"
dmsetup remove lvy
dmc move vm3 x /dev/mapper/slow --background --json >/tmp/j || fail "move --background --json"
jq -e '.command == "move" and .done == "moving in the background" and .volumes == ["x"] and
	.move == {"id": "x", "to": "/dev/mapper/slow", "state": "copying"} and .map_saved == false' \
	/tmp/j >/dev/null || fail "move --background --json: $(cat /tmp/j)"
dmc move --abort vm3 x --json >/tmp/j || fail "move --abort --json"
jq -e '.done == "aborted" and .move.result == "abandoned" and .move.to == "/dev/mapper/slow" and
	.map.volumes[0].identity == "DM_UUID=LVM-testlvx"' /tmp/j >/dev/null ||
	fail "move --abort --json: $(cat /tmp/j)"
for _ in 1 2 3 4 5 6 7 8 9 10; do
	dmsetup remove slow 2>/dev/null && break
	sleep 1
done
dmsetup create lvy -u LVM-testlvy --table "0 $sectors linear /dev/ram3 $sectors" || fail "lvy again"
dmc move vm3 x /dev/mapper/lvy --json >/tmp/j 2>/dev/null || fail "move --json"
jq -e '.done == "moved" and .map_saved == true and .move.result == "finished" and
	.map.volumes[0].identity == "DM_UUID=LVM-testlvy"' /tmp/j >/dev/null || fail "move --json: $(cat /tmp/j)"
dmc remove vm3 --forget || fail "remove vm3"
dmsetup remove lvx && dmsetup remove lvy || fail "remove lvx, lvy"
no_trace vm3
echo "share, import, unshare, move: --json reports"

rc=0
dmcombine 2>/tmp/err || rc=$?
[ "$rc" = 2 ] && [ "$(cat /tmp/err)" = "dmcombine: no command given: see dmcombine --help" ] ||
	fail "no command: exit $rc: $(cat /tmp/err)"
dmsetup remove flaky
brd_unload
