#!/bin/bash
# s-death.sh: the backend dies at a random point under fio load (SIGKILL,
# SIGSEGV, or SIGSTOP then an rmmod attempt then SIGKILL), per mode, direct
# and buffered, reads and writes, 1 and 2 queue threads, sometimes during a
# mode switch attempt.  Each time: the device detaches with nothing left in
# flight within DEATH_BOUND s of the death (every outstanding request
# failed), the processes doing I/O end within 4x that, a new backend
# serves the device, and every write acknowledged before the death
# (ackwrite: O_DSYNC or fdatasync, through the file store) reads back.
# Full: every combination once (24 per mode); reduced: one per mode.
set -euo pipefail
# shellcheck source=harness/tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"
ulimit -c 0 # SIGSEGV: no core dump

ACK_BLOCKS=256 # 1 MiB at offset 0; the fio load runs from 16 MiB
max_ms=0 iters=0 survived=0 lost=0

# iteration MODE IO RW SIG N: one death; fails (in its subshell) on a broken rule.
iteration() {
	local mode=$1 io=$2 rw=$3 sig=$4 n=$5 direct=0 engine=psync extra=() ack=() ackpid
	local fiopid delay switcher='' t0 ms exit_ms out bs target
	RANDOM=$n
	[[ $io == direct ]] && direct=1 engine=libaio
	[[ $io == buffered && $rw == write ]] && extra=(--fdatasync=4)
	start_backend file --file "$WORK/backing"
	echo "$BACKEND_PID" >>"$WORK/pids"
	ack=("$SBIN/stress/ackwrite" write "$DISK" "$WORK/ack" 0 "$ACK_BLOCKS" "$n" "$io")
	# Reads: the acknowledged data is written first; writes: while the backend dies.
	if [[ $rw == read ]]; then
		"${ack[@]}" 300 >"$WORK/ackwrite.txt" || fail "ackwrite before the load failed"
	fi
	pick bs 4k 64k 256k
	fio --name=load --filename="$DISK" --offset=16m --size=32m --rw="rand$rw" \
		--bs="$bs" --direct="$direct" --ioengine="$engine" --iodepth=8 \
		--numjobs=2 "${extra[@]}" --time_based --runtime=60 --output="$WORK/fio.txt" &
	fiopid=$!
	ackpid=$fiopid
	if [[ $rw == write ]]; then
		"${ack[@]}" >"$WORK/ackwrite.txt" &
		ackpid=$!
	fi
	echo "$fiopid $ackpid" >>"$WORK/pids"
	delay=$((300 + RANDOM % 1500))
	sleep "$((delay / 1000)).$(printf %03d $((delay % 1000)))"
	kill -0 "$fiopid" || fail "fio ended before the backend died: $(cat "$WORK/fio.txt")"
	if ((RANDOM % 3 == 0)); then
		# Refused while attached; may succeed once the backend is gone.
		pick target "${MODES[@]}"
		(for _ in $(seq 40); do echo "$target" >"$SYSFS/mode" 2>/dev/null && break; sleep 0.05; done) &
		switcher=$!
	fi
	case $sig in
	STOP)
		kill -STOP "$BACKEND_PID"
		sleep 0.$((2 + RANDOM % 8))
		if rmmod ubmap 2>"$WORK/rmmod.txt"; then fail "rmmod succeeded with a backend attached"; fi
		grep -q 'in use' "$WORK/rmmod.txt" || fail "rmmod: $(cat "$WORK/rmmod.txt")"
		t0=$(ms_now)
		kill -KILL "$BACKEND_PID"
		;;
	*)
		t0=$(ms_now)
		kill -"$sig" "$BACKEND_PID"
		;;
	esac
	# The kernel's part: the device detached and nothing left in flight.
	while (($(cat "$SYSFS/attached") || $(counter inflight))); do
		(($(ms_now) - t0 < DEATH_BOUND * 4000)) || fail "$(counter inflight) requests still in flight"
		sleep 0.02
	done
	ms=$(($(ms_now) - t0))
	wait "$BACKEND_PID" 2>/dev/null || true
	BACKEND_PID=
	# The processes' part: fio's own teardown is slow under TCG.
	wait_gone $((DEATH_BOUND * 4)) "$fiopid" "$ackpid" || fail "I/O still running $((DEATH_BOUND * 4)) s after the death"
	exit_ms=$(($(ms_now) - t0))
	wait "$fiopid" && fail "fio saw no error when its backend died"
	if ((ackpid != fiopid)); then
		wait "$ackpid" || fail "ackwrite failed: $(cat "$WORK/ackwrite.txt")"
	fi
	[[ $switcher ]] && wait "$switcher"
	echo "$ms" >"$WORK/ms"
	(($(cat "$SYSFS/attached") == 0)) || fail "device still reports a backend"
	((ms <= DEATH_BOUND * 1000)) || fail "the requests took $ms ms to fail (bound ${DEATH_BOUND} s)"
	set_mode "$mode"
	# The next backend serves the same store: what was acknowledged is there.
	start_backend file --file "$WORK/backing"
	echo "$BACKEND_PID" >>"$WORK/pids"
	drop_caches
	out=$("$SBIN/stress/ackwrite" verify "$DISK" "$WORK/ack" 0 "$ACK_BLOCKS" "$n" 2>&1) || true
	echo "$out" >"$WORK/verify.txt"
	stop_backend
	[[ $out =~ lost\ 0$ ]] || fail "acknowledged writes lost: $out"
	note "$mode $io $rw $sig: requests ended ${ms} ms, the processes doing I/O ${exit_ms} ms after the death; $(cat "$WORK/ackwrite.txt"), $out"
}

# run_one MODE IO RW SIG QUEUES: counts the iteration whatever happens to it.
run_one() {
	local out
	iters=$((iters + 1))
	rm -f "$WORK/ms" "$WORK/verify.txt" "$WORK/pids"
	echo "iteration $iters: seed $SEED mode $1 $2 $3 SIG$4 queues $5"
	if (iteration "$1" "$2" "$3" "$4" "$((SEED * 1000 + iters))"); then
		survived=$((survived + 1))
	else
		echo "  iteration $iters FAILED"
		# What the failed iteration left running, by the pids it recorded.
		# shellcheck disable=SC2046
		kill -KILL $(cat "$WORK/pids" 2>/dev/null) 2>/dev/null || true
		sleep 1
		set_mode "$1" 2>/dev/null || true
	fi
	[[ -f $WORK/ms ]] && (($(cat "$WORK/ms") > max_ms)) && max_ms=$(cat "$WORK/ms")
	out=$(cat "$WORK/verify.txt" 2>/dev/null || true)
	[[ $out =~ lost\ ([0-9]+)$ ]] && lost=$((lost + BASH_REMATCH[1]))
	return 0
}

for mode in "${MODES[@]}"; do
	begin_row
	iters=0 survived=0 lost=0 max_ms=0
	if reduced; then
		pick q 1 2
		pick io direct buffered
		pick rw read write
		pick sig KILL SEGV STOP
		load_module nr_queues="$q"
		set_mode "$mode"
		run_one "$mode" "$io" "$rw" "$sig" "$q"
	else
		for q in 1 2; do
			load_module nr_queues="$q"
			set_mode "$mode"
			for io in direct buffered; do
				for rw in read write; do
					for sig in KILL SEGV STOP; do
						run_one "$mode" "$io" "$rw" "$sig" "$q"
					done
				done
			done
		done
	fi
	unload_module
	end_row "death $mode" "$iters" "$survived" "$lost" "requests failed <= ${max_ms} ms after the death"
done
