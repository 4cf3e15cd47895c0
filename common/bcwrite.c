/* Ruleset writer: growable tables filled by the compiler and their serialization to the
 * little-endian .wtb layout described in bytecode.h. Output is byte-identical for identical
 * input: no timestamps, no pointers, tables in insertion order. */
#include "bytecode.h"
#include <stdlib.h>
#include <string.h>

const char *const wt_severity_names[WT_SEV_COUNT] = {"info", "low", "medium", "high", "critical"};

#define GROW(ptr, n, cap)                                                                          \
	do {                                                                                       \
		if ((n) >= (cap)) {                                                                \
			(cap) = (cap) ? (cap) * 2 : 16;                                            \
			(ptr) = wt_xrealloc((ptr), (size_t)(cap) * sizeof(*(ptr)));                \
		}                                                                                  \
	} while (0)

void wt_bc_writer_init(struct wt_bc_writer *w)
{
	memset(w, 0, sizeof *w);
}

void wt_bc_writer_free(struct wt_bc_writer *w)
{
	free(w->blob);
	free(w->str_off);
	free(w->str_len);
	free(w->str_hash);
	free(w->ints);
	free(w->sets);
	free(w->setitems);
	free(w->regexes);
	free(w->rules);
	free(w->code);
	free(w->debug);
	free(w->index);
	free(w->paths);
	free(w->steps);
	free(w->captures);
	free(w->rarities);
	free(w->keys);
	memset(w, 0, sizeof *w);
}

static void rehash_strings(struct wt_bc_writer *w)
{
	free(w->str_hash);
	w->hash_cap = w->hash_cap ? w->hash_cap * 2 : 1024;
	w->str_hash = wt_xcalloc(w->hash_cap, sizeof(uint32_t));
	for (uint32_t i = 0; i < w->n_strings; i++) {
		uint32_t h = wt_hash(w->blob + w->str_off[i], w->str_len[i], WT_FNV_SEED) & (w->hash_cap - 1);
		while (w->str_hash[h])
			h = (h + 1) & (w->hash_cap - 1);
		w->str_hash[h] = i + 1;
	}
}

uint32_t wt_bc_add_string(struct wt_bc_writer *w, const char *s, size_t len)
{
	/* interned through a hash table: identical strings share one index */
	if ((w->n_strings + 1) * 2 > w->hash_cap)
		rehash_strings(w);
	uint32_t h = wt_hash(s, len, WT_FNV_SEED) & (w->hash_cap - 1);
	for (; w->str_hash[h]; h = (h + 1) & (w->hash_cap - 1)) {
		uint32_t i = w->str_hash[h] - 1;
		if (w->str_len[i] == len && memcmp(w->blob + w->str_off[i], s, len) == 0)
			return i;
	}
	w->str_hash[h] = w->n_strings + 1;
	if (w->n_strings >= w->cap_strings) {
		w->cap_strings = w->cap_strings ? w->cap_strings * 2 : 64;
		w->str_off = wt_xrealloc(w->str_off, w->cap_strings * sizeof(uint32_t));
		w->str_len = wt_xrealloc(w->str_len, w->cap_strings * sizeof(uint32_t));
	}
	while (w->blob_len + len + 1 > w->blob_cap) {
		w->blob_cap = w->blob_cap ? w->blob_cap * 2 : 4096;
		w->blob = wt_xrealloc(w->blob, w->blob_cap);
	}
	memcpy(w->blob + w->blob_len, s, len);
	w->blob[w->blob_len + len] = 0;
	w->str_off[w->n_strings] = w->blob_len;
	w->str_len[w->n_strings] = (uint32_t)len;
	w->blob_len += (uint32_t)len + 1;
	return w->n_strings++;
}

uint32_t wt_bc_add_int(struct wt_bc_writer *w, int64_t v)
{
	for (uint32_t i = 0; i < w->n_ints; i++)
		if (w->ints[i] == v)
			return i;
	GROW(w->ints, w->n_ints, w->cap_ints);
	w->ints[w->n_ints] = v;
	return w->n_ints++;
}

