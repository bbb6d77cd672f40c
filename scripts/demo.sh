#!/bin/bash
# The end-to-end demo (in the guest): for each mode, fio reads through the
# ram store, direct and buffered, 4 KiB and 1 MiB, and the module's counters
# say what one read cost: map calls, pages mapped, fallbacks, ns in map /
# unmap / copy.  Data is verified (crc32c) on the way.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=harness/tests/guest/lib.sh
. "$TOP/harness/tests/guest/lib.sh"
trap 'stop_backend; rmmod ubmap 2>/dev/null' EXIT

insmod "$TOP/kmods/ubmap/ubmap.ko"
echo "ubmap demo: kernel $(uname -r), tier ${UBMAP_VM_TIER:-bare}, $(nproc) vCPUs"
echo "per request, averaged over the run (fio randread, ram store, psync);"
echo "writes are requests the read workload caused (writeback of pages it dirtied):"
printf '%-16s %-8s %4s %5s %6s %8s %8s %6s %9s %9s %9s  %s\n' mode io bs reads writes \
	calls/rq pages/rq fb/rq map-ns/rq unmap-ns/rq copy-ns/rq "fallback reason"
read -ra modes <"$SYSFS/modes"
for mode in "${modes[@]}"; do
	set_mode "$mode"
	start_backend ram
	# Lay down checksummed data once per mode; the reads below verify it.
	fio --name=fill --filename="$DISK" --bs=1m --size=64m --rw=write --direct=1 \
		--verify=crc32c --verify_interval=4k --do_verify=0 --verify_state_save=0 --eta=never --output=/dev/null
	for io in direct buffered; do
		for bs in 4k 1m; do
			direct=0 ios=64
			[[ $io == direct ]] && direct=1
			[[ $bs == 4k ]] && ios=2048
			drop_caches
			reset_stats
			fio --name=read --filename="$DISK" --bs="$bs" --size=64m --rw=randread \
				--direct="$direct" --ioengine=psync --number_ios="$ios" \
				--verify=crc32c --verify_interval=4k --verify_state_save=0 --eta=never --output=/dev/null ||
				fail "fio $mode $io $bs failed"
			awk -v mode="$mode" -v io="$io" -v bs="$bs" '
				{ s[$1] = $2 }
				# Every fallback_* key is a reason; the commonest names the row.
				$1 ~ /^fallback_/ {
					fb += $2
					if ($2 > top) { top = $2; why = substr($1, 10) }
				}
				END {
					n = s["reads"] + s["writes"]; if (!n) n = 1
					if (!top) why = "-"
					printf "%-16s %-8s %4s %5d %6d %8.2f %8.2f %6.2f %9.0f %9.0f %9.0f  %s\n",
						mode, io, bs, s["reads"], s["writes"], s["map_calls"] / n,
						s["pages_mapped"] / n, fb / n, s["map_ns"] / n,
						s["unmap_ns"] / n, s["copy_ns"] / n, why
				}' "$STATS"
		done
	done
	stop_backend
done
echo "(calls/rq includes the calls that map a fallback's bounce pages; pages/rq counts request pages only)"
