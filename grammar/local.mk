noinst_LIBRARIES += grammar/libwtgrammar.a
grammar_libwtgrammar_a_SOURCES = grammar/ast.h grammar/ast.c grammar/parser.y grammar/lexer.l
grammar_libwtgrammar_a_CFLAGS = $(AM_CFLAGS) -Wno-missing-prototypes -Wno-unused-function -Wno-sign-compare
BUILT_SOURCES += grammar/parser.h
# the scanner includes the parser's header
grammar/libwtgrammar_a-lexer.$(OBJEXT): grammar/parser.h
