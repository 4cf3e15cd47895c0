/* Workspace resolution. Order, per field:
 *   id:    pod label <workspace_label>; else pod annotation <workspace_annotation> (when set);
 *          else the namespace pattern's (?<workspace>) group;
 *          else "<namespace>/<workload>" (pod name when Tetragon gave no workload)
 *   owner: pod label <owner_label>; else pod annotation <owner_annotation> (when set); else
 *          the pattern's (?<owner>) group; else null
 * Events without a pod belong to "host:<node_name>" with a null owner. */
#include "workspace.h"
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

enum wt_err wt_workspace_config_init(struct wt_workspace_config *cfg, const char *ws_label,
				     const char *owner_label, const char *ns_pattern, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->workspace_label = ws_label ? ws_label : WT_DEFAULT_WORKSPACE_LABEL;
	cfg->owner_label = owner_label ? owner_label : WT_DEFAULT_OWNER_LABEL;
	if (ns_pattern && *ns_pattern) {
		int code;
		PCRE2_SIZE off;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)ns_pattern, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
		if (!re) {
			PCRE2_UCHAR msg[160];
			pcre2_get_error_message(code, msg, sizeof msg);
			snprintf(err, errlen, "namespace pattern '%s': %s at offset %zu", ns_pattern,
				 (const char *)msg, (size_t)off);
			return WT_E_INVALID;
		}
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
		cfg->ns_pattern = re;
		cfg->match_data = pcre2_match_data_create_from_pattern(re, NULL);
	}
	return WT_OK;
}

void wt_workspace_config_free(struct wt_workspace_config *cfg)
{
	pcre2_match_data_free(cfg->match_data);
	pcre2_code_free(cfg->ns_pattern);
	memset(cfg, 0, sizeof *cfg);
}

/* The non-empty value of key in a pod's labels or annotations. */
static bool lookup(const struct wt_event_builder *b, const struct wt_str *keys, const struct wt_str *vals, unsigned n,
		   const char *key, struct wt_str *out)
{
	if (!key)
		return false;
	size_t kl = strlen(key);
	for (unsigned i = 0; i < n; i++)
		if (keys[i].len == kl && memcmp(b->buf + keys[i].off, key, kl) == 0 && vals[i].len > 0) {
			*out = vals[i];
			return true;
		}
	return false;
}

static bool label(const struct wt_event_builder *b, const char *key, const char *annotation, struct wt_str *out)
{
	const struct wt_pod *pod = &b->ev.pod;
	return lookup(b, pod->label_key, pod->label_val, pod->n_labels, key, out) ||
	       lookup(b, pod->annot_key, pod->annot_val, pod->n_annotations, annotation, out);
}

static bool group(const struct wt_workspace_config *cfg, const char *name, const char *subject,
		  struct wt_event_builder *b, struct wt_str *out)
{
	PCRE2_SIZE len;
	int n = pcre2_substring_length_byname(cfg->match_data, (PCRE2_SPTR)name, &len);
	if (n != 0 || len == 0)
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(cfg->match_data);
	int num = pcre2_substring_number_from_name(cfg->ns_pattern, (PCRE2_SPTR)name);
	if (num < 0)
		return false;
	*out = wt_event_builder_add(b, subject + ov[2 * num], ov[2 * num + 1] - ov[2 * num]);
	return true;
}

void wt_workspace_resolve(const struct wt_workspace_config *cfg, struct wt_event_builder *b)
{
	struct wt_event *ev = &b->ev;
	if (!ev->pod.present || !wt_str_present(ev->pod.ns)) {
		char id[320];
		int n = snprintf(id, sizeof id, "host:%.*s", wt_str_present(ev->node) ? (int)ev->node.len : 7,
				 wt_str_present(ev->node) ? b->buf + ev->node.off : "unknown");
		ev->ws_id = wt_event_builder_add(b, id, (size_t)(n < (int)sizeof id ? n : (int)sizeof id - 1));
		ev->ws_is_host = true;
		return;
	}
	bool have_id = label(b, cfg->workspace_label, cfg->workspace_annotation, &ev->ws_id);
	bool have_owner = label(b, cfg->owner_label, cfg->owner_annotation, &ev->ws_owner);
	if ((!have_id || !have_owner) && cfg->ns_pattern) {
		/* copy: the builder buffer may move while groups are appended */
		char ns[256];
		uint32_t nl = ev->pod.ns.len < sizeof ns - 1 ? ev->pod.ns.len : (uint32_t)sizeof ns - 1;
		memcpy(ns, b->buf + ev->pod.ns.off, nl);
		ns[nl] = 0;
		if (pcre2_match(cfg->ns_pattern, (PCRE2_SPTR)ns, nl, 0, 0, cfg->match_data, NULL) >= 0) {
			if (!have_id)
				have_id = group(cfg, "workspace", ns, b, &ev->ws_id);
			if (!have_owner)
				have_owner = group(cfg, "owner", ns, b, &ev->ws_owner);
		}
	}
	if (!have_id) {
		struct wt_str w = wt_str_present(ev->pod.workload) && ev->pod.workload.len ? ev->pod.workload : ev->pod.name;
		char id[640];
		int n = snprintf(id, sizeof id, "%.*s/%.*s", (int)ev->pod.ns.len, b->buf + ev->pod.ns.off,
				 wt_str_present(w) ? (int)w.len : 0, wt_str_present(w) ? b->buf + w.off : "");
		ev->ws_id = wt_event_builder_add(b, id, (size_t)(n < (int)sizeof id ? n : (int)sizeof id - 1));
	}
}
