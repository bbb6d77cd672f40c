# ubmap: the make targets are the interface (see README.md).
# The module cannot be loaded on a host without CAP_SYS_MODULE, so anything
# that needs it runs in a QEMU guest through scripts/vm-run.sh.

VM_LOG ?= build/vm/guest-kernel.log
RUN     ?= results/latest
BASE    ?= results/baseline/tcg
NEW     ?= results/latest
HISTORY ?= results/history.csv
UREPORT := harness/build/ubmap-report
# KERNEL=debug: test and vm-shell boot the debug kernel (make debug-kernel: KASAN, lockdep,
# DEBUG_VM, DEBUG_PAGEALLOC, KFENCE) with a module built for it; unset, Debian's kernel.
ifeq ($(KERNEL),debug)
VMRUN := scripts/debug-run.sh
else ifeq ($(KERNEL),)
VMRUN := scripts/vm-run.sh
else
$(error KERNEL=$(KERNEL): want KERNEL=debug, or no KERNEL for Debian's kernel)
endif
# make bench MODE=... BS=... MAX_IO=... narrows the matrix: scripts/bench.sh
# asks ubmap-bench which variables there are (ubmap-bench axes).  make puts
# command-line variables in the recipes' environment itself; only what this
# file defines needs exporting.
export HISTORY

all: module ublk harness

deps:
	scripts/deps.sh

module:
	$(MAKE) -C kmods/ubmap W=1

# The ublk peer's driver from Debian's source; says "unavailable: why" rather than fail.
ublk:
	$(MAKE) -C kmods/ublk

harness:
	$(MAKE) -C harness

# Kernel hygiene: sparse on the module, shellcheck on every script.
check: module
	mkdir -p build
	$(MAKE) -C kmods/ubmap clean
	$(MAKE) -C kmods/ubmap W=1 C=1 2>&1 | tee build/check.log
	! grep -E 'warning|error' build/check.log
	shellcheck scripts/*.sh kmods/ublk/*.sh scripts/guest-init scripts/tests/* harness/tests/backend/*.sh harness/tests/guest/*.sh \
		harness/profile/*.sh \
		harness/tests/stress/*.sh

# Unit tests on the host (+ the runner scripts'), then the integration suite in one guest boot.
# Before it, one short boot with init_on_alloc=0, where a zero-copy READ shows the backend the
# previous owner's data (README); the suite's own summary stays the last line.
test: deps all
	$(MAKE) -C harness test
	scripts/tests/vm-run-test.sh
	scripts/tests/bench-test.sh
	scripts/tests/bench-ab-test.sh
	VM_APPEND="init_on_alloc=0 $(VM_APPEND)" $(VMRUN) --log build/vm/guest-kernel-noinit.log -- \
		env ONLY='^t-abi.sh ' ABI_TESTS=test_read_shows_prior_contents scripts/guest-tests.sh
	$(VMRUN) --log $(VM_LOG) -- scripts/guest-tests.sh

# The instruction-profile cases (t-insn.sh) in a guest booted with the TCG plugin.
test-profile: deps all
	$(VMRUN) --plugin harness/build/profile/ubmap-insn.so --log $(VM_LOG) -- \
		env ONLY='^t-insn' scripts/guest-tests.sh
# The reliability suite in one guest of VM_SMP (4) vCPUs: STRESS=full|reduced, SEED=n to
# replay, STRESS_ONLY=regex for some cases (harness/tests/stress/run.sh).
stress: deps all
	VM_SMP=$${VM_SMP:-4} $(VMRUN) --timeout 14400 --log $(VM_LOG) -- env STRESS=$(or $(STRESS),full) \
		$(if $(SEED),SEED=$(SEED)) $(if $(STRESS_ONLY),STRESS_ONLY='$(STRESS_ONLY)') \
		harness/tests/stress/run.sh

# Each mode's map and unmap of N pages of each kind, without a request (scripts/microbench.sh):
# MODE, PAGES, ITERATIONS, PROFILE=insn, NOPAT=1.
microbench: deps all
	scripts/microbench.sh

# The verified end-to-end demo: what one read costs in each mode.
demo: deps all
	scripts/vm-run.sh --log $(VM_LOG) -- scripts/demo.sh

# The benchmark matrix (default: workloads/default.matrix) into results/<id>/.
bench: deps all
	scripts/bench.sh

# Reports and plots read only the records of a run.
report: harness
	$(UREPORT) report $(RUN)

plots: harness
	$(UREPORT) plots $(RUN) $(if $(wildcard $(HISTORY)),--history $(HISTORY))

compare: harness
	$(UREPORT) compare $(BASE) $(NEW) $(if $(THRESHOLD),--threshold $(THRESHOLD)) \
		$(if $(ALPHA),--alpha $(ALPHA)) $(if $(filter 1,$(FORCE)),--force) \
		$(if $(INSN_TOL),--insn-tolerance $(INSN_TOL))

# CI regression check: the ci matrix against the committed baseline of its tier.
bench-ci: deps all
	scripts/bench-ci.sh

# The A/B gate: BASE=<rev> against the working tree (or NEW=<rev>), both builds in one guest
# boot (scripts/bench-ab.sh; THRESHOLD, REPEAT, SEED, INJECT_PCT, INJECT_NS, MATRIX pass through the
# environment). BASE and NEW default to run directories for compare: here they must be given.
AB_GIVEN = $(filter command line environment,$(origin $(1)))
ifneq ($(filter bench-ab,$(MAKECMDGOALS)),)
ifeq ($(call AB_GIVEN,BASE),)
$(error make bench-ab needs BASE=<rev> (and optionally NEW=<rev>))
endif
endif
bench-ab: deps all
	scripts/bench-ab.sh '$(BASE)' $(if $(call AB_GIVEN,NEW),'$(NEW)')

vm-shell: all
	$(VMRUN) --interactive

# The debug guest kernel, built once into build/kernel-debug/ (cached by its inputs).
debug-kernel:
	scripts/debug-kernel.sh

clean:
	$(MAKE) -C kmods/ubmap clean
	$(MAKE) -C kmods/ublk clean
	$(MAKE) -C harness clean
	rm -rf build

.PHONY: all deps module ublk harness check test test-profile stress microbench demo bench report plots compare bench-ci bench-ab \
	vm-shell debug-kernel clean
