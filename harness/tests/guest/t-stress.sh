#!/bin/bash
# t-stress.sh [reduced|full]: the reliability suite (harness/tests/stress/run.sh)
# as one case of the guest suite; reduced, every case once, in make test.
set -euo pipefail
exec "$(dirname "$0")/../stress/run.sh" "${1:-reduced}"