uint32_t wt_bc_add_set(struct wt_bc_writer *w, enum wt_set_type type, const uint32_t *items, uint32_t n)
{
	for (uint32_t i = 0; i < w->n_sets; i++) {
		const struct wt_bc_set *s = &w->sets[i];
		if (s->type == (uint32_t)type && s->n == n &&
		    (n == 0 || memcmp(w->setitems + s->first, items, n * sizeof *items) == 0))
			return i;
	}
	GROW(w->sets, w->n_sets, w->cap_sets);
	w->sets[w->n_sets] = (struct wt_bc_set){(uint32_t)type, w->n_setitems, n};
	for (uint32_t i = 0; i < n; i++) {
		GROW(w->setitems, w->n_setitems, w->cap_setitems);
		w->setitems[w->n_setitems++] = items[i];
	}
	return w->n_sets++;
}

uint32_t wt_bc_add_regex(struct wt_bc_writer *w, uint32_t str, uint32_t flags)
{
	for (uint32_t i = 0; i < w->n_regexes; i++)
		if (w->regexes[i].str == str && w->regexes[i].flags == flags)
			return i;
	GROW(w->regexes, w->n_regexes, w->cap_regexes);
	w->regexes[w->n_regexes] = (struct wt_bc_regex){str, flags};
	return w->n_regexes++;
}

uint32_t wt_bc_emit(struct wt_bc_writer *w, uint8_t op, uint8_t a, uint16_t b, uint32_t c,
		    uint32_t line, uint32_t col)
{
	if (w->n_code >= w->cap_code) {
		w->cap_code = w->cap_code ? w->cap_code * 2 : 256;
		w->code = wt_xrealloc(w->code, w->cap_code * sizeof *w->code);
		w->debug = wt_xrealloc(w->debug, w->cap_code * sizeof *w->debug);
	}
	w->code[w->n_code] = (struct wt_insn){op, a, b, c};
	w->debug[w->n_code] = (struct wt_bc_debug){line, col};
	return w->n_code++;
}

uint32_t wt_bc_add_rule(struct wt_bc_writer *w, const struct wt_bc_rule *r)
{
	GROW(w->rules, w->n_rules, w->cap_rules);
	w->rules[w->n_rules] = *r;
	return w->n_rules++;
}

void wt_bc_add_index(struct wt_bc_writer *w, uint32_t rule, uint32_t field, uint32_t set)
{
	GROW(w->index, w->n_index, w->cap_index);
	w->index[w->n_index++] = (struct wt_bc_index){rule, field, set};
}

uint32_t wt_bc_add_path(struct wt_bc_writer *w, const struct wt_bc_path *p)
{
	GROW(w->paths, w->n_paths, w->cap_paths);
	w->paths[w->n_paths] = *p;
	return w->n_paths++;
}

uint32_t wt_bc_add_step(struct wt_bc_writer *w, const struct wt_bc_step *s)
{
	GROW(w->steps, w->n_steps, w->cap_steps);
	w->steps[w->n_steps] = *s;
	return w->n_steps++;
}

uint32_t wt_bc_add_rarity(struct wt_bc_writer *w, const struct wt_bc_rarity *r)
{
	GROW(w->rarities, w->n_rarities, w->cap_rarities);
	w->rarities[w->n_rarities] = *r;
	return w->n_rarities++;
}

uint32_t wt_bc_add_key(struct wt_bc_writer *w, uint32_t code, uint32_t code_len, uint32_t text)
{
	GROW(w->keys, w->n_keys, w->cap_keys);
	w->keys[w->n_keys] = (struct wt_bc_key){code, code_len, text};
	return w->n_keys++;
}

