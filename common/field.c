/* Field and kind tables expanded from fields.def and kinds.def, name lookup, schema hash. */
#include "field.h"
#include <string.h>

const struct wt_field_info wt_fields[WT_F_COUNT] = {
#define WT_FIELD(id, name, type, sel, kinds, doc) {name, WT_T_##type, WT_FSEL_##sel, kinds, doc},
#include "fields.def"
#undef WT_FIELD
};

const char *const wt_kind_names[WT_KIND_COUNT] = {
#define WT_KIND(id, name, json) name,
#include "kinds.def"
#undef WT_KIND
};

const char *const wt_kind_json[WT_KIND_COUNT] = {
#define WT_KIND(id, name, json) json,
#include "kinds.def"
#undef WT_KIND
};

static int lookup(const char *const *names, size_t stride, int n, const char *s, size_t len)
{
	for (int i = 0; i < n; i++) {
		const char *c = *(const char *const *)((const char *)names + (size_t)i * stride);
		if (strlen(c) == len && memcmp(c, s, len) == 0)
			return i;
	}
	return -1;
}

int wt_field_lookup(const char *name, size_t len)
{
	return lookup(&wt_fields[0].name, sizeof(wt_fields[0]), WT_F_COUNT, name, len);
}

int wt_kind_lookup(const char *name, size_t len)
{
	return lookup(wt_kind_names, sizeof(char *), WT_KIND_COUNT, name, len);
}

int wt_kind_lookup_json(const char *name, size_t len)
{
	return lookup(wt_kind_json, sizeof(char *), WT_KIND_COUNT, name, len);
}

const char *wt_type_name(enum wt_type t)
{
	static const char *const names[] = {"none", "string", "int", "bool", "string list", "int list", "address"};
	return (unsigned)t < WT_ARRAY_LEN(names) ? names[t] : "?";
}

uint32_t wt_field_schema_hash(void)
{
	return wt_field_schema_hash_n(WT_F_COUNT);
}

static uint32_t field_step(uint32_t h, int i)
{
	h = wt_hash_fnv1a(wt_fields[i].name, strlen(wt_fields[i].name) + 1, h);
	uint8_t t[2] = {(uint8_t)wt_fields[i].type, (uint8_t)wt_fields[i].sel};
	return wt_hash_fnv1a(t, sizeof t, h);
}

static uint32_t kinds_step(uint32_t h)
{
	for (int i = 0; i < WT_KIND_COUNT; i++)
		h = wt_hash_fnv1a(wt_kind_names[i], strlen(wt_kind_names[i]) + 1, h);
	return h;
}

uint32_t wt_field_schema_hash_n(int n)
{
	uint32_t h = WT_FNV_SEED;
	for (int i = 0; i < n && i < WT_F_COUNT; i++)
		h = field_step(h, i);
	return kinds_step(h);
}

int wt_field_schema_hash_prefix(uint32_t hash)
{
	uint32_t h = WT_FNV_SEED;
	int found = 0;
	for (int i = 0; i < WT_F_COUNT; i++) {
		h = field_step(h, i);
		if (kinds_step(h) == hash)
			found = i + 1;
	}
	return found;
}
