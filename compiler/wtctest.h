/* `wtc test`: labeled test events through the daemon's engine. */
#ifndef WT_WTCTEST_H
#define WT_WTCTEST_H

#include "ruleset.h"

/* Returns the exit status: 0 every case passed (and coverage held when required). */
int wt_wtc_test(const struct wt_ruleset *rs, char **paths, int n_paths, char **cases, int n_cases,
		bool require_coverage, bool verbose);

#endif
