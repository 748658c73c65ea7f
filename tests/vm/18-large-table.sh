#!/bin/sh
# Tables of 10,000 and 100,000 regions load, map, give their counters and
# unload.
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
	# INFO status is a summary; regions_print gives every region, through
	# buffers libdevmapper grows until the answer fits; stats_reset.  Each
	# walks every region (the summary none): long loops must yield, which
	# the guest's soft lockup and RCU stall checks watch (run this test with
	# VM_APPEND=possible_cpus=256 for a big server's CPU masks).
	[ "$(dmsetup status cmb | cut -d' ' -f4-)" = "$n 0 0 0 0" ] ||
		fail "$n: status $(dmsetup status cmb | cut -c1-80)"
	dmsetup message cmb 0 regions_print >/tmp/regions || fail "$n: regions_print failed"
	[ "$(wc -l </tmp/regions)" = "$n" ] || fail "$n: regions_print gave $(wc -l </tmp/regions) lines"
	last=$(dmsetup message cmb 0 regions_print $((n - 1)) 1)
	[ "$(sed -n "${n}p" /tmp/regions)" = "$last" ] && [ "$(echo "$last" | cut -d' ' -f3)" -ge 64 ] ||
		fail "$n: last region's line: $(sed -n "${n}p" /tmp/regions), alone: $last"
	dmsetup message cmb 0 stats_reset || fail "$n: stats_reset failed"
	[ "$(dmsetup message cmb 0 regions_print $((n - 1)) 1)" = "0 0 0 0 0 0 0 0 0 0" ] ||
		fail "$n: last region after stats_reset: $(dmsetup message cmb 0 regions_print $((n - 1)) 1)"
	dmsetup remove cmb
	echo "$n regions: loaded in $((t1 - t0)) s"
done

# stats_reset while a volume fails all the time: once its first error since
# the reset is counted, INFO status must count it as failing, so that a
# monitor (which reads the regions only when the summary shows failures)
# does not miss it until the next reset.  Region 0 is zeroed first and the
# totals after every region (and latency value): an error in between was
# once counted and then lost from the totals for good.
dmsetup create failing --table "0 64 error" || fail "error target"
n=100000
awk -v n="$n" -v a="$a" -v b="$b" 'BEGIN {
	print 64, "/dev/mapper/failing", 0
	for (i = 1; i < n; i++)
		print 64, (i % 2 ? b : a), int(i / 2) * 64 }' >/tmp/layout
combine_table /tmp/layout | sed 's/ combine 0 / combine 1 latency /' >/tmp/table
dmsetup create cmb /tmp/table || fail "$n regions with latency refused"
# Failing reads of region 0, as fast as they come, until /tmp/stop.
rm -f /tmp/stop
(while [ ! -e /tmp/stop ]; do
	dd if=/dev/mapper/cmb of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null || :
done) &
reader=$!
trap 'touch /tmp/stop' EXIT
for try in 1 2 3 4 5 6 7 8 9 10; do
	dmsetup message cmb 0 stats_reset || fail "stats_reset failed"
	wait=0
	while errors=$(dmsetup message cmb 0 regions_print 0 1 | cut -d' ' -f5) &&
	      [ "$errors" = 0 ]; do
		wait=$((wait + 1))
		[ "$wait" -le 50 ] || fail "reset $try: no errors counted on the failing region"
		sleep 0.1
	done
	# Counted with the error's counter: let it land before looking.
	sleep 0.2
	set -- $(dmsetup status cmb)
	[ "$5" -ge 1 ] ||
		fail "reset $try: region 0 has $errors errors, status counts no failing region: $*"
done
touch /tmp/stop
wait "$reader"
dmsetup remove cmb
dmsetup remove failing
echo "stats_reset under errors: the summary counted the failing region after each of 10 resets"
nullb_remove largea
nullb_remove largeb
