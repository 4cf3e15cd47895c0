/* The one event model every input fills and every pipeline reads.
 *
 * An event is one allocation: struct wt_event followed by its string bytes. Strings are
 * (offset, length) pairs into that buffer, so an event can be built in a scratch area,
 * enriched, then copied into its final block in one memcpy. Events are immutable once
 * published to the pipelines and freed when the last pipeline releases its reference. */
#ifndef WT_EVENT_H
#define WT_EVENT_H

#include "wt.h"
#include "field.h"

#define WT_STR_NONE UINT32_MAX /* offset of an absent string */

struct wt_str {
	uint32_t off;
	uint32_t len;
};

struct wt_proc {
	struct wt_str binary, args, cwd, exec_id, parent_exec_id, flags;
	int64_t start_time;
	uint32_t pid, uid, auid;
	bool present;
	bool in_init_tree;
};

struct wt_pod {
	struct wt_str ns, name, container_name, container_id, image, workload, workload_kind;
	struct wt_str label_key[WT_MAX_LABELS], label_val[WT_MAX_LABELS];
	uint8_t n_labels;
	struct wt_str annot_key[WT_MAX_ANNOTATIONS], annot_val[WT_MAX_ANNOTATIONS];
	uint8_t n_annotations;
	bool present;
};

enum wt_arg_type {
	WT_ARG_NONE,
	WT_ARG_STRING,
	WT_ARG_INT,
	WT_ARG_FILE,
	WT_ARG_SOCK,
	WT_ARG_CREDS,
	WT_ARG_MODULE,
	WT_ARG_CAP,
	WT_ARG_BYTES,
	WT_ARG_OTHER,
};

struct wt_arg {
	enum wt_arg_type type;
	struct wt_str label;
	struct wt_str s;          /* string value, file path, module name, capability name, sock daddr */
	struct wt_str s2;         /* file permission, sock saddr */
	struct wt_str s3;         /* sock family */
	int64_t i;                /* int value; creds uid; sock dport */
	int64_t i2;               /* creds euid; sock sport */
	struct wt_str tainted[4]; /* module taint flags */
	uint8_t n_tainted;
};

struct wt_sock {
	struct wt_str family, protocol, saddr, daddr;
	int64_t sport, dport;
	bool present;
};

struct wt_event {
	uint32_t refs; /* atomically updated by pipelines */
	enum wt_kind kind;
	int64_t time; /* ns since the epoch */
	uint64_t seq; /* input order, 1-based */
	struct wt_str node;
	struct wt_proc proc, parent;
	struct wt_pod pod;
	struct wt_str ancestors[WT_MAX_ANCESTORS];
	uint8_t n_ancestors;
	/* exec_ids of the ancestors, nearest first (process cache), and the session: exec_id
	 * of the topmost ancestor-or-self outside the container's init tree */
	struct wt_str ancestor_ids[WT_MAX_ANCESTORS];
	uint8_t n_ancestor_ids;
	struct wt_str session_id;
	struct wt_str ws_id, ws_owner;
	bool ws_is_host;
	/* kprobe, tracepoint, lsm, uprobe */
	struct wt_str function, policy, action;
	int64_t ret;
	bool has_ret;
	struct wt_arg args[WT_MAX_ARGS];
	uint8_t n_args;
	struct wt_sock sock;
	/* exit */
	int64_t exit_status;
	struct wt_str exit_signal;
	/* throttle */
	struct wt_str throttle_type, throttle_cgroup;
	/* rate_limit_info: events Tetragon's rate limiter dropped since its previous report */
	uint64_t rate_limit_dropped;
	/* Tetragon loss signals in the window before this event (ingest, runtime/loss.c):
	 * throttle episodes of its workspace's cgroups and rate-limited events of its node */
	struct {
		uint32_t throttled, window_s;
		uint64_t rate_limited;
	} gap;
	/* string bytes; set by wt_event_finish */
	const char *buf;
	uint32_t buf_len;
};

static inline const char *wt_event_str(const struct wt_event *ev, struct wt_str s)
{
	return ev->buf + s.off;
}

static inline bool wt_str_present(struct wt_str s)
{
	return s.off != WT_STR_NONE;
}

/* Builder: a scratch event plus its growable string buffer, reused line after line. */
struct wt_event_builder {
	struct wt_event ev;
	char *buf;
	uint32_t len, cap;
};

void wt_event_builder_init(struct wt_event_builder *b);
void wt_event_builder_free(struct wt_event_builder *b);
/* Reset to an empty event (all strings absent). */
void wt_event_builder_reset(struct wt_event_builder *b);
/* Append bytes; returns the string reference. Fails only past 4 GiB. */
struct wt_str wt_event_builder_add(struct wt_event_builder *b, const char *s, size_t len);
/* Copy the built event into one final allocation with the given reference count. */
struct wt_event *wt_event_finish(const struct wt_event_builder *b, uint32_t refs);
void wt_event_free(struct wt_event *ev);
/* Free the recycled event blocks (at shutdown, after every event was released). Events
 * must be finished by one thread at a time (the ingest thread). */
void wt_event_pool_drain(void);
/* Release one reference; frees the event when it was the last. */
void wt_event_release(struct wt_event *ev);

/* A field value as the VM and the output stage read it. */
struct wt_value {
	enum wt_type type;
	bool present;
	const char *s; /* WT_T_STR */
	uint32_t len;
	int64_t i; /* WT_T_INT, WT_T_BOOL */
	/* lists: n elements fetched through wt_event_list_elem */
	uint32_t n;
	uint16_t field;
};

/* Read a field; absent fields come back with present = false (and empty value). */
void wt_event_get(const struct wt_event *ev, enum wt_field_id f, struct wt_value *out);
/* Read a field that takes a selector (fields.def SEL): an argument by position (WT_SEL_INDEX,
 * index) or by label (WT_SEL_LABEL, key), or a map entry by key (pod.labels). */
void wt_event_get_sel(const struct wt_event *ev, enum wt_field_id f, enum wt_sel sel, uint32_t index,
		      const char *key, uint32_t keylen, struct wt_value *out);
/* Element i of a list field read by wt_event_get. */
void wt_event_list_elem(const struct wt_event *ev, const struct wt_value *list, uint32_t i,
			struct wt_value *out);

/* Basename of a path (the part after the last '/'), as a slice of the input. */
void wt_path_basename(const char *s, uint32_t len, const char **out, uint32_t *out_len);

#endif
