#!/bin/sh
# 200 cycles of add and drop while fio verifies the volumes that stay; 20
# concurrent invocations on one and on different devices; kill -9 at random
# points of add and drop.  Afterwards the next plain command finishes or
# discards the change, the registry parses and matches the kernel, and
# nothing is left behind.
. /tests/lib.sh
. /tests/tool.sh
need_module

brd_load 8 4096					# 8192 sectors each
# concat: fio and the stamps below start at sector 0, a volume's.
dmc create vm --layout concat a=/dev/ram0 b=/dev/ram1 || fail "create"

# matches_kernel NAME: the registry's regions are the live table's.
matches_kernel() {
	jq -e . "$config_dir/$1.json" >/dev/null || fail "$1: registry does not parse"
	[ "$(table_regions "$1")" = \
	  "$(jq '.regions | length' "$config_dir/$1.json")" ] ||
		fail "$1: kernel $(dmsetup table "$1"), registry $(cat "$config_dir/$1.json")"
}

fio --name=stay --filename=/dev/mapper/vm --direct=1 --ioengine=libaio \
	--iodepth=8 --rw=randwrite --bs=4k --size=$((16384 * 512)) \
	--verify=crc32c --do_verify=1 --loops=1000 --randseed=41 \
	--output=/tmp/fio.out &
fio_pid=$!
cycle=0
while [ "$cycle" -lt 200 ]; do
	dmc -q add vm "c$cycle=/dev/ram2" || fail "add in cycle $cycle"
	dmc -q drop --yes vm "c$cycle" || fail "drop in cycle $cycle"	# fio has it open
	cycle=$((cycle + 1))
done
kill -INT "$fio_pid"
wait "$fio_pid" || true
grep -q 'err= 0' /tmp/fio.out || { cat /tmp/fio.out; fail "fio verify failed during add/drop"; }
matches_kernel vm
echo "200 add/drop cycles: fio verify clean, $(jq '.regions | length' "$config_dir/vm.json") regions"

# 20 at once: 10 creates of their own devices, 10 adds to vm.
i=0
while [ "$i" -lt 10 ]; do
	image "/tmp/own$i.img" 1
	image "/tmp/add$i.img" 1
	i=$((i + 1))
done
i=0
while [ "$i" -lt 10 ]; do
	dmc -q create "own$i" "/tmp/own$i.img" 2>>/tmp/concurrent.err &
	dmc -q add vm "add$i=/tmp/add$i.img" 2>>/tmp/concurrent.err &
	i=$((i + 1))
done
wait
[ ! -s /tmp/concurrent.err ] || fail "concurrent invocations failed: $(cat /tmp/concurrent.err)"
i=0
while [ "$i" -lt 10 ]; do
	matches_kernel "own$i"
	dmc -q remove --forget "own$i" || fail "remove own$i"
	i=$((i + 1))
done
matches_kernel vm
echo "20 concurrent invocations: all done, registry matches the kernel"

# kill -9 in the middle of adds and drops of volume k: the registry is
# always whole, and the old map or the new one.
dmc -q remove --forget vm || fail "remove"
dmc -q create vm --layout concat a=/dev/ram0 || fail "create"
stamp /dev/mapper/vm 0 kept
kill=0
while [ "$kill" -lt 20 ]; do
	jq -S . "$config_dir/vm.json" >/tmp/before
	has_k() { jq -e '.regions[] | select(.id == "k")' "$1" >/dev/null; }
	if has_k /tmp/before; then
		dmc -q drop vm k &
	else
		dmc -q add vm k=/dev/ram3 &
	fi
	pid=$!
	usleep $((kill * 7919 % 40000))
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	# The next plain command settles the change: finished or discarded.
	dmc -q map vm >/dev/null || fail "map after kill $kill"
	[ ! -e "$config_dir/.vm.json.pending" ] || fail "a pending map left after kill $kill"
	jq -S . "$config_dir/vm.json" >/tmp/now || fail "registry torn after kill $kill"
	if ! cmp -s /tmp/before /tmp/now; then
		# The change went through: k came or went.
		if has_k /tmp/before; then
			! has_k /tmp/now
		else
			has_k /tmp/now
		fi || fail "registry after kill $kill is neither the old nor the new map"
	fi
	# assemble of the active device clears a table loaded but not resumed.
	dmc -q assemble vm || fail "assemble after kill $kill"
	dmsetup info vm | grep -q 'Tables present: *LIVE$' || fail "a loaded table left after kill $kill"
	matches_kernel vm
	[ "$(stamp_of /dev/mapper/vm 0)" = kept ] || fail "data lost after kill $kill"
	kill=$((kill + 1))
done
echo "20 kills: registry always whole, the next command settles the change"
dmc -q remove --forget vm || fail "remove"
no_trace vm
brd_unload
