# ubmap: the make targets are the interface (see README.md).
# The module cannot be loaded on a host without CAP_SYS_MODULE, so anything
# that needs it runs in a QEMU guest through scripts/vm-run.sh.

VM_LOG ?= build/vm/guest-kernel.log

all: module harness

deps:
	scripts/deps.sh

module:
	$(MAKE) -C kmods/ubmap W=1

harness:
	$(MAKE) -C harness

# Kernel hygiene: sparse on the module, shellcheck on every script.
check: module
	mkdir -p build
	$(MAKE) -C kmods/ubmap clean
	$(MAKE) -C kmods/ubmap W=1 C=1 2>&1 | tee build/check.log
	! grep -E 'warning|error' build/check.log
	shellcheck scripts/*.sh scripts/guest-init harness/tests/*.sh harness/tests/guest/*.sh

# Unit tests on the host, then the integration suite in one guest boot.
test: deps all
	$(MAKE) -C harness test
	scripts/vm-run.sh --log $(VM_LOG) -- scripts/guest-tests.sh

# The verified end-to-end demo: what one read costs in each mode.
demo: deps all
	scripts/vm-run.sh --log $(VM_LOG) -- scripts/demo.sh

vm-shell: all
	scripts/vm-run.sh --interactive

clean:
	$(MAKE) -C kmods/ubmap clean
	$(MAKE) -C harness clean
	rm -rf build

.PHONY: all deps module harness check test demo vm-shell clean
