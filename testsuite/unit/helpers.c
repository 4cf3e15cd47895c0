/* Unit-test helpers (see helpers.h). */
#include "helpers.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *diags_text(struct wt_diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	wt_diags_print_text(d, f);
	fclose(f);
	return buf;
}

uint8_t *th_wtb(const char *src, size_t *len)
{
	struct wt_diags d;
	wt_diags_init(&d);
	struct wt_compiler c;
	wt_compiler_init(&c, &d);
	wt_compiler_add_source(&c, "test.wt", src, strlen(src));
	enum wt_err e = wt_compiler_check(&c);
	if (e != WT_OK) {
		char *t = diags_text(&d);
		fprintf(stderr, "%s", t);
		free(t);
	}
	assert_int_equal(e, WT_OK);
	struct wt_bc_writer w;
	wt_bc_writer_init(&w);
	assert_int_equal(wt_compiler_codegen(&c, &w), WT_OK);
	uint8_t *bytes;
	assert_int_equal(wt_bc_serialize(&w, &bytes, len), WT_OK);
	wt_bc_writer_free(&w);
	wt_compiler_free(&c);
	wt_diags_free(&d);
	return bytes;
}

struct wt_ruleset *th_compile(const char *src, char **diag_text)
{
	struct wt_diags d;
	wt_diags_init(&d);
	struct wt_compiler c;
	wt_compiler_init(&c, &d);
	wt_compiler_add_source(&c, "test.wt", src, strlen(src));
	struct wt_ruleset *rs = NULL;
	if (wt_compiler_check(&c) == WT_OK) {
		struct wt_bc_writer w;
		wt_bc_writer_init(&w);
		uint8_t *bytes;
		size_t len;
		assert_int_equal(wt_compiler_codegen(&c, &w), WT_OK);
		assert_int_equal(wt_bc_serialize(&w, &bytes, &len), WT_OK);
		struct wt_bc bc;
		char err[512];
		assert_int_equal(wt_bc_read(bytes, len, &bc, err, sizeof err), WT_OK);
		assert_int_equal(wt_ruleset_from_bc(&bc, &rs, err, sizeof err), WT_OK);
		free(bytes);
		wt_bc_writer_free(&w);
	}
	if (diag_text)
		*diag_text = diags_text(&d);
	wt_compiler_free(&c);
	wt_diags_free(&d);
	return rs;
}

char *th_lint(const char *src)
{
	char *t = NULL;
	struct wt_ruleset *rs = th_compile(src, &t);
	wt_ruleset_free(rs);
	return t;
}

struct wt_event *th_event(const char *json)
{
	static struct wt_json_decoder *dec;
	if (!dec)
		dec = wt_json_decoder_new();
	size_t n = strlen(json);
	char *line = calloc(1, n + WT_JSON_PADDING);
	memcpy(line, json, n);
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	char err[256];
	struct wt_event *ev = NULL;
	if (wt_json_decode(dec, line, n, &b, err, sizeof err) == WT_OK)
		ev = wt_event_finish(&b, 1);
	else
		fprintf(stderr, "decode: %s\n", err);
	wt_event_builder_free(&b);
	free(line);
	return ev;
}

const char *th_matches(const struct wt_ruleset *rs, const struct wt_event *ev)
{
	static char out[1024];
	out[0] = 0;
	struct wt_vm vm;
	wt_vm_init(&vm);
	for (uint32_t i = 0; i < rs->n_by_kind[ev->kind]; i++) {
		const struct wt_rt_rule *r = &rs->rules[rs->by_kind[ev->kind][i]];
		if (wt_vm_run(&vm, rs, r, ev)) {
			if (out[0])
				strcat(out, " ");
			strncat(out, r->name, sizeof out - strlen(out) - 2);
		}
	}
	wt_vm_free(&vm);
	return out;
}
