# Helpers for guest tests of the combine target (sourced after lib.sh).
#
# A layout file has one region per line, "<len> <dev|-> <offset>" in
# sectors, in the order the regions follow each other on the combined device.

# random_layout SEED REGIONS HOLE_PERCENT MIN_LEN MAX_LEN DEV:SECTORS...
# Regions of MIN_LEN..MAX_LEN sectors (multiples of 8) on random members, at
# increasing offsets with random gaps, HOLE_PERCENT of them holes.  Stops
# early when no member has room left.
random_layout() {
	seed=$1 regions=$2 holes=$3 min_len=$4 max_len=$5
	shift 5
	awk -v seed="$seed" -v regions="$regions" -v holes="$holes" \
	    -v min_len="$min_len" -v max_len="$max_len" -v members="$*" '
	function pick(n) { return int(rand() * n) }
	BEGIN {
		srand(seed)
		n = split(members, m, " ")
		for (i = 1; i <= n; i++) {
			split(m[i], f, ":")
			dev[i] = f[1]; size[i] = f[2]; next_free[i] = 0
		}
		for (r = 0; r < regions; r++) {
			len = min_len + 8 * pick((max_len - min_len) / 8 + 1)
			if (pick(100) < holes) { print len, "-", 0; continue }
			d = 1 + pick(n)
			for (tries = 0; tries < n; tries++) {
				off = next_free[d] + 8 * pick(8)
				if (off + len <= size[d])
					break
				d = d % n + 1
			}
			if (tries == n)
				exit
			print len, dev[d], off
			next_free[d] = off + len
		}
	}'
}

layout_sectors() {
	awk '{ s += $1 } END { print s + 0 }' "$1"
}

# combine_table LAYOUT: the table line of a combine target over LAYOUT.
combine_table() {
	awk 'NR == FNR { n++; s += $1; next }
	     FNR == 1 { printf "0 %d combine 0 %d", s, n }
	     { printf " %s %s %s", $1, $2, $3 }
	     END { print "" }' "$1" "$1"
}

# linear_table LAYOUT: the same mapping as dm-linear lines, holes as dm-error.
linear_table() {
	awk 'BEGIN { s = 0 }
	     { if ($2 == "-") print s, $1, "error"
	       else print s, $1, "linear", $2, $3
	       s += $1 }' "$1"
}

# read_sectors DEV START COUNT OUT: O_DIRECT copy of sectors into file OUT.
# Fails when the read fails.  START and COUNT must be multiples of 8.
read_sectors() {
	dd if="$1" of="$4" bs=4096 skip=$(($2 / 8)) count=$(($3 / 8)) \
		iflag=direct 2>/dev/null
}

# write_sectors DEV START FILE: one O_DIRECT write of FILE at sector START.
write_sectors() {
	dd if="$3" of="$1" bs="$(wc -c <"$3")" seek="$(($2 * 512))" \
		count=1 oflag=direct,seek_bytes conv=notrunc 2>/dev/null
}

# fill_random DEV SECTORS: random bytes over the first SECTORS of DEV.
fill_random() {
	dd if=/dev/urandom of="$1" bs=4096 count=$(($2 / 8)) oflag=direct \
		2>/dev/null
}

# status_counters NAME REGION: the ten counters (include/dm-combine.h) of
# region REGION (from 0) of combine device NAME, from its regions_print
# line: "<reads> <writes> <read_sectors> <write_sectors> <errors> <discards>
# <discard_sectors> <write_zeroes> <write_zeroes_sectors> <flush_errors>".
status_counters() {
	dmsetup message "$1" 0 regions_print "$2" 1 | awk '{
		for (f = 1; f < 10; f++) printf "%s ", $f; print $10 }'
}
