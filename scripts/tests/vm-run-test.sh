#!/bin/bash
# Host tests of the guest runner, no guest needed: the tier choice (scripts/vm-tier.sh) and the
# watchdog of scripts/vm-run.sh, against a QEMU stand-in (fake-qemu) that prints KVM's internal
# error, hangs silently, aborts or works.
# usage: scripts/tests/vm-run-test.sh      exit: 0 pass, 1 fail
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vm-run-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "[       OK ] $1"; }
bad() { fail=$((fail + 1)); echo "[  FAILED  ] $1: $2"; }

# A kernel directory and initramfs of the stand-in's: nothing is fetched or built.
kdir=$work/kernel
mkdir -p "$kdir/boot" "$kdir/lib/modules/6.1.0-fake"
: >"$kdir/boot/vmlinuz-6.1.0-fake"
: >"$work/initrd"
: >"$work/kvm" # a device node stand-in: readable and writable
export VM_QEMU=$here/fake-qemu VM_KVM_DEV=$work/kvm VM_KDIR=$kdir VM_INITRD=$work/initrd \
	UBMAP_KVER=6.1.0-fake VM_PROBE_TIMEOUT=3 VM_PROBE_CACHE='' VM_LOCK=$work/lock
unset VM_ACCEL VM_STALL

# expect NAME RC TEXT MAXSECS -- CMD...: CMD exits RC within MAXSECS and prints TEXT (stdout or stderr).
expect() {
	local name=$1 want_rc=$2 want_text=$3 max=$4 rc t0=$SECONDS
	shift 5
	timeout 60 "$@" >"$work/out" 2>&1
	rc=$?
	if ((rc != want_rc)); then
		bad "$name" "exit $rc, wanted $want_rc: $(cat "$work/out")"
	elif ! grep -qF -- "$want_text" "$work/out"; then
		bad "$name" "no '$want_text' in: $(cat "$work/out")"
	elif ((SECONDS - t0 > max)); then
		bad "$name" "took $((SECONDS - t0)) s, more than $max"
	else
		ok "$name"
	fi
}
tier=("$top/scripts/vm-tier.sh" "$kdir/boot/vmlinuz-6.1.0-fake" "$work/initrd")

# The tier choice.
expect "tier: no device" 0 "tcg no $work/none" 5 -- env VM_KVM_DEV="$work/none" "$top/scripts/vm-tier.sh" k i
expect "tier: forced tcg" 0 "tcg forced by VM_ACCEL=tcg" 5 -- env VM_ACCEL=tcg "$top/scripts/vm-tier.sh" k i
expect "tier: bad VM_ACCEL" 2 "want kvm, tcg or auto" 5 -- env VM_ACCEL=xen "$top/scripts/vm-tier.sh" k i
expect "tier: kvm works" 0 "kvm kvm probe reached guest userspace" 5 -- env FAKE_QEMU_PROBE=works "${tier[@]}"
expect "tier: internal error" 0 "tcg kvm present but unusable: emulation failure during boot" 5 -- \
	env FAKE_QEMU_PROBE=internal-error "${tier[@]}"
expect "tier: silent hang" 0 "tcg kvm present but unusable: no guest userspace after 3 s" 8 -- \
	env FAKE_QEMU_PROBE=hang "${tier[@]}"
expect "tier: QEMU aborts" 0 "QEMU exited with status 134 during boot: qemu-system-x86_64: error: failed to set MSR" 5 -- \
	env FAKE_QEMU_PROBE=abort "${tier[@]}"
expect "tier: QEMU exits before userspace" 0 "QEMU exited with status 0 during boot" 5 -- \
	env FAKE_QEMU_PROBE=silent-exit "${tier[@]}"
expect "tier: forced kvm, internal error: fails fast" 1 "VM_ACCEL=kvm, but kvm present but unusable: emulation failure" 5 -- \
	env VM_ACCEL=kvm FAKE_QEMU_PROBE=internal-error "${tier[@]}"
expect "tier: forced kvm, works" 0 "kvm kvm probe" 5 -- env VM_ACCEL=kvm FAKE_QEMU_PROBE=works "${tier[@]}"

# The cache: one probe per machine and QEMU; another QEMU version probes again.
c=$work/cache
expect "cache: first probe" 0 "emulation failure during boot" 5 -- \
	env VM_PROBE_CACHE="$c" FAKE_QEMU_PROBE=internal-error "${tier[@]}"
expect "cache: the verdict is reused" 0 "emulation failure during boot (probe 0." 5 -- \
	env VM_PROBE_CACHE="$c" FAKE_QEMU_PROBE=works "${tier[@]}"
expect "cache: forced kvm on a cached bad verdict fails at once" 1 "; probe cached in $c/" 2 -- \
	env VM_PROBE_CACHE="$c" VM_ACCEL=kvm FAKE_QEMU_PROBE=works "${tier[@]}"
expect "cache: keyed by QEMU version" 0 "kvm kvm probe reached" 5 -- \
	env VM_PROBE_CACHE="$c" FAKE_QEMU_VERSION=9.9 FAKE_QEMU_PROBE=works "${tier[@]}"

# The runner: the command's status, and a guest that stops making progress ends early.
run=("$top/scripts/vm-run.sh" --share "$work/share" --log "$work/console.log")
expect "run: the command's status and output" 7 "output of the command" 10 -- \
	env FAKE_QEMU_STATUS=7 "${run[@]}" -- true
expect "run: the tier line names the reason" 0 "vm-run: tier=tcg (kvm present but unusable: emulation failure during boot (probe " 10 -- \
	env FAKE_QEMU_PROBE=internal-error "${run[@]}" -- true
expect "run: tier=kvm when the probe works" 0 "vm-run: tier=kvm (kvm probe reached guest userspace" 10 -- \
	env FAKE_QEMU_PROBE=works "${run[@]}" -- true
