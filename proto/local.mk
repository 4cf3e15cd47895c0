# The protobuf subset of Tetragon's API (proto/tetragon.proto) and Google's well-known types
# it imports, compiled by protoc-c into the build tree (generated files are never committed).
PROTO_GEN = proto/tetragon.pb-c.c proto/tetragon.pb-c.h \
	proto/google/protobuf/timestamp.pb-c.c proto/google/protobuf/timestamp.pb-c.h \
	proto/google/protobuf/wrappers.pb-c.c proto/google/protobuf/wrappers.pb-c.h
BUILT_SOURCES += $(PROTO_GEN)
CLEANFILES += $(PROTO_GEN) proto/gen.stamp
EXTRA_DIST += proto/tetragon.proto

proto/gen.stamp: $(srcdir)/proto/tetragon.proto
	$(AM_V_GEN)$(MKDIR_P) proto && \
	$(PROTOC_C) --c_out=proto --proto_path=$(srcdir)/proto --proto_path=$(PROTO_INCLUDE) $(srcdir)/proto/tetragon.proto && \
	$(PROTOC_C) --c_out=proto --proto_path=$(PROTO_INCLUDE) \
		$(PROTO_INCLUDE)/google/protobuf/timestamp.proto $(PROTO_INCLUDE)/google/protobuf/wrappers.proto && \
	touch $@
# one protoc-c run writes them all; a deleted output is regenerated
$(PROTO_GEN): proto/gen.stamp
	@test -f $@ || { rm -f proto/gen.stamp; $(MAKE) $(AM_MAKEFLAGS) proto/gen.stamp; }

noinst_LIBRARIES += proto/libwtproto.a
nodist_proto_libwtproto_a_SOURCES = $(PROTO_GEN)
# generated code: built without the project's warning set
proto_libwtproto_a_CFLAGS = -std=gnu11 $(SAN_FLAGS) $(PROTOBUF_C_CFLAGS)
