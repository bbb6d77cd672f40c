#!/bin/bash
# Build Debian's linux-source-6.1 as a debug guest kernel — KASAN, lockdep, DEBUG_VM,
# DEBUG_PAGEALLOC, KFENCE — from the x86_64 defconfig plus scripts/debug-kernel.config, with the
# backports of scripts/debug-kernel.patch, and print its directory in scripts/kernel-fetch.sh's
# layout (for VM_KDIR):
#   build/kernel-debug/<kver>/boot/vmlinuz-<kver>, .../lib/modules/<kver>/ (build -> the tree).
# A bzImage, not a PVH vmlinux: see the fragment.
# Cached: rebuilt only when the fragment, the patch, this script or the source package change.
# Env: DEBUG_KERNEL_JOBS (make -j, 2). The build log is build/kernel-debug/build.log.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tarball=/usr/src/linux-source-6.1.tar.xz
frag=$top/scripts/debug-kernel.config
patches=$top/scripts/debug-kernel.patch
base=$top/build/kernel-debug
src=$base/src/linux-source-6.1 obj=$base/obj log=$base/build.log

if ! srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) || [[ ! -f $tarball ]]; then
	echo "debug-kernel: no $tarball (apt-get install linux-source-6.1)" >&2
	exit 1
fi
srckey="$srcver $(sha256sum <"$patches" | cut -c1-16)"
key=$({ cat "$0" "$frag"; echo "$srckey"; } | sha256sum | cut -c1-16)
mkdir -p "$base"
exec 8>"$base/.lock" # two builds at once would trample each other's tree
flock 8
# stamp: "<key> <kver>", written only once a build is complete.
if read -r k kver 2>/dev/null <"$base/stamp" && [[ $k == "$key" && -f $base/$kver/boot/vmlinuz-$kver ]]; then
	echo "$base/$kver"
	exit 0
fi

# Build dependencies are installed here, not by scripts/deps.sh: plain `make test` needs none.
need=()
for p in build-essential flex bison bc libelf-dev libssl-dev kmod cpio; do
	dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
	echo "debug-kernel: installing ${need[*]}" >&2
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >&2
fi

echo "debug-kernel: building linux-source-6.1 $srcver (log: ${log#"$top"/}); see README.md for how long" >&2
start=$SECONDS
rm -f "$base/stamp"
# New sources or patches start from scratch; a changed fragment or script reuses the tree, and
# Kbuild rebuilds what the new configuration touches.
if [[ $(cat "$base/src.version" 2>/dev/null) != "$srckey" ]]; then
	rm -rf "$base/src" "$obj" && mkdir -p "$base/src" "$obj"
	nice -n 19 tar -xJf "$tarball" -C "$base/src"
	patch -d "$src" -p1 -s <"$patches"
	echo "$srckey" >"$base/src.version"
fi
# LOCALVERSION= (set, empty): setlocalversion appends nothing of its own.
mk() { nice -n 19 make -C "$src" O="$obj" ARCH=x86_64 LOCALVERSION= -j"${DEBUG_KERNEL_JOBS:-2}" "$@" >>"$log" 2>&1; }
: >"$log"
mk defconfig
# Fragment lines -> scripts/config options.
opts=()
while read -r line; do
	if [[ $line =~ ^#\ CONFIG_([A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
		opts+=(--disable "${BASH_REMATCH[1]}")
	elif [[ $line =~ ^CONFIG_([A-Za-z0-9_]+)=(.*)$ ]]; then
		case ${BASH_REMATCH[2]} in
		y) opts+=(--enable "${BASH_REMATCH[1]}") ;;
		m) opts+=(--module "${BASH_REMATCH[1]}") ;;
		\"*) v=${BASH_REMATCH[2]#\"}; opts+=(--set-str "${BASH_REMATCH[1]}" "${v%\"}") ;;
		*) opts+=(--set-val "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}") ;;
		esac
	fi
done <"$frag"
"$src/scripts/config" --file "$obj/.config" "${opts[@]}"
mk olddefconfig
# olddefconfig silently drops what a dependency forbids: every line must have survived.
bad=$(grep -E '^(CONFIG_|# CONFIG_.* is not set$)' "$frag" | while read -r line; do
	if [[ $line == "# "* ]]; then
		s=${line#\# } s=${s% is not set}
		! grep -qE "^$s=[ym]" "$obj/.config" || echo "$line (is ${s}=y/m)"
	else
		grep -qxF "$line" "$obj/.config" || echo "$line (is $(grep -E "^(# )?${line%%=*}[= ]" "$obj/.config" || echo unset))"
	fi
done)
[[ -z $bad ]] || { echo "debug-kernel: olddefconfig did not keep:"$'\n'"$bad" >&2; exit 1; }
echo "debug-kernel: configured in $((SECONDS - start)) s; compiling" >&2
mk bzImage modules || { tail -n 30 "$log" >&2; echo "debug-kernel: build failed, see $log" >&2; exit 1; }
kver=$(make -s -C "$src" O="$obj" LOCALVERSION= kernelrelease 2>/dev/null | tail -n1)
out=$base/$kver
rm -rf "$out" && mkdir -p "$out/boot"
cp "$obj/arch/x86/boot/bzImage" "$out/boot/vmlinuz-$kver"
cp "$obj/System.map" "$out/boot/System.map-$kver"
cp "$obj/.config" "$out/boot/config-$kver"
# modules_install runs depmod with INSTALL_MOD_PATH as its base; lib/modules/<kver>/build -> $obj.
mk INSTALL_MOD_PATH="$out" modules_install
[[ -f $out/lib/modules/$kver/modules.dep ]] || { echo "debug-kernel: no modules.dep after modules_install" >&2; exit 1; }
echo "$key $kver" >"$base/stamp"
echo "debug-kernel: $kver built in $((SECONDS - start)) s; vmlinuz $(du -h "$out/boot/vmlinuz-$kver" | cut -f1), vmlinux $(du -h "$obj/vmlinux" | cut -f1)," \
	"modules $(du -sh "$out/lib/modules/$kver/kernel" | cut -f1), tree $(du -sh "$obj" | cut -f1)" >&2
echo "$out"
