# Fuzzing. `make check` replays the seeds and kept regressions through both harnesses
# with the ordinary build; `make fuzz` builds the libFuzzer binaries with clang, and
# `make fuzz-run FUZZ_SECONDS=600` runs each for that long (crashes land in
# testsuite/fuzz/regressions-*/ to be kept as regression cases).
check_PROGRAMS += testsuite/fuzz/replay_compile testsuite/fuzz/replay_loader testsuite/fuzz/replay_proto
testsuite_fuzz_replay_compile_SOURCES = testsuite/fuzz/fuzz_compile.c testsuite/fuzz/replay_main.c
testsuite_fuzz_replay_compile_CFLAGS = $(AM_CFLAGS) -Wno-missing-prototypes
testsuite_fuzz_replay_compile_LDADD = compiler/libwtcompiler.a grammar/libwtgrammar.a $(WT_RUNTIME_LIBS)
testsuite_fuzz_replay_compile_LINK = $(CXXLINK)
testsuite_fuzz_replay_loader_SOURCES = testsuite/fuzz/fuzz_loader.c testsuite/fuzz/replay_main.c
testsuite_fuzz_replay_loader_CFLAGS = $(AM_CFLAGS) -Wno-missing-prototypes
testsuite_fuzz_replay_loader_LDADD = $(WT_RUNTIME_LIBS)
testsuite_fuzz_replay_loader_LINK = $(CXXLINK)
check_PROGRAMS += testsuite/fuzz/replay_record
testsuite_fuzz_replay_record_SOURCES = testsuite/fuzz/fuzz_record.c testsuite/fuzz/replay_main.c
testsuite_fuzz_replay_record_CFLAGS = $(AM_CFLAGS) -Wno-missing-prototypes
testsuite_fuzz_replay_record_LDADD = compiler/libwtcompiler.a grammar/libwtgrammar.a $(WT_RUNTIME_LIBS)
testsuite_fuzz_replay_record_LINK = $(CXXLINK)
testsuite_fuzz_replay_proto_SOURCES = testsuite/fuzz/fuzz_proto.c testsuite/fuzz/replay_main.c
testsuite_fuzz_replay_proto_CFLAGS = $(AM_CFLAGS) -Wno-missing-prototypes
testsuite_fuzz_replay_proto_LDADD = $(WT_RUNTIME_LIBS)
testsuite_fuzz_replay_proto_LINK = $(CXXLINK)
TESTS += testsuite/fuzz.sh
EXTRA_DIST += testsuite/fuzz.sh testsuite/fuzz/seeds-compile testsuite/fuzz/regressions-compile \
	testsuite/fuzz/regressions-loader testsuite/fuzz/wt.dict testsuite/fuzz/seeds-record testsuite/fuzz/regressions-record \
	testsuite/fuzz/seeds-proto testsuite/fuzz/regressions-proto

FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=gnu11 \
	-D_GNU_SOURCE -I$(top_srcdir)/common -I$(top_srcdir)/grammar -I$(top_builddir)/grammar \
	-I$(top_srcdir)/compiler -I$(top_srcdir)/runtime $(PCRE2_CFLAGS)
FUZZ_COMMON = $(filter %.c,$(common_libwtcommon_a_SOURCES))
FUZZ_FRONT = grammar/ast.c compiler/compile.c compiler/check.c compiler/checkpath.c compiler/checkrarity.c \
	compiler/codegen.c
# the record harness: the output stage and sink formatters with what they link against
FUZZ_RECORD = runtime/ruleset.c runtime/vm.c runtime/correlate.c runtime/output.c runtime/pipeline.c \
	runtime/queue.c runtime/behavior.c runtime/baseline.c runtime/baseline_snap.c runtime/normalize.c \
	runtime/sink.c runtime/sink_file.c runtime/sink_http.c runtime/sink_alertmanager.c runtime/sink_syslog.c

fuzz: grammar/parser.c grammar/lexer.c $(PROTO_GEN)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o testsuite/fuzz/fuzz_compile $(srcdir)/testsuite/fuzz/fuzz_compile.c \
		$(addprefix $(srcdir)/,$(FUZZ_COMMON) $(FUZZ_FRONT)) grammar/parser.c grammar/lexer.c $(PCRE2_LIBS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o testsuite/fuzz/fuzz_loader $(srcdir)/testsuite/fuzz/fuzz_loader.c \
		$(addprefix $(srcdir)/,$(FUZZ_COMMON)) $(srcdir)/runtime/ruleset.c $(srcdir)/runtime/vm.c \
		$(srcdir)/runtime/correlate.c $(srcdir)/runtime/normalize.c $(PCRE2_LIBS)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CURL_CFLAGS) -o testsuite/fuzz/fuzz_record $(srcdir)/testsuite/fuzz/fuzz_record.c \
		$(addprefix $(srcdir)/,$(FUZZ_COMMON) $(FUZZ_FRONT) $(FUZZ_RECORD)) grammar/parser.c grammar/lexer.c \
		$(PCRE2_LIBS) $(CURL_LIBS) -lpthread -lm
	$(FUZZ_CC) $(FUZZ_FLAGS) -I$(top_builddir)/proto $(PROTOBUF_C_CFLAGS) -o testsuite/fuzz/fuzz_proto \
		$(srcdir)/testsuite/fuzz/fuzz_proto.c $(addprefix $(srcdir)/,$(FUZZ_COMMON)) $(srcdir)/runtime/decode_proto.c \
		$(filter %.c,$(PROTO_GEN)) $(PROTOBUF_C_LIBS)

FUZZ_SECONDS = 600
fuzz-run: fuzz stdlib-rules/stdlib.wtb
	mkdir -p testsuite/fuzz/corpus-compile testsuite/fuzz/corpus-loader
	cp stdlib-rules/stdlib.wtb testsuite/fuzz/corpus-loader/stdlib.wtb
	testsuite/fuzz/fuzz_compile -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -dict=$(srcdir)/testsuite/fuzz/wt.dict \
		-artifact_prefix=$(srcdir)/testsuite/fuzz/regressions-compile/ testsuite/fuzz/corpus-compile \
		$(srcdir)/testsuite/fuzz/seeds-compile $(srcdir)/stdlib-rules
	testsuite/fuzz/fuzz_loader -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(srcdir)/testsuite/fuzz/regressions-loader/ testsuite/fuzz/corpus-loader
	mkdir -p testsuite/fuzz/corpus-record
	testsuite/fuzz/fuzz_record -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
		-artifact_prefix=$(srcdir)/testsuite/fuzz/regressions-record/ testsuite/fuzz/corpus-record \
		$(srcdir)/testsuite/fuzz/seeds-record
	mkdir -p testsuite/fuzz/corpus-proto $(srcdir)/testsuite/fuzz/regressions-proto
	testsuite/fuzz/fuzz_proto -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-artifact_prefix=$(srcdir)/testsuite/fuzz/regressions-proto/ testsuite/fuzz/corpus-proto \
		$(srcdir)/testsuite/fuzz/seeds-proto
.PHONY: fuzz fuzz-run
