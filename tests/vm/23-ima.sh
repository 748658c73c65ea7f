#!/bin/sh
# IMA: with a critical_data policy for device-mapper, each table load is
# measured, and the combine target's record holds the SHA-256 of its TABLE
# status, so that two tables with the same counts but other members or
# offsets measure differently, and a verifier recomputes the digest from
# `dmsetup table`.  The policy is loaded at run time (Debian's kernels
# take one policy write when CONFIG_IMA_WRITE_POLICY is off): this test
# skips where it was already written.
. /tests/lib.sh
. /tests/combine.sh
need_module

ima=/sys/kernel/security/ima
grep -qs securityfs /proc/mounts || mount -t securityfs securityfs /sys/kernel/security ||
	skip "no securityfs"
[ -e $ima/policy ] || skip "no IMA policy file (policy already written or no IMA)"
echo "measure func=CRITICAL_DATA label=device-mapper template=ima-buf" >$ima/policy ||
	skip "IMA refused the critical_data policy"

# measured_digest NAME: mapping_sha256 of the latest dm_table_load record
# of device NAME (ima-buf gives the buffer in hex as the last field).
measured_digest() {
	grep ' dm_table_load ' $ima/ascii_runtime_measurements | tail -n 1 |
		awk '{ hex = $NF; s = ""
		       for (i = 1; i < length(hex); i += 2)
			       s = s sprintf("%c", 16 * index("0123456789abcdef", substr(hex, i, 1)) - 16 +
					       index("0123456789abcdef", substr(hex, i + 1, 1)) - 1)
		       print s }' >/tmp/record
	grep -q "name=$1," /tmp/record || fail "no dm_table_load record of $1: $(cat /tmp/record)"
	sed -n 's/.*target_name=combine,[^;]*mapping_sha256=\([0-9a-f]*\);.*/\1/p' /tmp/record
}

# table_digest NAME: SHA-256 of what `dmsetup table` prints after the target name.
table_digest() {
	dmsetup table "$1" | cut -d' ' -f4- | tr -d '\n' | sha256sum | cut -d' ' -f1
}

brd_load 2 4096
dmsetup create cmb --table "0 2048 combine 0 2 1024 /dev/ram0 0 1024 /dev/ram1 0" ||
	fail "table refused"
one=$(measured_digest cmb)
[ -n "$one" ] || fail "no mapping_sha256 in $(cat /tmp/record)"
[ "$one" = "$(table_digest cmb)" ] ||
	fail "measured $one, dmsetup table hashes to $(table_digest cmb)"
grep -q "region_count=2,member_count=2,partition_count=0," /tmp/record ||
	fail "counts missing: $(cat /tmp/record)"
dmsetup remove cmb

# Same counts, another offset: another digest.
dmsetup create cmb --table "0 2048 combine 0 2 1024 /dev/ram0 8 1024 /dev/ram1 0" ||
	fail "table refused"
two=$(measured_digest cmb)
[ "$two" != "$one" ] || fail "other offset, same digest $one"
[ "$two" = "$(table_digest cmb)" ] || fail "second table: $two"
dmsetup remove cmb
# Same counts, members swapped: another digest.
dmsetup create cmb --table "0 2048 combine 0 2 1024 /dev/ram1 0 1024 /dev/ram0 0" ||
	fail "table refused"
three=$(measured_digest cmb)
[ "$three" != "$one" ] && [ "$three" != "$two" ] || fail "members swapped, same digest"
echo "each mapping measured by the SHA-256 of its table: $one $two $three"
dmsetup remove cmb
brd_unload
