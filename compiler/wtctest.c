/* `wtc test`: runs the labeled test events that sit beside rules through the compiled
 * ruleset with the daemon's own engine (decoder, process cache, workspace resolution,
 * rule index, VM, correlation engine). Each test line is a Tetragon event plus "_expect": the
 * exact rules and paths that must fire on it, and optionally "_quiet": rules or paths it is
 * a benign look-alike for. The correlation engine runs over each file in line order. */
#include "wtctest.h"
#include "correlate.h"
#include "decode.h"
#include "proccache.h"
#include "ruleset.h"
#include "vm.h"
#include "workspace.h"
#include <dirent.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct names {
	char **v;
	unsigned n;
};

static void names_add(struct names *s, const char *name)
{
	for (unsigned i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return;
	s->v = wt_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n++] = wt_xstrdup(name);
}

static bool names_has(const struct names *s, const char *name)
{
	for (unsigned i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return true;
	return false;
}

static void names_free(struct names *s)
{
	for (unsigned i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_print(struct names *s, FILE *out)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, cmp_str);
	fputc('[', out);
	for (unsigned i = 0; i < s->n; i++)
		fprintf(out, "%s%s", i ? ", " : "", s->v[i]);
	fputc(']', out);
}

/* Labels of one line: false when the line has no valid _expect array. */
static bool labels(const char *line, struct names *expect, struct names *quiet)
{
	json_object *o = json_tokener_parse(line);
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return false;
	}
	json_object *e, *q;
	bool ok = json_object_object_get_ex(o, "_expect", &e) && json_object_is_type(e, json_type_array);
	for (size_t i = 0; ok && i < json_object_array_length(e); i++)
		names_add(expect, json_object_get_string(json_object_array_get_idx(e, i)));
	if (ok && json_object_object_get_ex(o, "_quiet", &q) && json_object_is_type(q, json_type_array))
		for (size_t i = 0; i < json_object_array_length(q); i++)
			names_add(quiet, json_object_get_string(json_object_array_get_idx(q, i)));
	json_object_put(o);
	return ok;
}

struct run {
	const struct wt_ruleset *rs;
	struct names positive, negative;
	unsigned cases, failures;
	bool verbose;
};

static void corr_emit(void *ctx, const struct wt_rt_path *path, struct wt_event *ev, char *extra)
{
	(void)ev;
	names_add(ctx, path->name);
	free(extra);
}

static void run_file(struct run *r, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: cannot open\n", path);
		r->failures++;
		return;
	}
	struct wt_json_decoder *dec = wt_json_decoder_new();
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	struct wt_proccache pc;
	wt_proccache_init(&pc, 4096);
	struct wt_workspace_config ws;
	char err[256];
	wt_workspace_config_init(&ws, NULL, NULL, NULL, err, sizeof err);
	struct wt_vm vm;
	wt_vm_init(&vm);
	uint32_t *cand = wt_xcalloc(r->rs->bc.n_rules + 1, sizeof *cand);
	struct names got = {0};
	struct wt_corr *corr = wt_corr_new(r->rs, 0, corr_emit, &got);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
	int64_t last_time = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (n == 0)
			continue;
		struct names expect = {0}, quiet = {0};
		if (!labels(line, &expect, &quiet)) {
			fprintf(stderr, "%s:%u: not a JSON object with an \"_expect\" array\n", path, lineno);
			r->failures++;
			continue;
		}
		r->cases++;
		for (unsigned i = 0; i < expect.n; i++)
			names_add(&r->positive, expect.v[i]);
		for (unsigned i = 0; i < quiet.n; i++)
			names_add(&r->negative, quiet.v[i]);
		char *buf = wt_xcalloc(1, (size_t)n + WT_JSON_PADDING);
		memcpy(buf, line, (size_t)n);
		if (wt_json_decode(dec, buf, (size_t)n, &b, err, sizeof err) != WT_OK) {
			fprintf(stderr, "%s:%u: %s\n", path, lineno, err);
			r->failures++;
			free(buf);
			names_free(&expect);
			names_free(&quiet);
			continue;
		}
		free(buf);
		if (!b.ev.time)
			b.ev.time = b.ev.proc.start_time ? b.ev.proc.start_time : last_time;
		last_time = b.ev.time;
		wt_proccache_enrich(&pc, &b);
		wt_workspace_resolve(&ws, &b);
		struct wt_event *ev = wt_event_finish(&b, 1);
		uint32_t nc = wt_ruleset_candidates(r->rs, ev, cand);
		for (uint32_t i = 0; i < nc; i++)
			if (wt_vm_run(&vm, r->rs, &r->rs->rules[cand[i]], ev))
				names_add(&got, r->rs->rules[cand[i]].name);
		wt_corr_event(corr, &vm, ev);
		wt_event_release(ev);
		bool same = got.n == expect.n;
		for (unsigned i = 0; same && i < got.n; i++)
			same = names_has(&expect, got.v[i]);
		for (unsigned i = 0; i < quiet.n; i++)
			if (names_has(&got, quiet.v[i]))
				same = false; /* a look-alike that fires is a failure even if expected */
		if (!same) {
			r->failures++;
			fprintf(stderr, "%s:%u: expected ", path, lineno);
			names_print(&expect, stderr);
			fputs(", fired ", stderr);
			names_print(&got, stderr);
			fputc('\n', stderr);
		} else if (r->verbose) {
			printf("%s:%u: ok ", path, lineno);
			names_print(&got, stdout);
			putchar('\n');
		}
		names_free(&expect);
		names_free(&quiet);
		names_free(&got);
	}
	free(line);
	fclose(f);
	wt_corr_free(corr);
	names_free(&got);
	free(cand);
	wt_vm_free(&vm);
	wt_workspace_config_free(&ws);
	wt_proccache_free(&pc);
	wt_event_builder_free(&b);
	wt_json_decoder_free(dec);
}

