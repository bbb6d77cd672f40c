#!/bin/bash
# Run a command as root in a QEMU guest booting the Debian kernel the module is built for
# (scripts/kver.sh), with the host root mounted read-only and one writable share.
# The host cannot load modules, so every kernel-side test goes through here.
#   usage: scripts/vm-run.sh [--timeout SECS] [--log FILE] [--share DIR] [--samples FILE]
#                            [--plugin SO[,ARG=V...]] [--interactive] -- CMD...
# --samples: host contention samples (scripts/host-sample.sh) into FILE while the guest runs.
# --plugin: load a QEMU TCG plugin (TCG only), given dir=<share>/insn, a directory the guest
#   finds as $UBMAP_INSN_DIR (harness/profile/: ubmap-insn.so and ubmap-insn-mark).
# Exit status: CMD's; 124 guest timed out; 125 guest died, stalled or hit a KVM internal error
# without reporting; 130 interrupted; 1 VM_ACCEL=kvm forced but KVM unusable.
# Env: VM_SMP (2), VM_MEM (MiB, 2048), VM_ACCEL (kvm|tcg|auto: scripts/vm-tier.sh decides),
#      VM_APPEND (extra kernel args), VM_STALL (s without any sign of life from the guest before
#      it is called stalled, 120; 0 = never), VM_QEMU (the QEMU binary), VM_INITRD (an initramfs
#      instead of scripts/initramfs.sh's), VM_KDIR (see scripts/kernel-fetch.sh), VM_LOCK (the
#      machine-wide lock that keeps guests one at a time, /tmp/ubmap-vm.lock), VM_PLUGIN (--plugin's
#      default, so make bench and make test can run under the plugin).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
timeout='' log=$top/build/vm/guest-kernel.log share='' samples='' interactive='' plugin=${VM_PLUGIN:-}
while (($#)); do
	case $1 in
	--timeout) timeout=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--share) share=$2; shift 2 ;;
	--samples) samples=$2; shift 2 ;;
	--plugin) plugin=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--) shift; break ;;
	*) echo "usage: $0 [--timeout SECS] [--log FILE] [--share DIR] [--samples FILE] [--plugin SO[,ARGS]] [--interactive] -- CMD..." >&2; exit 2 ;;
	esac
