#!/bin/sh
# dmcombine create from a block device, an image file and tags: data written
# through each volume before combining reads back at the map's offsets; map,
# list and status print the contract's JSON; remove and assemble give back
# the identical map; remove --forget leaves nothing.
. /tests/lib.sh
. /tests/tool.sh
need_module

brd_load 2 8192
mke2fs -q -L beta /dev/ram1 >/dev/null 2>&1 || fail "mke2fs"
image /tmp/gamma.img 4 gamma
uuid=$(blkid /dev/ram1 | sed -n 's/.* UUID="\([^"]*\)".*/\1/p')
[ -n "$uuid" ] || fail "no UUID on /dev/ram1"

# Stamps in the last 4 KiB of each volume, away from the file systems.
stamp /dev/ram0 16376 alpha-data
stamp /dev/ram1 16376 beta-data
loop=$(losetup --show -f /tmp/gamma.img)
stamp "$loop" 8184 gamma-data
losetup -d "$loop"

# concat: the sizes and JSON below are its (33-tool-gpt checks gpt's).
dmc create vm1 --layout concat alpha=/dev/ram0 UUID="$uuid" /tmp/gamma.img ||
	fail "create failed"
[ -b /dev/mapper/vm1 ] || fail "no /dev/mapper/vm1"
dmsetup info -c --noheadings -o uuid vm1 | grep -q '^DMCOMBINE-' ||
	fail "DM UUID is not DMCOMBINE-...: $(dmsetup info -c --noheadings -o uuid vm1)"

# IDs: given, else the file system label.
[ "$(dmc map vm1 --json | jq -r '[.volumes[].id] | join(",")')" = alpha,beta,gamma ] ||
	fail "ids: $(dmc map vm1 --json)"
for id in alpha beta gamma; do
	start=$(volume_field vm1 "$id" start)
	length=$(volume_field vm1 "$id" length)
	got=$(stamp_of /dev/mapper/vm1 $((start + length - 8)))
	[ "$got" = "$id-data" ] || fail "$id: read '$got' through the map"
done
dmc map vm1 --json | jq -e '.name == "vm1" and (.uuid | length) == 36 and
	.layout == "concat" and .size == 40960 and
	([.volumes[] | keys] | unique ==
	 [["device","id","identity","identity_kind","length","offset","partition","partuuid","source","start"]]) and
	([.volumes[] | .partition, .partuuid] | all(. == null))' \
	>/dev/null || fail "map --json: $(dmc map vm1 --json)"
dmc list --json | jq -e 'length == 1 and .[0].name == "vm1" and
	.[0].volumes == 3 and .[0].active == true and .[0].size == 40960' >/dev/null ||
	fail "list --json: $(dmc list --json)"

# status counts each volume's own I/O: one read of alpha's first block.
dmc status vm1 --json >/tmp/s0
stamp_of /dev/mapper/vm1 0 >/dev/null
dmc status vm1 --json >/tmp/s1
jq -e -n --slurpfile a /tmp/s0 --slurpfile b /tmp/s1 '
	[$b[0].volumes, $a[0].volumes] | transpose | map(
		{id: .[0].id, reads: (.[0].reads - .[1].reads),
		 read_sectors: (.[0].read_sectors - .[1].read_sectors),
		 errors: .[0].errors}) ==
	[{id: "alpha", reads: 1, read_sectors: 8, errors: 0},
	 {id: "beta", reads: 0, read_sectors: 0, errors: 0},
	 {id: "gamma", reads: 0, read_sectors: 0, errors: 0}]' >/dev/null ||
	fail "status --json counters: $(cat /tmp/s0 /tmp/s1)"
jq -e '.active == true and ([.volumes[] | keys] | unique ==
	[["device","discard_sectors","discards","errors","flush_errors","id","identity","identity_kind","latency","length","offset","partition","partuuid","read_sectors","reads","source","start","state","write_sectors","write_zeroes","write_zeroes_sectors","writes"]])' \
	/tmp/s1 >/dev/null || fail "status --json keys: $(cat /tmp/s1)"
dmc status vm1 | grep -q alpha || fail "human status has no alpha"
dmc map vm1 | grep -q 'MiB' || fail "human map shows no IEC sizes"

dmc map vm1 --json >/tmp/map.before
dmc remove vm1 || fail "remove failed"
dmsetup info vm1 >/dev/null 2>&1 && fail "device still there after remove"
[ -z "$(losetup -a)" ] || fail "loop device left after remove"
dmc list --json | jq -e '.[0].active == false' >/dev/null || fail "not inactive"
dmc assemble vm1 || fail "assemble failed"
dmc assemble vm1 || fail "assemble of an active device is not idempotent"
dmc map vm1 --json | jq 'del(.volumes[].device)' >/tmp/a
jq 'del(.volumes[].device)' /tmp/map.before >/tmp/b
cmp -s /tmp/a /tmp/b || fail "map changed across assemble"
[ "$(stamp_of /dev/mapper/vm1 $(($(volume_field vm1 gamma start) + 8184)))" = gamma-data ] ||
	fail "gamma data not back after assemble"

dmc remove --forget vm1 || fail "remove --forget failed"
no_trace vm1
dmc map vm1 2>/dev/null && fail "map of a forgotten device"
brd_unload
