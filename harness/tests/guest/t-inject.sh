#!/bin/bash
# t-inject.sh: the test-only inject_ns parameter (the CI gate's simulated
# regression, scripts/bench-ab.sh) refuses an absurd value at load, costs at
# least its delay per request, and counts every request that paid it.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

# 300 reads paying 200 us each: 60 ms more than without (~60 ms under TCG), if the wait is in
# each request's service time. Paid after the commit instead, it overlapped fio's turnaround
# and saved the backend's sleep: half of it or less showed.
N=300 DELAY=200000

rmmod ubmap
for bad in inject_ns=1000001 inject_ns=4000000000; do
	if insmod "$KO" $bad 2>"$WORK/insmod.txt"; then
		rmmod ubmap
		fail "insmod $bad was accepted"
	fi
	why=$(dmesg | tail -n 3 | grep -o 'ubmap: inject_ns must .*' | tail -n 1)
	[[ $why ]] || fail "no reason logged for $bad"
	note "$bad: $why"
done

# reads N: N direct 4k reads; prints their wall time in ms.
reads() {
	local t0 t1
	t0=$(date +%s%N)
	dd if="$DISK" of=/dev/null bs=4k count="$1" iflag=direct status=none || fail "dd failed"
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}

# Off by default: nothing injected.
insmod "$KO"
start_backend ram
reset_stats
off_ms=$(reads "$N")
(($(counter injected) == 0)) || fail "injected $(counter injected) with inject_ns unset"
stop_backend
rmmod ubmap

insmod "$KO" inject_ns=$DELAY
[[ $(cat /sys/module/ubmap/parameters/inject_ns) == "$DELAY" ]] || fail "inject_ns not taken"
start_backend ram
reset_stats
on_ms=$(reads "$N")
got=$(counter injected) served=$(($(counter reads) + $(counter writes) + $(counter flushes)))
stop_backend
note "inject_ns=$DELAY: $N reads in $on_ms ms (off: $off_ms ms), injected $got of $served requests"
((got >= N && got == served)) || fail "injected $got, want every one of the $served requests (>= $N)"
# Each read waits for its own delay: serial, so 80 % of N x DELAY more at least (the rest
# for noise; contention while the reads without run makes this fail, never pass).
want=$((N * DELAY * 8 / 10 / 1000000))
((on_ms - off_ms >= want)) || fail "$N reads took $((on_ms - off_ms)) ms more with inject_ns=$DELAY, want >= $want"
