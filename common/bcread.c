/* Ruleset reader: checks a .wtb image's header, checksum, versions, hashes and section
 * table, decodes every section into host arrays with bounds checks, then runs the code
 * verifier (verify.c). Nothing of a file is used before this returns WT_OK. */
#include "bytecode.h"
#include "verify.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

WT_PRINTF(3, 4) static enum wt_err fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return WT_E_CORRUPT;
}

struct span {
	const uint8_t *p;
	uint32_t size;
	bool found;
};

/* Read the leading u32 count of a section and check that count * elem bytes follow. */
static enum wt_err counted(const struct span *s, const char *name, uint32_t elem, uint32_t *count,
			   const uint8_t **items, char *err, size_t errlen)
{
	if (!s->found)
		return fail(err, errlen, "required section %s is missing", name);
	if (s->size < 4)
		return fail(err, errlen, "section %s is too short (%u bytes)", name, s->size);
	uint32_t n = wt_get_le32(s->p);
	if ((uint64_t)n * elem > s->size - 4)
		return fail(err, errlen, "section %s: %u entries of %u bytes do not fit in %u bytes", name,
			    n, elem, s->size - 4);
	*count = n;
	*items = s->p + 4;
	return WT_OK;
}

static const char *section_name(uint32_t id)
{
	static const char *const names[] = {"?", "STRINGS", "INTS", "SETS", "SETITEMS", "REGEXES",
					    "RULES", "CODE", "DEBUG", "INDEX", "PATHS", "STEPS", "CAPTURES",
					    "RARITY", "KEYS"};
	return id < WT_ARRAY_LEN(names) ? names[id] : "?";
}

static enum wt_err decode(const uint8_t *d, size_t len, struct wt_bc *bc, char *err, size_t errlen)
{
	if (len < WT_BC_HEADER_SIZE)
		return fail(err, errlen, "file is %zu bytes, shorter than the %d-byte header", len,
			    WT_BC_HEADER_SIZE);
	if (memcmp(d, WT_BC_MAGIC, 8) != 0)
		return fail(err, errlen, "not a Worktrace ruleset (bad magic)");
	bc->major = wt_get_le16(d + 8);
	bc->minor = wt_get_le16(d + 10);
	if (bc->major != WT_BC_MAJOR) {
		snprintf(err, errlen,
			 "ruleset format version %u.%u is not readable by this daemon (reads %d.x, up to %d.%d)",
			 bc->major, bc->minor, WT_BC_MAJOR, WT_BC_MAJOR, WT_BC_MINOR);
		return WT_E_VERSION;
	}
	if (wt_get_le32(d + 12) != WT_BC_HEADER_SIZE)
		return fail(err, errlen, "header size %u, expected %d", wt_get_le32(d + 12), WT_BC_HEADER_SIZE);
	if (wt_get_le32(d + 20) != len)
		return fail(err, errlen, "file is %zu bytes but its header says %u (truncated or padded)",
			    len, wt_get_le32(d + 20));
	uint32_t stored = wt_get_le32(d + 40);
	uint32_t crc = wt_crc32c(0, d, 40);
	static const uint8_t zero[4];
	crc = wt_crc32c(crc, zero, 4);
	crc = wt_crc32c(crc, d + 44, len - 44);
	/* wt_crc32c chains: equal to the CRC of the file with the checksum field zeroed. */
	if (crc != stored)
		return fail(err, errlen, "checksum mismatch (stored %08x, computed %08x)", stored, crc);
	bc->checksum = stored;
	if (wt_get_le32(d + 16) != 0)
		return fail(err, errlen, "unknown header flags %#x", wt_get_le32(d + 16));
	memcpy(bc->compiler, d + 44, 20);
	bc->compiler[20] = 0;
	uint32_t opset = wt_get_le32(d + 32), schema = wt_get_le32(d + 36);
	/* a ruleset from before opcodes or fields were appended records the hash of a prefix */
	if (!wt_opset_hash_prefix(opset)) {
		snprintf(err, errlen,
			 "ruleset instruction set %08x (compiled by %s) differs from this daemon's %08x: recompile with this version's wtc",
			 opset, bc->compiler, wt_opset_hash());
		return WT_E_VERSION;
	}
	if (!wt_field_schema_hash_prefix(schema)) {
		snprintf(err, errlen,
			 "ruleset field schema %08x (compiled by %s) differs from this daemon's %08x: recompile with this version's wtc",
			 schema, bc->compiler, wt_field_schema_hash());
		return WT_E_SCHEMA;
	}

