# Helpers for guest tests of the dmcombine tool (sourced after lib.sh).

# Each test keeps its registry in its own directory.
config_dir=$(mktemp -d)

# dmc ARG...: the tool with the test's registry.
dmc() {
	dmcombine --config-dir "$config_dir" "$@"
}

# image FILE MIB [LABEL]: an image file of MIB MiB, with an ext2 file
# system labelled LABEL if given.
image() {
	dd if=/dev/zero of="$1" bs=1M count=0 seek="$2" 2>/dev/null
	[ -z "${3:-}" ] || mke2fs -q -L "$3" "$1" >/dev/null 2>&1 ||
		fail "mke2fs $1"
}

# stamp DEV SECTOR TEXT: TEXT at SECTOR of DEV, one 4 KiB block, O_DIRECT.
stamp() {
	printf '%-4096s' "$3" | dd of="$1" bs=4096 seek=$(($2 / 8)) count=1 \
		oflag=direct conv=notrunc 2>/dev/null || fail "write to $1 failed"
}

# stamp_of DEV SECTOR: the text stamp wrote there.
stamp_of() {
	dd if="$1" bs=4096 skip=$(($2 / 8)) count=1 iflag=direct 2>/dev/null |
		tr -d ' '
}

# volume_field NAME ID FIELD: FIELD of volume ID in `dmcombine map --json`.
volume_field() {
	dmc map "$1" --json | jq -r --arg id "$2" --arg f "$3" \
		'.volumes[] | select(.id == $id) | .[$f]'
}

# table_regions NAME: the number of regions in NAME's live table (the word
# after the feature arguments).
table_regions() {
	dmsetup table "$1" | awk '{ print $(5 + $4) }'
}

# no_trace NAME: nothing of NAME is left: no dm device, registry file or
# loop device.
no_trace() {
	! dmsetup info "$1" >/dev/null 2>&1 || fail "dm device $1 left behind"
	[ ! -e "$config_dir/$1.json" ] || fail "registry entry $1 left behind"
	[ -z "$(losetup -a)" ] || fail "loop device left behind: $(losetup -a)"
}

# killed_at POINT CMD...: CMD with the stop hook at POINT (dmcombine(8) TEST
# HOOK) must die by SIGKILL there.
killed_at() {
	point=$1
	shift
	rc=0
	DMCOMBINE_TEST_STOP=$point "$@" >/dev/null 2>&1 || rc=$?
	[ "$rc" = 137 ] || fail "$* did not stop at $point (exit $rc)"
}

# loops_held: every loop device is held by a dm table (none leaked).
loops_held() {
	for loop in $(losetup -a | cut -d: -f1); do
		[ -n "$(ls "/sys/block/${loop#/dev/}/holders")" ] ||
			fail "$loop leaked: $(losetup -a)"
	done
}

# virtio_disks COUNT: waits for COUNT virtio disks (guests booted by a
# harness with disk images) and plants the by-id links udev's
# 60-persistent-storage.rules would make (virtio-SERIAL): the suite's
# guests run no udev.
virtio_disks() {
	modprobe virtio_pci 2>/dev/null || true
	modprobe virtio_blk || fail "cannot load virtio_blk"
	tries=0
	while [ "$(find /sys/block -name 'vd*' | wc -l)" -lt "$1" ]; do
		tries=$((tries + 1))
		[ $tries -lt 30 ] || fail "virtio disks: $(ls /sys/block)"
		sleep 1
	done
	mkdir -p /dev/disk/by-id
	for disk in /sys/block/vd*; do
		ln -sf "/dev/${disk##*/}" "/dev/disk/by-id/virtio-$(cat "$disk/serial")"
	done
}

# writes_to NAME SECTOR COUNT, reads_from NAME SECTOR COUNT: COUNT direct
# 4 KiB I/Os to or from /dev/mapper/NAME at SECTOR, for counting tests.
writes_to() {
	dd if=/dev/zero of="/dev/mapper/$1" bs=4096 seek=$(($2 / 8)) count="$3" \
		oflag=direct conv=notrunc 2>/dev/null || fail "write to $1 failed"
}
reads_from() {
	dd if="/dev/mapper/$1" of=/dev/null bs=4096 skip=$(($2 / 8)) count="$3" \
		iflag=direct 2>/dev/null || fail "read from $1 failed"
}
