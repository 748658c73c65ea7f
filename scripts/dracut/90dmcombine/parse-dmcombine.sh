#!/bin/sh
# cmdline hook of 90dmcombine: runs before udevd starts.
#   rd.dmcombine=0          assemble no combined device in the initramfs
#   rd.dmcombine.name=NAME  (repeatable) assemble only these, and wait for them
#                           (a host-only image names what it needs in
#                           /etc/cmdline.d/90dmcombine.conf)
# Without rd.dmcombine.name, root=/dev/mapper/NAME or
# root=/dev/disk/by-dmcombine/NAME assembles NAME only; any other root=
# (UUID=, LABEL=, a partition) cannot say which device holds it, so every
# map in the image is assembled.
# Like rd.md=0 and rd.md.uuid for mdraid, these only concern the initramfs:
# after switch_root the host's own udev assembles what it has registered.
# The maps and rules here are the initramfs's copies, so removing them
# changes nothing on disk.

if ! getargbool 1 rd.dmcombine; then
    info "rd.dmcombine=0: no combined device is assembled"
    rm -f -- /etc/udev/rules.d/63-dmcombine.rules /lib/udev/rules.d/63-dmcombine.rules \
        /usr/lib/udev/rules.d/63-dmcombine.rules
    rm -rf -- /etc/dmcombine
else
    dmcombine_names=$(getargs rd.dmcombine.name)
    dmcombine_wait=$dmcombine_names
    if [ -z "$dmcombine_names" ]; then
        dmcombine_root=$(getarg root)
        dmcombine_root=${dmcombine_root#block:}
        case $dmcombine_root in
            /dev/mapper/*) dmcombine_names=${dmcombine_root#/dev/mapper/} ;;
            /dev/disk/by-dmcombine/*) dmcombine_names=${dmcombine_root#/dev/disk/by-dmcombine/} ;;
        esac
    fi
    if [ -n "$dmcombine_names" ]; then
        for dmcombine_map in /etc/dmcombine/*.json; do
            [ -e "$dmcombine_map" ] || continue
            dmcombine_name=${dmcombine_map##*/}
            dmcombine_name=${dmcombine_name%.json}
            dmcombine_keep=
            for dmcombine_wanted in $dmcombine_names; do
                [ "$dmcombine_wanted" = "$dmcombine_name" ] && dmcombine_keep=1
            done
            if [ -z "$dmcombine_keep" ]; then
                info "dmcombine: $dmcombine_name is not assembled in the initramfs"
                rm -f -- "$dmcombine_map"
            fi
        done
        for dmcombine_name in $dmcombine_wait; do
            wait_for_dev "/dev/disk/by-dmcombine/$dmcombine_name"
        done
    fi
    unset dmcombine_map dmcombine_name dmcombine_wanted dmcombine_keep dmcombine_root dmcombine_wait
fi
unset dmcombine_names
