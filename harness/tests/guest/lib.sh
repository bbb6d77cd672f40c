#!/bin/bash
# Helpers shared by the in-guest scenarios (t-*.sh).  Sourced, never run.
# Scenario exit codes: 0 pass, 77 skip (as test_abi.c, liburing, automake), anything else fail.
# shellcheck disable=SC2034  # variables are for the scenarios

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
UBMAPD=$TOP/harness/build/ubmapd
# The module to load: UBMAP_KO when the guest boots another kernel (make test KERNEL=debug).
KO=${UBMAP_KO:-$TOP/kmods/ubmap/ubmap.ko}
# The ublk peer's driver, the same way: the debug kernel builds its own.
UBLK_KO=${UBLK_KO:-$TOP/kmods/ublk/ublk_drv.ko}
DISK=/dev/ubmap0
SYSFS=/sys/block/ubmap0/ubmap
STATS=/sys/kernel/debug/ubmap/ubmap0/stats
WORK=${WORK:-$(mktemp -d /tmp/ubmap-test.XXXXXX)}
BACKEND_PID=

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
note() { echo "  $*"; }

set_mode() { echo "$1" > "$SYSFS/mode" || fail "cannot set mode $1"; }

# start_backend STORE [UBMAPD-ARGS...]: starts ubmapd and waits until all
# its queues run.
start_backend() {
	local store=${1:-ram} i
	rm -f "$WORK/ready"
	"$UBMAPD" --store "$store" "${@:2}" --ready-file "$WORK/ready" --quiet \
		>"$WORK/ubmapd.log" 2>&1 &
	BACKEND_PID=$!
	for ((i = 0; i < 200; i++)); do
		[[ -e $WORK/ready ]] && return 0
		kill -0 "$BACKEND_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$WORK/ubmapd.log" >&2
	fail "ubmapd did not become ready"
}

stop_backend() {
	[[ $BACKEND_PID ]] || return 0
	kill -TERM "$BACKEND_PID" 2>/dev/null
	wait "$BACKEND_PID" || fail "ubmapd exited with status $? (log: $(cat "$WORK/ubmapd.log"))"
	BACKEND_PID=
}

reset_stats() { echo 1 > "$STATS"; }

# counter KEY: one counter from the module's stats file.
counter() {
	awk -v k="$1" '$1 == k { print $2; found = 1 } END { exit !found }' "$STATS" ||
		fail "no stat '$1'"
}

# fallbacks: requests that fell back to the copy, for any reason (every
# fallback_* key of the stats file: the module's list, not ours).
fallbacks() {
	awk '$1 ~ /^fallback_/ { n += $2; found = 1 } END { print n; exit !found }' "$STATS" ||
		fail "no fallback_* stats"
}

# The page cache must not answer the read-back: drop it so reads hit the disk.
drop_caches() {
	blockdev --flushbufs "$DISK"
	echo 3 > /proc/sys/vm/drop_caches
}

# fio_verify IO BS SIZE: write with crc32c checksums, drop the cache, then
# read everything back and verify it.  IO is direct or buffered.
fio_verify() {
	local io=$1 bs=$2 size=$3 direct=0 engine=psync depth=1
	[[ $io == direct ]] && direct=1 engine=libaio depth=8
	local common=(--name=verify --filename="$DISK" --bs="$bs" --size="$size"
		--direct="$direct" --ioengine="$engine" --iodepth="$depth"
		--verify=crc32c --verify_fatal=1 --verify_state_save=0)
	fio "${common[@]}" --rw=write --do_verify=0 --end_fsync=1 \
		--output="$WORK/fio-write.txt" || { cat "$WORK/fio-write.txt"; fail "fio write failed"; }
	drop_caches
	fio "${common[@]}" --rw=read --output="$WORK/fio-read.txt" ||
		{ cat "$WORK/fio-read.txt"; fail "fio read-back verify failed"; }
}
