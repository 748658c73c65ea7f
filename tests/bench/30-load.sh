#!/bin/sh
# Table load time (guest time) of dm-linear with one line per region and of
# combine, and the kernel memory each takes per region (MemFree before and
# after, caches dropped; the guest has nothing else running).
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module

# mem_free: free memory in bytes, after dropping what the kernel can drop.
mem_free() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^MemFree:/ { print $2 * 1024 }' /proc/meminfo
}

for n in $bench_counts; do
	d=$(nullb_create "load$n" "$n" irqmode=0)
	regions_layout "$n" 1 "$d" >/tmp/layout
	linear_table /tmp/layout >/tmp/linear.table
	combine_table /tmp/layout >/tmp/combine.table
	for config in linearN combine; do
		case $config in
		linearN) table=/tmp/linear.table ;;
		combine) table=/tmp/combine.table ;;
		esac
		free0=$(mem_free)
		t0=$(uptime_cs)
		dmsetup create "$config" "$table"
		t1=$(uptime_cs)
		free1=$(mem_free)
		row load "$n" "$config" "$(((t1 - t0) * 10))" ms
		row memory "$n" "$config" "$(((free0 - free1) / n))" bytes/region
		dmsetup remove "$config"
	done
	nullb_remove "load$n"
done