void wt_bc_rarity_words(const struct wt_bc_rarity *r, uint32_t v[WT_BC_RARITY_WORDS])
{
	const uint32_t x[WT_BC_RARITY_WORDS] = {
		r->name, r->flags,
		(uint32_t)r->severity | (uint32_t)r->population << 8 | (uint32_t)r->thresholds << 16,
		r->kinds, r->code, r->code_len, r->key_first, r->key_n, r->max_freq_ppb,
		r->max_count_milli, r->max_spread, r->warmup_events_lo, r->warmup_events_hi,
		r->warmup_ns_lo, r->warmup_ns_hi, r->halflife_lo, r->halflife_hi, r->mitre, r->tags,
		r->output, r->desc, r->file, r->line, r->except_code, r->except_len, r->ident};
	memcpy(v, x, sizeof x);
}

void wt_bc_rarity_from_words(const uint32_t v[WT_BC_RARITY_WORDS], struct wt_bc_rarity *r)
{
	*r = (struct wt_bc_rarity){
		.name = v[0], .flags = v[1], .severity = (uint8_t)v[2], .population = (uint8_t)(v[2] >> 8),
		.thresholds = (uint16_t)(v[2] >> 16), .kinds = v[3], .code = v[4], .code_len = v[5],
		.key_first = v[6], .key_n = v[7], .max_freq_ppb = v[8], .max_count_milli = v[9],
		.max_spread = v[10], .warmup_events_lo = v[11], .warmup_events_hi = v[12],
		.warmup_ns_lo = v[13], .warmup_ns_hi = v[14], .halflife_lo = v[15], .halflife_hi = v[16],
		.mitre = v[17], .tags = v[18], .output = v[19], .desc = v[20], .file = v[21], .line = v[22],
		.except_code = v[23], .except_len = v[24], .ident = v[25]};
}

uint32_t wt_bc_add_capture(struct wt_bc_writer *w, uint32_t name, uint32_t field)
{
	GROW(w->captures, w->n_captures, w->cap_captures);
	w->captures[w->n_captures] = (struct wt_bc_capture){name, field};
	return w->n_captures++;
}

bool wt_bc_indexable_field(uint32_t field)
{
	return field < WT_F_COUNT && wt_fields[field].type == WT_T_STR && wt_fields[field].sel == WT_FSEL_NONE;
}

/* A small byte buffer for serialization. */
struct out {
	uint8_t *p;
	size_t len, cap;
};

static void out_reserve(struct out *o, size_t n)
{
	if (o->len + n > o->cap) {
		while (o->len + n > o->cap)
			o->cap = o->cap ? o->cap * 2 : 4096;
		o->p = wt_xrealloc(o->p, o->cap);
	}
}

static void out_u32(struct out *o, uint32_t v)
{
	out_reserve(o, 4);
	wt_put_le32(o->p + o->len, v);
	o->len += 4;
}

static void out_bytes(struct out *o, const void *p, size_t n)
{
	out_reserve(o, n);
	if (n)
		memcpy(o->p + o->len, p, n);
	o->len += n;
}

static void out_align4(struct out *o)
{
	while (o->len % 4) {
		uint8_t z = 0;
		out_bytes(o, &z, 1);
	}
}

struct sect {
	uint32_t id, flags, off, size;
};

static void begin(struct out *o, struct sect *s, uint32_t id, uint32_t flags)
{
	out_align4(o);
	s->id = id;
	s->flags = flags;
	s->off = (uint32_t)o->len;
}

static void end(struct out *o, struct sect *s)
{
	s->size = (uint32_t)o->len - s->off;
}

enum wt_err wt_bc_serialize(const struct wt_bc_writer *w, uint8_t **out, size_t *out_len)
{
	struct out o = {0};
	struct sect secs[WT_MAX_SECTIONS];
	int ns = 0;
	out_reserve(&o, WT_BC_HEADER_SIZE);
	memset(o.p, 0, WT_BC_HEADER_SIZE);
	o.len = WT_BC_HEADER_SIZE;

