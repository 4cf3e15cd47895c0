/* libFuzzer harness of the compiler front end: arbitrary bytes as a rule file go through
 * the lexer, parser, checker and code generator, and a successful compile through the
 * verifying reader. Nothing may crash, leak or trip a sanitizer. */
#include "compile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	struct wt_diags d;
	wt_diags_init(&d);
	struct wt_compiler c;
	wt_compiler_init(&c, &d);
	c.now = 1767225600LL * 1000000000LL; /* fixed: expiry warnings do not depend on the clock */
	wt_compiler_add_source(&c, "fuzz.wt", (const char *)data, size);
	if (wt_compiler_check(&c) == WT_OK) {
		struct wt_bc_writer w;
		wt_bc_writer_init(&w);
		uint8_t *bytes = NULL;
		size_t len = 0;
		if (wt_compiler_codegen(&c, &w) == WT_OK && wt_bc_serialize(&w, &bytes, &len) == WT_OK) {
			struct wt_bc bc;
			char err[512];
			/* what the compiler writes must always verify */
			if (wt_bc_read(bytes, len, &bc, err, sizeof err) != WT_OK) {
				fprintf(stderr, "compiled ruleset refused: %s\n", err);
				abort();
			}
			wt_bc_free(&bc);
		}
		free(bytes);
		wt_bc_writer_free(&w);
	}
	FILE *devnull = fopen("/dev/null", "w");
	if (devnull) {
		wt_diags_print_text(&d, devnull);
		wt_diags_print_json(&d, devnull);
		fclose(devnull);
	}
	wt_compiler_free(&c);
	wt_diags_free(&d);
	return 0;
}
