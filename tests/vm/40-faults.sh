#!/bin/sh
# A member that starts failing, one that disappears and one that is slow:
# I/O to the bad volume fails and counts errors on that volume only; fio
# verify on the other volumes sees no error and is not held up; the failed
# volume can be dropped and the device removed cleanly.
. /tests/lib.sh
. /tests/tool.sh
need_module

brd_load 4 8192					# 16384 sectors each
dmsetup create flaky --table "0 16384 linear /dev/ram1 0"
sd=$(scsi_debug_load dev_size_mb=8)
dmc create vm a=/dev/ram0 f=/dev/mapper/flaky g="$sd" b=/dev/ram2 || fail "create"

# verify_volume ID: fio writes and verifies all of volume ID through vm.
verify_volume() {
	fio --name="$1" --filename=/dev/mapper/vm --direct=1 --ioengine=libaio \
		--iodepth=8 --rw=randwrite --bs=4k --verify=crc32c --do_verify=1 \
		--offset=$(($(volume_field vm "$1" start) * 512)) \
		--size=$(($(volume_field vm "$1" length) * 512)) --randseed=8 \
		--output="/tmp/fio.$1" || { cat "/tmp/fio.$1"; fail "fio verify on $1 failed"; }
}

# errors_of ID: the error counter of volume ID.
errors_of() {
	dmc status vm --json | jq -r --arg id "$1" '.volumes[] | select(.id == $id) | .errors'
}

# The flaky member turns into an error target while the others are verified.
verify_volume a & va=$!
verify_volume b & vb=$!
dmsetup suspend flaky
dmsetup load flaky --table "0 16384 error"
dmsetup resume flaky
f_start=$(volume_field vm f start)
read_sectors() { dd if=/dev/mapper/vm of=/dev/null bs=4096 skip=$(($1 / 8)) count=1 iflag=direct 2>/dev/null; }
read_sectors "$f_start" && fail "read of the failed volume succeeded"
read_sectors $((f_start + 8000)) && fail "read of the failed volume succeeded"
wait "$va" || fail "verify of a"
wait "$vb" || fail "verify of b"
[ "$(errors_of f)" -ge 2 ] || fail "errors of f: $(errors_of f)"
dmc status vm --json | jq -e '[.volumes[] | .state] == ["ok","failing","ok","ok"]' \
	>/dev/null || fail "states: $(dmc status vm --json)"
dmc status vm | grep -q '^f .*failing' || fail "text status does not flag f: $(dmc status vm)"
[ "$(errors_of a)" = 0 ] && [ "$(errors_of b)" = 0 ] && [ "$(errors_of g)" = 0 ] ||
	fail "errors counted on healthy volumes: $(dmc status vm --json)"
dmc drop vm f || fail "drop of the failed volume"
verify_volume a
echo "failed member: errors on f only, f dropped, a and b verified"

# The scsi_debug disk disappears while mapped.
g_start=$(volume_field vm g start)
echo 1 >"/sys/block/${sd#/dev/}/device/delete"
read_sectors "$g_start" && fail "read of the vanished volume succeeded"
[ "$(errors_of g)" -ge 1 ] || fail "errors of g: $(errors_of g)"
verify_volume b
echo "vanished member: errors on g, b verified"

# A slow member does not hold up the others: the longest latency on a stays
# far below the 500 ms every I/O to the slow member takes.
dmc remove --forget vm || fail "remove after a member vanished"
dmsetup create slow --table "0 16384 delay /dev/ram3 0 500"
dmc create vm a=/dev/ram0 s=/dev/mapper/slow || fail "create with a slow member"
s_start=$(volume_field vm s start)
( i=0; while [ "$i" -lt 8 ]; do read_sectors $((s_start + i * 8)); i=$((i + 1)); done ) &
slow_reader=$!
fio --name=fast --filename=/dev/mapper/vm --direct=1 --ioengine=libaio \
	--iodepth=4 --rw=randread --bs=4k --size=$((16384 * 512)) --runtime=2 \
	--time_based --minimal >/tmp/fast.terse || fail "fio on a"
wait "$slow_reader"
max_ms=$(awk -F';' '{ print int($39 / 1000) }' /tmp/fast.terse)
[ "$max_ms" -lt 250 ] || fail "volume a waited $max_ms ms behind the slow member"
echo "slow member: longest latency on a $max_ms ms"
dmc remove --forget vm
dmsetup remove slow
dmsetup remove flaky
rmmod scsi_debug
brd_unload
