#!/bin/bash
# t-flush.sh: the disk has a write cache, so fsync() and O_DSYNC reach the
# backend as FLUSH and FUA (the block layer drops both on a disk without
# one), and the file store makes them durable: the data is in the file.
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

[[ $(cat /sys/block/ubmap0/queue/write_cache) == "write back" ]] ||
	fail "write_cache is '$(cat /sys/block/ubmap0/queue/write_cache)'"
[[ $(cat /sys/block/ubmap0/queue/fua) == 1 ]] || fail "no FUA"
start_backend file --file "$WORK/backing"
reset_stats
head -c 1M /dev/urandom >"$WORK/data"
# O_DIRECT|O_DSYNC writes are FUA writes; conv=fsync ends with a FLUSH.
dd if="$WORK/data" of="$DISK" bs=64k oflag=direct,dsync conv=fsync status=none
(($(counter fua_writes) >= 16)) || fail "fua_writes $(counter fua_writes), want 16"
(($(counter flushes) >= 1)) || fail "fsync sent no FLUSH"
cmp -n $((1 << 20)) "$WORK/data" "$WORK/backing" || fail "the file does not hold what was written"
stop_backend
(($(counter errors) == 0)) || fail "$(counter errors) requests failed"
note "flushes $(counter flushes) fua_writes $(counter fua_writes) writes $(counter writes)"
