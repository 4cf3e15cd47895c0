noinst_LIBRARIES += common/libwtcommon.a
common_libwtcommon_a_SOURCES = \
	common/wt.h common/err.h common/wt_limits.h common/util.c \
	common/kinds.def common/fields.def common/field.h common/field.c \
	common/opcodes.def common/opcode.h common/opcode.c \
	common/event.h common/event.c \
	common/bytecode.h common/bcwrite.c common/bcread.c common/crc32c.c \
	common/verify.h common/verify.c common/disasm.h common/disasm.c \
	common/diag.def common/diag.h common/diag.c \
	common/buf.h common/buf.c common/arena.h common/arena.c common/addr.h common/addr.c
