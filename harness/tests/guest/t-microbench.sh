#!/bin/bash
# t-microbench.sh: ubmap-bench microbench in every mode, 1 and 8 pages of
# each kind: a row for each; the mapping modes make map calls (at most one
# per page), copy and user_copy none but spend time copying; vm_insert_pages
# refuses anonymous pages and only those.  Then test_abi's microbench case
# in every mode with the parameter on (its EINVAL table, a good call).
set -euo pipefail
# shellcheck source=harness/tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
BENCH=$TOP/harness/build/ubmap-bench
mapfile -t modes < <("$BENCH" modes)

# The runner loaded ubmap without microbench=1; the bench loads its own.
rmmod ubmap
out=$WORK/mb
"$BENCH" microbench --mode all --pages 1,8 --iterations 3 --ko "$KO" --out "$out" \
	>"$WORK/mb.txt" 2>&1 || { cat "$WORK/mb.txt"; fail "ubmap-bench microbench failed"; }
sed 's/^/  /' "$WORK/mb.txt"
rows=$out/microbench.jsonl
want=$((${#modes[@]} * 3 * 2))
(($(wc -l <"$rows") == want)) || fail "$(wc -l <"$rows") rows, want $want"
pat=$(jq -r '.machine.pat // "unknown"' "$out/meta.json")
[[ $pat == on || $pat == off ]] || fail "meta.json: PAT is '$pat', want on or off"
# Each check prints the rows that break it.
check() {
	local why=$1 filter=$2 bad
	bad=$(jq -c "select($filter) | {mode, kind, pages, refused, map_calls_per_batch, map_ns_per_page}" "$rows")
	[[ -z $bad ]] || fail "$why: $bad"
}
check "refused other than vm_insert_pages' anon pages" \
	'(.refused != null) != (.mode == "vm_insert_pages" and .kind == "anon")'
check "vm_insert_pages refused anon pages for another reason" \
	'.refused != null and .refused != "anon_page"'
check "a mapping mode made no map call, or more than one a page" \
	'.refused == null and (.mode | IN("vm_insert_pages", "remap_pfn_range", "mkspecial")) and (.map_calls_per_batch < 1 or .map_calls_per_batch > .pages)'
check "copy or user_copy called into the mm, or spent no time" \
	'(.mode | IN("copy", "user_copy")) and (.map_calls_per_batch != 0 or .map_ns_per_page <= 0)'
note "$want rows checked, PAT $pat"

insmod "$KO" microbench=1
for m in "${modes[@]}"; do
	set_mode "$m"
	ABI_TESTS=test_microbench_ioctl "$TOP/harness/build/test-abi" >"$WORK/abi.txt" 2>&1 ||
		{ cat "$WORK/abi.txt"; fail "test_microbench_ioctl in $m"; }
done
note "test_microbench_ioctl passed in ${#modes[@]} modes"
