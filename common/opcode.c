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
	return wt_opset_hash_n(WT_OP_COUNT);
}

static uint32_t op_step(uint32_t h, int i)
{
	const struct wt_op_info *o = &wt_ops[i];
	uint8_t shape[4] = {(uint8_t)o->operand, o->pop, o->push, o->flags};
	h = wt_hash_fnv1a(o->name, strlen(o->name) + 1, h);
	return wt_hash_fnv1a(shape, sizeof shape, h);
}

uint32_t wt_opset_hash_n(int n)
{
	uint32_t h = WT_FNV_SEED;
	for (int i = 0; i < n && i < WT_OP_COUNT; i++)
		h = op_step(h, i);
	return h;
}

int wt_opset_hash_prefix(uint32_t hash)
{
	uint32_t h = WT_FNV_SEED;
	int found = 0;
	for (int i = 0; i < WT_OP_COUNT; i++) {
		h = op_step(h, i);
		if (h == hash)
			found = i + 1;
	}
	return found;
}