/* Test files of a PATH: the .jsonl files in DIR/tests for a directory, those given with
 * --cases, in name order. */
static void collect(const char *dir, struct names *files)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	struct names found = {0};
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l > 6 && !strcmp(de->d_name + l - 6, ".jsonl") && de->d_name[0] != '.') {
			size_t dl = strlen(dir);
			char *p = wt_xmalloc(dl + l + 2);
			sprintf(p, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", de->d_name);
			names_add(&found, p);
			free(p);
		}
	}
	closedir(d);
	if (found.n > 1)
		qsort(found.v, found.n, sizeof *found.v, cmp_str);
	for (unsigned i = 0; i < found.n; i++)
		names_add(files, found.v[i]);
	names_free(&found);
}

int wt_wtc_test(const struct wt_ruleset *rs, char **paths, int n_paths, char **cases, int n_cases,
		bool require_coverage, bool verbose)
{
	struct names files = {0};
	for (int i = 0; i < n_paths; i++) {
		struct stat st;
		if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t pl = strlen(paths[i]);
			char *t = wt_xmalloc(pl + 8);
			sprintf(t, "%s%stests", paths[i], pl && paths[i][pl - 1] == '/' ? "" : "/");
			collect(t, &files);
			free(t);
		}
	}
	for (int i = 0; i < n_cases; i++) {
		struct stat st;
		if (stat(cases[i], &st) == 0 && S_ISDIR(st.st_mode))
			collect(cases[i], &files);
		else
			names_add(&files, cases[i]);
	}
	struct run r = {.rs = rs, .verbose = verbose};
	for (unsigned i = 0; i < files.n; i++)
		run_file(&r, files.v[i]);
	unsigned uncovered = 0;
	for (uint32_t i = 0; i < rs->bc.n_rules + rs->n_paths; i++) {
		const char *name = i < rs->bc.n_rules ? rs->rules[i].name : rs->paths[i - rs->bc.n_rules].name;
		bool pos = names_has(&r.positive, name), neg = names_has(&r.negative, name);
		if (!pos || !neg) {
			uncovered++;
			fprintf(stderr, "%s: %s %s has no %s test line\n", require_coverage ? "error" : "warning",
				i < rs->bc.n_rules ? "rule" : "path", name,
				!pos && !neg ? "positive (_expect) or negative (_quiet)" : !pos ? "positive (_expect)" : "negative (_quiet)");
		}
	}
	printf("wtc test: %u files, %u cases, %u failed; %u of %u rules and paths covered by positive and negative cases\n",
	       files.n, r.cases, r.failures, rs->bc.n_rules + rs->n_paths - uncovered, rs->bc.n_rules + rs->n_paths);
	printf("%u passed, %u failed\n", r.cases - (r.failures > r.cases ? r.cases : r.failures), r.failures);
	unsigned n_files = files.n;
	names_free(&files);
	names_free(&r.positive);
	names_free(&r.negative);
	if (n_files == 0) {
		fprintf(stderr, "wtc test: no test files found (DIR/tests/*.jsonl or --cases)\n");
		return 1;
	}
	return r.failures || (require_coverage && uncovered) ? 1 : 0;
}
