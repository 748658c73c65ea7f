#!/bin/sh
# Malformed combine tables are refused with their exact error, leave no
# device behind, and neither crash nor warn (the suite scans dmesg).
. /tests/lib.sh
. /tests/combine.sh
need_module

d=$(nullb_create errs512 64)			# 131072 sectors of 512 bytes
d4=$(nullb_create errs4k 64 blocksize=4096)
dn=$(devnum "$d")
# The same major:minor with 4096 added to the major: it must not wrap onto d.
alias=$((${dn%:*} + 4096)):${dn#*:}

# The gpt layout: a disk GUID, a partition's type and GUID, and the start
# of a table whose three regions are GPT, one volume and GPT.
disk=5d1b7a6e-0c4f-4a57-9c2e-00000000d15c
type=0fc63daf-8483-4772-8e79-3d69d8477de4
guid=a0b1c2d3-e4f5-4a6b-8c7d-000000000001
zero=00000000-0000-0000-0000-000000000000
gpt="3 gpt 512 $disk 3 64 gpt 0"
# 129 volume regions of 8 sectors between 64 sectors of GPT at each end.
too_many="3 gpt 512 $disk 131 64 gpt 0"
i=1
while [ $i -le 129 ]; do
	too_many="$too_many 8 $d $((i * 8)) $i $type $guid v$i"
	i=$((i + 1))
done
too_many="$too_many $((2048 - 64 - 129 * 8)) gpt 0"

# "<table after 'combine'>|<ti->error>[|<target length>]", 2048 unless given.
cat >/tmp/bad-tables <<EOT
|Invalid number of feature arguments
x|Invalid number of feature arguments
-1|Invalid number of feature arguments
17 a b c d e f g h i j k l m n o p q|Invalid number of feature arguments
2 foo|Invalid number of feature arguments
1 foo 1 2048 $d 0|Unrecognised feature argument
0|Invalid number of regions
0 0|Invalid number of regions
0 x|Invalid number of regions
0 131073 2048 $d 0|Invalid number of regions
0 1 2048 $d|Wrong number of region arguments
0 1 2048 $d 0 extra|Wrong number of region arguments
0 2 2048 $d 0|Wrong number of region arguments
0 1 abc $d 0|Invalid region length
0 1 -2048 $d 0|Invalid region length
0 1 2048x $d 0|Invalid region length
0 1 0x800 $d 0|Invalid region length
0 1 99999999999999999999999 $d 0|Invalid region length
0 2 0 $d 0 2048 $d 0|Zero-length region
0 1 4096 $d 0|Region lengths exceed the target length
0 2 2048 $d 0 8 $d 4096|Region lengths exceed the target length
0 1 1024 $d 0|Region lengths do not add up to the target length
0 2 1024 $d 0 512 - 0|Region lengths do not add up to the target length
0 1 2048 $d x|Invalid region offset
0 1 2048 $d -8|Invalid region offset
0 1 2048 $d 0x10|Invalid region offset
0 1 2048 $d 18446744073709551615|Region runs past the end of its device
0 1 2048 $d 130000|Region runs past the end of its device
0 1 2048 - 8|Hole offset must be 0
0 1 2048 - x|Invalid region offset
0 1 2048 /dev/nonexistent 0|Device lookup failed
0 1 2048 999:999 0|Device lookup failed
0 2 1024 $d 0 1024 $alias 1024|Device lookup failed
0 2 1024 $d 0 1024 $d 512|Regions overlap on a member device
0 2 1024 $d 4096 1024 $dn 5000|Regions overlap on a member device
0 3 1024 $d 0 512 - 0 512 $d 1000|Regions overlap on a member device
0 1 2048 $d4 4|Region not aligned to the logical block size
0 2 1028 $d 0 1020 $d4 0|Region not aligned to the logical block size
0 2 1024 $d 4 1024 $d4 0|Region not aligned to the logical block size
1 gpt 1 2048 gpt 0|Feature gpt needs <block_size> <disk_guid>
3 gpt 1000 $disk 1 2048 gpt 0|Invalid GPT logical block size
3 gpt 8192 $disk 1 2048 gpt 0|Invalid GPT logical block size
3 gpt 512 $disk-0 1 2048 gpt 0|Invalid GPT disk GUID
6 gpt 512 $disk gpt 512 $disk 1 2048 gpt 0|Duplicate gpt feature
0 1 2048 gpt 0|Device lookup failed
3 gpt 512 $disk 1 2048 gpt 8|GPT area offset must be 0
$gpt 1984 $d 0 64 gpt 0|Wrong number of region arguments
$gpt 1920 $d 0 0 $type $guid a 64 gpt 0|Invalid partition number
$gpt 1920 $d 0 129 $type $guid a 64 gpt 0|Invalid partition number
$gpt 1920 $d 0 1 $guid- $guid a 64 gpt 0|Invalid partition type GUID
$gpt 1920 $d 0 1 $zero $guid a 64 gpt 0|Invalid partition type GUID
$gpt 1920 $d 0 1 $type $zero a 64 gpt 0|Invalid partition GUID
$gpt 1920 $d 0 1 $type $guid 0123456789012345678901234567890123456 64 gpt 0|Invalid partition name
3 gpt 512 $disk 4 64 gpt 0 960 $d 0 1 $type $guid a 960 $d 2048 1 $type $guid b 64 gpt 0|Duplicate partition number
3 gpt 512 $disk 3 32 gpt 0 1952 $d 0 1 $type $guid a 64 gpt 0|First region must be a GPT area holding the primary GPT
3 gpt 512 $disk 2 1984 $d 0 1 $type $guid a 64 gpt 0|First region must be a GPT area holding the primary GPT
3 gpt 512 $disk 3 64 gpt 0 1952 $d 0 1 $type $guid a 32 gpt 0|Last region must be a GPT area holding the backup GPT
3 gpt 512 $disk 2 64 gpt 0 1984 $d 0 1 $type $guid a|Last region must be a GPT area holding the backup GPT
$gpt 1920 $d4 0 1 $type $guid a 64 gpt 0|Member logical block size exceeds the GPT's
3 gpt 4096 $disk 3 64 gpt 0 1916 $d 0 1 $type $guid a 68 gpt 0|Region not aligned to the logical block size
$too_many|Too many partitions
3 gpt 4096 $disk 1 48 gpt 0|Last region must be a GPT area holding the backup GPT|48
3 gpt 4096 $disk 1 2048 gpt 0|Last region must be a GPT area holding the backup GPT
3 gpt 4096 $disk 2 48 gpt 0 40 gpt 0|No usable block between the primary and backup GPT|88
3 gpt 512 $disk 2 34 gpt 0 33 gpt 0|No usable block between the primary and backup GPT|67
3 gpt 512 $zero 2 1024 gpt 0 1024 gpt 0|Invalid GPT disk GUID
EOT

n=0
while IFS='|' read -r args want len; do
	n=$((n + 1))
	before=$(dmesg | wc -l)
	if dmsetup create bad --table "0 ${len:-2048} combine $args" 2>/dev/null; then
		fail "accepted: combine $args"
	fi
	dmsetup info bad >/dev/null 2>&1 && fail "device left behind: combine $args"
	got=$(dmesg | tail -n +"$((before + 1))" | grep 'combine: ' | head -n 1)
	case "$got" in
	*"combine: $want"*) ;;
	*) fail "combine $args: want '$want', kernel said '$got'" ;;
	esac
