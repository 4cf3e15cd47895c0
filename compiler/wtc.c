/* wtc: the rule compiler's command line (lint, compile, dump, fields). Exit status: 0 ok,
 * 1 rule errors, 2 usage or I/O problems or an invalid ruleset file. */
#include "compile.h"
#include "disasm.h"
#include "policy.h"
#include "ruleset.h"
#include "wtctest.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fputs("usage: wtc lint [--format=text|json] [-Werror] [--policies DIR] PATH...\n"
	      "       wtc compile -o OUT.wtb [--policies DIR] PATH...\n"
	      "       wtc test [--cases FILE|DIR]... [--require-coverage] [-v] PATH...\n"
	      "       wtc dump FILE.wtb\n"
	      "       wtc fields\n"
	      "       wtc --version\n"
	      "A PATH is a .wt file or a directory whose *.wt files are read in name order.\n"
	      "--policies DIR: warn (W0009) when a rule reads hook events that none of the\n"
	      "Tetragon TracingPolicies in DIR (*.yaml, or one file) produces.\n",
	      out);
}

struct test_opts {
	bool run;
	char **cases;
	int n_cases;
	bool require_coverage, verbose;
};

/* Compile in memory, load through the daemon's verifying loader, run the test events. */
static int run_tests(struct wt_compiler *c, char **paths, int n_paths, const struct test_opts *t)
{
	struct wt_bc_writer w;
	wt_bc_writer_init(&w);
	uint8_t *bytes = NULL;
	size_t len = 0;
	int rc = 1;
	if (wt_compiler_codegen(c, &w) == WT_OK && wt_bc_serialize(&w, &bytes, &len) == WT_OK) {
		struct wt_bc bc;
		struct wt_ruleset *rs;
		char err[512];
		if (wt_bc_read(bytes, len, &bc, err, sizeof err) != WT_OK ||
		    wt_ruleset_from_bc(&bc, &rs, err, sizeof err) != WT_OK) {
			fprintf(stderr, "wtc: compiled ruleset refused: %s\n", err);
		} else {
			rc = wt_wtc_test(rs, paths, n_paths, t->cases, t->n_cases, t->require_coverage, t->verbose);
			wt_ruleset_free(rs);
		}
	}
	free(bytes);
	wt_bc_writer_free(&w);
	return rc;
}

static int compile_paths(int argc, char **argv, const char *out_path, bool json, bool werror,
			 const struct test_opts *test, const char *policies)
{
	struct wt_policies pol;
	wt_policies_init(&pol);
	if (policies && wt_policies_load(&pol, policies) != WT_OK) {
		wt_policies_free(&pol);
		return 2;
	}
	struct wt_diags diags;
	wt_diags_init(&diags);
	struct wt_compiler c;
	wt_compiler_init(&c, &diags);
	c.now = (int64_t)time(NULL) * 1000000000LL; /* for expired-exception warnings only */
	for (int i = 0; i < argc; i++)
		wt_compiler_add_path(&c, argv[i]);
	if (wt_compiler_check(&c) == WT_OK && policies)
		wt_policies_check(&c, &pol);
	wt_policies_free(&pol);
	int rc = diags.n_errors || (werror && diags.n_warnings) ? 1 : 0;
	if (rc == 0 && test && test->run) {
		wt_diags_print_text(&diags, stderr);
		rc = run_tests(&c, argv, argc, test);
		wt_compiler_free(&c);
		wt_diags_free(&diags);
		return rc;
	}
	if (rc == 0 && out_path) {
		struct wt_bc_writer w;
		wt_bc_writer_init(&w);
		uint8_t *bytes = NULL;
		size_t len = 0;
		if (wt_compiler_codegen(&c, &w) != WT_OK || wt_bc_serialize(&w, &bytes, &len) != WT_OK) {
			rc = 1;
		} else {
			/* write to a temporary file and rename, so a failed write never leaves a
			 * truncated ruleset behind for a daemon to load */
			size_t pl = strlen(out_path);
			char *tmp = wt_xmalloc(pl + 16);
			snprintf(tmp, pl + 16, "%s.tmp%ld", out_path, (long)getpid());
			FILE *f = fopen(tmp, "wb");
			if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0 || rename(tmp, out_path) != 0) {
				fprintf(stderr, "wtc: cannot write %s: %s\n", out_path, strerror(errno));
				unlink(tmp);
				rc = 2;
			}
			free(tmp);
		}
		free(bytes);
		wt_bc_writer_free(&w);
	}
	if (json)
		wt_diags_print_json(&diags, stdout);
	else
		wt_diags_print_text(&diags, stderr);
	if (!json && (diags.n_errors || diags.n_warnings))
		fprintf(stderr, "%u error%s, %u warning%s\n", diags.n_errors, diags.n_errors == 1 ? "" : "s",
			diags.n_warnings, diags.n_warnings == 1 ? "" : "s");
	wt_compiler_free(&c);
	wt_diags_free(&diags);
	return rc;
}

