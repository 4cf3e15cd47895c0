/* Diagnostics engine: collects coded, located messages from every compiler pass and prints
 * them all at once, as `file:line:col-col: error[E0101]: msg` with the source line and
 * ^~~ markers (nftables/rustc style), or as JSON for CI annotations. */
#include "diag.h"
#include "buf.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *code;
	enum wt_diag_level level;
	const char *summary;
} table[WT_DIAG_COUNT] = {
#define WT_DIAG(code, level, summary) {#code, WT_LEVEL_##level, summary},
#include "diag.def"
#undef WT_DIAG
};

void wt_diags_init(struct wt_diags *d)
{
	memset(d, 0, sizeof *d);
}

void wt_diags_free(struct wt_diags *d)
{
	for (unsigned i = 0; i < d->n; i++) {
		for (unsigned k = 0; k < d->items[i].n_notes; k++)
			free(d->items[i].notes[k].msg);
		free(d->items[i].notes);
		free(d->items[i].msg);
	}
	free(d->items);
	for (unsigned k = 0; k < d->overflow.n_notes; k++)
		free(d->overflow.notes[k].msg);
	free(d->overflow.notes);
	free(d->overflow.msg);
	for (unsigned i = 0; i < d->n_sources; i++) {
		free(d->sources[i].path);
		free(d->sources[i].text);
	}
	free(d->sources);
	memset(d, 0, sizeof *d);
}

const char *wt_diags_add_source(struct wt_diags *d, const char *path, const char *text, size_t len)
{
	for (unsigned i = 0; i < d->n_sources; i++)
		if (strcmp(d->sources[i].path, path) == 0)
			return d->sources[i].path;
	if (d->n_sources == d->cap_sources) {
		d->cap_sources = d->cap_sources ? d->cap_sources * 2 : 8;
		d->sources = wt_xrealloc(d->sources, d->cap_sources * sizeof *d->sources);
	}
	struct wt_diag_source *s = &d->sources[d->n_sources++];
	s->path = wt_xstrdup(path);
	s->text = text ? wt_xstrndup(text, len) : NULL;
	s->len = text ? len : 0;
	memset(&s->included_from, 0, sizeof s->included_from);
	return s->path;
}

void wt_diags_set_included_from(struct wt_diags *d, const char *path, struct wt_loc from)
{
	for (unsigned i = 0; i < d->n_sources; i++)
		if (strcmp(d->sources[i].path, path) == 0)
			d->sources[i].included_from = from;
}

const char *wt_diag_code_name(enum wt_diag_code code)
{
	return table[code].code;
}

static char *vformat(const char *fmt, va_list ap)
{
	struct wt_buf b;
	wt_buf_init(&b);
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	wt_buf_reserve(&b, n > 0 ? (size_t)n : 0);
	vsnprintf(b.p, (size_t)n + 1, fmt, ap);
	return b.p;
}

struct wt_diag *wt_diag_add(struct wt_diags *d, enum wt_diag_code code, struct wt_loc loc,
			    const char *fmt, ...)
{
	if (table[code].level == WT_LEVEL_ERROR)
		d->n_errors++;
	else
		d->n_warnings++;
	if (d->n >= WT_MAX_DIAGS) {
		/* keep counting (the exit status depends on it), stop collecting: a garbage
		 * file must not cost quadratic time or unbounded memory */
		d->n_dropped++;
		for (unsigned k = 0; k < d->overflow.n_notes; k++)
			free(d->overflow.notes[k].msg);
		d->overflow.n_notes = 0;
		return &d->overflow;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = wt_xrealloc(d->items, d->cap * sizeof *d->items);
	}
	struct wt_diag *g = &d->items[d->n++];
	memset(g, 0, sizeof *g);
	g->code = code;
	g->level = table[code].level;
	g->loc = loc;
	va_list ap;
	va_start(ap, fmt);
	g->msg = vformat(fmt, ap);
	va_end(ap);
	return g;
}

void wt_diag_note(struct wt_diag *g, enum wt_diag_level level, struct wt_loc loc, const char *fmt, ...)
{
	g->notes = wt_xrealloc(g->notes, (g->n_notes + 1) * sizeof *g->notes);
	struct wt_diag_note *n = &g->notes[g->n_notes++];
	n->level = level;
	n->loc = loc;
	va_list ap;
	va_start(ap, fmt);
	n->msg = vformat(fmt, ap);
	va_end(ap);
}

static const char *level_name(enum wt_diag_level l)
{
	static const char *const names[] = {"error", "warning", "note", "help"};
	return names[l];
}

static const struct wt_diag_source *find_source(const struct wt_diags *d, const char *path)
{
	for (unsigned i = 0; i < d->n_sources; i++)
		if (d->sources[i].path == path || (path && strcmp(d->sources[i].path, path) == 0))
			return &d->sources[i];
	return NULL;
}

static unsigned source_index(const struct wt_diags *d, const char *path)
{
	for (unsigned i = 0; i < d->n_sources; i++)
		if (d->sources[i].path == path)
			return i;
	return d->n_sources;
}

static const struct wt_diags *sort_ctx;

static int cmp_diag(const void *a, const void *b)
{
	const struct wt_diag *x = a, *y = b;
	unsigned fx = source_index(sort_ctx, x->loc.file), fy = source_index(sort_ctx, y->loc.file);
	if (fx != fy)
		return fx < fy ? -1 : 1;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.col != y->loc.col)
		return x->loc.col < y->loc.col ? -1 : 1;
	return x < y ? -1 : (x > y);
}

