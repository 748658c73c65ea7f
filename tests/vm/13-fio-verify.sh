#!/bin/sh
# fio writes with verify over many small regions on three members: every
# block reads back what was written, across all the splits.
. /tests/lib.sh
. /tests/combine.sh
need_module

brd_load 3 16384
random_layout 13 300 0 8 256 /dev/ram0:32768 /dev/ram1:32768 \
	/dev/ram2:32768 >/tmp/layout
[ "$(wc -l </tmp/layout)" -eq 300 ] || fail "layout has no room"
combine_table /tmp/layout | dmsetup create cmb || fail "table refused"

fio --name=verify --filename=/dev/mapper/cmb --direct=1 --ioengine=libaio \
	--iodepth=16 --rw=randwrite --bsrange=4k-128k --verify=crc32c \
	--do_verify=1 --randseed=13 --output=/tmp/fio.out ||
	{ cat /tmp/fio.out; fail "fio verify failed"; }
grep -q 'err= 0' /tmp/fio.out || { cat /tmp/fio.out; fail "fio saw errors"; }
echo "fio verify over 300 regions: $(grep -o 'WRITE: bw=[^,]*' /tmp/fio.out)"
dmsetup remove cmb
brd_unload
