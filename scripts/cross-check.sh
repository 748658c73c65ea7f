#!/bin/bash
# make cross-check: compile dm-combine for arm64 and for 32-bit x86 with W=1
# and sparse, against Debian's linux-source-6.1 configured with Debian's own
# arm64 and 686-pae configs (taken from those flavours' headers packages).
# Compile only: nothing boots, and modpost has no Module.symvers to check
# symbols against, so on 32-bit x86 the object is also checked for the
# libgcc 64-bit division helpers that the kernel does not provide.
#
#   scripts/cross-check.sh [ARCH...]     (default: arm64 i386)
#
# The configured, modules_prepare'd trees are kept in $DMCOMBINE_CROSS_CACHE
# (/var/cache/dmcombine/cross) and redone only when linux-source-6.1 changes.
# Logs: build/cross/ARCH.log.  Exit 1 on any warning or error.
set -eu
cd "$(dirname "$0")/.."

cache=${DMCOMBINE_CROSS_CACHE:-/var/cache/dmcombine/cross}
tarball=/usr/src/linux-source-6.1.tar.xz
work=build/cross

[ -e "$tarball" ] || { echo "$0: no $tarball (make test-deps)" >&2; exit 1; }
version=$(dpkg-query -W -f='${Version}' linux-source-6.1)
src=$cache/linux-source-6.1

# For apt-get and apt-cache: lists of their own for Debian 12's arm64 and
# i386 packages, leaving the host's sources, lists and architectures alone.
apt_cross=(-q -o Dir::Etc::SourceList="$cache/apt/sources.list"
	-o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$cache/apt/lists"
	-o Dir::Cache="$cache/apt/cache" -o Debug::NoLocking=1
	-o APT::Architectures::=arm64 -o APT::Architectures::=i386 -o APT::Sandbox::User=root)

# debian_config DEBARCH FLAVOUR: Debian's .config of that kernel flavour,
# from the headers package its meta package points at.
debian_config() {
	local meta pkg deb
	meta=$(apt-cache "${apt_cross[@]}" show "linux-headers-$2:$1" 2>/dev/null |
		sed -n "s/^Depends:.*\(linux-headers-[^ ,]*-$2\).*/\1/p" | head -n 1)
	[ -n "$meta" ] || { echo "$0: no linux-headers-$2:$1 in Debian 12" >&2; exit 1; }
	(cd "$cache/apt" && apt-get "${apt_cross[@]}" download "$meta:$1" >/dev/null)
	deb=$(ls "$cache/apt/${meta}"_*_"$1".deb)
	pkg=$(basename "$deb")
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$meta/.config"
	rm -f "$deb"
	echo "cross: Debian's config from $pkg" >&2
}

# prepare ARCH: $cache/ARCH configured and modules_prepare'd, once per
# linux-source version.
prepare() {
	local out=$cache/$1 debarch flavour
	[ "$(cat "$out/.dmcombine-prepared" 2>/dev/null)" != "$version" ] || return 0
	[ "$(id -u)" -eq 0 ] || [ -w "$cache" ] ||
		{ echo "$0: cannot write $cache (run as root once)" >&2; exit 1; }
	if [ "$(cat "$src/.dmcombine-version" 2>/dev/null)" != "$version" ]; then
		echo "cross: unpacking linux-source $version"
		rm -rf "$src"
		mkdir -p "$cache"
		tar -xJf "$tarball" -C "$cache"
		echo "$version" >"$src/.dmcombine-version"
	fi
	if [ ! -d "$cache/apt/lists" ]; then
		mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial"
		# The point release's config is enough: olddefconfig takes the
		# source's newer symbols at their defaults.
		echo "deb [arch=arm64,i386] http://deb.debian.org/debian bookworm main" \
			>"$cache/apt/sources.list"
	fi
	apt-get "${apt_cross[@]}" update >/dev/null
	case $1 in
	arm64) debarch=arm64 flavour=arm64 ;;
	i386) debarch=i386 flavour=686-pae ;;
	esac
	rm -rf "$out"
	mkdir -p "$out"
	debian_config "$debarch" "$flavour" >"$out/.config"
	echo "cross: modules_prepare for $1"
	# No signing key and no BTF: nothing here is linked into a kernel.
	"$src/scripts/config" --file "$out/.config" --disable MODULE_SIG_ALL \
		--set-str SYSTEM_TRUSTED_KEYS "" --disable DEBUG_INFO_BTF
	make -s -C "$src" O="$out" "${make_args[@]}" olddefconfig >/dev/null
	make -s -C "$src" O="$out" "${make_args[@]}" modules_prepare >"$out/prepare.log" 2>&1 ||
		{ cat "$out/prepare.log"; exit 1; }
	echo "$version" >"$out/.dmcombine-prepared"
}

rc=0
mkdir -p "$work"
[ $# -gt 0 ] || set -- arm64 i386
for arch in "$@"; do
	case $arch in
	arm64) make_args=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) ;;
	i386) make_args=(ARCH=i386 CROSS_COMPILE=i686-linux-gnu-) ;;
	*) echo "$0: unknown architecture $arch (arm64, i386)" >&2; exit 2 ;;
	esac
	t0=$SECONDS
	prepare "$arch"
	# The module's sources only, as suite.sh copies them.
	mod=$work/$arch
	rm -rf "$mod"
	mkdir -p "$mod"
	find Kbuild kernel include -name Kbuild -o -name '*.[ch]' ! -name '*.mod.c' |
		cpio -pd --quiet "$mod"
	log=$work/$arch.log
	status=PASS
	make -C "$cache/$arch" "${make_args[@]}" M="$(realpath "$mod")" \
		W=1 C=2 KBUILD_MODPOST_WARN=1 modules >"$log" 2>&1 || status=FAIL
	# modpost's expected complaints: no Module.symvers, so every kernel
	# symbol is unknown to it.  Any other warning fails.
	grep -E '(warning|error|WARNING):' "$log" |
		grep -Ev 'WARNING: (Module.symvers is missing|modpost: "[^"]*" .* undefined!|modpost: suppressed [0-9]+ unresolved symbol)' &&
		status=FAIL
	if [ "$arch" = i386 ] && [ -e "$mod/kernel/dm-combine.o" ] &&
	   i686-linux-gnu-nm -u "$mod/kernel/dm-combine.o" | grep -E '__(u?div|u?mod)di3'; then
		echo "  64-bit division by / or %: use div_u64() and friends"
		status=FAIL
	fi
	[ -e "$mod/kernel/dm-combine.ko" ] || status=FAIL
	echo "cross-check $arch $status ($((SECONDS - t0)) s, $log)"
	[ "$status" = PASS ] || rc=1
done
exit $rc