static void sort_diags(struct wt_diags *d)
{
	/* qsort is not stable: the address tiebreak in cmp_diag keeps insertion order. */
	if (d->n < 2)
		return;
	sort_ctx = d;
	qsort(d->items, d->n, sizeof *d->items, cmp_diag);
}

/* Print the source line of loc and a marker line under its span. */
static void print_snippet(const struct wt_diags *d, struct wt_loc loc, FILE *out)
{
	const struct wt_diag_source *s = find_source(d, loc.file);
	if (!s || !s->text || loc.line == 0)
		return;
	const char *p = s->text, *end = s->text + s->len;
	for (uint32_t l = 1; l < loc.line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return;
		p = nl + 1;
	}
	const char *eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	uint32_t linelen = (uint32_t)(eol - p);
	uint32_t col = loc.col ? loc.col : 1, last = loc.end_col >= col ? loc.end_col : col;
	/* a long line is shown as a window around the span, not whole */
	uint32_t from = 0, to = linelen;
	if (linelen > 200) {
		from = col > 80 ? col - 80 : 0;
		to = from + 200 < linelen ? from + 200 : linelen;
	}
	int w = fprintf(out, " %u | ", loc.line) - 3;
	fprintf(out, "%s%.*s%s\n", from ? "..." : "", (int)(to - from), p + from, to < linelen ? "..." : "");
	fprintf(out, "%*s | %s", w, "", from ? "   " : "");
	for (uint32_t c = from + 1; c < col; c++)
		fputc(c - 1 < linelen && p[c - 1] == '\t' ? '\t' : ' ', out);
	fputc('^', out);
	for (uint32_t c = col + 1; c <= last && c <= to; c++)
		fputc('~', out);
	fputc('\n', out);
}

static void print_loc(struct wt_loc loc, FILE *out)
{
	if (loc.col && loc.end_col > loc.col)
		fprintf(out, "%s:%u:%u-%u: ", loc.file, loc.line, loc.col, loc.end_col);
	else
		fprintf(out, "%s:%u:%u: ", loc.file, loc.line, loc.col);
}

/* "In file included from a.wt:3:1," lines, innermost first (nftables style). */
static void print_include_chain(const struct wt_diags *d, const char *file, FILE *out)
{
	const struct wt_diag_source *s = find_source(d, file);
	const char *lead = "In file included from";
	for (int depth = 0; s && s->included_from.line && depth < 32; depth++) {
		fprintf(out, "%s %s:%u:%u:\n", lead, s->included_from.file, s->included_from.line,
			s->included_from.col);
		lead = "                 from";
		s = find_source(d, s->included_from.file);
	}
}

void wt_diags_print_text(struct wt_diags *d, FILE *out)
{
	sort_diags(d);
	for (unsigned i = 0; i < d->n; i++) {
		const struct wt_diag *g = &d->items[i];
		if (g->loc.file)
			print_include_chain(d, g->loc.file, out);
		if (g->loc.file)
			print_loc(g->loc, out);
		fprintf(out, "%s[%s]: %s\n", level_name(g->level), table[g->code].code, g->msg);
		print_snippet(d, g->loc, out);
		for (unsigned k = 0; k < g->n_notes; k++) {
			const struct wt_diag_note *n = &g->notes[k];
			if (n->loc.line) {
				print_loc(n->loc, out);
				fprintf(out, "%s: %s\n", level_name(n->level), n->msg);
				print_snippet(d, n->loc, out);
			} else {
				fprintf(out, "  = %s: %s\n", level_name(n->level), n->msg);
			}
		}
	}
	if (d->n_dropped)
		fprintf(out, "... and %u more diagnostics not shown\n", d->n_dropped);
}

static void json_loc(struct wt_buf *b, struct wt_loc loc)
{
	wt_buf_puts(b, "\"file\":");
	if (!loc.file || !loc.line) {
		wt_buf_puts(b, "null,\"line\":null,\"column\":null,\"end_column\":null");
		return;
	}
	wt_buf_json_str(b, loc.file, strlen(loc.file), SIZE_MAX);
	wt_buf_printf(b, ",\"line\":%u,\"column\":%u,\"end_column\":%u", loc.line, loc.col,
		      loc.end_col >= loc.col ? loc.end_col : loc.col);
}

void wt_diags_print_json(struct wt_diags *d, FILE *out)
{
	sort_diags(d);
	struct wt_buf b;
	wt_buf_init(&b);
	wt_buf_puts(&b, "[");
	for (unsigned i = 0; i < d->n; i++) {
		const struct wt_diag *g = &d->items[i];
		wt_buf_puts(&b, i ? ",\n{" : "\n{");
		json_loc(&b, g->loc);
		wt_buf_printf(&b, ",\"level\":\"%s\",\"code\":\"%s\",\"message\":", level_name(g->level),
			      table[g->code].code);
		wt_buf_json_str(&b, g->msg, strlen(g->msg), SIZE_MAX);
		wt_buf_puts(&b, ",\"notes\":[");
		for (unsigned k = 0; k < g->n_notes; k++) {
			wt_buf_puts(&b, k ? ",{" : "{");
			json_loc(&b, g->notes[k].loc);
			wt_buf_printf(&b, ",\"level\":\"%s\",\"message\":", level_name(g->notes[k].level));
			wt_buf_json_str(&b, g->notes[k].msg, strlen(g->notes[k].msg), SIZE_MAX);
			wt_buf_puts(&b, "}");
		}
		wt_buf_puts(&b, "]}");
	}
	wt_buf_puts(&b, "\n]\n");
	fputs(b.p, out);
	wt_buf_free(&b);
}
