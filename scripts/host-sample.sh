#!/bin/bash
# Host-side contention samples while a guest runs: what the guest cannot see of its own
# slow-down. Under TCG a vCPU thread waiting on the host's run queue is the guest's real steal.
#   usage: scripts/host-sample.sh QEMU_PID FILE    sample into FILE until QEMU_PID is gone
#          scripts/host-sample.sh --others [PID]   list other QEMU processes (pid and command)
# One CSV line a second (HOST_SAMPLE_INTERVAL), counters cumulative so a reader takes the
# difference over any window (ubmap-report's contention.c does):
#   epoch_s      host CLOCK_REALTIME ($EPOCHREALTIME)
#   vcpus        QEMU threads counted ("CPU n/TCG" or "CPU n/KVM"; 0: unnamed, all counted)
#   run_ns, wait_ns  their /proc/PID/task/*/schedstat fields 1 and 2: on a CPU, on a run queue
#   load1, runnable  /proc/loadavg: 1-minute load, runnable tasks now
#   other_qemu   qemu-system processes other than QEMU_PID
#   steal_ticks  the host's own steal (/proc/stat, USER_HZ): a hypervisor below this machine
#   qemu_run_ns  every QEMU thread's time on a CPU: the vCPUs' and its own I/O threads', which
#                compete with the vCPUs for the host's cores too
set -u

# other_qemu [PID]: "pid command" of every qemu-system process but PID.
other_qemu() {
	local p
	for p in $(pgrep '^qemu-system' || true); do
		[[ $p == "${1:-}" ]] || echo "$p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-120)"
	done
}

if [[ ${1:-} == --others ]]; then
	other_qemu "${2:-}"
	exit 0
fi
(($# == 2)) || { echo "usage: $0 QEMU_PID FILE | --others [PID]" >&2; exit 2; }
qpid=$1 out=$2 interval=${HOST_SAMPLE_INTERVAL:-1}

# sample: one line; the thread names come from QEMU's -name debug-threads=on.
sample() {
	local t comm run wait all_run=0 all_wait=0 cpu_run=0 cpu_wait=0 n=0 load1 runnable steal others
	for t in /proc/"$qpid"/task/*; do
		read -r run wait _ <"$t/schedstat" 2>/dev/null || continue
		read -r comm <"$t/comm" 2>/dev/null || comm=
		all_run=$((all_run + run)) all_wait=$((all_wait + wait))
		if [[ $comm == "CPU "*/* ]]; then
			cpu_run=$((cpu_run + run)) cpu_wait=$((cpu_wait + wait)) n=$((n + 1))
		fi
	done
	((n)) || cpu_run=$all_run cpu_wait=$all_wait
	read -r load1 _ _ runnable _ </proc/loadavg
	runnable=${runnable%/*}
	read -r _ _ _ _ _ _ _ _ steal _ </proc/stat
	others=$(other_qemu "$qpid" | wc -l)
	echo "$EPOCHREALTIME,$n,$cpu_run,$cpu_wait,$load1,$runnable,$others,$steal,$all_run"
}

echo "epoch_s,vcpus,run_ns,wait_ns,load1,runnable,other_qemu,steal_ticks,qemu_run_ns" >"$out" || exit 1
# kill -0 each round: the sampler ends with the guest even if nobody stops it.
while kill -0 "$qpid" 2>/dev/null; do
	sample >>"$out"
	sleep "$interval"
done
