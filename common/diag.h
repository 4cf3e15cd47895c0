/* Diagnostics: located, coded errors and warnings, collected and printed together
 * (text with the source line and ^~~ markers, or JSON for CI annotations). */
#ifndef WT_DIAG_H
#define WT_DIAG_H

#include "wt.h"
#include <stdio.h>

enum wt_diag_code {
#define WT_DIAG(code, level, summary) WT_DIAG_##code,
#include "diag.def"
#undef WT_DIAG
	WT_DIAG_COUNT
};

enum wt_diag_level { WT_LEVEL_ERROR, WT_LEVEL_WARNING, WT_LEVEL_NOTE, WT_LEVEL_HELP };

/* A source span: file path (owned by the diag sources table), 1-based line and columns
 * (end inclusive, on the same line). */
struct wt_loc {
	const char *file;
	uint32_t line, col, end_col;
};

struct wt_diag_note {
	enum wt_diag_level level; /* NOTE or HELP */
	struct wt_loc loc;        /* loc.line == 0: no location */
	char *msg;
};

struct wt_diag {
	enum wt_diag_code code;
	enum wt_diag_level level;
	struct wt_loc loc;
	char *msg;
	struct wt_diag_note *notes;
	unsigned n_notes;
};

struct wt_diag_source {
	char *path;
	char *text;
	size_t len;
	struct wt_loc included_from; /* line 0: not included */
};

/* Diagnostics kept per run; past this, further ones are only counted ("N more"). */
#define WT_MAX_DIAGS 200

struct wt_diags {
	struct wt_diag *items;
	unsigned n, cap;
	unsigned n_errors, n_warnings;
	unsigned n_dropped;      /* past WT_MAX_DIAGS */
	struct wt_diag overflow; /* what wt_diag_add returns for a dropped diagnostic */
	struct wt_diag_source *sources;
	unsigned n_sources, cap_sources;
};

void wt_diags_init(struct wt_diags *d);
void wt_diags_free(struct wt_diags *d);
/* Register a source text (copied); returns the stable path pointer used in wt_loc. */
const char *wt_diags_add_source(struct wt_diags *d, const char *path, const char *text, size_t len);
/* Record that source `path` was included at `from` (printed as an include chain). */
void wt_diags_set_included_from(struct wt_diags *d, const char *path, struct wt_loc from);
/* Add a diagnostic; its level comes from diag.def. Returns it so notes can be attached. */
WT_PRINTF(4, 5)
struct wt_diag *wt_diag_add(struct wt_diags *d, enum wt_diag_code code, struct wt_loc loc,
			    const char *fmt, ...);
WT_PRINTF(4, 5)
void wt_diag_note(struct wt_diag *g, enum wt_diag_level level, struct wt_loc loc, const char *fmt, ...);
const char *wt_diag_code_name(enum wt_diag_code code);
/* Sort by file order then position, and print. */
void wt_diags_print_text(struct wt_diags *d, FILE *out);
void wt_diags_print_json(struct wt_diags *d, FILE *out);

#endif
