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

# fio_load RUNTIME WHO: a fio load on DISK in the background (FIO_PID),
# still running after 2 s, for a scenario to kill WHO (its server) under.
fio_load() {
	fio --name=load --filename="$DISK" --rw=randread --bs=64k --direct=1 \
		--ioengine=libaio --iodepth=16 --numjobs=2 --time_based --runtime="$1" \
		--output="$WORK/fio.txt" &
	FIO_PID=$!
	sleep 2
	kill -0 "$FIO_PID" || fail "fio ended before the $2 was killed"
}

# The load's first error, for the note.
fio_err() { grep -o 'err=[^,]*' "$WORK/fio.txt" | head -1; }

# The peers' servers (t-ublk.sh, t-tcmu.sh): one at a time, its pid in
# SERVER_PID, its output in SERVER_LOG, the disk it serves in DISK.
SERVER_PID='' SERVER_LOG='' SERVER_NAME=''

# peer_start LOG TRIES SERVER [ARGS...]: starts SERVER (which must write its
# disk's path into $WORK/ready) and waits up to TRIES x 50 ms for it.
peer_start() {
	local i
	SERVER_LOG=$1 SERVER_NAME=${3##*/}
	rm -f "$WORK/ready"
	"${@:3}" >"$SERVER_LOG" 2>&1 &
	SERVER_PID=$!
	for ((i = 0; i < $2; i++)); do
		if [[ -s $WORK/ready ]]; then
			DISK=$(cat "$WORK/ready")
			return 0
		fi
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$SERVER_LOG" >&2
	fail "$SERVER_NAME did not become ready"
}

# peer_stop: SIGTERM; the server must still run and then exit 0.
peer_stop() {
	kill -0 "$SERVER_PID" 2>/dev/null || fail "$SERVER_NAME ended by itself (log: $(cat "$SERVER_LOG"))"
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID" || fail "$SERVER_NAME exited with $? (log: $(cat "$SERVER_LOG"))"
	SERVER_PID=''
}

# peer_kill: for a cleanup: SIGKILL the server, if any, and give it up to
# KILL_BOUND s to finish exiting (its kernel side waits for that).
peer_kill() {
	[[ $SERVER_PID ]] || return 0
	kill -KILL "$SERVER_PID" 2>/dev/null || true
	timeout "$KILL_BOUND" tail --pid="$SERVER_PID" -f /dev/null || true
}

# The disk's bytes read and written (sectors: stat fields 3 and 7).
disk_bytes() {
	awk '{ print $3 * 512, $7 * 512 }' "/sys/block/${DISK#/dev/}/stat"
}

# peer_verify ERRORS [NOTE]: fio_verify direct and buffered, 4k and 1m,
# each on a fresh server (the scenario's start_server and stop_server);
# the server's bytes (its server_bytes) must be the disk's, and its log
# must count no ERRORS (alternatives of an extended regex).  NOTE, a
# command, adds to each case's line.
peer_verify() {
	local errors=$1 io bs size want got extra
	for io in direct buffered; do
		for bs in 4k 1m; do
			size=16m
			[[ $bs == 1m ]] && size=32m
			start_server
			fio_verify "$io" "$bs" "$size"
			want=$(disk_bytes)
			stop_server
			got=$(server_bytes)
			[[ $want != "0 0" ]] || fail "$io $bs: the disk moved no data"
			[[ $got == "$want" ]] ||
				fail "$io $bs: the server read and wrote '$got' bytes, the disk $want (log: $(cat "$SERVER_LOG"))"
			! grep -E " [1-9][0-9]* ($errors)" "$SERVER_LOG" ||
				fail "$io $bs: errors in the server: $(cat "$SERVER_LOG")"
			extra=''
			[[ -z ${2:-} ]] || extra=$("$2")
			note "$io $bs: verified, $want bytes read and written, all through the server$extra"
		done
	done
}

# peer_load_fails START: with its server killed, the load must end within
# KILL_BOUND s, with an error; T_FIO is when (seconds since START).
peer_load_fails() {
	timeout "$KILL_BOUND" tail --pid="$FIO_PID" -f /dev/null ||
		fail "fio still running $KILL_BOUND s after its server was killed"
	T_FIO=$((SECONDS - $1))
	if wait "$FIO_PID"; then
		fail "fio saw no error when its server died"
	fi
}
