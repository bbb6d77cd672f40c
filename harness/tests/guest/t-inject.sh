#!/bin/bash
# t-inject.sh: the test-only inject_ns and inject_pct parameters (the CI
# gate's simulated regression, scripts/bench-ab.sh) refuse an absurd value at
# load, cost at least their delay per request, and count every request that
# paid it.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

# fio's mean completion latency of 4k direct reads at QD1 must grow by the delay (half of it at
# least: the host's steal moves the unslowed latency too; b5b3853's CI saw +153 us for 200 us), if the wait is in each request's service time. Paid after the
# commit instead, it overlapped fio's turnaround: much less showed. (dd's timings were no use:
# 300 reads took 1.0-1.2 s either way, whatever the delay.)
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

# clat N: the mean completion latency of N 4k direct random reads at QD1, in us.
clat() {
	fio --name=inject --filename="$DISK" --rw=randread --bs=4k --direct=1 --ioengine=psync \
		--size=64m --number_ios="$1" --output-format=json --output="$WORK/fio.json" >/dev/null ||
		fail "fio failed: $(cat "$WORK/fio.json")"
	jq '.jobs[0].read.clat_ns.mean / 1000 | floor' "$WORK/fio.json"
}

# Off by default: nothing injected.
insmod "$KO"
start_backend ram
reset_stats
off_us=$(clat "$N")
(($(counter injected) == 0)) || fail "injected $(counter injected) with inject_ns unset"
stop_backend
rmmod ubmap

insmod "$KO" inject_ns=$DELAY
[[ $(cat /sys/module/ubmap/parameters/inject_ns) == "$DELAY" ]] || fail "inject_ns not taken"
start_backend ram
reset_stats
on_us=$(clat "$N")
got=$(counter injected) served=$(($(counter reads) + $(counter writes) + $(counter flushes)))
stop_backend
note "inject_ns=$DELAY: mean latency $on_us us (off: $off_us us), injected $got of $served requests"
((got >= N && got == served)) || fail "injected $got, want every one of the $served requests (>= $N)"
want=$((DELAY * 5 / 10 / 1000))
((on_us - off_us >= want)) || fail "latency grew by $((on_us - off_us)) us with inject_ns=$DELAY, want >= $want"
rmmod ubmap

# inject_pct: each request waits PCT % of the queue's recent period (fetch to
# fetch, less the waits), which at QD1 is at least its completion latency.
PCT=50
insmod "$KO" inject_pct=$PCT
[[ $(cat /sys/module/ubmap/parameters/inject_pct) == "$PCT" ]] || fail "inject_pct not taken"
start_backend ram
reset_stats
pct_us=$(clat "$N")
got=$(counter injected) served=$(($(counter reads) + $(counter writes) + $(counter flushes)))
per_us=$(($(counter injected_ns) / (got > 0 ? got : 1) / 1000))
stop_backend
note "inject_pct=$PCT: mean latency $pct_us us (off: $off_us us), injected $got of $served requests, $per_us us each"
# Every request but the first of the queue's fetches: until two fetches have
# been seen there is no period to take a percentage of.
((got >= served - 2 && served >= N)) || fail "injected $got, want all but 2 of the $served requests (>= $N)"
# The wait is PCT % of a period no shorter than the latency: at least 60 % of
# that of the unslowed latency, the rest for noise; and what was counted must
# have shown in the latency (half of it).
((per_us * 100 >= off_us * PCT * 6 / 10)) || fail "waited $per_us us a request, want >= $((off_us * PCT * 6 / 1000)) ($PCT % of $off_us us, less 40 %)"
((pct_us - off_us >= per_us / 2)) || fail "latency grew by $((pct_us - off_us)) us, want >= half the $per_us us waited"
