#!/bin/sh
# Kernel memory per region against the possible CPUs the guest was booted
# with (scripts/vm/bench.sh boots with 1, 2 and 256), dm-linear with one
# line per region beside it; and at 1 region (what dmsetup itself costs)
# and 100,000 regions the guest time of `dmsetup status` and of the
# stats_reset message, with dmsetup and the ioctl alone.
. /tests/lib.sh
. /tests/combine.sh
. /tests/bench.sh
need_module

cpus=$(possible_cpus)

# ioctl_us status|message WORD...: guest microseconds per ioctl on combine.
ioctl_us() {
	/tests/dm-ioctl-time 10 combine "$@" | cut -d' ' -f1
}

for n in 1 10000 100000; do
	d=$(nullb_create "scale$n" "$n" irqmode=0)
	regions_layout "$n" 1 "$(devnum "$d")" >/tmp/layout
	combine_table /tmp/layout >/tmp/combine.table
	configs=combine
	# dm-linear's 100,000-line load alone takes 36 s of guest time.
	if [ "$n" -le 10000 ]; then
		linear_table /tmp/layout >/tmp/linearN.table
		configs="linearN combine"
	fi
	for config in $configs; do
		mem0=$(kernel_memory)
		dmsetup create "$config" "/tmp/$config.table" ||
			fail "$config table of $n regions refused"
		mem1=$(kernel_memory)
		row memory-cpus "$n" "$config-$cpus" "$(((mem1 - mem0) / n))" bytes/region
		if [ "$config" = combine ] && [ "$n" != 10000 ]; then
			row status "$n" "cpus-$cpus" "$(time_ms dmsetup status combine)" ms
			row stats-reset "$n" "cpus-$cpus" \
				"$(time_ms dmsetup message combine 0 stats_reset)" ms
			# The ioctls alone, without dmsetup's 60 ms.
			row status-ioctl "$n" "cpus-$cpus" "$(ioctl_us status)" us
			row stats-reset-ioctl "$n" "cpus-$cpus" \
				"$(ioctl_us message stats_reset)" us
		fi
		dmsetup remove "$config"
	done
	nullb_remove "scale$n"
done
