#!/bin/bash
# t-ublk.sh verify|kill: the ublk peer, Debian's ublk_drv served by
# ubmap-ublkd on the ram store.
#   verify: fio crc32c write + read-back, direct and buffered, 4k and 1m;
#           every request the disk completed was served by the server.
#   kill:   SIGKILL the server under fio load: the I/O fails within
#           KILL_BOUND seconds (the 6.1 driver's monitor looks every 5 s),
#           the device can be deleted and ublk_drv unloaded.
# No ublk_drv.ko: skipped (77) with the reason the build gave.
set -Eeuo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
what=${1:?usage: t-ublk.sh verify|kill}
UBLKD=$TOP/harness/build/ubmap-ublkd
# 5 s monitor period + del_gendisk + fio noticing, with room for TCG.
KILL_BOUND=${KILL_BOUND:-30}
# UBLK_STORE=null shows the verify can fail: that store keeps no data.
UBLK_STORE=${UBLK_STORE:-ram}

if [[ ! -f $UBLK_KO ]]; then
	why=$(cat "$TOP/build/ublk/unavailable" 2>/dev/null || echo "not built (make ublk)")
	skip "ublk unavailable: $UBLK_KO: $why"
fi
[[ -x $UBLKD ]] || fail "$UBLKD missing (make harness)"
lsmod | grep -q '^ublk_drv ' && fail "ublk_drv is already loaded"
# set -e ends a scenario silently; say where.
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR
insmod "$UBLK_KO" || fail "insmod $UBLK_KO"
DEV_ID=''
# shellcheck disable=SC2317 # (a trap)
cleanup() {
	trap - ERR
	# DEL_DEV sleeps (uninterruptibly) until nothing holds the char
	# device: let the killed server finish exiting first.
	peer_kill
	if [[ $DEV_ID ]]; then "$UBLKD" --delete "$DEV_ID" 2>/dev/null || true; fi
	if lsmod | grep -q '^ublk_drv '; then rmmod ublk_drv || true; fi
}
trap cleanup EXIT

# start_server: ubmap-ublkd on the ram store (UBLK_STORE); DISK from its ready file.
start_server() {
	peer_start "$WORK/ublkd.log" 200 "$UBLKD" --store "$UBLK_STORE" --size 64m \
		--ready-file "$WORK/ready"
	DEV_ID=${DISK#/dev/ublkb}
	[[ -b $DISK ]] || fail "ready file names $DISK, not a block device"
}

# stop_server: SIGTERM; it must exit 0 having deleted its device.
stop_server() {
	peer_stop
	[[ ! -e /dev/ublkc$DEV_ID && ! -e $DISK ]] || fail "device $DEV_ID still there after the server stopped"
	DEV_ID=''
}

# The server's bytes read and written (its exit statistics, one line per
# queue), for peer_verify.  Bytes, not requests: an empty PREFLUSH write
# counts as a write on the disk but reaches the driver as a flush.
server_bytes() {
	awk '/: queue [0-9]+: / {
		for (i = 1; i < NF; i++) {
			if ($(i + 1) == "bytes" && $(i + 2) ~ /^read/) r += $i
			if ($(i + 1) == "bytes" && $(i + 2) ~ /^written/) w += $i
		}
	} END { print r + 0, w + 0 }' "$WORK/ublkd.log"
}

kill_under_load() {
	local start t_srv
	start_server
	fio_load 120 server
	start=$SECONDS
	kill -KILL "$SERVER_PID"
	# The server's exit waits for its commands, which the driver aborts.
	timeout "$KILL_BOUND" tail --pid="$SERVER_PID" -f /dev/null ||
		fail "the killed server did not finish exiting within $KILL_BOUND s"
	t_srv=$((SECONDS - start))
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=''
	peer_load_fails "$start"
	note "after SIGKILL: server gone in ${t_srv} s, fio ended in ${T_FIO} s: $(fio_err)"
	[[ ! -e $DISK ]] || fail "$DISK still there after its server died"
	"$UBLKD" --delete "$DEV_ID" || fail "cannot delete device $DEV_ID"
	[[ ! -e /dev/ublkc$DEV_ID ]] || fail "/dev/ublkc$DEV_ID still there after --delete"
	DEV_ID=''
	# And the driver serves again.
	start_server
	fio_verify direct 64k 4m
	stop_server
}

case $what in
verify) peer_verify 'I/O errors|bad descriptors' ;;
kill) kill_under_load ;;
*) fail "unknown case '$what' (verify or kill)" ;;
esac
rmmod ublk_drv || fail "ublk_drv does not unload"
