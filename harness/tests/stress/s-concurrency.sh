#!/bin/bash
# s-concurrency.sh: 4 fio jobs (2 direct, 2 buffered; 4k to 1m mixed) write
# and verify with crc32c through 2 and 4 backend threads, while mode switches
# are attempted (each must be refused, the mode unchanged) and the stats are
# reset and read; between runs the mode does switch.  Best with 4 vCPUs
# (make stress boots VM_SMP=4).  Full: every mode with 2 and 4 queues;
# reduced: one mode, 4 queues.
set -euo pipefail
# shellcheck source=harness/tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"

queues=(2 4) modes=("${MODES[@]}")
if reduced; then
	queues=(4)
	pick m "${MODES[@]}"
	modes=("$m")
fi

# meddle MODE: until killed, mode switches (counted) and stats resets.
meddle() {
	local other refused=0 switched=0 resets=0
	for other in "${MODES[@]}"; do [[ $other == "$1" ]] || break; done
	trap 'echo "$refused $switched $resets" >"$WORK/meddle"; exit 0' TERM
	while :; do
		if echo "$other" >"$SYSFS/mode" 2>/dev/null; then switched=$((switched + 1)); else refused=$((refused + 1)); fi
		reset_stats && resets=$((resets + 1))
		cat "$STATS" >/dev/null
		sleep 0.1
	done
}

for q in "${queues[@]}"; do
	load_module nr_queues="$q"
	for mode in "${modes[@]}"; do
		begin_row
		# Between runs, with no backend, the switch works.
		set_mode "$mode"
		[[ $(cat "$SYSFS/mode") == *"$mode"* ]] || fail "mode did not switch to $mode"
		start_backend ram
		meddle "$mode" &
		meddler=$!
		ok=1 verified=1
		fio --filename="$DISK" --output="$WORK/fio.txt" --rw=randwrite --size=24m \
			--bssplit=4k/40:64k/30:256k/20:1m/10 --verify=crc32c --verify_fatal=1 \
			--do_verify=1 --numjobs=2 --offset_increment=24m \
			--name=direct --direct=1 --ioengine=libaio --iodepth=16 \
			--name=buffered --direct=0 --ioengine=psync --offset=96m || { ok=0 verified=0; cat "$WORK/fio.txt"; }
		kill -TERM "$meddler"
		wait "$meddler" || true
		read -r refused switched resets <"$WORK/meddle"
		stop_backend
		((switched == 0)) || { ok=0; note "the mode switched $switched times under I/O"; }
		(($(counter protocol_errors) == 0 && $(counter errors) == 0)) || { ok=0; note "errors"; }
		note "$mode, $q queues, $(nproc) CPUs: fio verify $( ((ok)) && echo ok || echo FAILED); $refused mode switches refused, $resets stats resets"
		end_row "concurrency $mode q$q" 1 "$ok" $((1 - verified)) "$(nproc) CPUs; $refused switches refused, $resets resets during I/O"
	done
	unload_module
done
