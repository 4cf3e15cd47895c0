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
EXTRA_DIST += bench/sinks.sh
# gRPC: a C core server streaming pre-serialized events, and the protobuf decode ceilings
noinst_PROGRAMS += bench/grpc_server bench/bench_proto
bench_grpc_server_SOURCES = bench/grpc_server.c
bench_grpc_server_CFLAGS = $(AM_CFLAGS) $(GRPC_CFLAGS)
bench_grpc_server_LDADD = $(WT_RUNTIME_LIBS) $(GRPC_LIBS)
bench_grpc_server_LINK = $(CXXLINK)
bench_bench_proto_SOURCES = bench/bench_proto.c
bench_bench_proto_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS)
bench_bench_proto_LDADD = $(WT_RUNTIME_LIBS)
bench_bench_proto_LINK = $(CXXLINK)
EXTRA_DIST += bench/grpc.sh
EXTRA_DIST += bench/run.sh bench/genrules.sh bench/equivalent.jq

bench: all testsuite/genfleet
	WT_BUILDDIR='$(abs_top_builddir)' WT_SRCDIR='$(abs_top_srcdir)' $(SHELL) $(srcdir)/bench/run.sh
	@echo
	WT_BUILDDIR='$(abs_top_builddir)' WT_SRCDIR='$(abs_top_srcdir)' WT_PROTO_INCLUDE='$(PROTO_INCLUDE)' \
		$(SHELL) $(srcdir)/bench/grpc.sh
.PHONY: bench
