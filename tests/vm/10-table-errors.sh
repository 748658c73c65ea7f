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

# "<table after 'combine'>|<ti->error>", target length 2048 unless given.
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
EOT

n=0
while IFS='|' read -r args want; do
	n=$((n + 1))
	before=$(dmesg | wc -l)
	if dmsetup create bad --table "0 2048 combine $args" 2>/dev/null; then
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
nullb_remove errs512
nullb_remove errs4k
