#!/bin/sh
# cmdline hook of 90dmcombine: runs before udevd starts.
#   rd.dmcombine=0          assemble no combined device in the initramfs
#   rd.dmcombine.name=NAME  (repeatable) assemble only these, and wait for them
# Like rd.md=0 and rd.md.uuid for mdraid, these only concern the initramfs:
# after switch_root the host's own udev assembles what it has registered.
# The registry and rules here are the initramfs's copies, so removing them
# changes nothing on disk.

if ! getargbool 1 rd.dmcombine; then
    info "rd.dmcombine=0: no combined device is assembled"
    rm -f -- /etc/udev/rules.d/64-dmcombine.rules /lib/udev/rules.d/64-dmcombine.rules \
        /usr/lib/udev/rules.d/64-dmcombine.rules
    rm -rf -- /etc/dmcombine
else
    dmcombine_names=$(getargs rd.dmcombine.name)
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
                info "rd.dmcombine.name: $dmcombine_name is not assembled"
                rm -f -- "$dmcombine_map"
            fi
        done
        for dmcombine_name in $dmcombine_names; do
            wait_for_dev "/dev/disk/by-dmcombine/$dmcombine_name"
        done
    fi
    unset dmcombine_map dmcombine_name dmcombine_wanted dmcombine_keep
fi
unset dmcombine_names
