#!/bin/bash
# Print the kernel version (e.g. 6.1.0-56-amd64) the module is built for and the guest boots:
# the one the linux-headers-amd64 metapackage depends on, so image and headers always match.
# UBMAP_KVER overrides (e.g. to try another installed headers version).
set -euo pipefail

if [[ -n ${UBMAP_KVER:-} ]]; then echo "$UBMAP_KVER"; exit 0; fi
# Installed metapackage first (what /usr/src holds); else what apt would install.
deps=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null ||
	apt-cache depends linux-headers-amd64 2>/dev/null | sed -n 's/^ *Depends: //p')
ver=$(grep -o 'linux-headers-[0-9][^ ,(]*' <<<"$deps" | head -n1 | sed 's/^linux-headers-//' || true)
[[ -n $ver ]] || { echo "kver: cannot resolve linux-headers-amd64 (run scripts/deps.sh)" >&2; exit 1; }
echo "$ver"
