#!/bin/sh
# import, share and unshare on one guest, two registry directories standing
# for two hosts that see the same volumes (issue 15): the imported map
# gives the same disk (DM UUID, size, block size, GPT bytes, data), finds
# each volume by its host identity once and of its size or registers
# nothing, refuses map --json and identities another host does not share,
# is a no-op when equal, and a shared map's layout changes only with
# --force. No udev here: the /dev/disk/by-id links are planted by hand.
# scripts/vm/two-hosts.sh runs two guests at once (49-two-hosts).
. /tests/lib.sh
. /tests/tool.sh
need_module

a=$(nullb_create impa 16 memory_backed=1)
b=$(nullb_create impb 8 memory_backed=1)
c=$(nullb_create impc 8 memory_backed=1)
byid=/dev/disk/by-id
mkdir -p $byid
ln -s "$a" $byid/wwn-0x5000c500000000a1
ln -s "$b" $byid/virtio-volb
ln -s "$c" $byid/wwn-0x5000c500000000c1
# Host B's registry, and C's for the refusals.
hostb=$(mktemp -d) hostc=$(mktemp -d)
dmb() { dmcombine --config-dir "$hostb" "$@"; }
dmx() { dmcombine --config-dir "$hostc" "$@"; }

# refused WHAT TEXT COMMAND...: COMMAND fails with one line on stderr holding TEXT.
refused() {
	what=$1 text=$2
	shift 2
	rc=0
	"$@" 2>/tmp/err >/dev/null || rc=$?
	[ "$rc" = 1 ] && [ "$(wc -l </tmp/err)" = 1 ] ||
		fail "$what: exit $rc: $(cat /tmp/err)"
	grep -qF -- "$text" /tmp/err || fail "$what: \"$text\" not in: $(cat /tmp/err)"
	echo "$what: $(cat /tmp/err)"
}

# disk_facts DEV: what a guest sees of the disk besides the volumes' data:
# size, block size, and the GPT at both ends (O_DIRECT, no stale cache).
disk_facts() {
	size=$(blockdev --getsz "$1")
	echo "$size $(blockdev --getss "$1")" \
		"$(dd if="$1" bs=1M count=1 iflag=direct 2>/dev/null | md5sum | cut -c1-32)" \
		"$(dd if="$1" bs=1M skip=$((size / 2048 - 1)) count=1 iflag=direct 2>/dev/null |
			md5sum | cut -c1-32)"
}

# 1. Host A makes the map, writes, and shares it.
dmc create vm1 web="$a" db=$byid/virtio-volb || fail "create vm1"
db_start=$(volume_field vm1 db start)
stamp /dev/mapper/vm1 2048 written-on-a-web
stamp /dev/mapper/vm1 "$db_start" written-on-a-db
facts=$(disk_facts /dev/mapper/vm1)
dm_uuid=$(dmsetup info -c --noheadings -o uuid vm1)
dmc share vm1 >/tmp/vm1.json 2>/tmp/err || fail "share: $(cat /tmp/err)"
[ "$(jq -r .shared /tmp/vm1.json)" = true ] || fail "share printed $(cat /tmp/vm1.json)"
dmc map vm1 | head -n 1 | grep -q ', shared with another host$' || fail "map: $(dmc map vm1)"
[ "$(dmc list --json | jq -r '.[0].shared')" = true ] || fail "list --json: no shared"
dmc status vm1 >/dev/null 2>&1 || fail "share made the device stale: $(dmc status vm1 2>&1)"

# 2. The rule on A: no layout change while shared, unless --force.
table=$(dmsetup table vm1)
refused "add on A" "shared with another host" dmc add vm1 "$c"
refused "drop on A" "shared with another host" dmc drop vm1 db
[ "$(dmsetup table vm1)" = "$table" ] || fail "table changed: $(dmsetup table vm1)"

# 3. Import on B while A's device holds the volumes (one host here): refused.
refused "import while held" "in use" dmb import --name vm1b /tmp/vm1.json
[ -z "$(ls "$hostb")" ] || fail "registered on a refusal: $(ls "$hostb")"
dmc remove vm1 || fail "remove vm1 on A"

# 4. B imports from standard input and assembles: the same disk.
dmb import - </tmp/vm1.json 2>/tmp/err || fail "import: $(cat /tmp/err)"
grep -q "imported, 2 volumes found" /tmp/err || fail "import said: $(cat /tmp/err)"
dmb assemble vm1 || fail "assemble on B"
[ "$(disk_facts /dev/mapper/vm1)" = "$facts" ] ||
	fail "B's disk: $(disk_facts /dev/mapper/vm1), A's: $facts"
[ "$(dmsetup info -c --noheadings -o uuid vm1)" = "$dm_uuid" ] || fail "DM UUID differs"
[ "$(stamp_of /dev/mapper/vm1 2048)" = written-on-a-web ] || fail "web's data"
[ "$(stamp_of /dev/mapper/vm1 "$db_start")" = written-on-a-db ] || fail "db's data"
sgdisk -v /dev/mapper/vm1 | grep -q 'No problems found' || fail "sgdisk -v on B"
dmb map vm1 --json >/tmp/map.json
[ "$(jq -r '.volumes[] | select(.id == "db") | .source' /tmp/map.json)" = $byid/virtio-volb ] ||
	fail "B's source of db: $(cat /tmp/map.json)"
