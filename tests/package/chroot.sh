# shellcheck shell=sh disable=SC2154 # work, root: set by the sourcing script
# The bookworm chroot of the package tests (package-check.sh,
# systemd-boot.sh), sourced: the minbase base debootstrapped once and cached
# in $PACKAGE_CACHE (default ~/.cache/dmcombine/bookworm, lists refreshed
# after a day), and a run's root as an overlay over it whose changes live in
# memory (tmpfs $work/rw). apt in the root shares the host's package cache,
# so what the host has fetched is not downloaded again. Needs $work (the
# run's directory) and $root (where its root is mounted).
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
base=${PACKAGE_CACHE:-${HOME:-/root}/.cache/dmcombine/bookworm}
archives=/var/cache/apt/archives

in_root() {
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
		LC_ALL=C.UTF-8 "$@"
}

apt_in_root() {
	echo "== $(date +%T) apt-get $*" >>"$work/apt.log"
	in_root apt-get -y -q -o Dpkg::Use-Pty=0 "$@" >>"$work/apt.log" 2>&1 ||
		{ tail -n 30 "$work/apt.log" >&2; return 1; }
}

# Unmounts the run's root and the tmpfs holding its changes (never deletes
# through a mount: the host's package cache is bound into the root).
remove_root() {
	for m in "$root" "$work/rw"; do
		! grep -qF " $m" /proc/mounts || umount -R "$m"
	done
	! grep -qF " $work/" /proc/mounts
}

# cached_base: the cached base: minbase, the sources the host's kernels
# come from, lists.
cached_base() {
	if [ ! -e "$base/.complete" ]; then
		echo "package tests: debootstrap bookworm into $base (once)"
		rm -rf "$base"
		mkdir -p "$base"
		debootstrap --variant=minbase --cache-dir="$archives" bookworm "$base" "$mirror" \
			>"${base%/*}/debootstrap.log" 2>&1 ||
			{ tail -n 20 "${base%/*}/debootstrap.log" >&2; return 1; }
		rm -f "$base/etc/apt/sources.list"
		cat >"$base/etc/apt/sources.list.d/debian.sources" <<EOT
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
		# Services never start in the chroot.
		printf '#!/bin/sh\nexit 101\n' >"$base/usr/sbin/policy-rc.d"
		chmod 0755 "$base/usr/sbin/policy-rc.d"
		rm -f "$base/.lists"
	fi
	if [ -z "$(find "$base/.lists" -mmin -1440 2>/dev/null)" ]; then
		chroot "$base" apt-get -q update >"${base%/*}/update.log" 2>&1 ||
			{ tail -n 20 "${base%/*}/update.log" >&2; return 1; }
		touch "$base/.lists" "$base/.complete"
	fi
}

# overlay_root: this run's root, an overlay on the base, thrown away by
# remove_root. The changes live in memory: dpkg's many small writes and the
# clean-up cost nothing. /proc and the host's package cache are mounted in.
overlay_root() {
	remove_root || { echo "cannot unmount $work" >&2; return 1; }
	rm -rf --one-file-system "$work"
	mkdir -p "$work/rw" "$root"
	mount -t tmpfs -o size=4g,mode=0755 package-check "$work/rw"
	mkdir "$work/rw/upper" "$work/rw/work"
	mount -t overlay overlay -o "lowerdir=$base,upperdir=$work/rw/upper,workdir=$work/rw/work" "$root"
	mount -t proc proc "$root/proc"
	mount --bind "$archives" "$root/var/cache/apt/archives"
	# dpkg without an fsync per file: nothing here has to survive a crash.
	echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/package-check"
}