done
(($# || interactive)) || { echo "vm-run: no command" >&2; exit 2; }
(($#)) || set -- bash -i
timeout=${timeout:-$([[ $interactive ]] && echo 0 || echo 1800)} # 0 = none (an interactive shell)

ver=$("$top/scripts/kver.sh")
kdir=$("$top/scripts/kernel-fetch.sh")
initrd=${VM_INITRD:-$("$top/scripts/initramfs.sh")}
qemu_bin=${VM_QEMU:-qemu-system-x86_64}
stall=${VM_STALL:-120}
[[ $stall =~ ^[0-9]+$ ]] || { echo "vm-run: VM_STALL=$stall: want whole seconds" >&2; exit 2; }
kernel=$kdir/boot/vmlinux-$ver # PVH ELF: boots ~3 s faster under TCG than the bzImage
[[ -f $kernel ]] || kernel=$kdir/boot/vmlinuz-$ver

# One guest at a time on this machine: a second one on the same cores wrecks every timing (and
# the counts of a contended run are suspect too). Wait for the other to finish, and say so.
# Before touching the share: a guest running from this tree may be writing to it.
lock=${VM_LOCK:-/tmp/ubmap-vm.lock}
exec 9>>"$lock"
if ! flock -n 9; then
	echo "vm-run: another guest is running (lock $lock held); waiting for it" >&2
	flock 9
fi

# The default share is fresh each run so stale results can't be mistaken for new ones.
if [[ -z $share ]]; then
	share=$top/build/vm/share
	rm -rf "$share"
fi
mkdir -p "$share" "$(dirname "$log")"
share=$(realpath "$share") log=$(realpath -m "$log")
# The path travels on the kernel command line and in QEMU's comma-separated options.
[[ $share != *[[:space:],]* && $share != / ]] || { echo "vm-run: unusable share path '$share'" >&2; exit 2; }
[[ $top != *[[:space:],]* ]] || { echo "vm-run: unusable repository path '$top'" >&2; exit 2; }
ctl=$share/.vm
mkdir -p "$ctl"
rm -f "$ctl/status" "$ctl/dmesg.log" "$ctl/alive" "$ctl/kallsyms"

# The tier by what works (a probe boot, cached), and why: it goes into every record. A plugin
# needs TCG, so with one "auto" means TCG (make bench PROFILE=insn, CI's gate, on any machine).
if [[ $plugin && ${VM_ACCEL:-auto} == auto ]]; then
	line="tcg a TCG plugin was asked for (--plugin)"
else
	line=$("$top/scripts/vm-tier.sh" "$kernel" "$initrd") || exit $?
fi
tier=${line%% *} tier_reason=${line#* }
# TCG: the kernel distrusts the TSC of a multi-CPU "max" CPU (no invariant-TSC flag) and falls
# back to the emulated HPET, making every clock_gettime a trap (fio null engine: 125k vs 340k IOPS).
# TCG's TSC is one host-derived counter for all vCPUs, so tsc=reliable is truthful here.
if [[ $tier == kvm ]]; then
	[[ -z $plugin ]] || { echo "vm-run: --plugin needs TCG (plugins see only translated code), but the tier is kvm; set VM_ACCEL=tcg" >&2; exit 2; }
	accel=(-machine 'q35,accel=kvm' -cpu host) kargs=
else
	accel=(-machine 'q35,accel=tcg' -cpu max) kargs=tsc=reliable
fi
# SysRq on the emulated keyboard: the stall watchdog asks a wedged guest for its backtraces.
kargs+=" sysrq_always_enabled"

# The plugin's directory: fresh, in the share, the same path in the guest.
plugin_args=() insn_dir=
if [[ $plugin ]]; then
	so=${plugin%%,*}
	[[ -r $so ]] || { echo "vm-run: --plugin $so: no such file (make harness)" >&2; exit 2; }
	insn_dir=$share/insn
	rm -rf "$insn_dir" && mkdir -p "$insn_dir"
	plugin_args=(-plugin "$(realpath "$so")${plugin#"$so"},dir=$insn_dir")
fi

# The command, with its environment, as a bash script the guest's init runs from the share.
{
	echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp LANG=C.UTF-8"
	printf 'export TERM=%q UBMAP_VM_TIER=%q UBMAP_VM_TIER_REASON=%q UBMAP_SHARE=%q UBMAP_KVER=%q UBMAP_KDIR=%q\n' \
		"$([[ $interactive ]] && echo "${TERM:-vt100}" || echo dumb)" "$tier" "$tier_reason" "$share" "$ver" "$kdir"
	[[ -z $insn_dir ]] || printf 'export UBMAP_INSN_DIR=%q\n' "$insn_dir"
	printf 'cd %q || exit 126\n' "$top"
	# A serial line has no window size: pass the host terminal's.
	if [[ $interactive ]] && size=$(stty size 2>/dev/null); then echo "stty rows ${size% *} cols ${size#* }"; fi
	printf 'exec'; printf ' %q' "$@"; echo
} >"$ctl/cmd"

mode=run out=stdio
if [[ $interactive ]]; then mode=shell out=mon:stdio; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/vm-run.XXXXXX")
qpid='' tpids=()
# shellcheck disable=SC2317 # (a trap)
cleanup() {
	[[ -z $qpid ]] || kill -9 "$qpid" 2>/dev/null || true
	((${#tpids[@]} == 0)) || kill "${tpids[@]}" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
# Not interactive: ttyS1 and QEMU's own messages go to files the watchdog reads (and tail shows).
# The monitor on a pipe: the watchdog asks a stalled guest's vCPUs where they are.
mon=()
if [[ ! $interactive ]]; then
	out=file:$work/ttyS1
	mkfifo "$work/mon.in" "$work/mon.out"
	mon=(-monitor "pipe:$work/mon")
fi
# debug-threads: vCPU threads are named "CPU n/TCG", so host-sample.sh can tell them apart.
qemu=("$qemu_bin" "${accel[@]}" -smp "${VM_SMP:-2}" -m "${VM_MEM:-2048}" -name "ubmap,debug-threads=on"
	-nodefaults -nographic -no-reboot -nic none
	-kernel "$kernel" -initrd "$initrd"
	-append "console=ttyS0 ignore_loglevel panic=-1 $kargs vmrun.mode=$mode vmrun.share=$share vmrun.top=$top vmrun.kmods=$kdir/lib/modules/$ver ${VM_APPEND:-}"
	-serial "file:$log" -serial "$out" # ttyS0: kernel console -> log file; ttyS1: the command
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$share,mount_tag=share,security_model=none,multidevs=remap"
	"${mon[@]}" "${plugin_args[@]}")

echo "vm-run: tier=$tier ($tier_reason)" >&2
echo "vm-run: smp=${VM_SMP:-2} mem=${VM_MEM:-2048}M kernel=$ver log=$log share=$share" >&2
[[ -z $plugin ]] || echo "vm-run: plugin ${plugin_args[1]}" >&2
start=$SECONDS
if [[ $interactive ]]; then
	echo "vm-run: Ctrl-A X quits QEMU; the kernel log goes to $log" >&2
	# --foreground keeps QEMU in our process group: ^C reaches it and it may use the tty.
	rc=0; timeout --foreground -k 10 "$timeout" "${qemu[@]}" || rc=$?
	((rc == 124 || rc == 137)) && { echo "vm-run: guest timed out after $timeout s — see $log" >&2; exit 124; }
	[[ -f $ctl/status ]] && exit "$(cat "$ctl/status")"
	exit "$rc"
fi

# stop MSG RC: end the guest and say why.
stop() {
	local i
	# TERM first: QEMU then exits quietly, even with a paused guest; KILL if it will not.
	kill -TERM "$qpid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$qpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
	qpid=
	sleep 0.2 # let tail print what the guest said last
	echo "vm-run: $1 — see $log" >&2
	exit "$2"
}
trap 'stop "interrupted after $((SECONDS - start)) s" 130' INT TERM
: >"$work/ttyS1"
: >"$work/qemu.err"
# stdin from /dev/null: QEMU must not take over (and raw-mode) our terminal.
"${qemu[@]}" </dev/null >"$work/qemu.out" 2>"$work/qemu.err" &
qpid=$!
tail -n +1 -f --pid="$qpid" "$work/ttyS1" &
tpids+=($!)
tail -n +1 -f --pid="$qpid" "$work/qemu.err" >&2 &
tpids+=($!)
# The sampler ends by itself once QEMU is gone; cleanup kills it on every other way out.
if [[ $samples ]]; then
	mkdir -p "$(dirname "$samples")"
	"$top/scripts/host-sample.sh" "$qpid" "$samples" &
	tpids+=($!)
fi
# The watchdog: a sign of life is the kernel console or ttyS1 growing, or guest-init's heartbeat.
alive() { stat -c %s "$log" "$work/ttyS1" 2>/dev/null; cat "$ctl/alive" 2>/dev/null || true; }
last=$(alive) seen=$SECONDS
while kill -0 "$qpid" 2>/dev/null; do
	if grep -q 'KVM internal error' "$work/qemu.err"; then
		stop "KVM internal error: QEMU paused the guest (tier $tier: $tier_reason)" 125
	fi
	now=$(alive)
	if [[ $now != "$last" ]]; then
		last=$now seen=$SECONDS
	elif ((stall && SECONDS - seen >= stall)); then
		"$top/scripts/vm-stall-dump.sh" "$work/mon" "$ctl/kallsyms" >&2
		stop "guest stalled: no console output and no heartbeat for $stall s (VM_STALL)" 125
	fi
	if ((timeout && SECONDS - start >= timeout)); then
		stop "guest timed out after $timeout s" 124
	fi
	sleep 1
done
rc=0; wait "$qpid" || rc=$?
qpid=
wait "${tpids[@]}" 2>/dev/null || true
tpids=()
if [[ -f $ctl/status ]]; then
	exit "$(cat "$ctl/status")"
fi
# Show the first sign of trouble (oops/BUG/panic) and the panic line; else the end of the log.
first=$(grep -m1 -A15 -E '\] (BUG:|Oops|general protection|Kernel panic)' "$log" || true)
if [[ $first ]]; then
	echo "$first"
	[[ $first == *"Kernel panic"* ]] || grep -m1 'Kernel panic' "$log" || true
else
	tail -n 20 "$log" || true
fi >&2
echo "vm-run: guest died without reporting an exit status (QEMU status $rc; panic?) after $((SECONDS - start)) s — see $log" >&2
exit 125
