#!/bin/sh
# Random layouts, holes included, read and written byte for byte the same
# as an equivalent dm-linear + dm-error table.
. /tests/lib.sh
. /tests/combine.sh
need_module

brd_load 3 16384				# 3 x 16 MiB = 32768 sectors each
for r in 0 1 2; do
	fill_random "/dev/ram$r" 32768
done

for seed in 1 2 3 4 5; do
	random_layout "$seed" 60 15 8 256 /dev/ram0:32768 /dev/ram1:32768 \
		/dev/ram2:32768 >/tmp/layout
	combine_table /tmp/layout | dmsetup create cmb ||
		fail "seed $seed: combine table refused"
	linear_table /tmp/layout | dmsetup create lin ||
		fail "seed $seed: linear table refused"
	[ "$(sectors_of /dev/mapper/cmb)" = "$(layout_sectors /tmp/layout)" ] ||
		fail "seed $seed: wrong size"

	# Rewrite a few random regions through combine before comparing, so
	# that both the read and the write paths are checked.
	start=0
	while read -r len dev off; do
		if [ "$dev" != - ] && [ $((start % 3)) -eq 0 ]; then
			dd if=/dev/urandom of=/tmp/data bs=512 count="$len" 2>/dev/null
			write_sectors /dev/mapper/cmb "$start" /tmp/data ||
				fail "seed $seed: write at $start failed"
		fi
		if read_sectors /dev/mapper/cmb "$start" "$len" /tmp/a; then
			[ "$dev" != - ] || fail "seed $seed: hole at $start readable"
			read_sectors /dev/mapper/lin "$start" "$len" /tmp/b ||
				fail "seed $seed: linear read at $start failed"
			cmp -s /tmp/a /tmp/b ||
				fail "seed $seed: region at $start differs from dm-linear"
		else
			[ "$dev" = - ] || fail "seed $seed: read at $start failed"
			read_sectors /dev/mapper/lin "$start" "$len" /tmp/b &&
				fail "seed $seed: dm-error region at $start readable"
		fi
		start=$((start + len))
	done </tmp/layout
	echo "seed $seed: $(wc -l </tmp/layout) regions, $start sectors identical"
	dmsetup remove cmb
	dmsetup remove lin
done
brd_unload