[ "$(jq -r .shared /tmp/map.json)" = true ] || fail "B's map not shared"

# 5. Again: equal is a no-op; under another name or changed, refused.
dmb import /tmp/vm1.json 2>/tmp/err || fail "import again: $(cat /tmp/err)"
grep -q "already imported" /tmp/err || fail "import again said: $(cat /tmp/err)"
refused "same map, other name" "registered here as vm1" dmb import --name vm2 /tmp/vm1.json
[ ! -e "$hostb/vm2.json" ] || fail "vm2 registered"

# 6. The rule on B, then --force and unshare.
refused "add on B" "shared with another host" dmb add vm1 "$c"
refused "drop on B" "shared with another host" dmb drop vm1 db
dmb drop --force vm1 db 2>/tmp/err || fail "drop --force: $(cat /tmp/err)"
grep -q "warning: shared with another host" /tmp/err || fail "no warning: $(cat /tmp/err)"
refused "changed map again" "with another layout" dmb import /tmp/vm1.json
jq '.uuid = "0b6f8f5e-3c1a-4d2e-9f00-1234567890ab"' /tmp/vm1.json >/tmp/other.json
refused "another map of the name" "another map of this name" dmb import /tmp/other.json
dmb unshare vm1 || fail "unshare"
[ "$(dmb map vm1 --json | jq -r .shared)" = false ] || fail "still shared"
dmb add vm1 "$c" || fail "add after unshare"
dmb remove --forget vm1 || fail "remove on B"

# 7. Refusals, each leaving C's registry empty.
dmc map vm1 --json >/tmp/mapout.json
refused "map --json output" "map --json output" dmx import /tmp/mapout.json
echo hello >/tmp/bad.json
refused "not JSON" "not valid JSON" dmx import /tmp/bad.json
refused "no file" "No such file" dmx import /tmp/nothing.json
jq '(.regions[] | select(.id == "db") | .size) |= . + 2048' /tmp/vm1.json >/tmp/size.json
refused "size" "volume db shrank" dmx import /tmp/size.json
jq '(.regions[] | select(.id == "db") | .identity) |= "/dev/disk/by-path/pci-0000:00:05.0"' \
	/tmp/vm1.json >/tmp/path.json
refused "by-path" "a by-path identity" dmx import /tmp/path.json
jq '(.regions[] | select(.id == "db") | .identity) |= "/dev/sdq"' /tmp/vm1.json >/tmp/kname.json
refused "kernel name" "a kernel-name identity" dmx import /tmp/kname.json
mv $byid/virtio-volb /tmp/volb-link
refused "missing volume" "no such volume" dmx import /tmp/vm1.json
mv /tmp/volb-link $byid/virtio-volb
# Found twice: two disks cloned with their partition table (one PARTUUID).
image /tmp/p1.img 8
sgdisk -n 1:2048:+4M -u 1:3f1c0a52-8d1e-4b7a-9c55-0e6f7a2b9d41 /tmp/p1.img >/dev/null ||
	fail "sgdisk"
cp /tmp/p1.img /tmp/p2.img
l1=$(losetup -f --show -P /tmp/p1.img) && l2=$(losetup -f --show -P /tmp/p2.img) ||
	fail "losetup -P"
jq '(.regions[] | select(.id == "db") | .identity) |= "PARTUUID=3f1c0a52-8d1e-4b7a-9c55-0e6f7a2b9d41"' \
	/tmp/vm1.json >/tmp/twice.json
refused "found twice" "names more than one device" dmx import /tmp/twice.json
losetup -d "$l1" "$l2"
[ -z "$(ls "$hostc")" ] || fail "registered on a refusal: $(ls "$hostc")"

# 8. An image file: the same path, of the saved size.
image /tmp/f.img 4
dmc create vmf f=/tmp/f.img || fail "create vmf"
dmc share vmf >/tmp/vmf.json || fail "share vmf"
dmc remove --forget vmf || fail "remove vmf"
dmx import /tmp/vmf.json || fail "import of an image file"
dmx remove --forget vmf || fail "remove --forget vmf"
truncate -s 8M /tmp/f.img
# A volume that grew is imported at its saved size, as assemble takes it.
dmx import /tmp/vmf.json 2>/tmp/grew.err || fail "import of a grown image file: $(cat /tmp/grew.err)"
grep -q "volume f grew from 4194304 to 8388608 bytes: it keeps its old size" /tmp/grew.err ||
	fail "import of a grown file: $(cat /tmp/grew.err)"
dmx remove --forget vmf || fail "remove --forget vmf"
rm /tmp/f.img
refused "file gone" "no such volume" dmx import /tmp/vmf.json
[ -z "$(ls "$hostc")" ] || fail "registered on a refusal: $(ls "$hostc")"

dmc remove --forget vm1 || fail "forget vm1 on A"
rm -f $byid/* /tmp/p1.img /tmp/p2.img
for n in impa impb impc; do nullb_remove $n; done
