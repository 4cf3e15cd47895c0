# Unit tests (cmocka) and data-driven tests (shell + jq). Shell tests read:
#   WT_SRCDIR, WT_BUILDDIR  source and build trees
#   WT_TETRAGON_DATA        real captures (see testsuite/captures.sh)
AM_TESTS_ENVIRONMENT = WT_SRCDIR='$(abs_top_srcdir)' WT_BUILDDIR='$(abs_top_builddir)' WT_SAN_FLAGS='$(SAN_FLAGS)'; export WT_SRCDIR WT_BUILDDIR WT_SAN_FLAGS;

WT_TEST_LIBS = testsuite/unit/libwttest.a compiler/libwtcompiler.a grammar/libwtgrammar.a \
	$(WT_RUNTIME_LIBS) $(CMOCKA_LIBS)

if HAVE_CMOCKA
check_LIBRARIES = testsuite/unit/libwttest.a
testsuite_unit_libwttest_a_SOURCES = testsuite/unit/helpers.h testsuite/unit/helpers.c
testsuite_unit_libwttest_a_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)

WT_UNIT_TESTS = testsuite/unit/test_compiler testsuite/unit/test_vm testsuite/unit/test_verifier \
	testsuite/unit/test_decode testsuite/unit/test_baseline testsuite/unit/test_sink testsuite/unit/test_config \
	testsuite/unit/test_proccache testsuite/unit/test_loss \
	testsuite/unit/test_decode_proto
check_PROGRAMS += $(WT_UNIT_TESTS)
TESTS += $(WT_UNIT_TESTS)
testsuite_unit_test_compiler_SOURCES = testsuite/unit/test_compiler.c
testsuite_unit_test_compiler_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
testsuite_unit_test_compiler_LDADD = $(WT_TEST_LIBS)
testsuite_unit_test_compiler_LINK = $(CXXLINK)
testsuite_unit_test_vm_SOURCES = testsuite/unit/test_vm.c
testsuite_unit_test_vm_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
testsuite_unit_test_vm_LDADD = $(WT_TEST_LIBS)
testsuite_unit_test_vm_LINK = $(CXXLINK)
testsuite_unit_test_verifier_SOURCES = testsuite/unit/test_verifier.c
testsuite_unit_test_verifier_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
testsuite_unit_test_verifier_LDADD = $(WT_TEST_LIBS)
testsuite_unit_test_verifier_LINK = $(CXXLINK)
testsuite_unit_test_decode_SOURCES = testsuite/unit/test_decode.c
testsuite_unit_test_decode_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
testsuite_unit_test_decode_LDADD = $(WT_TEST_LIBS)
testsuite_unit_test_decode_LINK = $(CXXLINK)
testsuite_unit_test_baseline_SOURCES = testsuite/unit/test_baseline.c
testsuite_unit_test_baseline_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
testsuite_unit_test_baseline_LDADD = $(WT_TEST_LIBS)
testsuite_unit_test_baseline_LINK = $(CXXLINK)
testsuite_unit_test_sink_SOURCES = testsuite/unit/test_sink.c
testsuite_unit_test_sink_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
testsuite_unit_test_sink_LDADD = $(WT_TEST_LIBS)
testsuite_unit_test_sink_LINK = $(CXXLINK)
testsuite_unit_test_config_SOURCES = testsuite/unit/test_config.c
testsuite_unit_test_config_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
testsuite_unit_test_config_LDADD = $(WT_TEST_LIBS)
testsuite_unit_test_config_LINK = $(CXXLINK)
testsuite_unit_test_proccache_SOURCES = testsuite/unit/test_proccache.c
testsuite_unit_test_proccache_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
testsuite_unit_test_proccache_LDADD = $(WT_TEST_LIBS)
testsuite_unit_test_proccache_LINK = $(CXXLINK)
testsuite_unit_test_loss_SOURCES = testsuite/unit/test_loss.c
testsuite_unit_test_loss_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
testsuite_unit_test_loss_LDADD = $(WT_TEST_LIBS)
testsuite_unit_test_loss_LINK = $(CXXLINK)
testsuite_unit_test_decode_proto_SOURCES = testsuite/unit/test_decode_proto.c
testsuite_unit_test_decode_proto_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(PROTOBUF_C_CFLAGS)
testsuite_unit_test_decode_proto_LDADD = $(WT_TEST_LIBS)
testsuite_unit_test_decode_proto_LINK = $(CXXLINK)
endif

# Corrupted-bytecode exerciser: every truncation and byte flips of a compiled ruleset.
check_PROGRAMS += testsuite/corrupt
testsuite_corrupt_SOURCES = testsuite/corrupt.c
testsuite_corrupt_CFLAGS = $(AM_CFLAGS)
testsuite_corrupt_LDADD = $(WT_RUNTIME_LIBS)
testsuite_corrupt_LINK = $(CXXLINK)

# Deterministic generator of a day of a workspace fleet (Tetragon JSON lines, labeled attacks).
check_PROGRAMS += testsuite/genfleet
testsuite_genfleet_SOURCES = testsuite/genfleet.c testsuite/genfleet-data.h

# Writer of the follow-mode drills: appends lines and rotates the file while it writes.
check_PROGRAMS += testsuite/followdrill
testsuite_followdrill_SOURCES = testsuite/followdrill.c

WT_SHELL_TESTS = testsuite/cases.sh testsuite/stdlib.sh testsuite/corrupt.sh \
	testsuite/example.sh testsuite/captures.sh testsuite/badinput.sh testsuite/droppath.sh testsuite/manpages.sh testsuite/valgrind.sh \
	testsuite/correlation.sh testsuite/correlation-engine.sh testsuite/correlation-flood.sh testsuite/compat.sh \
	testsuite/genfleet.sh testsuite/behavioral-fleet.sh testsuite/behavioral-restart.sh \
	testsuite/install.sh testsuite/rootfs.sh testsuite/policies.sh testsuite/manifests.sh testsuite/readme.sh \
	testsuite/config.sh testsuite/reload.sh testsuite/prometheus.sh \
	testsuite/behavioral-input.sh testsuite/follow.sh testsuite/inputgap.sh
# Sinks against real receivers: Alertmanager (Debian package), local HTTP/syslog receivers.
WT_SHELL_TESTS += testsuite/sink-alertmanager.sh testsuite/sink-webhook.sh testsuite/sink-syslog.sh \
	testsuite/sink-dead.sh testsuite/sink-file.sh testsuite/dedup.sh testsuite/sink-robust.sh
TESTS += $(WT_SHELL_TESTS)
EXTRA_DIST += $(WT_SHELL_TESTS) testsuite/lib.sh testsuite/cases testsuite/compat testsuite/manifests.py .yamllint \
	testsuite/sink-receiver.py testsuite/syslog-check.py testsuite/data testsuite/config

# gRPC input (testsuite/grpc-*.sh): the test Tetragon compiles proto/ for Python with protoc
AM_TESTS_ENVIRONMENT += WT_PROTO_INCLUDE='$(PROTO_INCLUDE)'; export WT_PROTO_INCLUDE;
WT_GRPC_TESTS = testsuite/grpc-parity.sh testsuite/grpc-restart.sh testsuite/grpc-slow.sh testsuite/grpc-sigterm.sh testsuite/grpc-unix.sh \
	testsuite/grpc-valgrind.sh
TESTS += $(WT_GRPC_TESTS)
EXTRA_DIST += $(WT_GRPC_TESTS) testsuite/grpc-lib.sh testsuite/tetragon-server.py
