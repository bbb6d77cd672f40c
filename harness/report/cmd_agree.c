// SPDX-License-Identifier: GPL-2.0
/*
 * ubmap-report agree RUN_A RUN_B [--metric NAME,...] [--alpha A]: exit 0
 * when no finding of one run is contradicted by the other, 1 when one is,
 * 2 on bad usage or input (agree.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "cli.h"
#include "cmd.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ubmap-report agree RUN_A RUN_B [--metric NAME[,NAME...]]... [--alpha A]\n"
		"Sets the two runs' own findings side by side: every mode against the\n"
		"reference mode (copy) at each section and block size, as each run's\n"
		"report tests it (Welch, Holm-corrected over that run's family), per\n"
		"metric the report tests (default: all of them).  A comparison that one\n"
		"run calls significant is contradicted when the other run's change has\n"
		"the opposite sign or the two (1 - A) intervals do not overlap.\n"
		"Exit status: 0 no contradiction; 1 a contradiction; 2 bad usage, a run\n"
		"that will not load, or runs with no comparison tested in both.\n");
}

struct agree_args {
	struct cli_list metric;
	double alpha;
};

static const struct cli_opt opts[] = {
	CLI_LIST("metric", struct agree_args, metric),
	CLI_NUM("alpha", struct agree_args, alpha, 1e-6, 0.5),
	CLI_END
};

static const struct cli_cmd cmd = { "agree", opts, 2, usage };

static void valid_metrics(FILE *f)
{
	const char *sep = "";

	fprintf(f, "ubmap-report agree: the metrics the report tests: ");
	for (unsigned int m = 0; m < nr_metrics; m++)
		if (metric_is_report_tested(&metrics[m])) {
			fprintf(f, "%s%s", sep, metrics[m].name);
			sep = ", ";
		}
	fputc('\n', f);
}

/* want[] from --metric, every tested metric without it; -1 on a bad name. */
static int pick_metrics(const struct cli_list *l, bool want[METRICS_MAX])
{
	memset(want, 0, METRICS_MAX * sizeof(*want));
	for (unsigned int m = 0; m < nr_metrics && !l->n; m++)
		want[m] = metric_is_report_tested(&metrics[m]);
	for (size_t i = 0; i < l->n; i++) {
		char *names = strdup(l->v[i]), *save = NULL;

		if (!names)
			abort();
		for (char *s = strtok_r(names, ",", &save); s;
		     s = strtok_r(NULL, ",", &save)) {
			int m = metric_find(s);

			if (m < 0 || !metric_is_report_tested(&metrics[m])) {
				fprintf(stderr, "ubmap-report agree: %s metric '%s'\n",
					m < 0 ? "unknown" : "the report tests no", s);
				valid_metrics(stderr);
				free(names);
				return -1;
			}
			want[m] = true;
		}
		free(names);
	}
	return 0;
}

static int load(const char *which, const char *dir, struct run *r,
		struct dataset *d)
{
	char err[RUN_DIR_MAX + 256];

	if (run_load(r, dir, err, sizeof(err))) {
		fprintf(stderr, "ubmap-report agree: %s: %s\n", which, err);
		return -1;
	}
	dataset_build(d, r);
	return 0;
}

int cmd_agree(int argc, char **argv)
{
	struct agree_args o = { .alpha = DEFAULT_ALPHA };
	struct strbuf out = STRBUF_INIT;
	struct agree_result res;
	bool want[METRICS_MAX];
	struct dataset da, db;
	struct run ra, rb;
	const char *ta, *tb;
	char **args;
	int c;

	if (cli_parse(&cmd, argc, argv, &o, &args, &c))
		return c;
	if (pick_metrics(&o.metric, want))
		return EXIT_USAGE;
	if (load("A", args[0], &ra, &da))
		return EXIT_USAGE;
	if (load("B", args[1], &rb, &db)) {
		cli_run_free(&ra, &da);
		return EXIT_USAGE;
	}
	sb_printf(&out, "ubmap agree: A run %s (%s), B run %s (%s); each run's "
		  "own tests, Welch at alpha %g, Holm-corrected per run and metric\n",
		  ra.id, ra.dir, rb.id, rb.dir, o.alpha);
	ta = run_meta(&ra, "tier");
	tb = run_meta(&rb, "tier");
	/* Told, not refused: the check is of each run's own findings. */
	if (strcmp(ta, tb))
		sb_printf(&out, "note: the runs are of different tiers (A %s, B %s)\n",
			  ta, tb);
	agree_runs(&da, &db, want, o.alpha, &res, &out);
	if (res.judged + res.skipped == 0) {
		fprintf(stderr, "ubmap-report agree: the runs share no comparison "
			"(%zu cells in A, %zu in B)\n", da.ncells, db.ncells);
		c = EXIT_USAGE;
		goto out;
	}
	sb_printf(&out, "\n%u comparisons: %u significant in at least one run, "
		  "%u contradictions, %u undecided in both\n", res.judged,
		  res.significant, res.contradictions, res.undecided);
	sb_printf(&out, "  %u skipped (untested or fell back in a run), %u only "
		  "in A, %u only in B; %u undecided with intervals apart\n",
		  res.skipped, res.only_a, res.only_b, res.apart);
	fputs(sb_str(&out), stdout);
	/* Nothing judged is no evidence of agreement. */
	if (!res.judged) {
		fprintf(stderr, "ubmap-report agree: no comparison is tested in both "
			"runs (%u skipped)\n", res.skipped);
		c = EXIT_USAGE;
	} else {
		c = res.contradictions ? EXIT_FAIL : EXIT_OK;
	}
out:
	sb_free(&out);
	cli_run_free(&ra, &da);
	cli_run_free(&rb, &db);
	return c;
}
