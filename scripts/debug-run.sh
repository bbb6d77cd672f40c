#!/bin/bash
# scripts/vm-run.sh on the debug kernel (scripts/debug-kernel.sh, built on first use), with the
# ubmap module built for it in build/kmod-debug/: kmods/ubmap/ubmap.ko stays the stock build.
#   usage: scripts/debug-run.sh [vm-run options] -- CMD...
# The command sees UBMAP_KO (the debug module), UBLK_KO (the debug kernel's ublk_drv) and CASE_TIMEOUT (1200 s), plus ONLY and VERBOSE
# when set here. The guest's timeout defaults to 4 h: the checkers make the suite several times
# slower than on Debian's kernel.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kdir=$("$top/scripts/debug-kernel.sh")
kver=${kdir##*/}
mod=$top/build/kmod-debug
# A copy of the sources with their mtimes (-p), so Kbuild rebuilds only what changed.
mkdir -p "$mod"
rm -rf "$mod"/*.[ch] "$mod/include"
cp -pr "$top"/kmods/ubmap/{Kbuild,*.[ch],include} "$mod/"
# The kernel has no DWARF (build time); the module's own (-g) lets faddr2line place a report.
make -C "$kdir/lib/modules/$kver/build" M="$mod" W=1 KCFLAGS=-g modules >&2

opts=()
while (($#)) && [[ $1 != -- ]]; do opts+=("$1"); shift; done
(($#)) && shift
(($#)) || [[ " ${opts[*]} " != *" --interactive "* ]] || set -- bash -i
env=(UBMAP_KO="$mod/ubmap.ko" UBLK_KO="$kdir/lib/modules/$kver/kernel/drivers/block/ublk_drv.ko"
	CASE_TIMEOUT="${CASE_TIMEOUT:-1200}")
for v in ONLY VERBOSE; do
	[[ -z ${!v:-} ]] || env+=("$v=${!v}")
done
# kasan_multi_shot: KASAN reports every bad access, not only the first of the boot.
export VM_KDIR=$kdir UBMAP_KVER=$kver VM_APPEND="kasan_multi_shot ${VM_APPEND:-}"
exec "$top/scripts/vm-run.sh" --timeout "${VM_TIMEOUT:-14400}" "${opts[@]}" -- env "${env[@]}" "$@"
