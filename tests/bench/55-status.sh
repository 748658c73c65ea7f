#!/bin/sh
# Where the time of reading the counters of many regions goes, at 1 and
# 100,000 regions, without and with the latency feature: guest time per
# call of dmsetup info (the ioctl without a payload), status (target 1.4:
# a summary of constant size) and table; and the ioctls alone
# (tests/vm/dm-ioctl-time.c, without dmsetup's own 60 ms): status,
# regions_print of every region (2 MB of text at 100,000 regions, 11 MB
# with latency: what INFO status held before 1.4) and stats_reset.  The
# cost of printing grows with the bytes: the target's formatting, the
# ioctl's copies, and libdevmapper asking again with a doubled buffer
# while the answer does not fit.  And the table load, which includes the
# SHA-256 of the mapping that dm-ima asks for.
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module

for n in 1 100000; do
	d=$(nullb_create "status$n" "$n" irqmode=0)
	regions_layout "$n" 1 "$(devnum "$d")" >/tmp/layout
	combine_table /tmp/layout >/tmp/combine.table
	t0=$(uptime_cs)
	dmsetup create combine /tmp/combine.table ||
		fail "table of $n regions refused"
	t1=$(uptime_cs)
	# The load, with dm-ima asking for the mapping's digest.
	row status-split "$n" load "$(((t1 - t0) * 10))" ms
	combine_table /tmp/layout | sed 's/ combine 0 / combine 1 latency /' |
		dmsetup create latency || fail "latency table of $n regions refused"
	row status-split "$n" info "$(time_ms dmsetup info combine)" ms
	row status-split "$n" status "$(time_ms dmsetup status combine)" ms
	row status-split "$n" status-bytes "$(dmsetup status combine | wc -c)" bytes
	row status-split "$n" table "$(time_ms dmsetup table combine)" ms
	row status-split "$n" status-latency "$(time_ms dmsetup status latency)" ms
	row status-split "$n" status-latency-bytes "$(dmsetup status latency | wc -c)" bytes
	# The ioctls alone (target 1.4: INFO is a summary, regions_print gives
	# every region's line): mean guest microseconds and bytes of the answer.
	for dev in combine latency; do
		set -- $(/tests/dm-ioctl-time 10 "$dev" status)
		row status-ioctl "$n" "$dev" "$1" us
		row status-ioctl-bytes "$n" "$dev" "$2" bytes
		set -- $(/tests/dm-ioctl-time 3 "$dev" message regions_print)
		row regions-print-ioctl "$n" "$dev" "$1" us
		row regions-print-ioctl-bytes "$n" "$dev" "$2" bytes
		set -- $(/tests/dm-ioctl-time 10 "$dev" message stats_reset)
		row stats-reset-ioctl "$n" "$dev" "$1" us
	done
	dmsetup remove latency
	dmsetup remove combine
	nullb_remove "status$n"
done
