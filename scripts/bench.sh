#!/bin/bash
# make bench: check the matrix here, then run it in one guest boot (or
# natively with VM=0) into a new results/<run-id>/, and point results/latest
# at it.  The work is harness/build/ubmap-bench's; this only wires it up.
#   env: MATRIX (name in workloads/ or a path; default "default"),
#        the variable of any axis or setting (MODE, BS, MAX_IO, ...: see
#        `ubmap-bench axes`; each replaces that one of the matrix),
#        VM (1: guest, 0: here), PLAN (1: print the effective matrix and
#        its cells, run nothing), PROFILE (insn: the guest under the
#        instruction profile, harness/profile/; each record gets "insn")
# Exit status: ubmap-bench's (0 ok, 1 a run failed, 2 bad input, 130 stopped),
# or vm-run.sh's when the guest itself failed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bench=harness/build/ubmap-bench

args=(--matrix "${MATRIX:-default}")
# The variables are ubmap-bench's: "VAR name" for every axis and setting.
vars=$("$bench" axes --vars)
while read -r var name; do
	if [[ -n ${!var:-} ]]; then
		args+=("--$name" "${!var}")
	fi
done <<<"$vars"

# Bad input fails here, before a guest boots.
slow=2 # the timeout: twice the estimate, and twice again under the plugin
case ${PROFILE:-} in
'') ;;
insn)
	[[ ${VM:-1} != 0 ]] || { echo "bench: PROFILE=insn needs the guest (VM=1): the plugin is QEMU's" >&2; exit 2; }
	export VM_PLUGIN=$top/harness/build/profile/ubmap-insn.so slow=4
	;;
*) echo "bench: PROFILE=$PROFILE: want insn (or none)" >&2; exit 2 ;;
esac
if [[ ${PLAN:-0} == 1 ]]; then
	exec "$bench" plan "${args[@]}"
fi
"$bench" plan "${args[@]}" >/dev/null
# Another guest on these cores slows whole blocks of cells many times over. vm-run.sh waits
# for one of ours (its lock); any other is sampled and the cells it overlaps are flagged.
others=$(scripts/host-sample.sh --others)
if [[ $others ]]; then
	echo "bench: warning: another QEMU is running on this host; timings will be suspect:" >&2
	while read -r line; do echo "bench:   $line" >&2; done <<<"$others"
fi
estimate=$("$bench" plan "${args[@]}" --estimate)

sha=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
dirty=false
if [[ -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]]; then
	dirty=true
fi
# Never overwrite a run: mkdir fails if the directory exists.
mkdir -p results
id=$(date -u +%Y%m%d-%H%M%S)-${sha:0:7}
dir=results/$id
n=1
until mkdir "$dir" 2>/dev/null; do
	n=$((n + 1))
	dir=results/$id-$n
done
ln -sfn "$(basename "$dir")" results/latest

meta=(--meta "git_sha=$sha" --meta "git_dirty=$dirty" --meta "host_kernel=$(uname -r)"
	--meta "host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	--meta "host_vcpus=$(nproc)" --meta "profile=${PROFILE:-none}")
interrupted=
trap 'interrupted=1' INT TERM
start=$SECONDS
rc=0
if [[ ${VM:-1} == 0 ]]; then
	"$bench" run "${args[@]}" --out "$dir" "${meta[@]}" || rc=$?
else
	meta+=(--meta "qemu_version=$(qemu-system-x86_64 --version | head -1)")
	# Over the estimate: TCG on a busy machine is slow, but a hang must end.
	scripts/vm-run.sh --share "$dir" --log "$dir/raw/console.log" --samples "$dir/raw/host-samples.csv" \
		--timeout $((estimate * slow + 300)) -- \
		"$bench" run "${args[@]}" --out "$dir" "${meta[@]}" || rc=$?
fi
status=()
if [[ $interrupted ]] || ((rc == 130)); then
	status=(--status interrupted)
elif ((rc != 0)); then
	status=(--status failed)
fi
"$bench" mark --out "$dir" --host-wall $((SECONDS - start)) "${status[@]}" || true
echo "bench: $dir (results/latest), $((SECONDS - start)) s" >&2
exit "$rc"
