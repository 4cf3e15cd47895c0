# `make bench`: throughput measurements (never part of `make check`).
noinst_PROGRAMS += bench/gencapture bench/bench_decode bench/bench_corr bench/bench_baseline bench/bench_sink
bench_gencapture_SOURCES = bench/gencapture.c
bench_bench_decode_SOURCES = bench/bench_decode.c
bench_bench_decode_LDADD = $(WT_RUNTIME_LIBS)
bench_bench_decode_LINK = $(CXXLINK)
bench_bench_corr_SOURCES = bench/bench_corr.c
bench_bench_corr_LDADD = $(WT_RUNTIME_LIBS)
bench_bench_corr_LINK = $(CXXLINK)
bench_bench_baseline_SOURCES = bench/bench_baseline.c
bench_bench_baseline_LDADD = $(WT_RUNTIME_LIBS)
bench_bench_baseline_LINK = $(CXXLINK)
bench_bench_sink_SOURCES = bench/bench_sink.c
bench_bench_sink_LDADD = $(WT_RUNTIME_LIBS)
bench_bench_sink_LINK = $(CXXLINK)
EXTRA_DIST += bench/sinks.sh bench/run.sh bench/genrules.sh bench/equivalent.jq

bench: all testsuite/genfleet
	WT_BUILDDIR='$(abs_top_builddir)' WT_SRCDIR='$(abs_top_srcdir)' $(SHELL) $(srcdir)/bench/run.sh
.PHONY: bench
