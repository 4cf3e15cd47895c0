# The shipped rule library, compiled at build time and installed with its sources.
STDLIB_SOURCES = $(sort $(wildcard $(srcdir)/stdlib-rules/*.wt))
stdlibdir = $(pkgdatadir)/rules
dist_stdlib_DATA = $(STDLIB_SOURCES)
pkgdata_DATA = stdlib-rules/stdlib.wtb
CLEANFILES += stdlib-rules/stdlib.wtb
EXTRA_DIST += $(wildcard $(srcdir)/stdlib-rules/tests/*.jsonl)

stdlib-rules/stdlib.wtb: wtc$(EXEEXT) $(STDLIB_SOURCES)
	$(AM_V_GEN)$(MKDIR_P) stdlib-rules && ./wtc$(EXEEXT) compile -o $@ $(srcdir)/stdlib-rules