done </tmp/bad-tables
[ "$n" -ge 30 ] || fail "only $n bad tables"
echo "$n malformed tables refused with their exact error"

# Valid tables still load: the same device under another name is one member
# (one flush clone), and regions may lie on a member in any order.
dmsetup create good --table "0 2048 combine 0 2 1024 $d 0 1024 $dn 1024" ||
	fail "valid table refused"
dmsetup table good | grep -q "^0 2048 combine 0 2 1024 $dn 0 1024 $dn 1024\$" ||
	fail "table of two names: $(dmsetup table good)"
dmsetup remove good
dmsetup create good --table "0 3072 combine 0 3 1024 $d 4096 1024 $dn 0 1024 $d 2048" ||
	fail "regions out of order on their member refused"
dmsetup remove good
# The smallest GPT: head, tail and one usable block.
dmsetup create good --table "0 68 combine 3 gpt 512 $disk 2 34 gpt 0 34 gpt 0" ||
	fail "GPT with one usable block refused"
dmsetup remove good

# A GPT is only right at the start of the device.
before=$(dmesg | wc -l)
if printf '0 64 zero\n64 2048 combine %s\n' "$gpt 1920 $d 0 1 $type $guid a 64 gpt 0" |
   dmsetup create bad 2>/dev/null; then
	fail "accepted a gpt target at sector 64"
fi
dmesg | tail -n +"$((before + 1))" |
	grep -q 'combine: The gpt layout must start at sector 0' ||
	fail "gpt target at sector 64: $(dmesg | tail -n 3)"
nullb_remove errs512
nullb_remove errs4k
