noinst_LIBRARIES += compiler/libwtcompiler.a
compiler_libwtcompiler_a_SOURCES = compiler/compile.h compiler/compile.c compiler/check.c compiler/codegen.c
compiler_libwtcompiler_a_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS)

bin_PROGRAMS += wtc
wtc_SOURCES = compiler/wtc.c
wtc_LDADD = compiler/libwtcompiler.a grammar/libwtgrammar.a common/libwtcommon.a $(PCRE2_LIBS)
