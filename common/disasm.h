/* Readable listing of a verified ruleset (wtc dump), with source positions. */
#ifndef WT_DISASM_H
#define WT_DISASM_H

#include "bytecode.h"
#include <stdio.h>

void wt_disasm(const struct wt_bc *bc, FILE *out);

#endif
