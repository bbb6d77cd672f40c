#!/bin/bash
# t-params.sh: bad module parameters are refused at load with a reason in
# the kernel log, never clamped silently.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

rmmod ubmap
for bad in mode=bogus queue_depth=1 max_io_kb=512 max_io_kb=1536 \
	logical_block_size=1000 nr_queues=0 capacity_mb=0 \
	"nr_queues=64 queue_depth=1024 max_io_kb=8192"; do
	# shellcheck disable=SC2086 # one case may set several parameters
	if insmod "$KO" $bad 2>"$WORK/insmod.txt"; then
		rmmod ubmap
		fail "insmod $bad was accepted"
	fi
	why=$(dmesg | tail -n 3 | grep -o 'ubmap: .* must .*' | tail -n 1)
	[[ $why ]] || fail "no reason logged for $bad"
	note "$bad: $why"
done
# Leave it loaded with good parameters, as the runner expects.
insmod "$KO" mode=mkspecial queue_depth=4 nr_queues=1 max_io_kb=2048
[[ $(cat "$SYSFS/mode") == mkspecial ]] || fail "mode parameter ignored"
# A slot is the largest request: the block layer's 1280 KiB default must
# not cut a 2 MiB one in two.
max=$(cat /sys/block/ubmap0/queue/max_sectors_kb)
((max == 2048)) || fail "max_sectors_kb $max with max_io_kb=2048"
