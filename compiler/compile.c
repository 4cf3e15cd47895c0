/* Compiler driver: reads rule files and directories, runs the parser on each and keeps the
 * parsed files together for the checking and code generation passes. */
#include "compile.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static struct wt_loc noloc_of(void)
{
	struct wt_loc l = {0};
	return l;
}

void wt_compiler_init(struct wt_compiler *c, struct wt_diags *diags)
{
	memset(c, 0, sizeof *c);
	wt_arena_init(&c->arena);
	c->diags = diags;
}

void wt_compiler_free(struct wt_compiler *c)
{
	for (unsigned i = 0; i < c->n_syms; i++) {
		free(c->syms[i].items);
		free(c->syms[i].appends);
		free(c->syms[i].overrides);
	}
	free(c->syms);
	free(c->files);
	for (unsigned i = 0; i < c->n_rules; i++)
		free(c->rules[i].excepts);
	free(c->rules);
	for (unsigned i = 0; i < c->n_paths; i++) {
		free(c->paths[i].steps);
		free(c->paths[i].meta.excepts);
	}
	free(c->paths);
	wt_compiler_free_rarities(c);
	for (unsigned i = 0; i < c->n_seen; i++)
		free(c->seen_files[i]);
	free(c->seen_files);
	free(c->include_stack);
	free(c->include_names);
	wt_arena_free(&c->arena);
	memset(c, 0, sizeof *c);
}

static enum wt_err read_file(struct wt_compiler *c, const char *path);
static enum wt_err add_clean_path(struct wt_compiler *c, const char *path);
static char *clean_path(const char *path);

/* Follow the `include "x.wt";` declarations of a parsed file: paths are relative to the
 * including file; a file already read is not read again; a cycle is an error that shows
 * the include chain. */
static enum wt_err follow_includes(struct wt_compiler *c, unsigned file_index)
{
	enum wt_err result = WT_OK;
	/* c->files may move while included files are added: walk by index */
	for (struct wt_decl *d = c->files[file_index].decls; d; d = d->next) {
		if (d->kind != WT_DECL_INCLUDE)
			continue;
		const char *from = d->loc.file;
		const char *slash = strrchr(from, '/');
		const char *inc = d->value->u.str.s;
		size_t dl = inc[0] == '/' || !slash ? 0 : (size_t)(slash - from) + 1;
		char *joined = wt_xmalloc(dl + strlen(inc) + 1);
		memcpy(joined, from, dl);
		strcpy(joined + dl, inc);
		char *path = clean_path(joined);
		free(joined);
		char *real = realpath(path, NULL);
		if (!real) {
			wt_diag_add(c->diags, WT_DIAG_E0005, d->value->loc, "cannot include '%s': %s", path, strerror(errno));
			free(path);
			result = WT_E_IO;
			continue;
		}
		bool cycle = false;
		for (unsigned i = 0; i < c->include_depth; i++)
			cycle |= strcmp(c->include_stack[i], real) == 0;
		if (cycle) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0108, d->value->loc,
							"'%s' includes itself through the include chain", path);
			for (unsigned i = c->include_depth; i-- > 0;)
				wt_diag_note(g, WT_LEVEL_NOTE, noloc_of(), "being read: %s", c->include_names[i]);
			free(real);
			free(path);
			result = WT_E_PARSE;
			continue;
		}
		bool seen = false;
		for (unsigned i = 0; i < c->n_seen; i++)
			seen |= strcmp(c->seen_files[i], real) == 0;
		free(real);
		if (!seen) {
			wt_diags_add_source(c->diags, path, NULL, 0);
			wt_diags_set_included_from(c->diags, path, d->loc);
			enum wt_err e = read_file(c, path);
			if (result == WT_OK)
				result = e;
		}
		free(path);
	}
	return result;
}

enum wt_err wt_compiler_add_source(struct wt_compiler *c, const char *name, const char *text, size_t len)
{
	const char *nul = memchr(text, 0, len);
	if (nul) {
		/* strings with NUL bytes cannot be stored (rulesets keep them NUL-terminated) */
		uint32_t line = 1, col = 1;
		for (const char *p = text; p < nul; p++) {
			col = *p == '\n' ? 1 : col + 1;
			line += *p == '\n';
		}
		struct wt_loc loc = {wt_diags_add_source(c->diags, name, NULL, 0), line, col, col};
		wt_diag_add(c->diags, WT_DIAG_E0003, loc, "NUL byte in rule text");
		return WT_E_PARSE;
	}
	c->files = wt_xrealloc(c->files, (c->n_files + 1) * sizeof *c->files);
	unsigned index = c->n_files++;
	struct wt_parse *p = &c->files[index];
	memset(p, 0, sizeof *p);
	p->arena = &c->arena;
	p->diags = c->diags;
	p->file = wt_diags_add_source(c->diags, name, text, len);
	enum wt_err e = wt_parse_source(p, text, len);
	enum wt_err ie = follow_includes(c, index);
	/* included files come first in file order: what a file defines after `include`
	 * replaces or overrides what it included */
	if (c->n_files > index + 1) {
		struct wt_parse self = c->files[index];
		memmove(&c->files[index], &c->files[index + 1], (c->n_files - index - 1) * sizeof *c->files);
		c->files[c->n_files - 1] = self;
	}
	return e != WT_OK ? e : ie;
}

