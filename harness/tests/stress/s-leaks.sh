#!/bin/bash
# s-leaks.sh: N I/Os per mode (direct and buffered, reads and writes, 4k to
# 256k, the backend restarted between chunks), then the machine must be back
# where it started: module refcount and nothing in flight exactly; every
# slot mapped also unmapped (zap_calls); MemAvailable (with the per-CPU
# lists' free pages) within 16 MiB, SUnreclaim within 4 MiB, VmallocUsed
# within 2 MiB; no slab cache grown by one object per 20 I/Os (1024 at
# least).  Full: LEAK_IOS (1 000 000) fio I/Os a mode; reduced: 20 000.
set -euo pipefail
# shellcheck source=harness/tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"

n=${LEAK_IOS:-1000000} chunks=4
reduced && n=20000 chunks=2

# snapshot FILE: /proc/meminfo, plus the free pages on the per-CPU lists
# (pcp), which MemFree does not count: a free of many pages (a ram store, fio's
# buffers) leaves up to each list's "high" there, so MemAvailable alone moves
# by up to tens of MiB with nothing leaked.  FILE, so that every figure of one
# measurement comes from the same moment, and not from the moment a
# diagnostic's pipeline runs.
snapshot() {
	{
		cat /proc/meminfo
		awk -v kb=$(($(getconf PAGESIZE) / 1024)) \
			'$1 == "count:" { n += $2 } END { printf "PcpFree: %d kB\n", n * kb }' /proc/zoneinfo
	} >"$1"
}
# field FILE KEY: one field of a snapshot, in kB.
field() { awk -v k="$2:" '$1 == k { print $2 }' "$1"; }
# avail FILE: MemAvailable with the per-CPU lists' free pages counted in.
avail() { echo $(($(field "$1" MemAvailable) + $(field "$1" PcpFree))); }
slabs() { awk 'NR > 2 { print $1, $2 }' /proc/slabinfo | sort; }
# Objects freed through RCU (maple tree nodes of exited processes' mms) wait
# for a grace period, and a KASAN kernel keeps freed objects in its
# quarantine, still counted in slabinfo, until their cache is shrunk: after
# this, slabinfo counts live objects (the debug kernel's first run saw
# maple_node +4296 with SUnreclaim +156 kB).
shrink_slabs() {
	local f
	for f in /sys/kernel/slab/*/shrink; do
		[[ -w $f ]] && echo 1 >"$f" 2>/dev/null
	done
	return 0
}
settle() { drop_caches; sleep 1; shrink_slabs; sleep 1; shrink_slabs; }
# The four fields that moved most from snapshot FILE0 to FILE1, in kB: where
# memory went when MemAvailable fell.
meminfo_moved() {
	join <(sort "$1") <(sort "$2") |
		awk '{ d = $4 - $2; printf "%d %s %+d\n", (d < 0 ? -d : d), $1, d }' |
		sort -rn | head -n 4 | cut -d' ' -f2- | paste -sd' '
}

for mode in "${MODES[@]}"; do
	begin_row
	load_module
	set_mode "$mode"
	settle
	refcnt0=$(cat /sys/module/ubmap/refcnt)
	slabs >"$WORK/slab0"
	snapshot "$WORK/mem0"
	reqs=0 errs=0 mapped=0 copied=0 zaps=0 ios=0
	for ((c = 0; c < chunks; c++)); do
		start_backend ram
		reset_stats
		per=$((n / chunks))
		# number_ios only stops a job early: io_size lets it go past its 128 MiB
		# region (wrapping), or it ends there (136 108 requests a mode, not 1 000 000
		# I/Os, until 2026-12-08).
		fio --filename="$DISK" --output="$WORK/fio.json" --output-format=json --rw=randrw \
			--size=128m --io_size=1t \
			--name=direct --direct=1 --ioengine=libaio --iodepth=8 --bsrange=4k-256k \
			--number_ios=$((per * 3 / 4)) \
			--name=buffered --direct=0 --ioengine=psync --bs=4k --offset=128m \
			--number_ios=$((per / 4)) --fdatasync=64 ||
			{ cat "$WORK/fio.json"; fail "fio failed"; }
		stop_backend
		ios=$((ios + $(jq '[.jobs[] | .read.total_ios + .write.total_ios] | add' "$WORK/fio.json")))
		reqs=$((reqs + $(counter reads) + $(counter writes))) errs=$((errs + $(counter errors)))
		mapped=$((mapped + $(counter requests_mapped))) copied=$((copied + $(counter requests_copied)))
		zaps=$((zaps + $(counter zap_calls)))
	done
	# One object per 20 I/Os, but not under what the kernel's own churn
	# moves between two snapshots: kmalloc-96 by up to 403 objects in runs
	# of 7908 requests (stock kernel, no leak).
	slab_limit=$((reqs / 20 > 1024 ? reqs / 20 : 1024))
	# What a leak holds stays held; what is on its way back (RCU, deferred
	# frees, pages still on a list) is not: measure again, up to three
	# times, before calling the memory lost.
	for ((try = 1; try <= 3; try++)); do
		settle
		snapshot "$WORK/mem1"
		slabs >"$WORK/slab1"
		grown=$(join "$WORK/slab0" "$WORK/slab1" | awk '{ print $3 - $2, $1 }' | sort -n | tail -n 1)
		(($(avail "$WORK/mem0") - $(avail "$WORK/mem1") < 16384 && ${grown%% *} < slab_limit)) && break
	done
	refcnt1=$(cat /sys/module/ubmap/refcnt)
	avail0=$(avail "$WORK/mem0") avail1=$(avail "$WORK/mem1")
	unrec0=$(field "$WORK/mem0" SUnreclaim) unrec1=$(field "$WORK/mem1" SUnreclaim)
	vmalloc0=$(field "$WORK/mem0" VmallocUsed) vmalloc1=$(field "$WORK/mem1" VmallocUsed)
	msg="$ios fio I/Os, $reqs requests; MemAvailable+PcpFree $(((avail1 - avail0) / 1024)) MiB (of which per-CPU lists $((($(field "$WORK/mem1" PcpFree) - $(field "$WORK/mem0" PcpFree)) / 1024)) MiB; measured $((try > 3 ? 3 : try)) times), SUnreclaim $((unrec1 - unrec0)) kB, VmallocUsed $((vmalloc1 - vmalloc0)) kB, most grown slab ${grown#* } +${grown%% *}"
	note "$mode: $msg"
	bad=()
	# The I/Os asked for, less a job's last few in flight (fio counts what completed).
	((ios >= n * 99 / 100)) || bad+=("fio did $ios I/Os of the $n asked")
	((refcnt1 == refcnt0)) || bad+=("module refcount $refcnt0 -> $refcnt1")
	(($(counter inflight) == 0)) || bad+=("$(counter inflight) requests in flight")
	((errs == 0)) || bad+=("$errs requests failed")
	if [[ $mode == copy ]]; then
		((zaps == 0)) || bad+=("copy mode zapped $zaps slots")
	else
		((zaps == mapped + copied)) || bad+=("slots mapped $((mapped + copied)), unmapped $zaps")
	fi
	((avail0 - avail1 < 16384)) ||
		bad+=("MemAvailable+PcpFree fell $(((avail0 - avail1) / 1024)) MiB (most moved: $(meminfo_moved "$WORK/mem0" "$WORK/mem1"))")
	((unrec1 - unrec0 < 4096)) || bad+=("SUnreclaim grew $((unrec1 - unrec0)) kB")
	((vmalloc1 - vmalloc0 < 2048)) || bad+=("VmallocUsed grew $((vmalloc1 - vmalloc0)) kB")
	((${grown%% *} < slab_limit)) || bad+=("slab ${grown#* } grew ${grown%% *} objects (limit $slab_limit)")
	# A leak fails the row: nothing of it survived the check.
	if ((${#bad[@]})); then
		end_row "leaks $mode" $((reqs + errs)) 0 0 "LEAK: ${bad[*]}; $msg"
		fail "${bad[*]}"
	fi
	end_row "leaks $mode" $((reqs + errs)) "$reqs" 0 "$msg"
	unload_module
done