	begin(&o, &secs[ns], WT_SEC_STRINGS, WT_SECF_REQUIRED);
	out_u32(&o, w->n_strings);
	for (uint32_t i = 0; i < w->n_strings; i++) {
		out_u32(&o, w->str_off[i]);
		out_u32(&o, w->str_len[i]);
	}
	out_bytes(&o, w->blob, w->blob_len);
	end(&o, &secs[ns++]);

	begin(&o, &secs[ns], WT_SEC_INTS, WT_SECF_REQUIRED);
	out_u32(&o, w->n_ints);
	for (uint32_t i = 0; i < w->n_ints; i++) {
		uint64_t v = (uint64_t)w->ints[i];
		out_u32(&o, (uint32_t)v);
		out_u32(&o, (uint32_t)(v >> 32));
	}
	end(&o, &secs[ns++]);

	begin(&o, &secs[ns], WT_SEC_SETS, WT_SECF_REQUIRED);
	out_u32(&o, w->n_sets);
	for (uint32_t i = 0; i < w->n_sets; i++) {
		out_u32(&o, w->sets[i].type);
		out_u32(&o, w->sets[i].first);
		out_u32(&o, w->sets[i].n);
	}
	end(&o, &secs[ns++]);

	begin(&o, &secs[ns], WT_SEC_SETITEMS, WT_SECF_REQUIRED);
	out_u32(&o, w->n_setitems);
	for (uint32_t i = 0; i < w->n_setitems; i++)
		out_u32(&o, w->setitems[i]);
	end(&o, &secs[ns++]);

	begin(&o, &secs[ns], WT_SEC_REGEXES, WT_SECF_REQUIRED);
	out_u32(&o, w->n_regexes);
	for (uint32_t i = 0; i < w->n_regexes; i++) {
		out_u32(&o, w->regexes[i].str);
		out_u32(&o, w->regexes[i].flags);
	}
	end(&o, &secs[ns++]);

	begin(&o, &secs[ns], WT_SEC_RULES, WT_SECF_REQUIRED);
	out_u32(&o, w->n_rules);
	for (uint32_t i = 0; i < w->n_rules; i++) {
		const struct wt_bc_rule *r = &w->rules[i];
		out_u32(&o, r->name);
		out_u32(&o, r->kinds);
		out_u32(&o, r->code);
		out_u32(&o, r->code_len);
		uint8_t b[4] = {r->severity, r->flags, 0, 0};
		out_bytes(&o, b, 4);
		out_u32(&o, r->mitre);
		out_u32(&o, r->tags);
		out_u32(&o, r->output);
		out_u32(&o, r->file);
		out_u32(&o, r->line);
		out_u32(&o, r->desc);
		out_u32(&o, 0);
	}
	end(&o, &secs[ns++]);

	begin(&o, &secs[ns], WT_SEC_CODE, WT_SECF_REQUIRED);
	out_u32(&o, w->n_code);
	for (uint32_t i = 0; i < w->n_code; i++) {
		uint8_t b[4];
		b[0] = w->code[i].op;
		b[1] = w->code[i].a;
		wt_put_le16(b + 2, w->code[i].b);
		out_bytes(&o, b, 4);
		out_u32(&o, w->code[i].c);
	}
	end(&o, &secs[ns++]);

	begin(&o, &secs[ns], WT_SEC_DEBUG, 0);
	out_u32(&o, w->n_code);
	for (uint32_t i = 0; i < w->n_code; i++) {
		out_u32(&o, w->debug[i].line);
		out_u32(&o, w->debug[i].col);
	}
	end(&o, &secs[ns++]);

	if (w->n_index) {
		begin(&o, &secs[ns], WT_SEC_INDEX, 0);
		out_u32(&o, w->n_index);
		for (uint32_t i = 0; i < w->n_index; i++) {
			out_u32(&o, w->index[i].rule);
			out_u32(&o, w->index[i].field);
			out_u32(&o, w->index[i].set);
		}
		end(&o, &secs[ns++]);
	}

