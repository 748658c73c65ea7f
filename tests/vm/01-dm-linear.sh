#!/bin/sh
# dm-linear over two null_blk devices: data written through a two-line
# table lands at the right offsets of the right members.
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

a=$(nullb_create lina 16 memory_backed=1)
b=$(nullb_create linb 16 memory_backed=1)

# Sectors 0..8191 are a's 2048..10239, 8192..16383 are b's 4096..12287.
dmsetup create lin <<EOT || fail "dm-linear table refused"
0 8192 linear $a 2048
8192 8192 linear $b 4096
EOT
[ "$(sectors_of /dev/mapper/lin)" = 16384 ] ||
	fail "size $(sectors_of /dev/mapper/lin), want 16384"

dd if=/dev/urandom of=/tmp/pattern bs=1M count=8 2>/dev/null
dd if=/tmp/pattern of=/dev/mapper/lin bs=1M oflag=direct 2>/dev/null ||
	fail "write through dm-linear failed"
dd if=/tmp/pattern bs=512 count=8192 2>/dev/null | md5sum | cut -d' ' -f1 >/tmp/want
dd if=/tmp/pattern bs=512 skip=8192 2>/dev/null | md5sum | cut -d' ' -f1 >>/tmp/want
{ md5_range "$a" 2048 8192; md5_range "$b" 4096 8192; } >/tmp/got
cmp -s /tmp/want /tmp/got || fail "members do not hold the data at the mapped offsets"
[ "$(md5_range /dev/mapper/lin 0 16384)" = "$(md5sum </tmp/pattern | cut -d' ' -f1)" ] ||
	fail "data read back through dm-linear differs"
echo "8 MiB through a two-line dm-linear table landed on both members"

dmsetup remove lin
nullb_remove lina
nullb_remove linb
