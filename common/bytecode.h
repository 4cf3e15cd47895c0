/* The ruleset file format (.wtb), its writer and its verifying reader.
 *
 * Every integer is little-endian; nothing on disk is a pointer. Layout:
 *
 *   header (64 bytes)
 *     0  magic        8  "\x89WTB\r\n\x1a\n" (catches text-mode and newline corruption)
 *     8  major        u16  incompatible changes; the reader accepts exactly WT_BC_MAJOR
 *    10  minor        u16  compatible additions (optional sections)
 *    12  header_size  u32  64
 *    16  flags        u32  0
 *    20  file_size    u32  total bytes; catches truncation
 *    24  n_sections   u32  <= WT_MAX_SECTIONS
 *    28  sect_off     u32  offset of the section table
 *    32  opset_hash   u32  wt_opset_hash() of the compiler
 *    36  schema_hash  u32  wt_field_schema_hash() of the compiler
 *    40  checksum     u32  CRC-32C of the whole file with these 4 bytes taken as zero
 *    44  compiler     20   NUL-padded compiler version string
 *   section table: n_sections x {id u32, flags u32, offset u32, size u32}, 4-byte aligned
 *     flags bit 0 = REQUIRED: a reader that does not know a required section refuses the file
 *   sections (each starts with u32 count unless noted):
 *     STRINGS  count, count x {off u32, len u32}, then the blob; every string is NUL-terminated
 *     INTS     count, count x i64
 *     SETS     count, count x {type u32 (1 strings, 2 ints, 3 CIDR strings), first u32, n u32}: items
 *              first..first+n-1 of SETITEMS
 *     SETITEMS count, count x u32 (a string or int index, by the set's type)
 *     REGEXES  count, count x {string u32, flags u32 (bit 0 caseless)}
 *     RULES    count, count x 48-byte records (struct wt_bc_rule below)
 *     CODE     count, count x 8-byte instructions {op u8, a u8, b u16, c u32}
 *     DEBUG    optional: count (= CODE count), count x {line u32, col u32}
 *     INDEX    optional: count, count x {rule u32, field u32, set u32}: the rule can only
 *              match events whose field (a plain string field) is one of the set's strings,
 *              so the daemon runs it only for those; a reader may ignore the section
 *     PATHS    optional (format 1.1): count, count x 72-byte records (struct wt_bc_path below)
 *     STEPS    optional: count, count x 36-byte records (struct wt_bc_step); a path owns steps
 *              step_first..step_first+step_n-1; their code may use LOAD_CAPTURE c < cap_n
 *     CAPTURES optional: count, count x {name u32 (string), field u32}; a path owns captures
 *              cap_first..cap_first+cap_n-1 and LOAD_CAPTURE c reads its capture c
 *     RARITY   format 1.2, flagged REQUIRED: count, count x 104-byte records (struct
 *              wt_bc_rarity below): behavioral rarity specs
 *     KEYS     with RARITY, REQUIRED: count, count x {code u32, code_len u32, text u32 (string)}:
 *              the key expressions of the specs (code that leaves one value and RETs)
 *
 * wt_bc_read() checks all of it (checksum, versions, hashes, every offset, index, jump target,
 * stack depth and termination) before returning; nothing reads an unverified file. */
#ifndef WT_BYTECODE_H
#define WT_BYTECODE_H

#include "wt.h"
#include "opcode.h"
#include "field.h"

#define WT_BC_MAGIC "\x89WTB\r\n\x1a\n"
#define WT_BC_MAJOR 1
#define WT_BC_MINOR 2
#define WT_BC_HEADER_SIZE 64
#define WT_BC_NONE UINT32_MAX /* "no string/set" in an index field */

enum wt_bc_section_id {
	WT_SEC_STRINGS = 1,
	WT_SEC_INTS = 2,
	WT_SEC_SETS = 3,
	WT_SEC_SETITEMS = 4,
	WT_SEC_REGEXES = 5,
	WT_SEC_RULES = 6,
	WT_SEC_CODE = 7,
	WT_SEC_DEBUG = 8,
	WT_SEC_INDEX = 9,
	WT_SEC_PATHS = 10,
	WT_SEC_STEPS = 11,
	WT_SEC_CAPTURES = 12,
	WT_SEC_RARITY = 13,
	WT_SEC_KEYS = 14,
	WT_SEC_LAST = WT_SEC_KEYS
};
#define WT_SECF_REQUIRED 1u

enum wt_severity { WT_SEV_INFO, WT_SEV_LOW, WT_SEV_MEDIUM, WT_SEV_HIGH, WT_SEV_CRITICAL, WT_SEV_COUNT };
extern const char *const wt_severity_names[WT_SEV_COUNT];

enum wt_set_type { WT_SET_STR = 1, WT_SET_INT = 2, WT_SET_CIDR = 3 /* strings, parsed as ranges */ };
#define WT_REGEX_CASELESS 1u

#define WT_RULEF_ENABLED 1u

