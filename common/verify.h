/* Static verifier of decoded rulesets (called by wt_bc_read). */
#ifndef WT_VERIFY_H
#define WT_VERIFY_H

#include "bytecode.h"

/* Check every rule record and its code: indices in range, forward jumps inside the rule,
 * consistent stack depth within WT_MAX_STACK, operand kinds and flags, termination by RET. */
enum wt_err wt_verify_rules(const struct wt_bc *bc, char *err, size_t errlen);

#endif
