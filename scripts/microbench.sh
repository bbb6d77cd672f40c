#!/bin/bash
# make microbench: each mode's map and unmap of N pages of each kind, without
# a request (ubmap-bench microbench, the module's test-only ioctl), in one
# guest boot, into results/microbench-<id>/ with its tables and plots
# (ubmap-report microbench).
#   env: MODE (default all), PAGES (1,8,32,128,256), ITERATIONS (200),
#        PROFILE (insn: under the TCG plugin, instructions by group),
#        NOPAT (1: boot the guest with nopat, remap_pfn_range without its
#        memtype lookups)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bench=harness/build/ubmap-bench
args=(--mode "${MODE:-all}" --pages "${PAGES:-1,8,32,128,256}"
	--iterations "${ITERATIONS:-200}")
case ${PROFILE:-} in
'') ;;
insn) export VM_PLUGIN=$top/harness/build/profile/ubmap-insn.so ;;
*) echo "microbench: PROFILE=$PROFILE: want insn (or none)" >&2; exit 2 ;;
esac
case ${NOPAT:-0} in
0) ;;
1) export VM_APPEND="nopat ${VM_APPEND:-}" ;;
*) echo "microbench: NOPAT=$NOPAT: want 0 or 1" >&2; exit 2 ;;
esac
sha=$(git rev-parse --short=7 HEAD 2>/dev/null || echo unknown)
mkdir -p results
dir=results/microbench-$(date -u +%Y%m%d-%H%M%S)-$sha
mkdir "$dir"
start=$SECONDS
# About 2 minutes of guest for the defaults under TCG; 4 times that profiled.
scripts/vm-run.sh --share "$dir" --log "$dir/console.log" --timeout 3600 -- \
	"$bench" microbench "${args[@]}" --out "$dir"
harness/build/ubmap-report microbench "$dir" >/dev/null
echo "microbench: $dir/microbench.md, plots in $dir/plots/, $((SECONDS - start)) s" >&2
