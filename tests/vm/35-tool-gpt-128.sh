#!/bin/sh
# The gpt layout at its limit: 128 volumes make 128 partitions, each named
# after its volume and numbered as map --json says, that sgdisk -v and the
# kernel's own partition scan (a loop device with partition scanning)
# accept; a 129th volume is refused with one line and changes nothing;
# after a drop, the next add takes the freed number.
. /tests/lib.sh
. /tests/tool.sh
need_module

volumes=
i=1
while [ $i -le 129 ]; do
	image "/tmp/v$i.img" 1
	[ $i -eq 129 ] || volumes="$volumes v$i=/tmp/v$i.img"
	i=$((i + 1))
done
# shellcheck disable=SC2086 # one word per volume
dmc -q create vm $volumes || fail "create of 128 volumes failed"
sgdisk -v /dev/mapper/vm >/tmp/sgdisk 2>&1 || true
grep -q 'No problems found' /tmp/sgdisk || fail "sgdisk -v: $(cat /tmp/sgdisk)"

loop=$(losetup -f --show -r -P /dev/mapper/vm) || fail "no loop device"
n=0
while [ ! -b "${loop}p128" ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
partx -s -g -o NR,NAME "$loop" >/tmp/parts || fail "partx -s $loop"
[ "$(wc -l </tmp/parts)" -eq 128 ] || fail "$(wc -l </tmp/parts) partitions"
dmc map vm --json | jq -r '.volumes[] | "\(.partition) \(.id)"' >/tmp/map
awk '{ print $1, $2 }' /tmp/parts | diff - /tmp/map >/dev/null ||
	fail "partitions differ from the map: $(awk '{ print $1, $2 }' /tmp/parts | diff - /tmp/map | head -n 5)"
[ -b "${loop}p128" ] || fail "the kernel did not find partition 128"
losetup -d "$loop"

table=$(dmsetup table vm)
if dmc add vm v129=/tmp/v129.img 2>/tmp/err; then
	fail "a 129th volume was added"
fi
[ "$(wc -l </tmp/err)" -eq 1 ] || fail "refusal said: $(cat /tmp/err)"
[ "$(dmsetup table vm)" = "$table" ] || fail "the refused add changed the table"

dmc -q drop vm v7 || fail "drop failed"
dmc -q add vm v129=/tmp/v129.img || fail "add after drop failed"
[ "$(volume_field vm v129 partition)" = 7 ] ||
	fail "v129 took partition $(volume_field vm v129 partition), not the freed 7"
dmc -q remove --forget vm || fail "remove failed"
no_trace vm
echo "128 partitions; the 129th volume refused; a freed number reused"
