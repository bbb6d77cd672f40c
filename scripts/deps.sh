#!/bin/bash
# Install every Debian package the project needs (build, guest VM, bench, report).
# Idempotent: only missing packages are installed, and apt-get update runs only then,
# so a second run is fast and offline. CI runs this on a fresh machine.
set -euo pipefail

PKGS=(
	build-essential pkg-config sparse shellcheck       # build + lint
	linux-headers-amd64 kmod                           # module build (kver.sh reads the metapackage)
	linux-source-6.1                                   # ublk_drv.c for the ublk peer (kmods/ublk)
	qemu-system-x86 busybox-static cpio xz-utils zstd  # guest VM + its initramfs
	fio linux-perf jq                                  # benchmark + counters (run in the guest), jq for its tests
	liburing-dev libjansson-dev libcmocka-dev libgsl-dev gnuplot-nox  # harness + report
)

missing=()
for p in "${PKGS[@]}"; do
	# "ii " = installed and configured; anything else (absent, half-installed) gets (re)installed.
	[[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null) == "ii " ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
	echo "deps: all present"
	exit 0
fi

SUDO=()
if ((EUID != 0)); then
	command -v sudo >/dev/null || { echo "deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
	SUDO=(sudo)
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
