/* The event field table (fields.def) and event kinds (kinds.def): ids, names, types and the
 * schema hash a ruleset records. Shared by the compiler (name resolution) and the runtime. */
#ifndef WT_FIELD_H
#define WT_FIELD_H

#include "wt.h"

enum wt_kind {
#define WT_KIND(id, name, json) WT_KIND_##id,
#include "kinds.def"
#undef WT_KIND
	WT_KIND_COUNT
};

#define KM(k) (1u << WT_KIND_##k)
#define KM_ALL ((1u << WT_KIND_COUNT) - 1)
#define KM_HOOK (KM(KPROBE) | KM(TRACEPOINT) | KM(LSM) | KM(UPROBE))
#define KM_NET (KM_HOOK | KM(CONNECT) | KM(CLOSE) | KM(LISTEN) | KM(SOCK_STATS))
#define KM_EXIT KM(EXIT)
#define KM_THROTTLE KM(THROTTLE)
#define KM_PROC (KM_ALL & ~(KM(THROTTLE) | KM(RATE_LIMIT)))

enum wt_type { WT_T_NONE, WT_T_STR, WT_T_INT, WT_T_BOOL, WT_T_STRLIST, WT_T_INTLIST, WT_T_ADDR, WT_T_COUNT };

/* How a field is selected beyond its name (fields.def SEL column; LOAD operand a). */
enum wt_sel { WT_SEL_NONE, WT_SEL_INDEX, WT_SEL_LABEL };
enum wt_field_sel_kind { WT_FSEL_NONE, WT_FSEL_ARG, WT_FSEL_KEY };

enum wt_field_id {
#define WT_FIELD(id, name, type, sel, kinds, doc) WT_F_##id,
#include "fields.def"
#undef WT_FIELD
	WT_F_COUNT
};

struct wt_field_info {
	const char *name;
	enum wt_type type;
	enum wt_field_sel_kind sel;
	uint32_t kinds;
	const char *doc;
};

extern const struct wt_field_info wt_fields[WT_F_COUNT];
extern const char *const wt_kind_names[WT_KIND_COUNT];
extern const char *const wt_kind_json[WT_KIND_COUNT];

/* Field id by dotted name; -1 when unknown. */
int wt_field_lookup(const char *name, size_t len);
/* Kind by rule name ("exec") or JSON key ("process_exec"); -1 when unknown. */
int wt_kind_lookup(const char *name, size_t len);
int wt_kind_lookup_json(const char *name, size_t len);
const char *wt_type_name(enum wt_type t);
/* Hash over the field and kind tables: stored in rulesets, compared at load. */
uint32_t wt_field_schema_hash(void);
/* The same over the first n fields (and every kind): fields appended later keep the
 * rulesets written before them readable. */
uint32_t wt_field_schema_hash_n(int n);
/* The number of fields whose prefix hash is `hash`, or 0. */
int wt_field_schema_hash_prefix(uint32_t hash);

#endif
