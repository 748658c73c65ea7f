#!/bin/sh
# Which volume is which is the host's word, never the guest's (issue 12):
# the registry saves the host-assigned /dev/disk/by-id name, not the
# lvm-pv-uuid-/md-uuid- ones a guest's headers make; one device is never
# in two maps, whatever name it is offered by; an identity naming two
# devices (a cloned file system UUID in an old registry) is refused by
# assemble and udev assembly with both names; reidentify rewrites old
# identities; multipath path devices are never members. No udev here: the
# /dev/disk links and the udev database entry are planted by hand.
. /tests/lib.sh
. /tests/tool.sh
need_module

a=$(nullb_create ida 16 memory_backed=1)
b=$(nullb_create idb 16 memory_backed=1)
c=$(nullb_create idc 16 memory_backed=1)
d=$(nullb_create idd 16 memory_backed=1)
mkdir -p /dev/disk/by-id
byid=/dev/disk/by-id

# refused WHAT ARG...: dmcombine ARG... fails with one line on stderr.
refused() {
	what=$1
	shift
	rc=0
	dmc "$@" 2>/tmp/err >/dev/null || rc=$?
	[ "$rc" = 1 ] && [ "$(wc -l </tmp/err)" = 1 ] ||
		fail "$what: exit $rc: $(cat /tmp/err)"
	echo "$what: $(cat /tmp/err)"
}

# 1. Guest-made names sort first; the WWN is saved, then the serial.
mke2fs -q -L guestlabel "$a" >/dev/null 2>&1 || fail "mke2fs $a"
ln -s "$a" $byid/lvm-pv-uuid-0Bx3cD-AAAA-0000
ln -s "$a" $byid/md-uuid-00000000:11111111
ln -s "$a" $byid/virtio-vola
ln -s "$a" $byid/wwn-0x5000c500000000a1
ln -s "$b" $byid/lvm-pv-uuid-0Bx3cD-BBBB-0000
ln -s "$b" $byid/virtio-volb
dmc create vm1 --layout concat LABEL=guestlabel b="$b" 2>/tmp/err || fail "create vm1: $(cat /tmp/err)"
! grep -q warning /tmp/err || fail "warned about host identities: $(cat /tmp/err)"
[ "$(volume_field vm1 guestlabel identity)" = $byid/wwn-0x5000c500000000a1 ] ||
	fail "a saved as $(volume_field vm1 guestlabel identity)"
[ "$(volume_field vm1 guestlabel identity_kind)" = wwn ] || fail "a's kind"
[ "$(volume_field vm1 b identity)" = $byid/virtio-volb ] ||
	fail "b saved as $(volume_field vm1 b identity)"
[ "$(volume_field vm1 b identity_kind)" = serial ] || fail "b's kind"
dmc map vm1 | grep -q "serial  $byid/virtio-volb" || fail "map text: $(dmc map vm1)"

# No host identity: the kernel name, with one warning line after success.
dmc create vm2 --layout concat "$c" 2>/tmp/err || fail "create vm2"
[ "$(grep -c '^dmcombine: warning: .*kernel name' /tmp/err)" = 1 ] ||
	fail "no kernel-name warning: $(cat /tmp/err)"
[ "$(volume_field vm2 idc identity_kind)" = kernel-name ] || fail "c's kind"
dmc map vm2 | grep -q 'weak identity' || fail "map does not flag the kernel name"
dmc remove --forget vm2 || fail "remove vm2"

# 2. A volume of vm1 offered to another map under another name.
ln -s "$a" /tmp/link-a
for state in active inactive; do
	if [ $state = inactive ]; then
		dmc remove vm1 || fail "remove vm1"
	fi
	refused "symlink, vm1 $state" create vm3 /tmp/link-a
	refused "by-id link, vm1 $state" create vm3 $byid/lvm-pv-uuid-0Bx3cD-AAAA-0000
	refused "tag, vm1 $state" create vm3 "$d" LABEL=guestlabel
	no_trace vm3
done
grep -q "the same device as volume guestlabel of vm1 ($byid/wwn-0x5000c500000000a1)" /tmp/err ||
	fail "message names only one side: $(cat /tmp/err)"
