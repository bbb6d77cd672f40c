#!/bin/bash
# vm-stall-dump.sh MON [SYMBOLS]: what a stalled guest's vCPUs are doing, said before
# vm-run.sh ends it. MON is the QEMU monitor's pipe (MON.in, MON.out); SYMBOLS the guest
# kernel's text symbols ("ADDR t NAME" lines, from its /proc/kallsyms), to name the function
# each instruction pointer is in.
# Prints each vCPU's instruction pointer five times, 0.4 s apart, with its function, whether it
# runs the kernel with interrupts on and whether it is halted (idle); then asks the guest kernel,
# by SysRq on the emulated keyboard (the kernel runs with sysrq_always_enabled), for every CPU's
# backtrace (l) and the blocked tasks (w), which land in the kernel log. A guest spinning with
# interrupts off on every CPU cannot take the keystroke: the pointers are then all there is.
# Never blocks: a monitor that does not answer gives "no answer from the monitor".
set -uo pipefail
mon=$1 syms=${2:-}
out=$(mktemp "${TMPDIR:-/tmp}/vm-stall.XXXXXX")
trap 'rm -f "$out" "$out.map" "$out.cpus"' EXIT

# hmp CMD: one monitor command; a FIFO nobody reads would block the open, hence the timeout.
# shellcheck disable=SC2016 # the inner shell expands them
hmp() { timeout 2 bash -c 'printf "%s\n" "$1" >"$2"' _ "$1" "$mon.in" 2>/dev/null; }
timeout 6 cat "$mon.out" >"$out" 2>/dev/null &
reader=$!
for _ in 1 2 3 4 5; do
	hmp "info registers -a" || break
	sleep 0.4
done
hmp "sendkey alt-sysrq-l" && sleep 2 && hmp "sendkey alt-sysrq-w"
wait "$reader" 2>/dev/null

# The vCPUs' states: "CPU#n" heads each one's registers; RIP's line has the flags and HLT.
awk '/^CPU#/ { cpu = $1 }
	/^RIP=/ { rip = substr($1, 5); rfl = substr($2, 5); cpl = hlt = "?"
		for (i = 3; i <= NF; i++) { if ($i ~ /^CPL=/) cpl = substr($i, 5); if ($i ~ /^HLT=/) hlt = substr($i, 5) }
		print cpu, rip, rfl, cpl, hlt }' "$out" >"$out.cpus"
if [[ ! -s $out.cpus ]]; then
	echo "vm-run: stall: no answer from the monitor"
	exit 0
fi
# name RIP: the symbol at or below RIP (equal-width lower-case hex compares as text).
map=$out.map
if [[ -s $syms ]]; then sort "$syms" >"$map"; else : >"$map"; fi
name() {
	awk -v a="$1" '$1 <= a { s = $3 } $1 > a { exit } END { print (s == "" ? "?" : s) }' "$map"
}
while read -r cpu rip rfl cpl hlt; do
	# RFLAGS bit 9 (IF): interrupts on.
	intr=off
	(((16#$rfl >> 9) & 1)) && intr=on
	# Modules load above the kernel image (ffffffffc...), where System.map has nothing.
	where=user
	if [[ $cpl == 0 && $rip == ffffffffc* ]]; then where="a module"; elif [[ $cpl == 0 ]]; then where=$(name "$rip"); fi
	echo "vm-run: stall: $cpu rip $rip in $where, interrupts $intr, halted $hlt"
done <"$out.cpus"
echo "vm-run: stall: SysRq l and w sent: the guest's backtraces, if it could take them, are in the kernel log"