	if (w->n_paths) {
		begin(&o, &secs[ns], WT_SEC_PATHS, 0);
		out_u32(&o, w->n_paths);
		for (uint32_t i = 0; i < w->n_paths; i++) {
			const struct wt_bc_path *p = &w->paths[i];
			const uint32_t v[18] = {p->name, p->flags, (uint32_t)p->severity | (uint32_t)p->by << 8,
						p->by_field, p->window_lo, p->window_hi, p->step_first, p->step_n,
						p->cap_first, p->cap_n, p->mitre, p->tags, p->output, p->desc,
						p->file, p->line, p->except_code, p->except_len};
			for (int k = 0; k < 18; k++)
				out_u32(&o, v[k]);
		}
		end(&o, &secs[ns++]);
		begin(&o, &secs[ns], WT_SEC_STEPS, 0);
		out_u32(&o, w->n_steps);
		for (uint32_t i = 0; i < w->n_steps; i++) {
			const struct wt_bc_step *s = &w->steps[i];
			const uint32_t v[9] = {s->name, s->kinds, s->flags, s->code, s->code_len,
					       s->runs, s->distinct, s->cap_first, s->cap_n};
			for (int k = 0; k < 9; k++)
				out_u32(&o, v[k]);
		}
		end(&o, &secs[ns++]);
		begin(&o, &secs[ns], WT_SEC_CAPTURES, 0);
		out_u32(&o, w->n_captures);
		for (uint32_t i = 0; i < w->n_captures; i++) {
			out_u32(&o, w->captures[i].name);
			out_u32(&o, w->captures[i].field);
		}
		end(&o, &secs[ns++]);
	}

	if (w->n_rarities) {
		begin(&o, &secs[ns], WT_SEC_RARITY, WT_SECF_REQUIRED);
		out_u32(&o, w->n_rarities);
		for (uint32_t i = 0; i < w->n_rarities; i++) {
			uint32_t v[WT_BC_RARITY_WORDS];
			wt_bc_rarity_words(&w->rarities[i], v);
			for (int k = 0; k < WT_BC_RARITY_WORDS; k++)
				out_u32(&o, v[k]);
		}
		end(&o, &secs[ns++]);
		begin(&o, &secs[ns], WT_SEC_KEYS, WT_SECF_REQUIRED);
		out_u32(&o, w->n_keys);
		for (uint32_t i = 0; i < w->n_keys; i++) {
			out_u32(&o, w->keys[i].code);
			out_u32(&o, w->keys[i].code_len);
			out_u32(&o, w->keys[i].text);
		}
		end(&o, &secs[ns++]);
	}

	out_align4(&o);
	uint32_t sect_off = (uint32_t)o.len;
	for (int i = 0; i < ns; i++) {
		out_u32(&o, secs[i].id);
		out_u32(&o, secs[i].flags);
		out_u32(&o, secs[i].off);
		out_u32(&o, secs[i].size);
	}
	if (o.len > WT_MAX_RULESET_BYTES) {
		free(o.p);
		return WT_E_FULL;
	}

	uint8_t *h = o.p;
	memcpy(h, WT_BC_MAGIC, 8);
	wt_put_le16(h + 8, WT_BC_MAJOR);
	/* the lowest minor that has every section used: 1.0 files stay byte-identical */
	wt_put_le16(h + 10, w->n_rarities ? 2 : w->n_paths ? 1 : 0);
	wt_put_le32(h + 12, WT_BC_HEADER_SIZE);
	wt_put_le32(h + 16, 0);
	wt_put_le32(h + 20, (uint32_t)o.len);
	wt_put_le32(h + 24, (uint32_t)ns);
	wt_put_le32(h + 28, sect_off);
	wt_put_le32(h + 32, wt_opset_hash());
	wt_put_le32(h + 36, wt_field_schema_hash());
	wt_put_le32(h + 40, 0);
	strncpy((char *)h + 44, "wtc " WT_VERSION_STRING, 20);
	wt_put_le32(h + 40, wt_crc32c(0, o.p, o.len));
	*out = o.p;
	*out_len = o.len;
	return WT_OK;
}
