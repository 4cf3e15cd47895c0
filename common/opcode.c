/* The opcode table expanded from opcodes.def, and the opset hash rulesets record. */
#include "opcode.h"
#include <string.h>

const struct wt_op_info wt_ops[WT_OP_COUNT] = {
#define WT_OP(name, opnd, pop, push, flags, syn) {#name, WT_OPND_##opnd, pop, push, flags, syn},
#include "opcodes.def"
#undef WT_OP
};

uint32_t wt_opset_hash(void)
{
	uint32_t h = WT_FNV_SEED;
	for (int i = 0; i < WT_OP_COUNT; i++) {
		const struct wt_op_info *o = &wt_ops[i];
		uint8_t shape[4] = {(uint8_t)o->operand, o->pop, o->push, o->flags};
		h = wt_hash_fnv1a(o->name, strlen(o->name) + 1, h);
		h = wt_hash_fnv1a(shape, sizeof shape, h);
	}
	return h;
}