	uint32_t ns = wt_get_le32(d + 24), soff = wt_get_le32(d + 28);
	if (ns > WT_MAX_SECTIONS)
		return fail(err, errlen, "%u sections, more than the %d allowed", ns, WT_MAX_SECTIONS);
	if (soff % 4 || soff < WT_BC_HEADER_SIZE || (uint64_t)soff + (uint64_t)ns * 16 > len)
		return fail(err, errlen, "section table at %u (%u entries) lies outside the file", soff, ns);
	struct span sec[WT_SEC_LAST + 1] = {{0}};
	for (uint32_t i = 0; i < ns; i++) {
		const uint8_t *e = d + soff + i * 16;
		uint32_t id = wt_get_le32(e), flags = wt_get_le32(e + 4);
		uint32_t off = wt_get_le32(e + 8), size = wt_get_le32(e + 12);
		if (flags & ~WT_SECF_REQUIRED)
			return fail(err, errlen, "section %u has unknown flags %#x", id, flags);
		if (off % 4 || off < WT_BC_HEADER_SIZE || (uint64_t)off + size > soff)
			return fail(err, errlen, "section %s (id %u) at %u+%u lies outside the data area",
				    section_name(id), id, off, size);
		if (id < 1 || id > WT_SEC_LAST) {
			if (flags & WT_SECF_REQUIRED)
				return fail(err, errlen, "unknown required section id %u", id);
			continue;
		}
		if (sec[id].found)
			return fail(err, errlen, "section %s appears twice", section_name(id));
		sec[id] = (struct span){d + off, size, true};
	}

