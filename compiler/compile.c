/* Compiler driver: reads rule files and directories, runs the parser on each and keeps the
 * parsed files together for the checking and code generation passes. */
#include "compile.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void wt_compiler_init(struct wt_compiler *c, struct wt_diags *diags)
{
	memset(c, 0, sizeof *c);
	wt_arena_init(&c->arena);
	c->diags = diags;
}

void wt_compiler_free(struct wt_compiler *c)
{
	for (unsigned i = 0; i < c->n_syms; i++)
		free(c->syms[i].items);
	free(c->syms);
	free(c->files);
	for (unsigned i = 0; i < c->n_rules; i++)
		free(c->rules[i].excepts);
	free(c->rules);
	wt_arena_free(&c->arena);
	memset(c, 0, sizeof *c);
}

enum wt_err wt_compiler_add_source(struct wt_compiler *c, const char *name, const char *text, size_t len)
{
	c->files = wt_xrealloc(c->files, (c->n_files + 1) * sizeof *c->files);
	struct wt_parse *p = &c->files[c->n_files++];
	memset(p, 0, sizeof *p);
	p->arena = &c->arena;
	p->diags = c->diags;
	p->file = wt_diags_add_source(c->diags, name, text, len);
	return wt_parse_source(p, text, len);
}

static enum wt_err read_file(struct wt_compiler *c, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct wt_loc loc = {wt_diags_add_source(c->diags, path, NULL, 0), 0, 0, 0};
	if (!f) {
		wt_diag_add(c->diags, WT_DIAG_E0005, loc, "cannot open: %s", strerror(errno));
		return WT_E_IO;
	}
	size_t cap = 8192, len = 0;
	char *buf = wt_xmalloc(cap);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
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
	/* Sources registered without text first (for the open error) get their text now. */
	for (unsigned i = 0; i < c->diags->n_sources; i++)
		if (c->diags->sources[i].path == loc.file && !c->diags->sources[i].text) {
			c->diags->sources[i].text = wt_xstrndup(buf, len);
			c->diags->sources[i].len = len;
		}
	enum wt_err e = wt_compiler_add_source(c, path, buf, len);
	free(buf);
	return e;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum wt_err wt_compiler_add_path(struct wt_compiler *c, const char *path)
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