static enum wt_err read_file(struct wt_compiler *c, const char *path)
{
	struct wt_loc loc = {wt_diags_add_source(c->diags, path, NULL, 0), 0, 0, 0};
	struct stat st;
	if (stat(path, &st) != 0) {
		wt_diag_add(c->diags, WT_DIAG_E0005, loc, "cannot open: %s", strerror(errno));
		return WT_E_IO;
	}
	/* only regular files, bounded: a FIFO would block, /dev/zero would never end */
	if (!S_ISREG(st.st_mode)) {
		wt_diag_add(c->diags, WT_DIAG_E0005, loc, "not a regular file%s",
			    S_ISDIR(st.st_mode) ? " (a directory can be named on the command line, not included)" : "");
		return WT_E_IO;
	}
	if (st.st_size > WT_MAX_RULE_FILE) {
		wt_diag_add(c->diags, WT_DIAG_E0005, loc, "larger than %d MiB: not a rule file", WT_MAX_RULE_FILE >> 20);
		return WT_E_IO;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		wt_diag_add(c->diags, WT_DIAG_E0005, loc, "cannot open: %s", strerror(errno));
		return WT_E_IO;
	}
	size_t cap = 8192, len = 0;
	char *buf = wt_xmalloc(cap);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len, f)) > 0 && len <= WT_MAX_RULE_FILE) {
		len += got;
		if (len == cap)
			buf = wt_xrealloc(buf, cap *= 2);
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		wt_diag_add(c->diags, WT_DIAG_E0005, loc, "read error");
		return WT_E_IO;
	}
	if (memchr(buf, 0, len)) {
		free(buf);
		wt_diag_add(c->diags, WT_DIAG_E0005, loc, "file contains NUL bytes: not a rule file");
		return WT_E_IO;
	}
	/* Remember this file (include once) and keep it on the include stack while parsing. */
	char *real = realpath(path, NULL);
	if (real) {
		for (unsigned i = 0; i < c->n_seen; i++)
			if (strcmp(c->seen_files[i], real) == 0) {
				free(real);
				free(buf);
				return WT_OK; /* named twice, or included and named: read once */
			}
		c->seen_files = wt_xrealloc(c->seen_files, (c->n_seen + 1) * sizeof *c->seen_files);
		c->seen_files[c->n_seen++] = wt_xstrdup(real);
		c->include_stack = wt_xrealloc(c->include_stack, (c->include_depth + 1) * sizeof *c->include_stack);
		c->include_names = wt_xrealloc(c->include_names, (c->include_depth + 1) * sizeof *c->include_names);
		c->include_names[c->include_depth] = path;
		c->include_stack[c->include_depth++] = real;
	}
	/* Sources registered without text first (for the open error) get their text now. */
	for (unsigned i = 0; i < c->diags->n_sources; i++)
		if (c->diags->sources[i].path == loc.file && !c->diags->sources[i].text) {
			c->diags->sources[i].text = wt_xstrndup(buf, len);
			c->diags->sources[i].len = len;
		}
	enum wt_err e = wt_compiler_add_source(c, path, buf, len);
	free(buf);
	if (real)
		free(c->include_stack[--c->include_depth]);
	return e;
}

/* The path as recorded in the ruleset and in messages: "./x//y.wt" and "x/y.wt" are one
 * file, so compiles do not depend on how a path was spelled. */
static char *clean_path(const char *path)
{
	char *out = wt_xmalloc(strlen(path) + 2); /* + "." for an empty path */
	size_t n = 0;
	for (size_t i = 0; path[i];) {
		if (path[i] == '/' && n > 0 && out[n - 1] == '/') {
			i++;
			continue;
		}
		if ((n == 0 || out[n - 1] == '/') && path[i] == '.' && path[i + 1] == '/') {
			i += 2;
			continue;
		}
		out[n++] = path[i++];
	}
	if (n == 0)
		out[n++] = '.';
	out[n] = 0;
	return out;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum wt_err wt_compiler_add_path(struct wt_compiler *c, const char *given)
{
	char *path = clean_path(given);
	enum wt_err e = add_clean_path(c, path);
	free(path);
	return e;
}

static enum wt_err add_clean_path(struct wt_compiler *c, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return read_file(c, path);
	DIR *d = opendir(path);
	if (!d) {
		struct wt_loc loc = {wt_diags_add_source(c->diags, path, NULL, 0), 0, 0, 0};
		wt_diag_add(c->diags, WT_DIAG_E0005, loc, "cannot open directory: %s", strerror(errno));
		return WT_E_IO;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l > 3 && strcmp(de->d_name + l - 3, ".wt") == 0 && de->d_name[0] != '.') {
			names = wt_xrealloc(names, (n + 1) * sizeof *names);
			size_t pl = strlen(path);
			char *full = wt_xmalloc(pl + l + 2);
			sprintf(full, "%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/", de->d_name);
			names[n++] = full;
		}
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);
	enum wt_err e = WT_OK;
	for (size_t i = 0; i < n; i++) {
		struct stat fst;
		if (stat(names[i], &fst) == 0 && S_ISREG(fst.st_mode)) {
			enum wt_err fe = read_file(c, names[i]);
			if (e == WT_OK)
				e = fe;
		}
		free(names[i]);
	}
	free(names);
	return e;
}
