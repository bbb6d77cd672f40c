#!/bin/bash
# source.sh KVER OUTDIR: put drivers/block/ublk_drv.c of Debian's linux-source
# package matching kernel KVER (e.g. 6.1.0-57-amd64) into OUTDIR.
# The package must be the same Debian release as linux-headers-KVER, which the
# guest image is fetched to match (scripts/kernel-fetch.sh). On failure, one
# line on stderr saying why, and exit 1.
set -euo pipefail

kver=$1 out=$2
series=$(grep -oE '^[0-9]+\.[0-9]+' <<<"$kver") ||
	{ echo "cannot tell the kernel series of '$kver'" >&2; exit 1; }
pkg=linux-source-$series
tarball=/usr/src/$pkg.tar.xz
want=$(dpkg-query -W -f='${Version}' "linux-headers-$kver" 2>/dev/null) ||
	{ echo "linux-headers-$kver is not installed (make deps)" >&2; exit 1; }
have=$(dpkg-query -W -f='${db:Status-Abbrev}${Version}' "$pkg" 2>/dev/null || true)
[[ $have == "ii "* ]] || { echo "$pkg is not installed (make deps)" >&2; exit 1; }
have=${have#"ii "}
[[ $have == "$want" ]] ||
	{ echo "$pkg is $have, the guest kernel $kver is $want: the driver would not match" >&2; exit 1; }
[[ -r $tarball ]] || { echo "$tarball is missing though $pkg is installed" >&2; exit 1; }

# Unpacking the 140 MB tarball takes seconds: only when the release changed.
stamp="$pkg $have"
if [[ -f $out/ublk_drv.c && $(cat "$out/.source" 2>/dev/null) == "$stamp" ]]; then
	exit 0
fi
mkdir -p "$out"
tmp=$(mktemp -d "$out/.extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$tarball" -C "$tmp" --strip-components=1 "$pkg/drivers/block/ublk_drv.c" ||
	{ echo "$tarball has no drivers/block/ublk_drv.c" >&2; exit 1; }
mv "$tmp/drivers/block/ublk_drv.c" "$out/ublk_drv.c"
echo "$stamp" >"$out/.source"
