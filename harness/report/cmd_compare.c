// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report compare BASE_DIR NEW_DIR: exit 0 ok, 1 a regression or a
 * count change, 2 usage or refusal.
 */
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "cmd.h"
#include "compare.h"
#include "numfmt.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ubmap-report compare BASE_DIR NEW_DIR [--threshold PCT] [--alpha A]\n"
		"                            [--force] [--changes] [--counts-only]\n"
		"                            [--insn-tolerance PCT]\n"
		"Per cell and metric: the change from BASE to NEW and Welch's t-test over\n"
		"the repeats, Holm-corrected over each metric's cells.  Exit status:\n"
		"0 ok; 1 a throughput metric significantly worse by more than PCT\n"
		"(default %.0f) or an exact count changed; 2 bad usage, runs with no\n"
		"cell in common, or runs of different tiers or matrices (--force\n"
		"compares anyway).\n"
		"--changes prints only the rows that changed significantly or fail.\n"
		"--counts-only gates on the exact counts alone, and accepts a base of\n"
		"another tier (counts do not depend on the tier; times do).\n"
		"Runs both made with PROFILE=insn also fail when a cell's instructions\n"
		"per device request, in total or in a group, changed by more than\n"
		"--insn-tolerance PCT (default %.0f); a tiny group (below %g%% of the\n"
		"total or %g per request) is shown, not gated.\n",
		DEFAULT_THRESHOLD_PCT, DEFAULT_INSN_TOLERANCE_PCT, INSN_TINY_PCT,
		INSN_TINY_ABS);
}

/* Straight into the library's options: nothing to copy across. */
static const struct cli_opt opts[] = {
	CLI_NUM("threshold", struct compare_opts, threshold, 0, 1000),
	CLI_NUM("alpha", struct compare_opts, alpha, 1e-6, 0.5),
	CLI_FLAG("force", struct compare_opts, force),
	CLI_FLAG("changes", struct compare_opts, changes_only),
	CLI_FLAG("counts-only", struct compare_opts, counts_only),
	CLI_NUM("insn-tolerance", struct compare_opts, insn_tolerance, 0, 100),
	CLI_END
};

static const struct cli_cmd cmd = { "compare", opts, 2, usage };

int cmd_compare(int argc, char **argv)
{
	struct compare_opts o = {
		.alpha = DEFAULT_ALPHA, .threshold = DEFAULT_THRESHOLD_PCT,
		.insn_tolerance = DEFAULT_INSN_TOLERANCE_PCT,
	};
	struct strbuf out = STRBUF_INIT;
	struct compare_result res;
	struct dataset db, dn;
	struct run rb, rn;
	char err[1024], why[1024], **args;
	bool fail;
	int c;

	if (cli_parse(&cmd, argc, argv, &o, &args, &c))
		return c;
	if (run_load(&rb, args[0], err, sizeof(err))) {
		fprintf(stderr, "ubmap-report compare: base: %s\n", err);
		return EXIT_USAGE;
	}
	if (run_load(&rn, args[1], err, sizeof(err))) {
		fprintf(stderr, "ubmap-report compare: new: %s\n", err);
		run_free(&rb);
		return EXIT_USAGE;
	}
	dataset_build(&db, &rb);
	dataset_build(&dn, &rn);
	compare_refusal(&db, &dn, &o, why, sizeof(why));
	/* Not even --force: with no cell in common a verdict would mean nothing. */
	if (!compare_common_cells(&db, &dn)) {
		fprintf(stderr, "ubmap-report compare: refusing: the runs have no cell in "
			"common (%zu cells in base, %zu in new)\n", db.ncells, dn.ncells);
		c = EXIT_USAGE;
		goto out;
	}
	if (why[0] && !o.force) {
		struct strbuf msg = STRBUF_INIT;
		char line[sizeof(why) + 128];

		snprintf(line, sizeof(line), "refusing: %s. Use --force (make compare "
			 "FORCE=1) to compare anyway.", why);
		sb_wrap(&msg, line, "ubmap-report compare: ", "  ", TEXT_WIDTH);
		fputs(sb_str(&msg), stderr);
		sb_free(&msg);
		c = EXIT_USAGE;
		goto out;
	}
	if (why[0])
		fprintf(stderr, "ubmap-report compare: --force: %s\n", why);
	compare_runs(&db, &dn, &o, &res, &out);
	/* Nothing compared is no evidence of no regression. */
	if (!res.rows)
		sb_puts(&out, "\ncompare: no cell has data in both runs\n");
	fail = res.regressions || res.count_changes || res.insn.changes || !res.rows;
	/* The verdict line first: CI logs are grepped for "compare: FAIL". */
	sb_printf(&out, "\ncompare: %s: %u throughput regression%s beyond %.1f%%, "
		  "%u exact count change%s\n", fail ? "FAIL" : "ok", res.regressions,
		  res.regressions == 1 ? "" : "s", o.threshold, res.count_changes,
		  res.count_changes == 1 ? "" : "s");
	/* Only when there were instruction counts to gate: else as it always was. */
	if (res.insn.cells) {
		char line[256];

		snprintf(line, sizeof(line), "%u instruction count change%s beyond %.1f%% "
			 "in %u cells, %u tiny (not gated)", res.insn.changes,
			 res.insn.changes == 1 ? "" : "s", o.insn_tolerance,
			 res.insn.cells, res.insn.tiny);
		sb_wrap(&out, line, "  ", "  ", TEXT_WIDTH);
	}
	sb_printf(&out, "  %u significant change%s (%u better, %u worse) in %u "
		  "cell-metric pairs\n", res.better + res.worse,
		  res.better + res.worse == 1 ? "" : "s", res.better, res.worse, res.rows);
	if (res.untested)
		sb_printf(&out, "  %u pairs untested (fewer than 2 repeats): the "
			  "threshold alone decided\n", res.untested);
	fputs(sb_str(&out), stdout);
	c = fail ? EXIT_FAIL : EXIT_OK;
out:
	sb_free(&out);
	dataset_free(&db);
	dataset_free(&dn);
	run_free(&rb);
	run_free(&rn);
	return c;
}
