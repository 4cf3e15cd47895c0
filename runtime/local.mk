noinst_LIBRARIES += runtime/libwtruntime.a
runtime_libwtruntime_a_SOURCES = \
	runtime/decode.h runtime/decode_json.cc runtime/decode_proto.c \
	runtime/ruleset.h runtime/ruleset.c runtime/vm.h runtime/vm.c \
	runtime/proccache.h runtime/proccache.c runtime/workspace.h runtime/workspace.c \
	runtime/queue.h runtime/queue.c runtime/pipeline.h runtime/pipeline.c \
	runtime/output.h runtime/output.c runtime/ingest.h runtime/ingest.c \
	runtime/follow.h runtime/follow.c runtime/loss.h runtime/loss.c \
	runtime/correlate.h runtime/correlate.c \
	runtime/normalize.h runtime/normalize.c runtime/behavior.h runtime/behavior.c \
	runtime/baseline.h runtime/baseline_int.h runtime/baseline.c runtime/baseline_snap.c \
	runtime/sink.h runtime/sink.c runtime/sink_file.c runtime/sink_http.c runtime/sink_alertmanager.c \
	runtime/sink_syslog.c runtime/config.h runtime/config.c runtime/sinkconf.h runtime/sinkconf.c runtime/metrics.h runtime/metrics.c
runtime_libwtruntime_a_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(CURL_CFLAGS) $(FYAML_CFLAGS) $(MHD_CFLAGS) $(PROTOBUF_C_CFLAGS)
runtime_libwtruntime_a_CXXFLAGS = $(AM_CXXFLAGS) $(SIMDJSON_CFLAGS)

WT_RUNTIME_LIBS = runtime/libwtruntime.a proto/libwtproto.a common/libwtcommon.a $(SIMDJSON_LIBS) $(PCRE2_LIBS) \
	$(CURL_LIBS) $(FYAML_LIBS) $(MHD_LIBS) $(PROTOBUF_C_LIBS) -lpthread -lm

sbin_PROGRAMS += worktraced
worktraced_SOURCES = runtime/worktraced.c runtime/grpc_ingest.h runtime/grpc_ingest.c
worktraced_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS) $(GRPC_CFLAGS)
worktraced_LDADD = $(WT_RUNTIME_LIBS) $(GRPC_LIBS)
# simdjson is C++: link with the C++ driver
worktraced_LINK = $(CXXLINK)
