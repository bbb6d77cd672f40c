#!/bin/bash
# Build build/kernel/<ver>/initramfs.cpio.gz and print its path: static busybox, the virtio + 9p
# modules needed to mount the host root, and scripts/guest-init as /init. Debian's own initramfs
# is not used (it needs update-initramfs and knows nothing about 9p). Rebuilt only when an input
# (this script, guest-init, busybox, the kernel version) changes.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
ver=$("$top/scripts/kver.sh")
kdir=$("$top/scripts/kernel-fetch.sh")
mdir=$kdir/lib/modules/$ver
out=$kdir/initramfs.cpio.gz
# Load order matters: insmod (unlike modprobe) does not resolve dependencies.
MODS=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p configfs)

bb=/bin/busybox # busybox-static; a dynamic busybox would have no libc in the initramfs
if ldd "$bb" >/dev/null 2>&1; then echo "initramfs: $bb is not static (install busybox-static)" >&2; exit 1; fi

key=$({ cat "$0" "$top/scripts/guest-init" "$bb"; echo "$ver ${MODS[*]}"; } | sha256sum | cut -d' ' -f1)
if [[ -f $out && $(cat "$out.key" 2>/dev/null) == "$key" ]]; then echo "$out"; exit 0; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,newroot,modules} && touch "$tmp/modules/order"
cp "$bb" "$tmp/bin/busybox"
for a in $("$bb" --list); do [[ $a == busybox ]] || ln -s busybox "$tmp/bin/$a"; done
cp "$top/scripts/guest-init" "$tmp/init" && chmod 755 "$tmp/init"
for m in "${MODS[@]}"; do
	f=$(find "$mdir/kernel" -name "$m.ko*" -print -quit)
	if [[ -z $f ]]; then
		# Built into this kernel (nothing to load) or absent (the mount will say so in the guest log).
		grep -q "/$m\.ko" "$mdir/modules.builtin" 2>/dev/null || echo "initramfs: warning: module $m not found" >&2
		continue
	fi
	# Decompress on the host so busybox insmod never depends on its compression support.
	case $f in
	*.xz) xz -dc "$f" ;; *.zst) zstd -qdc "$f" ;; *.gz) gzip -dc "$f" ;; *) cat "$f" ;;
	esac >"$tmp/modules/$m.ko"
	echo "$m" >>"$tmp/modules/order"
done
(cd "$tmp" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0 | gzip -1) >"$out.$$"
mv "$out.$$" "$out" # atomic: a concurrent vm-run never sees half a file
echo "$key" >"$out.key"
echo "$out"