/* A rule record: 48 bytes on disk in this field order. */
struct wt_bc_rule {
	uint32_t name;      /* string */
	uint32_t kinds;     /* bit mask of enum wt_kind */
	uint32_t code;      /* first instruction */
	uint32_t code_len;  /* instructions */
	uint8_t severity;   /* enum wt_severity */
	uint8_t flags;      /* WT_RULEF_* */
	uint16_t reserved;  /* zero */
	uint32_t mitre;     /* set of strings, or WT_BC_NONE */
	uint32_t tags;      /* set of strings, or WT_BC_NONE */
	uint32_t output;    /* string (template), or WT_BC_NONE */
	uint32_t file;      /* string: source file */
	uint32_t line;      /* source line */
	uint32_t desc;      /* string, or WT_BC_NONE */
	uint32_t reserved2; /* zero */
};

/* A correlation path: 72 bytes on disk, 18 u32 in this order (severity and by share one
 * word: severity in bits 0-7, by in bits 8-15). */
#define WT_PATH_BY_FIELD 0u /* key: the string field by_field */
#define WT_PATH_BY_TREE 1u  /* key: by_field (workspace.id), later steps inside the first step's parent's subtree */
struct wt_bc_path {
	uint32_t name;       /* string */
	uint32_t flags;      /* WT_RULEF_ENABLED */
	uint8_t severity;
	uint8_t by;          /* WT_PATH_BY_* */
	uint16_t reserved;   /* zero */
	uint32_t by_field;   /* plain string field */
	uint32_t window_lo, window_hi; /* window in ns (i64) */
	uint32_t step_first, step_n;
	uint32_t cap_first, cap_n;
	uint32_t mitre, tags, output, desc; /* as in rules */
	uint32_t file, line;
	uint32_t except_code, except_len; /* exceptions of the completing event; len 0: none */
};

#define WT_STEPF_NEGATIVE 1u /* `not step`: kills the partial match */
#define WT_STEPF_UNTIL 2u    /* `until`: cancels every partial match of the key */
/* A step: 36 bytes, 9 u32. */
struct wt_bc_step {
	uint32_t name;      /* string, or WT_BC_NONE for until */
	uint32_t kinds;
	uint32_t flags;     /* WT_STEPF_* */
	uint32_t code, code_len;
	uint32_t runs;      /* 0 or 1: once; else repetitions inside the window */
	uint32_t distinct;  /* field whose distinct values count, or WT_BC_NONE */
	uint32_t cap_first, cap_n; /* captures this step takes (inside its path's range) */
};

struct wt_bc_capture {
	uint32_t name, field;
};

/* Baseline populations and thresholds of a rarity spec. */
enum wt_rarity_pop { WT_RARITY_POP_FLEET = 0, WT_RARITY_POP_WORKSPACE = 1, WT_RARITY_POP_IMAGE = 2 };
#define WT_RARF_FREQ 1u   /* frequency < max_freq_ppb / 1e9 */
#define WT_RARF_COUNT 2u  /* decayed count < max_count_milli / 1000 */
#define WT_RARF_SPREAD 4u /* distinct workspaces < max_spread */
#define WT_RARF_FIRST 8u  /* first time for this workspace */
#define WT_RARF_ALL 15u

/* A rarity spec: 104 bytes, 26 u32 in this order (severity, population and thresholds
 * share one word: bits 0-7, 8-15, 16-31). */
struct wt_bc_rarity {
	uint32_t name;            /* string */
	uint32_t flags;           /* WT_RULEF_ENABLED */
	uint8_t severity;
	uint8_t population;       /* enum wt_rarity_pop */
	uint16_t thresholds;      /* WT_RARF_*, at least one */
	uint32_t kinds;
	uint32_t code, code_len;  /* condition */
	uint32_t key_first, key_n;
	uint32_t max_freq_ppb, max_count_milli, max_spread;
	uint32_t warmup_events_lo, warmup_events_hi; /* 0: not used */
	uint32_t warmup_ns_lo, warmup_ns_hi;         /* 0: not used */
	uint32_t halflife_lo, halflife_hi;           /* ns; 0: no decay */
	uint32_t mitre, tags, output, desc, file, line; /* as in rules */
	uint32_t except_code, except_len;            /* len 0: none */
	uint32_t ident;           /* stable hash of kinds, population and key texts: baseline identity */
};

struct wt_bc_key {
	uint32_t code, code_len, text;
};
#define WT_BC_RARITY_WORDS 26

struct wt_bc_set {
	uint32_t type, first, n;
};

struct wt_bc_regex {
	uint32_t str, flags;
};

struct wt_bc_debug {
	uint32_t line, col;
};

struct wt_bc_index {
	uint32_t rule, field, set;
};

