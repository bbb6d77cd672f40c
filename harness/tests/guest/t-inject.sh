#!/bin/bash
# t-inject.sh: the test-only inject_ns and inject_pct parameters (the CI
# gate's simulated regression, scripts/bench-ab.sh) refuse an absurd value at
# load, cost at least their delay per request, and count every request that
# paid it.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

# Each request spins its wait against the guest clock inside its service time,
# so fio's *minimum* completion latency (same clock) must be at least the
# delay: noise and host steal only add to a latency, and a minimum over 2000
# reads is not moved by them the way a mean is (CI saw the unslowed mean at
# 832 us, against 798 us with a 200 us delay, on a host losing time to steal).
# Paid after the commit instead, the wait would overlap fio's turnaround and
# the minimum would fall below it. (dd's timings were no use: 300 reads took
# 1.0-1.2 s either way, whatever the delay.)
N=2000 DELAY=200000

rmmod ubmap
for bad in inject_ns=1000001 inject_ns=4000000000 inject_pct=101 "inject_ns=1000 inject_pct=10"; do
	# shellcheck disable=SC2086 # one or two parameters
	if insmod "$KO" $bad 2>"$WORK/insmod.txt"; then
		rmmod ubmap
		fail "insmod $bad was accepted"
	fi
	why=$(dmesg | tail -n 3 | grep -oE 'ubmap: inject_(ns|pct).*' | tail -n 1)
	[[ $why ]] || fail "no reason logged for $bad"
	note "$bad: $why"
done

# clat N: fio's mean and minimum completion latency of N 4k direct random
# reads at QD1, in us, as "MEAN MIN".
clat() {
	fio --name=inject --filename="$DISK" --rw=randread --bs=4k --direct=1 --ioengine=psync \
		--size=64m --number_ios="$1" --output-format=json --output="$WORK/fio.json" >/dev/null ||
		fail "fio failed: $(cat "$WORK/fio.json")"
	jq -r '.jobs[0].read.clat_ns | "\(.mean / 1000 | floor) \(.min / 1000 | floor)"' "$WORK/fio.json"
}

# Off by default: nothing injected.
insmod "$KO"
start_backend ram
reset_stats
lat=$(clat "$N")
read -r off_us off_min <<<"$lat"
(($(counter injected) == 0)) || fail "injected $(counter injected) with inject_ns unset"
stop_backend
rmmod ubmap

insmod "$KO" inject_ns=$DELAY
[[ $(cat /sys/module/ubmap/parameters/inject_ns) == "$DELAY" ]] || fail "inject_ns not taken"
start_backend ram
reset_stats
lat=$(clat "$N")
read -r on_us on_min <<<"$lat"
got=$(counter injected) served=$(($(counter reads) + $(counter writes) + $(counter flushes)))
stop_backend
note "inject_ns=$DELAY: latency mean $on_us us, min $on_min us (off: $off_us, $off_min us), injected $got of $served requests"
((got >= N && got == served)) || fail "injected $got, want every one of the $served requests (>= $N)"
# 1 us of slack for fio's and the module's clock reads.
((on_min >= DELAY / 1000 - 1)) || fail "minimum latency $on_min us with inject_ns=$DELAY, want >= $((DELAY / 1000 - 1))"
rmmod ubmap

# inject_pct: each request waits PCT % of the queue's recent period (fetch to
# fetch, less the waits), which at QD1 is at least its completion latency.
PCT=50
insmod "$KO" inject_pct=$PCT
[[ $(cat /sys/module/ubmap/parameters/inject_pct) == "$PCT" ]] || fail "inject_pct not taken"
start_backend ram
reset_stats
lat=$(clat "$N")
read -r pct_us pct_min <<<"$lat"
got=$(counter injected) served=$(($(counter reads) + $(counter writes) + $(counter flushes)))
per_us=$(($(counter injected_ns) / (got > 0 ? got : 1) / 1000))
stop_backend
note "inject_pct=$PCT: latency mean $pct_us us, min $pct_min us (off: $off_us, $off_min us), injected $got of $served requests, $per_us us each"
# Every request but the first of the queue's fetches: until two fetches have
# been seen there is no period to take a percentage of.
((got >= served - 2 && served >= N)) || fail "injected $got, want all but 2 of the $served requests (>= $N)"
# The wait is PCT % of a period no shorter than a request's latency, so at
# least PCT % of the unslowed minimum (less 40 % for the average's lag); and
# since every wait lies inside its request's latency, the mean latency holds
# the mean wait whole.
((per_us * 100 >= off_min * PCT * 6 / 10)) || fail "waited $per_us us a request, want >= $((off_min * PCT * 6 / 1000)) ($PCT % of the unslowed minimum $off_min us, less 40 %)"
((pct_us >= per_us)) || fail "mean latency $pct_us us is below the mean wait of $per_us us: the wait is not in the service time"
