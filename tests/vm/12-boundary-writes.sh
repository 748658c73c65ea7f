#!/bin/sh
# One O_DIRECT write across every region boundary is split and each part
# lands at the right offset of the right member; one large write spanning
# many small regions too.
. /tests/lib.sh
. /tests/combine.sh
need_module

brd_load 2 8192					# 2 x 8 MiB = 16384 sectors each
# Regions of at least 16 sectors, so that 8 on each side of a boundary fit.
random_layout 7 40 0 16 128 /dev/ram0:16384 /dev/ram1:16384 >/tmp/layout16
combine_table /tmp/layout16 | dmsetup create cmb || fail "table refused"

# expect DEV OFF FILE SKIP: sectors OFF.. of DEV equal FILE from sector SKIP.
expect() {
	dd if="$3" of=/tmp/want bs=512 skip="$4" count=8 2>/dev/null
	read_sectors "$1" "$2" 8 /tmp/got || fail "member read $1@$2 failed"
	cmp -s /tmp/want /tmp/got || fail "$1 at $2: wrong data"
}

prev_end=
start=0
n=0
while read -r len dev off; do
	if [ -n "$prev_end" ]; then
		dd if=/dev/urandom of=/tmp/data bs=512 count=16 2>/dev/null
		write_sectors /dev/mapper/cmb $((start - 8)) /tmp/data ||
			fail "write across boundary at $start failed"
		expect "$prev_dev" $((prev_end - 8)) /tmp/data 0
		expect "$dev" "$off" /tmp/data 8
		n=$((n + 1))
	fi
	prev_dev=$dev
	prev_end=$((off + len))
	start=$((start + len))
done </tmp/layout16
echo "$n boundaries crossed by one write each"

# A 1 MiB write from sector 0 spans many regions: read it back per region.
dd if=/dev/urandom of=/tmp/big bs=1M count=1 2>/dev/null
write_sectors /dev/mapper/cmb 0 /tmp/big || fail "1 MiB write failed"
start=0
while read -r len dev off && [ "$start" -lt 2048 ]; do
	count=$((len < 2048 - start ? len : 2048 - start))
	dd if=/tmp/big of=/tmp/want bs=512 skip="$start" count="$count" 2>/dev/null
	read_sectors "$dev" "$off" "$count" /tmp/got || fail "read $dev failed"
	cmp -s /tmp/want /tmp/got || fail "1 MiB write: region at $start wrong"
	start=$((start + len))
done </tmp/layout16
dmsetup remove cmb
brd_unload
