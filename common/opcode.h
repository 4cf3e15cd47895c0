/* Opcodes and instruction encoding, expanded from opcodes.def. */
#ifndef WT_OPCODE_H
#define WT_OPCODE_H

#include "wt.h"

#define WT_OPF_NOCASE 0x01u

enum wt_operand { WT_OPND_NONE, WT_OPND_FIELD, WT_OPND_STR, WT_OPND_INT, WT_OPND_SET,
		  WT_OPND_REGEX, WT_OPND_BOOL, WT_OPND_JUMP,
		  WT_OPND_CAPTURE /* c = capture index of the path */ };

enum wt_op {
#define WT_OP(name, opnd, pop, push, flags, syn) WT_OP_##name,
#include "opcodes.def"
#undef WT_OP
	WT_OP_COUNT
};

struct wt_op_info {
	const char *name;
	enum wt_operand operand;
	uint8_t pop, push, flags;
	const char *synopsis;
};

extern const struct wt_op_info wt_ops[WT_OP_COUNT];

/* One instruction: 8 bytes on disk (op u8, a u8, b u16, c u32, little-endian). */
struct wt_insn {
	uint8_t op;
	uint8_t a;
	uint16_t b;
	uint32_t c;
};

/* Hash over the instruction set: stored in rulesets, compared at load. */
uint32_t wt_opset_hash(void);
/* Hash over the first n opcodes: a ruleset written before opcodes were appended records the
 * hash of a prefix of today's table, and stays readable (it cannot use the new ones). */
uint32_t wt_opset_hash_n(int n);
/* The number of opcodes whose prefix hash is `hash`, or 0. */
int wt_opset_hash_prefix(uint32_t hash);

#endif
