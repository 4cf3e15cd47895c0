/* Error codes returned by every fallible Worktrace function. */
#ifndef WT_ERR_H
#define WT_ERR_H

#define WT_ERR_LIST(X)                                                                             \
	X(WT_OK, "ok")                                                                             \
	X(WT_E_NOMEM, "out of memory")                                                             \
	X(WT_E_IO, "input/output error")                                                           \
	X(WT_E_INVALID, "invalid argument")                                                        \
	X(WT_E_CORRUPT, "corrupt or invalid ruleset file")                                          \
	X(WT_E_VERSION, "incompatible ruleset format version")                                     \
	X(WT_E_SCHEMA, "ruleset compiled for another field schema")                                \
	X(WT_E_PARSE, "malformed input")                                                            \
	X(WT_E_UNKNOWN_KIND, "unknown event kind")                                                  \
	X(WT_E_COMPILE, "rules have errors")                                                        \
	X(WT_E_FULL, "bounded resource is full")                                                    \
	X(WT_E_CLOSED, "queue closed")                                                              \
	X(WT_E_NOTFOUND, "not found")

enum wt_err {
#define WT_ERR_ENUM(name, text) name,
	WT_ERR_LIST(WT_ERR_ENUM)
#undef WT_ERR_ENUM
};

const char *wt_err_str(enum wt_err e);

#endif
