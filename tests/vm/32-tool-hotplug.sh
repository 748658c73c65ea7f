#!/bin/sh
# add and drop while fio writes with verify to the volumes that stay: the
# others keep their start and their data; two concurrent adds on one device
# are serialised and both land; the registry always matches the kernel.
. /tests/lib.sh
. /tests/tool.sh
need_module

brd_load 5 8192
dmc create vm1 a=/dev/ram0 b=/dev/ram1 || fail "create"
a_start=$(volume_field vm1 a start)
b_start=$(volume_field vm1 b start)

# fio verify on volume b (through the combined device) while the map
# changes around it.
fio --name=verify --filename=/dev/mapper/vm1 --direct=1 --ioengine=libaio \
	--iodepth=8 --rw=randwrite --bs=4k --offset=$((b_start * 512)) \
	--size=$((16384 * 512)) --verify=crc32c --do_verify=1 --loops=20 \
	--randseed=3 --output=/tmp/fio.out &
fio_pid=$!

mke2fs -q -L delta /dev/ram3 >/dev/null 2>&1 || fail "mke2fs"
dmc add vm1 c=/dev/ram2 || fail "add c"
dmc drop --yes vm1 a || fail "drop a"	# fio has the device open
dmc add vm1 LABEL=delta || fail "add LABEL=delta"
[ "$(volume_field vm1 delta source)" = LABEL=delta ] || fail "delta not by its label"
[ "$(volume_field vm1 b start)" = "$b_start" ] || fail "b moved"
[ -z "$(volume_field vm1 a start)" ] || fail "a still mapped after drop"
dd if=/dev/mapper/vm1 of=/dev/null bs=4096 skip=$((a_start / 8)) count=1 \
	iflag=direct 2>/dev/null && fail "dropped region still readable"
wait "$fio_pid" || { cat /tmp/fio.out; fail "fio verify failed during add/drop"; }
grep -q 'err= 0' /tmp/fio.out || { cat /tmp/fio.out; fail "fio saw errors"; }

# Two adds at once: both land, one after the other.
image /tmp/f.img 4
dmc add vm1 e=/dev/ram4 &
pid=$!
dmc add vm1 f=/tmp/f.img &
pid2=$!
wait "$pid" || fail "concurrent add e failed"
wait "$pid2" || fail "concurrent add f failed"
dmc map vm1 --json | jq -e '[.volumes[].id] | sort == ["b","c","delta","e","f"]' \
	>/dev/null || fail "after concurrent adds: $(dmc map vm1 --json)"

# The registry matches the kernel: the map's regions are the live table's.
kernel_regions=$(table_regions vm1)
map_regions=$(jq '.regions | length' "$config_dir/vm1.json")
[ "$kernel_regions" = "$map_regions" ] ||
	fail "kernel has $kernel_regions regions, registry $map_regions"
dmc remove --forget vm1 || fail "remove"
no_trace vm1
brd_unload
