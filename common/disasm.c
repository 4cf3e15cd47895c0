/* Disassembler: prints a verified ruleset's header, rules and instructions with their
 * operands resolved (field names, quoted strings, set members) and source lines. */
#include "disasm.h"
#include "buf.h"
#include <string.h>

static void print_str(const struct wt_bc *bc, uint32_t i, FILE *out)
{
	struct wt_buf b;
	wt_buf_init(&b);
	wt_buf_json_str(&b, bc->strings[i], bc->string_len[i], 60);
	fputs(b.p, out);
	wt_buf_free(&b);
}

static void print_set(const struct wt_bc *bc, uint32_t si, FILE *out)
{
	const struct wt_bc_set *s = &bc->sets[si];
	fputc('[', out);
	for (uint32_t k = 0; k < s->n && k < 8; k++) {
		if (k)
			fputs(", ", out);
		uint32_t it = bc->setitems[s->first + k];
		if (s->type == WT_SET_INT)
			fprintf(out, "%lld", (long long)bc->ints[it]);
		else
			print_str(bc, it, out);
	}
	if (s->n > 8)
		fprintf(out, ", ... %u more", s->n - 8);
	fputc(']', out);
}

void wt_disasm(const struct wt_bc *bc, FILE *out)
{
	fprintf(out, "; ruleset format %u.%u, %s, checksum %08x\n", bc->major, bc->minor, bc->compiler,
		bc->checksum);
	fprintf(out, "; %u rules, %u instructions, %u strings, %u ints, %u sets, %u regexes\n",
		bc->n_rules, bc->n_code, bc->n_strings, bc->n_ints, bc->n_sets, bc->n_regexes);
	for (uint32_t r = 0; r < bc->n_rules; r++) {
		const struct wt_bc_rule *ru = &bc->rules[r];
		fprintf(out, "\nrule %s  ; %s:%u\n", bc->strings[ru->name], bc->strings[ru->file], ru->line);
		fputs("  on", out);
		for (int k = 0; k < WT_KIND_COUNT; k++)
			if (ru->kinds & (1u << k))
				fprintf(out, " %s", wt_kind_names[k]);
		fprintf(out, "\n  severity %s%s\n", wt_severity_names[ru->severity],
			ru->flags & WT_RULEF_ENABLED ? "" : "  (disabled)");
		if (ru->mitre != WT_BC_NONE) {
			fputs("  mitre ", out);
			print_set(bc, ru->mitre, out);
			fputc('\n', out);
		}
		if (ru->tags != WT_BC_NONE) {
			fputs("  tags ", out);
			print_set(bc, ru->tags, out);
			fputc('\n', out);
		}
		for (uint32_t x = 0; x < bc->n_index; x++)
			if (bc->index[x].rule == r) {
				fprintf(out, "  index %s in ", wt_fields[bc->index[x].field].name);
				print_set(bc, bc->index[x].set, out);
				fputc('\n', out);
			}
		if (ru->output != WT_BC_NONE) {
			fputs("  output ", out);
			print_str(bc, ru->output, out);
			fputc('\n', out);
		}
		for (uint32_t i = ru->code; i < ru->code + ru->code_len; i++) {
			const struct wt_insn *in = &bc->code[i];
			const struct wt_op_info *oi = &wt_ops[in->op];
			fprintf(out, oi->operand == WT_OPND_NONE ? "  %04u  %s" : "  %04u  %-14s", i - ru->code,
				oi->name);
			switch (oi->operand) {
			case WT_OPND_FIELD: {
				/* "args[].path" with its selector: args[0].path, args["fd"].path */
				const char *name = wt_fields[in->b].name, *br = strstr(name, "[]");
				if (!br || in->a == WT_SEL_NONE) {
					fputs(name, out);
				} else {
					fprintf(out, "%.*s[", (int)(br - name), name);
					if (in->a == WT_SEL_INDEX)
						fprintf(out, "%u", in->c);
					else
						print_str(bc, in->c, out);
					fprintf(out, "]%s", br + 2);
				}
				break;
			}
			case WT_OPND_STR: print_str(bc, in->c, out); break;
			case WT_OPND_INT: fprintf(out, "%lld", (long long)bc->ints[in->c]); break;
			case WT_OPND_SET: print_set(bc, in->c, out); break;
			case WT_OPND_REGEX:
				print_str(bc, bc->regexes[in->c].str, out);
				if (bc->regexes[in->c].flags & WT_REGEX_CASELESS)
					fputs(" (caseless)", out);
				break;
			case WT_OPND_BOOL: fputs(in->a ? "true" : "false", out); break;
			case WT_OPND_JUMP: fprintf(out, "-> %04u", in->c - ru->code); break;
			case WT_OPND_NONE: break;
			}
			if (oi->operand != WT_OPND_BOOL && oi->operand != WT_OPND_FIELD && (in->a & WT_OPF_NOCASE))
				fputs(" (nocase)", out);
			if (bc->debug)
				fprintf(out, "   ; line %u:%u", bc->debug[i].line, bc->debug[i].col);
			fputc('\n', out);
		}
	}
}
