#!/bin/sh
# The demo (make demo; a test too): three volume images with a few files
# each become one combined device, exported over tcm_loop as one SCSI
# disk; its volumes are mounted from that disk and listed; a fourth
# volume is added while exported and shows up; map and status; teardown.
# Every command is echoed as "# command" before its output: the
# transcript is README's "Demo" section.  The disk holds one GPT partition
# per volume (the default layout, gpt).
. /tests/lib.sh
need_module
export PS4='# '
cd /tmp

# show CMD: echo CMD as the transcript's "# CMD", then run it (CMD may hold a pipe).
show() {
	echo "# $*"
	eval "$*" || fail "$* failed"
}

# mount_volumes DISK: each volume of vm1 under /mnt/ID, read-only, from
# its partition, found by name in the GPT (lsblk's PARTLABEL comes from
# udev, which the guest does not run).
mount_volumes() {
	for part in $(lsblk -rno NAME,TYPE "$1" | awk '$2 == "part" { print $1 }'); do
		id=$(blkid -p -o value -s PART_ENTRY_NAME "/dev/$part")
		mkdir -p "/mnt/$id"
		show mount -t ext4 -o ro "/dev/$part" "/mnt/$id"
	done
}

# The volumes: ext4 images holding a few files, made quietly.
for v in web:8 db:4 logs:4 backup:4; do
	id=${v%:*}
	dd if=/dev/zero of="$id.img" bs=1M count=0 seek="${v#*:}" 2>/dev/null
	mke2fs -q -t ext4 -L "$id" "$id.img" >/dev/null 2>&1 || fail "mke2fs $id"
	mkdir -p "/mnt/$id"
	mount -t ext4 -o loop "$id.img" "/mnt/$id" || fail "mount $id.img"
	case $id in
	web) echo '<h1>hello</h1>' >/mnt/web/index.html; echo 'body {}' >/mnt/web/site.css ;;
	db) seq 1000 >/mnt/db/table.csv; echo 'v1' >/mnt/db/VERSION ;;
	logs) echo 'boot ok' >/mnt/logs/boot.log; echo 'GET /' >/mnt/logs/access.log ;;
	backup) date -u -d @0 >/mnt/backup/timestamp; echo 'db web' >/mnt/backup/manifest ;;
	esac
	umount "/mnt/$id"
done
losetup -D

show blkid -o list web.img db.img logs.img backup.img
show dmcombine create vm1 web.img db.img logs.img
show dmcombine export vm1
disk=$(dmcombine status vm1 --json | jq -r '.exports[0].disk')
show lsblk -o NAME,SIZE,TYPE,VENDOR,MODEL "$disk"
show partx -s -o NR,START,SECTORS,NAME "$disk"
show "sg_inq $disk | grep -E 'Vendor|Product id|serial'"
mount_volumes "$disk"
show ls /mnt/web /mnt/db /mnt/logs
show cat /mnt/web/index.html
for id in web db logs; do umount "/mnt/$id"; done

show dmcombine add vm1 backup.img
show "echo 1 > /sys/block/${disk#/dev/}/device/rescan   # the initiator rescans"
show blockdev --rereadpt "$disk"
show partx -s -o NR,START,SECTORS,NAME "$disk"
[ "$(blockdev --getsz "$disk")" = "$(blockdev --getsz /dev/mapper/vm1)" ] ||
	fail "$disk did not grow with vm1"
show dmcombine map vm1
cat "$disk" >/dev/null
show dmcombine status vm1
show dmcombine unexport vm1
show dmcombine remove --forget vm1
