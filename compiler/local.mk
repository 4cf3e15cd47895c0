noinst_LIBRARIES += compiler/libwtcompiler.a
compiler_libwtcompiler_a_SOURCES = compiler/compile.h compiler/compile.c compiler/check.c compiler/checkpath.c compiler/checkrarity.c compiler/codegen.c \
	compiler/policy.h compiler/policy.c
compiler_libwtcompiler_a_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(FYAML_CFLAGS)

bin_PROGRAMS += wtc
wtc_SOURCES = compiler/wtc.c compiler/wtctest.h compiler/wtctest.c
wtc_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
# wtc test runs the daemon's own engine
wtc_LDADD = compiler/libwtcompiler.a grammar/libwtgrammar.a $(WT_RUNTIME_LIBS) $(JSONC_LIBS) $(FYAML_LIBS)
wtc_LINK = $(CXXLINK)