expect "run: forced kvm on an unusable kvm fails fast" 1 "VM_ACCEL=kvm, but kvm present but unusable: emulation failure" 5 -- \
	env VM_ACCEL=kvm FAKE_QEMU_PROBE=internal-error "${run[@]}" -- true
# A TCG plugin: TCG where KVM works, refused under a forced KVM, and a missing one before any
# guest starts.
: >"$work/plugin.so"
expect "run: --plugin boots TCG where KVM works" 0 "vm-run: tier=tcg (a TCG plugin was asked for" 10 -- \
	env FAKE_QEMU_PROBE=works "${run[@]}" --plugin "$work/plugin.so" -- true
expect "run: --plugin under a forced kvm is refused" 2 "--plugin needs TCG" 10 -- \
	env VM_ACCEL=kvm FAKE_QEMU_PROBE=works "${run[@]}" --plugin "$work/plugin.so" -- true
expect "run: --plugin of a missing file" 2 "--plugin $work/none.so: no such file" 10 -- \
	env VM_ACCEL=tcg "${run[@]}" --plugin "$work/none.so" -- true
expect "run: VM_PLUGIN is --plugin's default" 2 "--plugin needs TCG" 10 -- \
	env VM_ACCEL=kvm FAKE_QEMU_PROBE=works VM_PLUGIN="$work/plugin.so" "${run[@]}" -- true
expect "run: KVM internal error mid-run ends it" 125 "KVM internal error: QEMU paused the guest" 10 -- \
	env FAKE_QEMU_PROBE=works FAKE_QEMU_RUN=internal-error "${run[@]}" -- true
expect "run: a silent guest is called stalled" 125 "guest stalled: no console output and no heartbeat for 3 s" 20 -- \
	env VM_ACCEL=tcg VM_STALL=3 FAKE_QEMU_RUN=hang "${run[@]}" -- true
# The same run's diagnosis: where each vCPU was (by the guest's kallsyms), and SysRq l and w sent.
if grep -qF "stall: CPU#0 rip ffffffff81000010 in fake_spin, interrupts off, halted 0" "$work/out" &&
	grep -qF "stall: CPU#1 rip ffffffff81000020 in fake_idle, interrupts on" "$work/out" &&
	grep -q "sysrq: l" "$work/console.log" && grep -q "sysrq: w" "$work/console.log"; then
	ok "run: a stalled guest's vCPUs are named and asked for backtraces"
else
	bad "run: stall diagnosis" "$(grep stall "$work/out"; cat "$work/console.log" 2>&1)"
fi
expect "run: the overall timeout" 124 "guest timed out after 3 s" 10 -- \
	env VM_ACCEL=tcg VM_STALL=0 FAKE_QEMU_RUN=hang "${run[@]}" --timeout 3 -- true
expect "run: a guest that dies says so" 125 "guest died without reporting an exit status" 10 -- \
	env VM_ACCEL=tcg FAKE_QEMU_RUN=silent-exit "${run[@]}" -- true
expect "run: bad VM_STALL" 2 "VM_STALL=x: want whole seconds" 5 -- env VM_STALL=x "${run[@]}" -- true
# Host samples: a line a tick while the guest runs, another QEMU seen, and the sampler gone
# with the guest (a normal end and a timeout). A real guest elsewhere on the host counts too.
cp "$(command -v sleep)" "$work/qemu-system-x86_64"
"$work/qemu-system-x86_64" 30 &
other=$!
expect "samples: a run with samples" 0 "output of the command" 10 -- env VM_ACCEL=tcg FAKE_QEMU_SECS=3 \
	HOST_SAMPLE_INTERVAL=0.5 "${run[@]}" --samples "$work/raw/samples.csv" -- true
lines=$(tail -n +2 "$work/raw/samples.csv" 2>/dev/null | wc -l)
if [[ $(head -1 "$work/raw/samples.csv" 2>/dev/null) != epoch_s,vcpus,run_ns,wait_ns,* ]]; then
	bad "samples: the header" "$(head -1 "$work/raw/samples.csv" 2>&1)"
elif ((lines < 4)); then
	bad "samples: a line every 0.5 s of a 3 s guest" "$lines lines"
elif awk -F, 'NR > 1 && ($7 < 1 || $1 !~ /^[0-9]+\.[0-9]+$/ || $3 !~ /^[0-9]+$/) { bad = 1 } END { exit !bad }' \
	"$work/raw/samples.csv"; then
	bad "samples: epoch, counters, the other QEMU" "$(cat "$work/raw/samples.csv")"
else
	ok "samples: a line a tick, the other QEMU seen"
fi
expect "samples: --others names it" 0 "$other $work/qemu-system-x86_64 30" 5 -- "$top/scripts/host-sample.sh" --others
expect "samples: a timed-out guest" 124 "guest timed out after 2 s" 10 -- env VM_ACCEL=tcg VM_STALL=0 FAKE_QEMU_RUN=hang \
	"${run[@]}" --timeout 2 --samples "$work/samples2.csv" -- true
sleep 0.5
if pgrep -f "host-sample.sh .*$work/" >/dev/null; then
	bad "samples: no sampler outlives its guest" "$(pgrep -af "host-sample.sh .*$work/")"
else
	ok "samples: no sampler outlives its guest"
fi
kill "$other" 2>/dev/null
wait "$other" 2>/dev/null

# One guest at a time: a second runner waits for the lock, and says so.
flock "$work/lock" sleep 3 &
sleep 0.5
expect "run: waits for another guest" 0 "another guest is running" 10 -- env VM_ACCEL=tcg "${run[@]}" -- true
wait

echo "vm-run tests: $pass passed, $fail failed"
((fail == 0))
