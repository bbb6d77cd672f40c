#!/bin/bash
# Make build/kernel/<ver>/{boot/vmlinu[zx]-<ver>,lib/modules/<ver>/} exist and print that directory
# (or VM_KDIR's, when set).
# We only need the image's files for QEMU, so download + extract the .deb instead of installing it:
# seconds instead of minutes (no update-initramfs), and the host's /boot stays untouched.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
ver=$("$top/scripts/kver.sh")
# VM_KDIR: a kernel of one's own (a debug build, a test's stand-in) laid out the same way.
if [[ -n ${VM_KDIR:-} ]]; then
	[[ -f $VM_KDIR/boot/vmlinuz-$ver || -f $VM_KDIR/boot/vmlinux-$ver ]] ||
		{ echo "kernel-fetch: VM_KDIR=$VM_KDIR has no boot/vmlinu[xz]-$ver" >&2; exit 1; }
	echo "$VM_KDIR"
	exit 0
fi
dir=$top/build/kernel/$ver
if [[ -f $dir/boot/vmlinuz-$ver && -f $dir/lib/modules/$ver/modules.dep ]]; then
	echo "$dir"
	exit 0
fi

# Debian ships the signed image as linux-image-<ver>, the plain one as ...-unsigned; either boots.
pkg=
for p in "linux-image-$ver" "linux-image-$ver-unsigned"; do
	if apt-cache show --no-all-versions "$p" >/dev/null 2>&1; then pkg=$p; break; fi
done
[[ -n $pkg ]] || { echo "kernel-fetch: no linux-image package for $ver (apt-get update?)" >&2; exit 1; }
# Pin the exact version of the installed headers when apt still has it (same modversions CRCs).
hver=$(dpkg-query -W -f='${Version}' "linux-headers-$ver" 2>/dev/null || true)

mkdir -p "$top/build"
# QEMU boots an uncompressed ELF with a PVH entry note directly; under TCG that skips the
# real-mode setup and the xz decompression of the bzImage (~3 s of every boot).
hdr() { od -An -t "u$3" -j "$2" -N "$3" "$1" | tr -d ' '; }
extract_vmlinux() {
	# Payload offset/length from the bzImage setup header (setup_sects, payload_offset/length).
	local off=$((($(hdr "$1" 0x1f1 1) + 1) * 512 + $(hdr "$1" 0x248 4))) len
	len=$(hdr "$1" 0x24c 4)
	# Debian compresses with xz; --single-stream ignores the 4-byte size trailer.
	tail -c +$((off + 1)) "$1" | head -c "$len" | xz -dc --single-stream >"$2" 2>/dev/null || true
	# Note type 0x12 = XEN_ELFNOTE_PHYS32_ENTRY, the PVH entry point QEMU needs.
	readelf -n "$2" 2>/dev/null | grep -q 'type: (0x00000012)' || { rm -f "$2"; return 1; }
}

tmp=$(mktemp -d "$top/build/.kfetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # lets apt's _apt user write there (avoids the "unsandboxed" warning)
want=$pkg${hver:+=$hver}
(cd "$tmp" && { apt-get download -q "$want" 2>/dev/null || apt-get download -q "$pkg"; }) >&2
dpkg-deb -x "$tmp"/*.deb "$tmp/root"
extract_vmlinux "$tmp/root/boot/vmlinuz-$ver" "$tmp/root/boot/vmlinux-$ver" ||
	echo "kernel-fetch: no PVH vmlinux (booting the bzImage instead, ~3 s slower under TCG)" >&2
# modules.dep is normally made by the postinst; make it so modprobe works in the guest.
depmod -b "$tmp/root" "$ver"
rm -rf "$dir" && mkdir -p "$(dirname "$dir")" && mv "$tmp/root" "$dir"
echo "$dir"
