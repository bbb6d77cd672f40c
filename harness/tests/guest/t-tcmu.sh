#!/bin/bash
# t-tcmu.sh verify|kill: the tcmu peer, target_core_user behind tcm_loop,
# served by ubmap-tcmud on the ram store (a SCSI disk, /dev/sdX).
#   verify: fio crc32c write + read-back, direct and buffered, 4k and 1m;
#           every byte the disk moved was moved by the server.
#   kill:   SIGKILL the server under fio load: the I/O fails within
#           KILL_BOUND seconds (tcmu fails a command unanswered for
#           --cmd-timeout, 5 s here), the disk and backstore can be removed
#           (ubmap-tcmud --teardown) and a new server serves again.
# No target_core_user or tcm_loop in this kernel: skipped (77), saying so.
set -Eeuo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
what=${1:?usage: t-tcmu.sh verify|kill}
TCMUD=$TOP/harness/build/ubmap-tcmud
NAME=ubmap-t-tcmu
CMD_TIMEOUT=5
# A few command timeouts (the SCSI layer may retry) plus fio noticing, with room for TCG.
KILL_BOUND=${KILL_BOUND:-60}
# TCMU_STORE=null shows the verify can fail: that store keeps no data.
TCMU_STORE=${TCMU_STORE:-ram}

for m in target_core_user tcm_loop sd_mod; do
	modprobe -n "$m" 2>/dev/null || skip "tcmu unavailable: no module $m in $(uname -r)"
done
[[ -x $TCMUD ]] || fail "$TCMUD missing (make harness)"
[[ -d /sys/kernel/config ]] || fail "no /sys/kernel/config (configfs)"
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR
# shellcheck disable=SC2317 # (a trap)
cleanup() {
	trap - ERR
	peer_kill
	timeout "$KILL_BOUND" "$TCMUD" --teardown --name "$NAME" >/dev/null 2>&1 || true
	modprobe -r tcm_loop target_core_user 2>/dev/null || true
}
trap cleanup EXIT

# start_server: ubmap-tcmud on TCMU_STORE; DISK from its ready file.
start_server() {
	# The disk probes through the server: INQUIRY, READ CAPACITY, MODE SENSE.
	peer_start "$WORK/tcmud.log" 1200 "$TCMUD" --store "$TCMU_STORE" --size 64m \
		--name "$NAME" --cmd-timeout "$CMD_TIMEOUT" --ready-file "$WORK/ready"
	[[ -b $DISK ]] || fail "ready file names $DISK, not a block device"
}

# stop_server: SIGTERM; it must exit 0 having removed the disk and backstore.
stop_server() {
	peer_stop
	[[ ! -e $DISK ]] || fail "$DISK still there after the server stopped"
	[[ ! -e /sys/kernel/config/target/core/user_0/$NAME ]] ||
		fail "backstore $NAME still there after the server stopped"
}

# The server's bytes read and written (its exit statistics), for
# peer_verify; and its SCSI errors, for the verify's notes.
server_bytes() {
	sed -n 's/.*ring: .* \([0-9]*\) bytes read, \([0-9]*\) bytes written).*/\1 \2/p' "$WORK/tcmud.log"
}

check_conditions() {
	echo "; $(grep -o '[0-9]* check conditions' "$WORK/tcmud.log")"
}

kill_under_load() {
	local start
	start_server
	fio_load 120 server
	start=$SECONDS
	kill -KILL "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=''
	peer_load_fails "$start"
	note "after SIGKILL: fio ended in ${T_FIO} s: $(fio_err)"
	start=$SECONDS
	timeout "$KILL_BOUND" "$TCMUD" --teardown --name "$NAME" ||
		fail "cannot tear down $NAME after its server died"
	note "teardown took $((SECONDS - start)) s"
	[[ ! -e $DISK ]] || fail "$DISK still there after --teardown"
	# And tcmu serves again.
	start_server
	fio_verify direct 64k 4m
	stop_server
}

case $what in
verify) peer_verify 'I/O errors' check_conditions ;;
kill) kill_under_load ;;
*) fail "unknown case '$what' (verify or kill)" ;;
esac
modprobe -r tcm_loop target_core_user || fail "tcm_loop/target_core_user do not unload"
