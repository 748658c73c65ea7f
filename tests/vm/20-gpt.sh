#!/bin/sh
# The gpt feature: the device carries a GUID partition table built from the
# table line, for 512- and 4096-byte blocks.  Through a loop device with
# partition scanning each volume is a partition with its name, GUID and
# own filesystem; sgdisk finds nothing wrong; volume data is untouched;
# writes to the GPT and padding fail and change nothing; TABLE reloads.
. /tests/lib.sh
. /tests/combine.sh
need_module

type=0fc63daf-8483-4772-8e79-3d69d8477de4
disk=5d1b7a6e-0c4f-4a57-9c2e-00000000d15c
guid_a=a0b1c2d3-e4f5-4a6b-8c7d-00000000000a
guid_b=a0b1c2d3-e4f5-4a6b-8c7d-00000000000b

# volume NAME BLOCK_SIZE LABEL: a 32 MiB null_blk holding an ext4 file
# system with one file, hello, that says LABEL.
volume() {
	mkdir -p "/tmp/$3"
	echo "hello from $3" >"/tmp/$3/hello"
	dev=$(nullb_create "$1" 32 memory_backed=1 blocksize="$2")
	mke2fs -q -t ext4 -b 4096 -L "$3" -d "/tmp/$3" "$dev" ||
		fail "mke2fs on $dev"
	echo "$dev"
}

# partition_field PART FIELD: a blkid low-level probe value.
partition_field() {
	blkid -p -o value -s "$2" "$1"
}

# gpt_table BLOCK_SIZE A B HOLE: 2048 sectors of GPT, volume A, volume B
# right after it (32 MiB keeps 1 MiB alignment), a hole of HOLE sectors
# unless 0, 2048 sectors of backup GPT.
gpt_table() {
	if [ "$4" -gt 0 ]; then
		set -- "$1" "$2" "$3" "$4 - 0" 5 $((135168 + $4))
	else
		set -- "$1" "$2" "$3" "" 4 135168
	fi
	echo "0 $6 combine 3 gpt $1 $disk $5 2048 gpt 0" \
		"65536 $2 0 1 $type $guid_a vol-a" \
		"65536 $3 0 2 $type $guid_b Données $4 2048 gpt 0"
}

# check_layout NAME BLOCK_SIZE A B: the GPT of combine device NAME over
# volumes A (partition 1, "vol-a") and B (partition 2, "Données").
check_layout() {
	dm=/dev/mapper/$1
	[ "$(blockdev --getss "$dm")" = "$2" ] ||
		fail "$1: logical block size $(blockdev --getss "$dm"), not $2"
	sgdisk -v "$dm" >/tmp/sgdisk 2>&1 || true
	grep -q 'No problems found' /tmp/sgdisk ||
		fail "$1: sgdisk -v: $(cat /tmp/sgdisk)"

	loop=$(losetup -f --show -r -P --sector-size "$2" "$dm") ||
		fail "$1: no loop device"
	n=0
	while [ ! -b "${loop}p2" ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	for p in "1 vol-a $guid_a $3 A" "2 Données $guid_b $4 B"; do
		set -- $p
		part=${loop}p$1
		[ -b "$part" ] || fail "no partition $part"
		[ "$(partition_field "$part" PART_ENTRY_NAME)" = "$2" ] ||
			fail "$part: name '$(partition_field "$part" PART_ENTRY_NAME)'"
		[ "$(partition_field "$part" PART_ENTRY_UUID)" = "$3" ] ||
			fail "$part: GUID '$(partition_field "$part" PART_ENTRY_UUID)'"
		[ "$(partition_field "$part" PART_ENTRY_TYPE)" = "$type" ] ||
			fail "$part: type '$(partition_field "$part" PART_ENTRY_TYPE)'"
		[ "$(partition_field "$part" UUID)" = "$(partition_field "$4" UUID)" ] ||
			fail "$part: file system UUID differs from its volume's"
		mkdir -p /mnt/p
		mount -t ext4 -o ro "$part" /mnt/p || fail "mount $part"
		grep -qx "hello from $5" /mnt/p/hello || fail "$part: wrong file"
		umount /mnt/p
	done
	losetup -d "$loop"
}

# check_synthesised NAME START COUNT: writes to those sectors fail and
# leave what they read as before.
check_synthesised() {
	before=$(md5_range "/dev/mapper/$1" "$2" "$3")
	dd if=/dev/zero of=/tmp/zeros bs=512 count="$3" 2>/dev/null
	if write_sectors "/dev/mapper/$1" "$2" /tmp/zeros; then
		fail "$1: write to sectors $2+$3 succeeded"
	fi
	[ "$(md5_range "/dev/mapper/$1" "$2" "$3")" = "$before" ] ||
		fail "$1: sectors $2+$3 changed"
}

# check_reload NAME: TABLE status loads the same device again.
check_reload() {
	table=$(dmsetup table "$1")
	dmsetup reload "$1" --table "$table" || fail "$1: TABLE refused: $table"
	dmsetup resume "$1"
	[ "$(dmsetup table "$1")" = "$table" ] || fail "$1: TABLE changed on reload"
}

# 512-byte blocks, with a hole before the backup GPT.
a=$(volume gpta 512 A)
b=$(volume gptb 512 B)
dmsetup create gpt512 --table "$(gpt_table 512 "$a" "$b" 2048)" ||
	fail "gpt table refused"
check_layout gpt512 512 "$a" "$b"
[ "$(md5_range /dev/mapper/gpt512 2048 65536)" = "$(md5_range "$a" 0 65536)" ] ||
	fail "volume A reads differently through the combined device"
check_synthesised gpt512 0 2048
check_synthesised gpt512 135168 2048
check_reload gpt512
# The hole still fails reads: a dropped volume is not padding.
if read_sectors /dev/mapper/gpt512 133120 8 /tmp/hole; then
	fail "read of the hole succeeded"
fi
dmsetup remove gpt512

# 4096-byte blocks: the GPT is written in 4096-byte LBAs.
nullb_remove gpta
nullb_remove gptb
a=$(volume gpta 4096 A)
b=$(volume gptb 4096 B)
dmsetup create gpt4k --table "$(gpt_table 4096 "$a" "$b" 0)" ||
	fail "gpt table of 4096-byte blocks refused"
check_layout gpt4k 4096 "$a" "$b"
check_synthesised gpt4k 0 2048
check_reload gpt4k
dmsetup remove gpt4k
nullb_remove gpta
nullb_remove gptb
echo "GPT of 512- and 4096-byte blocks read by sgdisk, blkid and ext4"
