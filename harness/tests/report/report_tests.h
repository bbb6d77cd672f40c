/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ubmap-report unit tests: one group per unit; report_tests.c runs them
 * all and holds the helpers that make scratch runs from the fixture.
 */
#ifndef REPORT_TESTS_H
#define REPORT_TESTS_H

#include "../testlib.h"

#include <jansson.h>

#include "jsonutil.h"
#include "util.h"

/* FIXTURES/name. */
const char *fixture_path(const char *name);

/* A new empty directory under $TMPDIR; caller frees, rm_rf removes. */
char *scratch_dir(void);
void rm_rf(const char *dir);

/*
 * dst (created) becomes a copy of the run in src with every record passed
 * through rec_fn and run.json through run_fn (either may be NULL).  A
 * record rec_fn returns false for is dropped.
 */
typedef bool (*rec_fn)(json_t *rec, void *arg);
void run_derive(const char *src, const char *dst, rec_fn fn, void *arg,
		void (*run_fn)(json_t *run, void *arg));

/* What derive_run() does to the records of a run. */
struct run_change {
	const char *cell_prefix;	/* cells whose id starts so, or NULL: all */
	const char *paths[4];		/* numbers to scale */
	double factor;
	bool rerun_noise;		/* another run's repeat-to-repeat noise */
	bool first_repeat_only;
	const char *tier;		/* meta.tier to set, or NULL */
	const char *id_suffix;		/* appended to every cell id: no cell in common */
};

/*
 * A scratch copy of the run in from, changed as c says; factor 0 with a
 * cell_prefix drops those cells.  rm_rf() and free() it.
 */
char *derive_run(const char *from, struct run_change c);

/* Multiplies the number at path by f (no-op if it is null). */
void jscale(json_t *rec, const char *path, double f);

/*
 * Runs a subcommand (argv NULL-terminated, argv[0] its name) with stdout
 * and stderr captured; returns its exit status, *out the output (free).
 */
int run_cmd(int (*fn)(int, char **), char **out, ...);

/* Every line of text at most width display columns; fails otherwise. */
void assert_fits(const char *text, size_t width);

int run_stats_tests(void);
int run_grid_tests(void);
int run_records_tests(void);
int run_report_tests(void);
int run_plots_tests(void);
int run_compare_tests(void);
int run_history_tests(void);
int run_contention_tests(void);
int run_peers_tests(void);
int run_insn_table_tests(void);
int run_mb_report_tests(void);
int run_power_tests(void);
int run_agree_tests(void);

#endif /* REPORT_TESTS_H */