	const uint8_t *it;
	uint32_t n;
	/* STRINGS */
	WT_TRY(counted(&sec[WT_SEC_STRINGS], "STRINGS", 8, &n, &it, err, errlen));
	uint32_t blob_size = sec[WT_SEC_STRINGS].size - 4 - n * 8;
	bc->blob = wt_xmalloc(blob_size + 1);
	memcpy(bc->blob, it + (size_t)n * 8, blob_size);
	bc->blob[blob_size] = 0;
	bc->n_strings = n;
	bc->strings = wt_xcalloc(n, sizeof(char *));
	bc->string_len = wt_xcalloc(n, sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t off = wt_get_le32(it + i * 8), slen = wt_get_le32(it + i * 8 + 4);
		if ((uint64_t)off + slen >= blob_size || bc->blob[off + slen] != 0)
			return fail(err, errlen, "string %u (%u+%u) is outside the string blob or unterminated",
				    i, off, slen);
		if (memchr(bc->blob + off, 0, slen))
			return fail(err, errlen, "string %u contains a NUL byte", i);
		bc->strings[i] = bc->blob + off;
		bc->string_len[i] = slen;
	}
	/* INTS */
	WT_TRY(counted(&sec[WT_SEC_INTS], "INTS", 8, &n, &it, err, errlen));
	bc->n_ints = n;
	bc->ints = wt_xcalloc(n, sizeof(int64_t));
	for (uint32_t i = 0; i < n; i++)
		bc->ints[i] = (int64_t)((uint64_t)wt_get_le32(it + i * 8) |
					(uint64_t)wt_get_le32(it + i * 8 + 4) << 32);
	/* SETITEMS, then SETS which index it */
	WT_TRY(counted(&sec[WT_SEC_SETITEMS], "SETITEMS", 4, &n, &it, err, errlen));
	bc->n_setitems = n;
	bc->setitems = wt_xcalloc(n, sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++)
		bc->setitems[i] = wt_get_le32(it + i * 4);
	WT_TRY(counted(&sec[WT_SEC_SETS], "SETS", 12, &n, &it, err, errlen));
	bc->n_sets = n;
	bc->sets = wt_xcalloc(n, sizeof *bc->sets);
	for (uint32_t i = 0; i < n; i++) {
		struct wt_bc_set *s = &bc->sets[i];
		s->type = wt_get_le32(it + i * 12);
		s->first = wt_get_le32(it + i * 12 + 4);
		s->n = wt_get_le32(it + i * 12 + 8);
		if (s->type != WT_SET_STR && s->type != WT_SET_INT && s->type != WT_SET_CIDR)
			return fail(err, errlen, "set %u has unknown type %u", i, s->type);
		if ((uint64_t)s->first + s->n > bc->n_setitems)
			return fail(err, errlen, "set %u items %u+%u exceed the %u set items", i, s->first,
				    s->n, bc->n_setitems);
		uint32_t limit = s->type == WT_SET_INT ? bc->n_ints : bc->n_strings;
		for (uint32_t k = 0; k < s->n; k++)
			if (bc->setitems[s->first + k] >= limit)
				return fail(err, errlen, "set %u item %u refers to constant %u of %u", i, k,
					    bc->setitems[s->first + k], limit);
	}
	/* REGEXES */
	WT_TRY(counted(&sec[WT_SEC_REGEXES], "REGEXES", 8, &n, &it, err, errlen));
	bc->n_regexes = n;
	bc->regexes = wt_xcalloc(n, sizeof *bc->regexes);
	for (uint32_t i = 0; i < n; i++) {
		bc->regexes[i].str = wt_get_le32(it + i * 8);
		bc->regexes[i].flags = wt_get_le32(it + i * 8 + 4);
		if (bc->regexes[i].str >= bc->n_strings)
			return fail(err, errlen, "regex %u refers to string %u of %u", i,
				    bc->regexes[i].str, bc->n_strings);
		if (bc->regexes[i].flags & ~WT_REGEX_CASELESS)
			return fail(err, errlen, "regex %u has unknown flags %#x", i, bc->regexes[i].flags);
	}
	/* CODE */
	WT_TRY(counted(&sec[WT_SEC_CODE], "CODE", 8, &n, &it, err, errlen));
	bc->n_code = n;
	bc->code = wt_xcalloc(n, sizeof *bc->code);
	for (uint32_t i = 0; i < n; i++) {
		bc->code[i].op = it[i * 8];
		bc->code[i].a = it[i * 8 + 1];
		bc->code[i].b = wt_get_le16(it + i * 8 + 2);
		bc->code[i].c = wt_get_le32(it + i * 8 + 4);
	}
	/* DEBUG (optional) */
	if (sec[WT_SEC_DEBUG].found) {
		WT_TRY(counted(&sec[WT_SEC_DEBUG], "DEBUG", 8, &n, &it, err, errlen));
		if (n != bc->n_code)
			return fail(err, errlen, "DEBUG has %u entries for %u instructions", n, bc->n_code);
		bc->debug = wt_xcalloc(n, sizeof *bc->debug);
		for (uint32_t i = 0; i < n; i++) {
			bc->debug[i].line = wt_get_le32(it + i * 8);
			bc->debug[i].col = wt_get_le32(it + i * 8 + 4);
		}
	}
	/* RULES */
	WT_TRY(counted(&sec[WT_SEC_RULES], "RULES", 48, &n, &it, err, errlen));
	bc->n_rules = n;
	bc->rules = wt_xcalloc(n, sizeof *bc->rules);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *r = it + i * 48;
		struct wt_bc_rule *x = &bc->rules[i];
		x->name = wt_get_le32(r);
		x->kinds = wt_get_le32(r + 4);
		x->code = wt_get_le32(r + 8);
		x->code_len = wt_get_le32(r + 12);
		x->severity = r[16];
		x->flags = r[17];
		x->reserved = wt_get_le16(r + 18);
		x->mitre = wt_get_le32(r + 20);
		x->tags = wt_get_le32(r + 24);
		x->output = wt_get_le32(r + 28);
		x->file = wt_get_le32(r + 32);
		x->line = wt_get_le32(r + 36);
		x->desc = wt_get_le32(r + 40);
		x->reserved2 = wt_get_le32(r + 44);
	}
	/* INDEX (optional) */
	if (sec[WT_SEC_INDEX].found) {
		WT_TRY(counted(&sec[WT_SEC_INDEX], "INDEX", 12, &n, &it, err, errlen));
		bc->n_index = n;
		bc->index = wt_xcalloc(n, sizeof *bc->index);
		uint8_t *indexed = wt_xcalloc(bc->n_rules ? bc->n_rules : 1, 1);
		for (uint32_t i = 0; i < n; i++) {
			struct wt_bc_index *x = &bc->index[i];
			x->rule = wt_get_le32(it + i * 12);
			x->field = wt_get_le32(it + i * 12 + 4);
			x->set = wt_get_le32(it + i * 12 + 8);
			enum wt_err e = WT_OK;
			if (x->rule >= bc->n_rules || !wt_bc_indexable_field(x->field) || x->set >= bc->n_sets ||
			    bc->sets[x->set].type != WT_SET_STR)
				e = fail(err, errlen, "index entry %u (rule %u, field %u, set %u) is invalid", i,
					 x->rule, x->field, x->set);
			else if (indexed[x->rule]++)
				e = fail(err, errlen, "index entry %u indexes rule %u twice", i, x->rule);
			if (e != WT_OK) {
				free(indexed);
				return e;
			}
		}
		free(indexed);
	}
	/* PATHS, STEPS, CAPTURES (optional, together) */
	if (sec[WT_SEC_PATHS].found || sec[WT_SEC_STEPS].found || sec[WT_SEC_CAPTURES].found) {
		WT_TRY(counted(&sec[WT_SEC_PATHS], "PATHS", 72, &n, &it, err, errlen));
		bc->n_paths = n;
		bc->paths = wt_xcalloc(n ? n : 1, sizeof *bc->paths);
		for (uint32_t i = 0; i < n; i++) {
			const uint8_t *r = it + i * 72;
			struct wt_bc_path *x = &bc->paths[i];
			uint32_t v[18];
			for (int k = 0; k < 18; k++)
				v[k] = wt_get_le32(r + 4 * k);
			*x = (struct wt_bc_path){.name = v[0], .flags = v[1], .severity = (uint8_t)v[2],
						 .by = (uint8_t)(v[2] >> 8), .reserved = (uint16_t)(v[2] >> 16),
						 .by_field = v[3], .window_lo = v[4], .window_hi = v[5],
						 .step_first = v[6], .step_n = v[7], .cap_first = v[8], .cap_n = v[9],
						 .mitre = v[10], .tags = v[11], .output = v[12], .desc = v[13],
						 .file = v[14], .line = v[15], .except_code = v[16], .except_len = v[17]};
		}
		WT_TRY(counted(&sec[WT_SEC_STEPS], "STEPS", 36, &n, &it, err, errlen));
		bc->n_steps = n;
		bc->steps = wt_xcalloc(n ? n : 1, sizeof *bc->steps);
		for (uint32_t i = 0; i < n; i++) {
			const uint8_t *r = it + i * 36;
			uint32_t v[9];
			for (int k = 0; k < 9; k++)
				v[k] = wt_get_le32(r + 4 * k);
			bc->steps[i] = (struct wt_bc_step){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
		}
		WT_TRY(counted(&sec[WT_SEC_CAPTURES], "CAPTURES", 8, &n, &it, err, errlen));
		bc->n_captures = n;
		bc->captures = wt_xcalloc(n ? n : 1, sizeof *bc->captures);
		for (uint32_t i = 0; i < n; i++)
			bc->captures[i] = (struct wt_bc_capture){wt_get_le32(it + i * 8), wt_get_le32(it + i * 8 + 4)};
	}
	/* RARITY, KEYS (format 1.2, together) */
	if (sec[WT_SEC_RARITY].found || sec[WT_SEC_KEYS].found) {
		WT_TRY(counted(&sec[WT_SEC_RARITY], "RARITY", WT_BC_RARITY_WORDS * 4, &n, &it, err, errlen));
		bc->n_rarities = n;
		bc->rarities = wt_xcalloc(n ? n : 1, sizeof *bc->rarities);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t v[WT_BC_RARITY_WORDS];
			for (int k = 0; k < WT_BC_RARITY_WORDS; k++)
				v[k] = wt_get_le32(it + (size_t)i * WT_BC_RARITY_WORDS * 4 + 4 * k);
			wt_bc_rarity_from_words(v, &bc->rarities[i]);
		}
		WT_TRY(counted(&sec[WT_SEC_KEYS], "KEYS", 12, &n, &it, err, errlen));
		bc->n_keys = n;
		bc->keys = wt_xcalloc(n ? n : 1, sizeof *bc->keys);
		for (uint32_t i = 0; i < n; i++)
			bc->keys[i] = (struct wt_bc_key){wt_get_le32(it + i * 12), wt_get_le32(it + i * 12 + 4),
							 wt_get_le32(it + i * 12 + 8)};
	}
	return wt_verify_rules(bc, err, errlen);
}