static int cmd_dump(const char *path)
{
	struct wt_bc bc;
	char err[512];
	if (wt_bc_load_file(path, &bc, err, sizeof err) != WT_OK) {
		fprintf(stderr, "wtc: %s\n", err);
		return 2;
	}
	wt_disasm(&bc, stdout);
	wt_bc_free(&bc);
	return 0;
}

static int cmd_fields(void)
{
	for (int i = 0; i < WT_F_COUNT; i++) {
		printf("%-24s %-12s", wt_fields[i].name, wt_type_name(wt_fields[i].type));
		const char *sep = "";
		if (wt_fields[i].kinds == KM_ALL) {
			printf("all kinds");
		} else {
			for (int k = 0; k < WT_KIND_COUNT; k++)
				if (wt_fields[i].kinds & (1u << k)) {
					printf("%s%s", sep, wt_kind_names[k]);
					sep = ",";
				}
		}
		printf("  %s\n", wt_fields[i].doc);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--version")) {
		printf("wtc %s (ruleset format %d.%d)\n", WT_VERSION_STRING, WT_BC_MAJOR, WT_BC_MINOR);
		return 0;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "fields"))
		return cmd_fields();
	if (!strcmp(cmd, "dump")) {
		if (argc != 3) {
			usage(stderr);
			return 2;
		}
		return cmd_dump(argv[2]);
	}
	bool json = false, werror = false;
	const char *out = NULL, *policies = NULL;
	struct test_opts test = {.run = !strcmp(cmd, "test")};
	test.cases = wt_xcalloc((size_t)argc, sizeof(char *));
	char **paths = wt_xcalloc((size_t)argc, sizeof(char *));
	int np = 0;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--format=json"))
			json = true;
		else if (!strcmp(argv[i], "--format=text"))
			json = false;
		else if (!strcmp(argv[i], "-Werror"))
			werror = true;
		else if (!strcmp(argv[i], "--policies") && i + 1 < argc && !test.run)
			policies = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--cases") && i + 1 < argc && test.run)
			test.cases[test.n_cases++] = argv[++i];
		else if (!strcmp(argv[i], "--require-coverage") && test.run)
			test.require_coverage = true;
		else if (!strcmp(argv[i], "-v") && test.run)
			test.verbose = true;
		else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "wtc: unknown option %s\n", argv[i]);
			usage(stderr);
			free(paths);
			free(test.cases);
			return 2;
		} else
			paths[np++] = argv[i];
	}
	int rc;
	if (np == 0 || (strcmp(cmd, "lint") && strcmp(cmd, "compile") && strcmp(cmd, "test")) ||
	    (!strcmp(cmd, "compile") && !out)) {
		usage(stderr);
		rc = 2;
	} else {
		rc = compile_paths(np, paths, !strcmp(cmd, "compile") ? out : NULL, json, werror, &test, policies);
	}
	free(paths);
	free(test.cases);
	return rc;
}
