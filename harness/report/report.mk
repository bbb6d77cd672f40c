# ubmap-report: reports, plots and compare from a run's records.
# Included at the end of harness/Makefile, so BUILD, CC, CFLAGS, CPPFLAGS,
# JANSSON_*, GSL_* and CMOCKA_* are set; adds to its all and test targets.
#   make report-all     build/ubmap-report, build/report-tests
#   make test-report    run the report unit tests

# Everything but main.c is a library the tests link too.
REPORT_SRCS := cli.c $(notdir $(wildcard report/cmd_*.c)) records.c repeat_stats.c multcomp.c \
	       contention.c dataset.c grid.c \
	       numfmt.c mtable.c header.c findings.c gnuplot.c \
	       plots.c csv.c history.c trend.c compare.c compare_insn.c report_doc.c peers.c insn_table.c mb_report.c power.c agree.c
REPORT_OBJS := $(REPORT_SRCS:%.c=$(BUILD)/report/%.o)
REPORT_MAIN := $(BUILD)/report/main.o
REPORT_TEST_SRCS := $(notdir $(wildcard tests/report/*.c))
REPORT_TEST_OBJS := $(REPORT_TEST_SRCS:%.c=$(BUILD)/tests/report/%.o)
# The gnuplot scripts, for a binary that has moved away from the tree.
REPORT_CPPFLAGS := -Ireport $(HLIB_CPPFLAGS) $(GSL_CFLAGS) \
		   -DPLOTS_DIR='"$(abspath ../plots)"'

report-all: $(BUILD)/ubmap-report $(BUILD)/report-tests
all: report-all
test: test-report

$(BUILD)/ubmap-report: $(REPORT_MAIN) $(REPORT_OBJS) $(HLIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) $(GSL_LIBS) -lm $(LDLIBS)

# The tests also link the bench's objects: they check that the bench's
# metric table and record writer agree with what this reader expects.
$(BUILD)/report-tests: $(REPORT_TEST_OBJS) $(REPORT_OBJS) $(BENCH_OBJS) $(HLIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(JANSSON_LIBS) \
		$(GSL_LIBS) -lm $(LDLIBS)

$(BUILD)/report/%.o: report/%.c | $(BUILD)/report
	$(CC) $(REPORT_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Report headers first; bench/ after, for the schema cross-checks only.
$(BUILD)/tests/report/%.o: tests/report/%.c | $(BUILD)/tests/report
	$(CC) $(REPORT_CPPFLAGS) -Ibench $(CPPFLAGS) $(CMOCKA_CFLAGS) \
		-DFIXTURES='"$(CURDIR)/tests/report/fixtures"' $(CFLAGS) -c -o $@ $<

$(BUILD)/report $(BUILD)/tests/report:
	mkdir -p $@

test-report: $(BUILD)/report-tests $(BUILD)/ubmap-report
	./$(BUILD)/report-tests
	./tests/include_cycles.sh report

.PHONY: report-all test-report

-include $(REPORT_OBJS:.o=.d) $(REPORT_MAIN:.o=.d) $(REPORT_TEST_OBJS:.o=.d)
