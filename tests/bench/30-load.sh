#!/bin/sh
# Table load time (guest time) of dm-linear with one line per region and of
# combine, and the kernel memory each takes per region: slab, vmalloc and
# per-CPU memory before and after (members named major:minor, as dmcombine
# and `dmsetup table` write them).
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module

for n in $bench_counts; do
	d=$(nullb_create "load$n" "$n" irqmode=0)
	regions_layout "$n" 1 "$(devnum "$d")" >/tmp/layout
	linear_table /tmp/layout >/tmp/linear.table
	combine_table /tmp/layout >/tmp/combine.table
	for config in linearN combine; do
		case $config in
		linearN) table=/tmp/linear.table ;;
		combine) table=/tmp/combine.table ;;
		esac
		mem0=$(kernel_memory)
		t0=$(uptime_cs)
		dmsetup create "$config" "$table"
		t1=$(uptime_cs)
		mem1=$(kernel_memory)
		row load "$n" "$config" "$(((t1 - t0) * 10))" ms
		row memory "$n" "$config" "$(((mem1 - mem0) / n))" bytes/region
		dmsetup remove "$config"
	done
	nullb_remove "load$n"
done