dmc assemble vm1 || fail "assemble vm1"
dmc create vm3 --layout concat "$d" 2>/dev/null || fail "create vm3"
refused "add vm1's volume to vm3" add vm3 /tmp/link-a
dmc remove --forget vm3 || fail "remove vm3"
dmc remove --forget vm1 || fail "remove --forget vm1"
rm -f $byid/* /tmp/link-a

# 3. An old registry saved a file system UUID; a clone of it on c.
uuid=3f1c0000-0000-4000-8000-0000000000e2
mke2fs -q -U $uuid "$b" >/dev/null 2>&1 || fail "mke2fs -U $b"
dmc create old --layout concat b="$b" 2>/dev/null || fail "create old"
dmc remove old || fail "remove old"
# set_identity VALUE: what old.json saved for volume b.
set_identity() {
	jq --arg v "$1" '(.regions[] | select(.id == "b") | .identity) = $v' \
		"$config_dir/old.json" >/tmp/old.json || fail "jq"
	cp /tmp/old.json "$config_dir/old.json"
}
set_identity "UUID=$uuid"
dmc map old | grep -q "guest-data.*UUID=$uuid" || fail "map: $(dmc map old)"
dmc map old | grep -q 'weak identity.*reidentify old' || fail "map does not flag UUID="
mke2fs -q -U $uuid "$c" >/dev/null 2>&1 || fail "mke2fs -U $c"
refused "cloned UUID" assemble old
grep -q "$b" /tmp/err && grep -q "$c" /tmp/err || fail "not both names: $(cat /tmp/err)"
! dmsetup info old >/dev/null 2>&1 || fail "assembled over a cloned UUID"
rc=0
dmc assemble --incremental "$c" 2>/tmp/err || rc=$?
[ "$rc" = 1 ] && grep -q "$c" /tmp/err || fail "udev assembly: exit $rc: $(cat /tmp/err)"
! dmsetup info old >/dev/null 2>&1 || fail "udev assembly over a cloned UUID"
[ -z "$(losetup -a)" ] || fail "loop left: $(losetup -a)"

# reidentify: only against the live table, then the host's name.
mke2fs -q -U 3f1c0000-0000-4000-8000-0000000000ff "$c" >/dev/null 2>&1 || fail "mke2fs $c"
refused "reidentify inactive" reidentify old
dmc assemble old || fail "assemble old"
ln -s "$b" $byid/wwn-0x5000c500000000b1
dmc reidentify old || fail "reidentify"
[ "$(volume_field old b identity)" = $byid/wwn-0x5000c500000000b1 ] ||
	fail "reidentified as $(volume_field old b identity)"
! dmc map old | grep -q 'weak identity' || fail "still flagged"
dmc remove old && dmc assemble old || fail "assemble by the new identity"
# A saved identity that names another device than the live table's: refused.
set_identity /dev/idd
refused "identity of another device" reidentify old
grep -q '/dev/idd' /tmp/err && grep -q "$b" /tmp/err || fail "not both: $(cat /tmp/err)"
dmc remove --forget old || fail "remove old"
rm -f $byid/*

# 4. Multipath: a map's path devices are never members; the map is.
dmsetup create mpatha --uuid mpath-3600140500000000000000000000000a1 \
	--table "0 $(sectors_of "$c") linear $c 0" || fail "dmsetup create mpatha"
dmsetup mknodes
refused "held path device" create mp "$c"
grep -q mpatha /tmp/err || fail "map not named: $(cat /tmp/err)"
dmc create mp --layout concat /dev/mapper/mpatha 2>/dev/null || fail "create over the map"
[ "$(volume_field mp mpatha identity)" = DM_UUID=mpath-3600140500000000000000000000000a1 ] ||
	fail "map saved as $(volume_field mp mpatha identity)"
[ "$(volume_field mp mpatha identity_kind)" = dm-uuid ] || fail "map's kind"
dmc remove mp && dmc assemble mp || fail "assemble by DM UUID"
dmc remove --forget mp || fail "remove mp"
dmsetup remove mpatha
# A path marked by multipath's udev rules before its map exists.
dmc create mp2 --layout concat "$d" 2>/dev/null || fail "create mp2"
dmc remove mp2 || fail "remove mp2"
mkdir -p /run/udev/data
echo 'E:DM_MULTIPATH_DEVICE_PATH=1' >"/run/udev/data/b$(devnum "$d")"
[ -z "$(dmc member --udev "$d")" ] || fail "a path device is a member"
dmc assemble --incremental "$d" || fail "incremental on a path device"
! dmsetup info mp2 >/dev/null 2>&1 || fail "assembled from a path device"
refused "marked path device" assemble mp2
refused "marked path device, create" create mp3 "$d"
rm "/run/udev/data/b$(devnum "$d")"
[ "$(dmc member "$d")" = "mp2 idd" ] || fail "member: $(dmc member "$d")"
[ -z "$(DM_MULTIPATH_DEVICE_PATH=1 dmc member --udev "$d")" ] ||
	fail "udev's DM_MULTIPATH_DEVICE_PATH=1 ignored"
dmc remove --forget mp2 2>/dev/null || fail "remove --forget mp2"

# 5. An old registry saved an lvm-pv-uuid- link: udev makes one link for
# however many devices carry the PV header; a cloned header on c.
pv=0Bx3cD-aB12-cd34-EF56-gh78-ij90-KL12mn
# pv_label DEV: an LVM2 PV label (LABELONE, CRC of LVM's, PV UUID $pv) in sector 1.
pv_label() {
	dd if=/dev/zero of="$1" bs=1M count=1 conv=notrunc 2>/dev/null
	printf '\114\101\102\105\114\117\116\105\001\000\000\000\000\000\000\000\211\012\110\340\040\000\000\000\114\126\115\062\040\060\060\061\060\102\170\063\143\104\141\102\061\062\143\144\063\064\105\106\065\066\147\150\067\070\151\152\071\060\113\114\061\062\155\156\000\000\000\001\000\000\000\000' |
		dd of="$1" bs=512 seek=1 conv=notrunc 2>/dev/null
	[ "$(blkid -p -s UUID -o value "$1")" = $pv ] || fail "no PV label on $1: $(blkid -p "$1")"
}
pv_label "$d"
ln -s "$d" $byid/lvm-pv-uuid-$pv
dmc create oldpv --layout concat v="$d" 2>/dev/null || fail "create oldpv"
dmc remove oldpv || fail "remove oldpv"
jq --arg v "$byid/lvm-pv-uuid-$pv" '(.regions[] | select(.id == "v") | .identity) = $v' \
	"$config_dir/oldpv.json" >/tmp/oldpv.json && cp /tmp/oldpv.json "$config_dir/oldpv.json"
[ "$(volume_field oldpv v identity_kind)" = guest-data ] || fail "lvm-pv-uuid- not flagged"
pv_label "$c"
refused "cloned PV header" assemble oldpv
grep -q "$c" /tmp/err && grep -q "$d" /tmp/err || fail "not both: $(cat /tmp/err)"
! dmsetup info oldpv >/dev/null 2>&1 || fail "assembled over a cloned PV header"
dd if=/dev/zero of="$c" bs=1M count=1 conv=notrunc 2>/dev/null
dmc assemble oldpv || fail "assemble oldpv"
dmc remove --forget oldpv || fail "remove oldpv"
rm -f $byid/*
# An old registry's by-uuid link, which the rules no longer give a volume
# (dmcombine(8), GUEST DATA): the volume is known by the UUID it holds.
uuid=3f1c0000-0000-4000-8000-0000000000e3
mke2fs -q -U $uuid "$d" >/dev/null 2>&1 || fail "mke2fs -U $d"
dmc create oldlink --layout concat v="$d" 2>/dev/null || fail "create oldlink"
dmc remove oldlink || fail "remove oldlink"
jq --arg v "/dev/disk/by-uuid/$uuid" '(.regions[] | select(.id == "v") | .identity) = $v' \
	"$config_dir/oldlink.json" >/tmp/oldlink.json && cp /tmp/oldlink.json "$config_dir/oldlink.json"
[ ! -e "/dev/disk/by-uuid/$uuid" ] || fail "a by-uuid link exists"
dmc member --udev "$d" >/tmp/props || fail "member --udev $d"
grep -qx DMCOMBINE_VOLUME=v /tmp/props || fail "by-uuid identity not recognised: $(cat /tmp/props)"
dmc assemble oldlink 2>/tmp/err || fail "assemble without the by-uuid link: $(cat /tmp/err)"
dmc remove --forget oldlink || fail "remove oldlink"

# 6. A volume that is a partition: its entry in the host's table of the
# disk. A second view of that disk (a loop device with partitions) gives
# the PARTUUID two devices: refused with both names.
p=$(nullb_create idp 16 memory_backed=1)
partuuid=0fc63daf-0000-4000-8000-0000000000a1
sgdisk -n 1:2048:+4M -u 1:$partuuid "$p" >/dev/null || fail "sgdisk"
[ -b "${p}1" ] || fail "no ${p}1"
mke2fs -q -U 3f1c0000-0000-4000-8000-0000000000a2 "${p}1" >/dev/null 2>&1 || fail "mke2fs"
dmc create part --layout concat "${p}1" 2>/dev/null || fail "create part"
[ "$(volume_field part idp1 identity)" = "PARTUUID=$partuuid" ] ||
	fail "partition saved as $(volume_field part idp1 identity)"
[ "$(volume_field part idp1 identity_kind)" = partuuid ] || fail "partition's kind"
dmc remove part || fail "remove part"
disk=$(losetup -f --show -P "$p") || fail "losetup -P"
refused "PARTUUID on two devices" assemble part
grep -q "${p}1" /tmp/err && grep -q "${disk}p1" /tmp/err || fail "not both: $(cat /tmp/err)"
losetup -d "$disk"
dmc assemble part || fail "assemble by PARTUUID"
dmc remove --forget part || fail "remove part"
nullb_remove idp

for n in ida idb idc idd; do
	nullb_remove $n
done
