#!/bin/bash
# t-store-file.sh MODE: fio verify through the file store, whose io_uring
# reads and writes go straight into and out of the mapped window.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
mode=$1

set_mode "$mode"
start_backend file --file "$WORK/backing"
reset_stats
fio_verify direct 64k 8m
stop_backend
(($(counter errors) == 0)) || fail "$(counter errors) requests failed"
(($(counter backend_errors) == 0)) || fail "the file store reported errors"
[[ $(stat -c %s "$WORK/backing") -ge $((256 << 20)) ]] || fail "backing file not sized to capacity"
note "reads $(counter reads) writes $(counter writes) pages_mapped $(counter pages_mapped) copy_bytes $(counter copy_bytes)"
