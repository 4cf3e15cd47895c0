/* Every compile-time bound of Worktrace in one place. Each can be overridden with -D. */
#ifndef WT_LIMITS_H
#define WT_LIMITS_H

/* Maximum bytes of one input event line; longer lines are reported and skipped. */
#ifndef WT_MAX_LINE
#define WT_MAX_LINE (4u << 20)
#endif
/* Kprobe/tracepoint/LSM arguments kept per event; further arguments are ignored. */
#ifndef WT_MAX_ARGS
#define WT_MAX_ARGS 8
#endif
/* Ancestors kept per event (from the event's ancestors list or the process cache). */
#ifndef WT_MAX_ANCESTORS
#define WT_MAX_ANCESTORS 16
#endif
/* Pod labels kept per event. */
#ifndef WT_MAX_LABELS
#define WT_MAX_LABELS 32
#endif
/* Pod annotations kept per event (workspace resolution); the rest are skipped. */
#ifndef WT_MAX_ANNOTATIONS
#define WT_MAX_ANNOTATIONS 16
#endif
/* VM value stack depth; the verifier refuses code that could exceed it. */
#ifndef WT_MAX_STACK
#define WT_MAX_STACK 32
#endif
/* Sections in one ruleset file. */
#ifndef WT_MAX_SECTIONS
#define WT_MAX_SECTIONS 16
#endif
/* Instructions in one rule's code. */
#ifndef WT_MAX_RULE_CODE
#define WT_MAX_RULE_CODE 65536
#endif
/* Key expressions of one rarity spec. */
#ifndef WT_MAX_RARITY_KEYS
#define WT_MAX_RARITY_KEYS 8
#endif
/* Distinct workspaces tracked exactly per rarity key; "workspaces < N" needs N <= this.
 * Part of the ruleset and snapshot formats: not overridable. */
#define WT_SPREAD_MAX 8
/* Bytes of one rarity key's text (components joined); longer keys are cut. */
#ifndef WT_MAX_RARITY_KEY_BYTES
#define WT_MAX_RARITY_KEY_BYTES 1024
#endif
/* Rule source file size accepted by wtc. */
#ifndef WT_MAX_RULE_FILE
#define WT_MAX_RULE_FILE (16 << 20)
#endif
/* Ruleset file size accepted by the loader. */
#ifndef WT_MAX_RULESET_BYTES
#define WT_MAX_RULESET_BYTES (64u << 20)
#endif
/* Default capacity (events) of each pipeline's input queue. */
#ifndef WT_DEFAULT_QUEUE
#define WT_DEFAULT_QUEUE 4096
#endif
/* Default process cache entries (LRU). */
#ifndef WT_DEFAULT_PROCCACHE
#define WT_DEFAULT_PROCCACHE 65536
#endif
/* Event-time grace (ns) an exited process stays in the cache for late kprobe events. */
#ifndef WT_PROCCACHE_EXIT_GRACE_NS
#define WT_PROCCACHE_EXIT_GRACE_NS (30LL * 1000000000LL)
#endif
/* Default dedup window (ns of event time) and table bound. */
#ifndef WT_DEFAULT_DEDUP_WINDOW_NS
#define WT_DEFAULT_DEDUP_WINDOW_NS (60LL * 1000000000LL)
#endif
#ifndef WT_DEFAULT_DEDUP_ENTRIES
#define WT_DEFAULT_DEDUP_ENTRIES 65536
#endif
/* Longest rendered string kept in a threat record field (process arguments etc.). */
#ifndef WT_MAX_RECORD_FIELD
#define WT_MAX_RECORD_FIELD 4096
#endif

/* Correlation: steps per path, captures per path, live partial matches per path and key,
 * default bound on all live partial matches, accepted out-of-order skew (ns), evidence
 * string bytes kept per step field. */
#ifndef WT_MAX_PATH_STEPS
#define WT_MAX_PATH_STEPS 16
#endif
#ifndef WT_MAX_PATH_CAPTURES
#define WT_MAX_PATH_CAPTURES 8
#endif
#ifndef WT_CORR_PER_KEY
#define WT_CORR_PER_KEY 8
#endif
#ifndef WT_DEFAULT_CORR_PARTIALS
#define WT_DEFAULT_CORR_PARTIALS 100000
#endif
#ifndef WT_CORR_SKEW_NS
#define WT_CORR_SKEW_NS (2LL * 1000000000LL)
#endif
#ifndef WT_CORR_EVIDENCE_STR
#define WT_CORR_EVIDENCE_STR 512
#endif
#ifndef WT_MAX_RUNS
#define WT_MAX_RUNS 1000
#endif

/* Behavioral baseline (runtime/baseline.h): default per-spec bounds on counted keys,
 * remembered (workspace, key) pairs and populations; the largest accepted bound of any of
 * them; the largest snapshot file the loader reads; the longest spec name. */
#ifndef WT_DEFAULT_BASELINE_KEYS
#define WT_DEFAULT_BASELINE_KEYS 65536
#endif
#ifndef WT_DEFAULT_BASELINE_FIRSTS
#define WT_DEFAULT_BASELINE_FIRSTS 262144
#endif
#ifndef WT_DEFAULT_BASELINE_POPULATIONS
#define WT_DEFAULT_BASELINE_POPULATIONS 4096
#endif
#ifndef WT_MAX_BASELINE_TABLE
#define WT_MAX_BASELINE_TABLE (1u << 28)
#endif
#ifndef WT_MAX_BASELINE_SNAPSHOT
#define WT_MAX_BASELINE_SNAPSHOT (4ull << 30)
#endif
#ifndef WT_MAX_BASELINE_NAME
#define WT_MAX_BASELINE_NAME 255
#endif

/* Tetragon loss signals: nodes + cgroups tracked (more are counted in loss_overflow), and
 * throttle episodes / rate-limit reports remembered per entry */
#ifndef WT_LOSS_ENTRIES
#define WT_LOSS_ENTRIES 1024
#endif
#ifndef WT_LOSS_RECENT
#define WT_LOSS_RECENT 8
#endif
/* --follow: rotated-away files drained at once, generations remembered as read (so none is
 * read twice), and rotated generations picked up in one scan */
#ifndef WT_FOLLOW_OLD
#define WT_FOLLOW_OLD 8
#endif
#ifndef WT_FOLLOW_SEEN
#define WT_FOLLOW_SEEN 64
#endif
#ifndef WT_FOLLOW_SCAN
#define WT_FOLLOW_SCAN 16
#endif

#endif
