// SPDX-License-Identifier: GPL-2.0
/* Runs every group; exit status is the number of failed tests (capped). */
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_tests.h"
#include "strbuf.h"

const char *fixture_path(const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	return path;
}

char *scratch_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir;

	if (asprintf(&dir, "%s/ubmap-report-test.XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
		abort();
	if (!mkdtemp(dir))
		fail_msg("mkdtemp %s: %m", dir);
	return dir;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void rm_rf(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void jscale(json_t *rec, const char *path, double f)
{
	const char *dot = strrchr(path, '.');
	char parent[128];
	json_t *p, *v;

	snprintf(parent, sizeof(parent), "%.*s", dot ? (int)(dot - path) : 0, path);
	p = dot ? json_path(rec, parent) : rec;
	v = json_object_get(p, dot ? dot + 1 : path);
	/* An integer times 0.9 is no integer: store a real. */
	if (json_is_number(v))
		json_object_set_new(p, dot ? dot + 1 : path,
				    json_real(json_number_value(v) * f));
}

void run_derive(const char *src, const char *dst, rec_fn fn, void *arg,
		void (*run_fn)(json_t *run, void *arg))
{
	char path[PATH_MAX], out[PATH_MAX], *line = NULL;
	size_t cap = 0;
	FILE *in, *o;
	json_t *run;

	mkdir(dst, 0755);
	snprintf(path, sizeof(path), "%s/results.jsonl", src);
	snprintf(out, sizeof(out), "%s/results.jsonl", dst);
	in = fopen(path, "r");
	o = fopen(out, "w");
	assert_non_null(in);
	assert_non_null(o);
	while (getline(&line, &cap, in) > 0) {
		json_t *rec = json_loads(line, 0, NULL);

		assert_non_null(rec);
		if (!fn || fn(rec, arg)) {
			json_dumpf(rec, o, JSON_COMPACT);
			fputc('\n', o);
		}
		json_decref(rec);
	}
	free(line);
	fclose(in);
	fclose(o);
	snprintf(path, sizeof(path), "%s/run.json", src);
	run = json_load_file(path, 0, NULL);
	assert_non_null(run);
	if (run_fn)
		run_fn(run, arg);
	snprintf(out, sizeof(out), "%s/run.json", dst);
	json_dump_file(run, out, JSON_INDENT(2));
	json_decref(run);
	snprintf(path, sizeof(path), "%s/matrix.txt", src);
	snprintf(out, sizeof(out), "%s/matrix.txt", dst);
	line = read_file(path, NULL);
	if (line) {
		o = fopen(out, "w");
		fputs(line, o);
		fclose(o);
		free(line);
	}
}

static const char *const rates[] = { "metrics.iops", "metrics.bw_mib_s", "fio.iops", NULL };

static bool apply_change(json_t *rec, void *arg)
{
	const struct run_change *c = arg;
	const char *id = json_string_value(json_object_get(rec, "cell_id"));
	json_int_t rep = json_integer_value(json_object_get(rec, "repeat"));
	json_int_t cell = json_integer_value(json_object_get(rec, "cell_index"));

	if (c->first_repeat_only && rep != 1)
		return false;
	if (c->id_suffix) {
		char nid[256];

		snprintf(nid, sizeof(nid), "%s%s", id, c->id_suffix);
		json_object_set_new(rec, "cell_id", json_string(nid));
		return true;
	}
	if (c->tier)
		json_object_set_new(json_path(rec, "meta"), "tier", json_string(c->tier));
	if (c->rerun_noise) {
		/* +-0.6%: what a second run of the same build looks like. */
		static const double g[] = { 1.006, 0.994, 1.0 };

		for (size_t i = 0; rates[i]; i++)
			jscale(rec, rates[i], g[(rep * 7 + cell) % 3]);
		jscale(rec, "metrics.cpu_us_per_io", g[(rep + cell) % 3]);
	}
	if (c->cell_prefix && strncmp(id, c->cell_prefix, strlen(c->cell_prefix)))
		return true;
	if (c->factor == 0)
		return false;	/* drop the cell: another matrix */
	for (size_t i = 0; i < 4 && c->paths[i]; i++)
		jscale(rec, c->paths[i], c->factor);
	return true;
}

static void apply_change_run(json_t *run, void *arg)
{
	const struct run_change *c = arg;

	if (c->tier)
		json_object_set_new(json_path(run, "meta"), "tier", json_string(c->tier));
}

char *derive_run(const char *from, struct run_change c)
{
	char *dir = scratch_dir();

	if (c.factor == 0 && !c.cell_prefix)
		c.factor = 1;
	run_derive(from, dir, apply_change, &c, apply_change_run);
	return dir;
}

int run_cmd(int (*fn)(int, char **), char **out, ...)
{
	char *argv[32], tmpl[] = "/tmp/ubmap-report-out.XXXXXX";
	int argc = 0, fd, saved_out, saved_err, ret;
	va_list ap;

	va_start(ap, out);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	fflush(NULL);
	saved_out = dup(1);
	saved_err = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	ret = fn(argc, argv);
	fflush(NULL);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	close(fd);
	if (out)
		*out = read_file(tmpl, NULL);
	unlink(tmpl);
	return ret;
}

void assert_fits(const char *text, size_t width)
{
	unsigned int lineno = 1;

	while (*text) {
		size_t n = strcspn(text, "\n");
		char line[1024];

		snprintf(line, sizeof(line), "%.*s", (int)n, text);
		if (utf8_width(line) > width)
			fail_msg("line %u is %zu columns wide (> %zu): '%s'", lineno,
				 utf8_width(line), width, line);
		text += n + (text[n] == '\n');
		lineno++;
	}
}

int main(void)
{
	int (*const groups[])(void) = {
		run_stats_tests,
		run_grid_tests,
		run_records_tests,
		run_report_tests,
		run_plots_tests,
		run_compare_tests,
		run_history_tests,
		run_contention_tests,
		run_peers_tests,
		run_insn_table_tests,
		run_mb_report_tests,
		run_power_tests,
		run_agree_tests,
	};
	int failed = 0;

	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		failed += groups[i]();
	printf("\nreport-tests: %d failed\n", failed);
	return failed > 125 ? 125 : failed;
}
