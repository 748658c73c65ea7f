#!/bin/sh
# Tables of 10,000 and 100,000 regions load, map and unload.
. /tests/lib.sh
. /tests/combine.sh
need_module

a=$(nullb_create largea 4096)
b=$(nullb_create largeb 4096)
for n in 10000 100000; do
	awk -v n="$n" -v a="$a" -v b="$b" 'BEGIN {
		for (i = 0; i < n; i++)
			print 64, (i % 2 ? b : a), int(i / 2) * 64 }' >/tmp/layout
	combine_table /tmp/layout >/tmp/table
	t0=$(date +%s)
	dmsetup create cmb /tmp/table || fail "$n regions refused"
	t1=$(date +%s)
	[ "$(sectors_of /dev/mapper/cmb)" = $((n * 64)) ] || fail "$n: wrong size"
	[ "$(dmsetup table cmb | awk '{ print $5 }')" = "$n" ] ||
		fail "$n: table does not list $n regions"
	# The last region maps to the last 64 sectors used on b.
	read_sectors /dev/mapper/cmb $(((n - 1) * 64)) 64 /tmp/x ||
		fail "$n: read of last region failed"
	dmsetup remove cmb
	echo "$n regions: loaded in $((t1 - t0)) s"
done
nullb_remove largea
nullb_remove largeb