enum wt_err wt_bc_read(const uint8_t *data, size_t len, struct wt_bc *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	enum wt_err e = decode(data, len, out, err, errlen);
	if (e != WT_OK)
		wt_bc_free(out);
	return e;
}

void wt_bc_free(struct wt_bc *bc)
{
	free(bc->strings);
	free(bc->string_len);
	free(bc->blob);
	free(bc->ints);
	free(bc->sets);
	free(bc->setitems);
	free(bc->regexes);
	free(bc->rules);
	free(bc->code);
	free(bc->debug);
	free(bc->index);
	free(bc->paths);
	free(bc->steps);
	free(bc->captures);
	free(bc->rarities);
	free(bc->keys);
	memset(bc, 0, sizeof *bc);
}

enum wt_err wt_bc_load_file(const char *path, struct wt_bc *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return WT_E_IO;
	}
	size_t cap = 65536, len = 0;
	uint8_t *buf = wt_xmalloc(cap);
	for (;;) {
		if (len == cap) {
			if (cap >= WT_MAX_RULESET_BYTES) {
				fclose(f);
				free(buf);
				snprintf(err, errlen, "%s: larger than %u bytes", path, WT_MAX_RULESET_BYTES);
				return WT_E_CORRUPT;
			}
			cap *= 2;
			buf = wt_xrealloc(buf, cap);
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	bool ioerr = ferror(f);
	fclose(f);
	if (ioerr) {
		free(buf);
		snprintf(err, errlen, "%s: read error", path);
		return WT_E_IO;
	}
	char inner[512];
	enum wt_err e = wt_bc_read(buf, len, out, inner, sizeof inner);
	free(buf);
	if (e != WT_OK)
		snprintf(err, errlen, "%s: %s", path, inner);
	return e;
}
