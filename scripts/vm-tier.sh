#!/bin/bash
# Choose the guest's accelerator by what works, not by what exists: a /dev/kvm that opens may still
# be unable to run a guest (nested virtualisation: "KVM internal error ... emulation failure", or a
# QEMU that aborts or sits silent). Boot the guest kernel once under KVM to userspace and back, and
# cache the verdict per host kernel, QEMU, guest kernel and CPU.
#   usage: scripts/vm-tier.sh KERNEL INITRD
# Prints one line "TIER REASON" (TIER is kvm or tcg; REASON is why, in words). Exit 0; 1 when VM_ACCEL=kvm is forced and
# KVM is unusable (the reason on stderr); 2 bad usage.
# Env: VM_ACCEL (kvm|tcg|auto), VM_QEMU (qemu-system-x86_64), VM_KVM_DEV (/dev/kvm),
#      VM_PROBE_TIMEOUT (s, 20), VM_PROBE_CACHE (dir, build/vm/kvm-probe; "" = no cache).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
(($# == 2)) || { echo "usage: $0 KERNEL INITRD" >&2; exit 2; }
kernel=$1 initrd=$2
qemu=${VM_QEMU:-qemu-system-x86_64}
dev=${VM_KVM_DEV:-/dev/kvm}
limit=${VM_PROBE_TIMEOUT:-20}
cache=${VM_PROBE_CACHE-$top/build/vm/kvm-probe}
want=${VM_ACCEL:-auto}

case $want in
tcg) echo "tcg forced by VM_ACCEL=tcg"; exit 0 ;;
kvm | auto) ;;
*) echo "vm-tier: VM_ACCEL=$want: want kvm, tcg or auto" >&2; exit 2 ;;
esac
[[ $limit =~ ^[1-9][0-9]*$ ]] || { echo "vm-tier: VM_PROBE_TIMEOUT=$limit: want whole seconds > 0" >&2; exit 2; }

# verdict OK REASON: report the probe's (or the cache's) answer for the tier wanted.
verdict() {
	if [[ $1 == ok ]]; then
		echo "kvm $2"
	elif [[ $want == kvm ]]; then
		echo "vm-tier: VM_ACCEL=kvm, but $2" >&2
		exit 1
	else
		echo "tcg $2"
	fi
	exit 0
}

if [[ ! -e $dev ]]; then
	verdict no "no $dev"
elif [[ ! -r $dev || ! -w $dev ]]; then
	verdict no "$dev is not readable and writable by $(id -un)"
fi

key=$(printf '%s\n' "host $(uname -r)" "$("$qemu" --version 2>/dev/null | head -n1)" \
	"guest $(basename "$kernel")" "cpu $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)")
file=
if [[ $cache ]]; then
	file=$cache/$(sha256sum <<<"$key" | cut -c1-16)
	if [[ -f $file ]]; then
		read -r ok reason <"$file"
		verdict "$ok" "$reason; probe cached in ${file#"$top"/}"
	fi
fi

# The probe: the real guest kernel and initramfs with vmrun.mode=probe, whose init says
# "vmrun: probe ok" on the console once userspace runs, then powers off.
work=$(mktemp -d "${TMPDIR:-/tmp}/vm-tier.XXXXXX")
qpid=
trap '[[ -z $qpid ]] || kill -9 "$qpid" 2>/dev/null || true; rm -rf "$work"' EXIT
out=$work/out
# The shell's own "Aborted" notice for a QEMU that dies of a signal: the reason below says it.
exec 3>&2 2>/dev/null
"$qemu" -machine q35,accel=kvm -cpu host -smp "${VM_SMP:-2}" -m 512 -nodefaults -nographic \
	-no-reboot -nic none -monitor none -kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 vmrun.mode=probe" -serial stdio </dev/null >"$out" 2>&1 &
qpid=$!
start=${EPOCHREALTIME/./} # microseconds
elapsed() { local us=$((${EPOCHREALTIME/./} - start)); printf '%d.%d' $((us / 1000000)) $((us / 100000 % 10)); }
ok='' reason=''
while :; do
	if grep -q 'vmrun: probe ok' "$out"; then
		ok=ok reason="kvm probe reached guest userspace in $(elapsed) s"
		break
	fi
	if grep -q 'KVM internal error' "$out"; then
		grep -q 'emulation failure' "$out" && why='emulation failure' || why='KVM internal error'
		reason="kvm present but unusable: $why during boot"
		break
	fi
	if ! kill -0 "$qpid" 2>/dev/null; then
		rc=0; wait "$qpid" || rc=$?
		qpid=
		grep -q 'vmrun: probe ok' "$out" && continue
		err=$(grep -m1 -iE 'error|assert|fail' "$out" | cut -c1-160 || true)
		reason="kvm present but unusable: QEMU exited with status $rc during boot${err:+: $err}"
		break
	fi
	if (((${EPOCHREALTIME/./} - start) / 1000000 >= limit)); then
		if grep -q 'Linux version' "$out"; then
			reason="kvm present but unusable: no guest userspace after $limit s"
		else
			reason="kvm present but unusable: the guest printed nothing in $limit s"
		fi
		break
	fi
	sleep 0.2
done
# Stop a QEMU still running (a paused or silent guest) while its notice still goes nowhere.
if [[ $qpid ]]; then
	kill -9 "$qpid" 2>/dev/null || true
	wait "$qpid" || true
	qpid=''
fi
exec 2>&3 3>&-
# What it cost, once per machine: the line names it.
[[ $ok ]] || reason+=" (probe $(elapsed) s)"
if [[ $file ]]; then
	mkdir -p "$cache"
	printf '%s %s\n%s\n' "${ok:-no}" "$reason" "$key" >"$file.$$" && mv "$file.$$" "$file"
fi
verdict "${ok:-no}" "$reason"