/* A verified ruleset, decoded into host arrays. Owns its memory. */
struct wt_bc {
	uint16_t major, minor;
	char compiler[21];
	uint32_t checksum;
	uint32_t n_strings;
	const char **strings; /* point into blob */
	uint32_t *string_len;
	char *blob;
	uint32_t n_ints;
	int64_t *ints;
	uint32_t n_sets;
	struct wt_bc_set *sets;
	uint32_t n_setitems;
	uint32_t *setitems;
	uint32_t n_regexes;
	struct wt_bc_regex *regexes;
	uint32_t n_rules;
	struct wt_bc_rule *rules;
	uint32_t n_code;
	struct wt_insn *code;
	struct wt_bc_debug *debug; /* NULL when the file has none */
	uint32_t n_index;
	struct wt_bc_index *index;
	uint32_t n_paths, n_steps, n_captures;
	struct wt_bc_path *paths;
	struct wt_bc_step *steps;
	struct wt_bc_capture *captures;
	uint32_t n_rarities, n_keys;
	struct wt_bc_rarity *rarities;
	struct wt_bc_key *keys;
};

/* Verify and decode a whole file image. On failure returns WT_E_CORRUPT, WT_E_VERSION or
 * WT_E_SCHEMA and writes a one-line reason into err. */
enum wt_err wt_bc_read(const uint8_t *data, size_t len, struct wt_bc *out, char *err, size_t errlen);
void wt_bc_free(struct wt_bc *bc);
/* Read a file into memory (bounded by WT_MAX_RULESET_BYTES) and wt_bc_read it. */
enum wt_err wt_bc_load_file(const char *path, struct wt_bc *out, char *err, size_t errlen);

/* Writer: the compiler fills these growable tables, then serializes. */
struct wt_bc_writer {
	char *blob;
	uint32_t blob_len, blob_cap;
	uint32_t *str_off, *str_len;
	uint32_t n_strings, cap_strings;
	uint32_t *str_hash; /* open addressing: string index + 1, 0 empty */
	uint32_t hash_cap;
	int64_t *ints;
	uint32_t n_ints, cap_ints;
	struct wt_bc_set *sets;
	uint32_t n_sets, cap_sets;
	uint32_t *setitems;
	uint32_t n_setitems, cap_setitems;
	struct wt_bc_regex *regexes;
	uint32_t n_regexes, cap_regexes;
	struct wt_bc_rule *rules;
	uint32_t n_rules, cap_rules;
	struct wt_insn *code;
	struct wt_bc_debug *debug;
	uint32_t n_code, cap_code;
	struct wt_bc_index *index;
	uint32_t n_index, cap_index;
	struct wt_bc_path *paths;
	uint32_t n_paths, cap_paths;
	struct wt_bc_step *steps;
	uint32_t n_steps, cap_steps;
	struct wt_bc_capture *captures;
	uint32_t n_captures, cap_captures;
	struct wt_bc_rarity *rarities;
	uint32_t n_rarities, cap_rarities;
	struct wt_bc_key *keys;
	uint32_t n_keys, cap_keys;
};

void wt_bc_writer_init(struct wt_bc_writer *w);
void wt_bc_writer_free(struct wt_bc_writer *w);
/* Intern a string (identical strings share one index). */
uint32_t wt_bc_add_string(struct wt_bc_writer *w, const char *s, size_t len);
uint32_t wt_bc_add_int(struct wt_bc_writer *w, int64_t v);
uint32_t wt_bc_add_set(struct wt_bc_writer *w, enum wt_set_type type, const uint32_t *items, uint32_t n);
uint32_t wt_bc_add_regex(struct wt_bc_writer *w, uint32_t str, uint32_t flags);
uint32_t wt_bc_emit(struct wt_bc_writer *w, uint8_t op, uint8_t a, uint16_t b, uint32_t c,
		    uint32_t line, uint32_t col);
uint32_t wt_bc_add_rule(struct wt_bc_writer *w, const struct wt_bc_rule *r);
void wt_bc_add_index(struct wt_bc_writer *w, uint32_t rule, uint32_t field, uint32_t set);
uint32_t wt_bc_add_path(struct wt_bc_writer *w, const struct wt_bc_path *p);
uint32_t wt_bc_add_step(struct wt_bc_writer *w, const struct wt_bc_step *s);
uint32_t wt_bc_add_capture(struct wt_bc_writer *w, uint32_t name, uint32_t field);
uint32_t wt_bc_add_rarity(struct wt_bc_writer *w, const struct wt_bc_rarity *r);
uint32_t wt_bc_add_key(struct wt_bc_writer *w, uint32_t code, uint32_t code_len, uint32_t text);
/* The 26 words of a rarity record in file order, and back. */
void wt_bc_rarity_words(const struct wt_bc_rarity *r, uint32_t v[WT_BC_RARITY_WORDS]);
void wt_bc_rarity_from_words(const uint32_t v[WT_BC_RARITY_WORDS], struct wt_bc_rarity *r);
static inline int64_t wt_bc_i64(uint32_t lo, uint32_t hi)
{
	return (int64_t)((uint64_t)lo | (uint64_t)hi << 32);
}
/* Fields a literal-key index may use: plain string fields. */
bool wt_bc_indexable_field(uint32_t field);
/* Serialize to a malloc'd buffer. */
enum wt_err wt_bc_serialize(const struct wt_bc_writer *w, uint8_t **out, size_t *out_len);

uint32_t wt_crc32c(uint32_t crc, const void *data, size_t len);

/* Little-endian helpers. */
static inline uint32_t wt_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint16_t wt_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline void wt_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}
static inline void wt_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

#endif
