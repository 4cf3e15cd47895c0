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

static void print_code(const struct wt_bc *bc, uint32_t start, uint32_t len, FILE *out)
{
	for (uint32_t i = start; i < start + len; i++) {
		const struct wt_insn *in = &bc->code[i];
		const struct wt_op_info *oi = &wt_ops[in->op];
		fprintf(out, oi->operand == WT_OPND_NONE ? "  %04u  %s" : "  %04u  %-14s", i - start,
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
		case WT_OPND_JUMP: fprintf(out, "-> %04u", in->c - start); break;
		case WT_OPND_CAPTURE: fprintf(out, "capture %u", in->c); break;
		case WT_OPND_NONE: break;
		}
		if (oi->operand != WT_OPND_BOOL && oi->operand != WT_OPND_FIELD && (in->a & WT_OPF_NOCASE))
			fputs(" (nocase)", out);
		if (bc->debug)
			fprintf(out, "   ; line %u:%u", bc->debug[i].line, bc->debug[i].col);
		fputc('\n', out);
	}
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
		print_code(bc, ru->code, ru->code_len, out);
	}
	for (uint32_t pi = 0; pi < bc->n_paths; pi++) {
		const struct wt_bc_path *p = &bc->paths[pi];
		int64_t window = (int64_t)((uint64_t)p->window_lo | (uint64_t)p->window_hi << 32);
		fprintf(out, "\npath %s  ; %s:%u\n", bc->strings[p->name], bc->strings[p->file], p->line);
		fprintf(out, "  within %llds by %s%s\n  severity %s%s\n", (long long)(window / 1000000000),
			p->by == WT_PATH_BY_TREE ? "process.tree of " : "", wt_fields[p->by_field].name,
			wt_severity_names[p->severity], p->flags & WT_RULEF_ENABLED ? "" : "  (disabled)");
		if (p->mitre != WT_BC_NONE) {
			fputs("  mitre ", out);
			print_set(bc, p->mitre, out);
			fputc('\n', out);
		}
		if (p->tags != WT_BC_NONE) {
			fputs("  tags ", out);
			print_set(bc, p->tags, out);
			fputc('\n', out);
		}
		if (p->output != WT_BC_NONE) {
			fputs("  output ", out);
			print_str(bc, p->output, out);
			fputc('\n', out);
		}
		for (uint32_t k = 0; k < p->cap_n; k++)
			fprintf(out, "  capture %u $%s = %s\n", k, bc->strings[bc->captures[p->cap_first + k].name],
				wt_fields[bc->captures[p->cap_first + k].field].name);
		for (uint32_t k = 0; k < p->step_n; k++) {
			const struct wt_bc_step *st = &bc->steps[p->step_first + k];
			if (st->flags & WT_STEPF_UNTIL)
				fputs("  until:", out);
			else
				fprintf(out, "  %s %s:", st->flags ? "not step" : "step", bc->strings[st->name]);
			for (int kk = 0; kk < WT_KIND_COUNT; kk++)
				if (st->kinds & (1u << kk))
					fprintf(out, " %s", wt_kind_names[kk]);
			if (st->runs > 1)
				fprintf(out, "  runs %u", st->runs);
			if (st->distinct != WT_BC_NONE)
				fprintf(out, " distinct %s", wt_fields[st->distinct].name);
			fputc('\n', out);
			print_code(bc, st->code, st->code_len, out);
		}
		if (p->except_len) {
			fputs("  except:\n", out);
			print_code(bc, p->except_code, p->except_len, out);
		}
	}
	for (uint32_t ri = 0; ri < bc->n_rarities; ri++) {
		const struct wt_bc_rarity *r = &bc->rarities[ri];
		static const char *const pops[] = {"fleet", "workspace", "image"};
		fprintf(out, "\nrarity %s  ; %s:%u  ident %08x\n  on", bc->strings[r->name], bc->strings[r->file], r->line,
			r->ident);
		for (int kk = 0; kk < WT_KIND_COUNT; kk++)
			if (r->kinds & (1u << kk))
				fprintf(out, " %s", wt_kind_names[kk]);
		fprintf(out, "\n  population %s\n  severity %s%s\n  rare when", pops[r->population],
			wt_severity_names[r->severity], r->flags & WT_RULEF_ENABLED ? "" : "  (disabled)");
		const char *and = "";
		if (r->thresholds & WT_RARF_FREQ)
			fprintf(out, "%s frequency < %.9g", and, r->max_freq_ppb / 1e9), and = " and";
		if (r->thresholds & WT_RARF_COUNT)
			fprintf(out, "%s count < %.3f", and, r->max_count_milli / 1e3), and = " and";
		if (r->thresholds & WT_RARF_SPREAD)
			fprintf(out, "%s workspaces < %u", and, r->max_spread), and = " and";
		if (r->thresholds & WT_RARF_FIRST)
			fprintf(out, "%s first_in_workspace", and);
		int64_t we = wt_bc_i64(r->warmup_events_lo, r->warmup_events_hi);
		int64_t wn = wt_bc_i64(r->warmup_ns_lo, r->warmup_ns_hi);
		fputs("\n  warmup", out);
		if (we)
			fprintf(out, " %lld events%s", (long long)we, wn ? " or" : "");
		if (wn)
			fprintf(out, " %llds", (long long)(wn / 1000000000));
		fprintf(out, "  halflife %llds\n", (long long)(wt_bc_i64(r->halflife_lo, r->halflife_hi) / 1000000000));
		if (r->mitre != WT_BC_NONE) {
			fputs("  mitre ", out);
			print_set(bc, r->mitre, out);
			fputc('\n', out);
		}
		if (r->tags != WT_BC_NONE) {
			fputs("  tags ", out);
			print_set(bc, r->tags, out);
			fputc('\n', out);
		}
		if (r->output != WT_BC_NONE) {
			fputs("  output ", out);
			print_str(bc, r->output, out);
			fputc('\n', out);
		}
		fputs("  when:\n", out);
		print_code(bc, r->code, r->code_len, out);
		for (uint32_t k = 0; k < r->key_n; k++) {
			const struct wt_bc_key *key = &bc->keys[r->key_first + k];
			fprintf(out, "  key %u %s:\n", k, bc->strings[key->text]);
			print_code(bc, key->code, key->code_len, out);
		}
		if (r->except_len) {
			fputs("  except:\n", out);
			print_code(bc, r->except_code, r->except_len, out);
		}
	}
}
