/* Shared helpers of the unit tests: compile rule text to a loaded ruleset, decode a JSON
 * line into a finished event. */
#ifndef WT_TEST_HELPERS_H
#define WT_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "compile.h"
#include "decode.h"
#include "ruleset.h"
#include "vm.h"

/* Compile source; on error returns NULL and leaves the rendered diagnostics in *diag_text
 * (malloc'd, caller frees) when diag_text is not NULL. */
struct wt_ruleset *th_compile(const char *src, char **diag_text);
/* Diagnostics text of linting src (never NULL). */
char *th_lint(const char *src);
/* Serialize src to .wtb bytes (asserts it compiles). */
uint8_t *th_wtb(const char *src, size_t *len);
/* Decode one JSON line into a finished event (refs 1); NULL on decode failure. */
struct wt_event *th_event(const char *json);
/* Names of the rules of rs that match ev, space separated, in rule order (static buffer). */
const char *th_matches(const struct wt_ruleset *rs, const struct wt_event *ev);

#endif
