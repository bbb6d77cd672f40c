#!/bin/bash
# include_cycles.sh [-v] DIR...: fail if the files of a directory include
# each other in a circle.  A module is x.c with x.h (cmd_*.c share cmd.h);
# x.c including y.h while y.c includes x.h is a circle.  -v prints the
# module graph as "from -> to" lines.
set -u
verbose=0
if [ "${1:-}" = -v ]; then
	verbose=1
	shift
fi

module() {
	local m
	m=$(basename "$1")
	m=${m%.[ch]}
	case $m in cmd_*) m=cmd ;; esac
	echo "$m"
}

status=0
for dir in "$@"; do
	edges=$(for f in "$dir"/*.[ch]; do
		from=$(module "$f")
		sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r h; do
			[ -e "$dir/$h" ] || continue	# another directory's header
			to=$(module "$h")
			[ "$from" = "$to" ] || echo "$from $to"
		done
	done | sort -u)
	if [ "$verbose" = 1 ]; then
		echo "# $dir"
		echo "${edges// / -> }"
	fi
	if ! echo "$edges" | tsort >/dev/null 2>"${TMPDIR:-/tmp}/tsort.$$"; then
		echo "include circle in $dir:" >&2
		cat "${TMPDIR:-/tmp}/tsort.$$" >&2
		status=1
	fi
	rm -f "${TMPDIR:-/tmp}/tsort.$$"
done
exit $status
