/* Threat records: rendering (always valid JSON, whatever bytes the event carried), the
 * dedup table (key: rule + workspace + process binary and arguments + hook target by default,
 * window and key per rule; bounded, evictions counted) and the writer, which also hands each
 * record to the sinks. A suppressed burst is not lost: when its window closes a repeat record
 * with the count, first_seen and last_seen is written. */
#include "output.h"
#include "sink.h"
#include <stdlib.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

struct dedup_entry {
	uint64_t key;
	int64_t first_seen, last_seen;
	uint64_t suppressed;
	int64_t window;
	struct wt_threat last; /* holds an event reference while suppressed > 0 */
	uint8_t severity;      /* of the record written for this entry */
	bool used;
};

struct wt_output {
	FILE *out;
	int64_t window, min_window;
	unsigned key;
	struct wt_dedup_rule *rules;
	unsigned n_rules;
	struct wt_sinks *sinks;
	struct dedup_entry *table;
	uint32_t cap, mask, n;
	int64_t now, next_sweep;        /* newest event time of any threat: schedules sweeps */
	int64_t pipe_now[WT_PIPE_COUNT]; /* newest event time per pipeline: closes windows */
	struct wt_buf buf;
	struct wt_output_stats stats;
	int write_errno;
};

struct wt_output *wt_output_new(FILE *out, int64_t dedup_window_ns, uint32_t dedup_entries)
{
	struct wt_output *o = wt_xcalloc(1, sizeof *o);
	o->out = out;
	o->window = o->min_window = dedup_window_ns;
	o->key = WT_DKEY_ALL;
	uint32_t cap = 16;
	while (cap < dedup_entries * 2)
		cap *= 2;
	o->cap = dedup_entries ? dedup_entries : 1;
	o->mask = cap - 1;
	o->table = wt_xcalloc(cap, sizeof *o->table);
	wt_buf_init(&o->buf);
	return o;
}

static void drop_entry_ref(struct dedup_entry *e)
{
	if (e->suppressed && e->last.ev) {
		wt_event_release(e->last.ev);
		wt_ruleset_unref(e->last.rs);
	}
	e->last.ev = NULL;
	free(e->last.extra);
	e->last.extra = NULL;
}

void wt_output_free(struct wt_output *o)
{
	if (!o)
		return;
	for (uint32_t i = 0; i <= o->mask; i++)
		if (o->table[i].used)
			drop_entry_ref(&o->table[i]);
	free(o->table);
	for (unsigned i = 0; i < o->n_rules; i++)
		free((char *)o->rules[i].rule);
	free(o->rules);
	wt_buf_free(&o->buf);
	free(o);
}

void wt_output_set_sinks(struct wt_output *o, struct wt_sinks *sinks)
{
	o->sinks = sinks;
}

void wt_output_set_dedup(struct wt_output *o, const struct wt_dedup_config *cfg)
{
	o->window = o->min_window = cfg->window_ns;
	o->key = cfg->key ? cfg->key : WT_DKEY_ALL;
	o->n_rules = cfg->n_rules < WT_DEDUP_MAX_RULES ? cfg->n_rules : WT_DEDUP_MAX_RULES;
	o->rules = wt_xcalloc(o->n_rules ? o->n_rules : 1, sizeof *o->rules);
	for (unsigned i = 0; i < o->n_rules; i++) {
		o->rules[i] = cfg->rules[i];
		o->rules[i].rule = wt_xstrdup(cfg->rules[i].rule);
		if (o->rules[i].window_ns > 0 && (o->min_window <= 0 || o->rules[i].window_ns < o->min_window))
			o->min_window = o->rules[i].window_ns;
	}
}

static const char *const key_part_names[] = {"rule", "workspace", "process", "args", "target"};

bool wt_dedup_key_parse(const char *s, unsigned *key)
{
	unsigned k = 0;
	if (!strcmp(s, "all")) {
		*key = WT_DKEY_ALL;
		return true;
	}
	while (*s) {
		size_t n = strcspn(s, ",");
		unsigned bit = 0;
		for (unsigned i = 0; i < WT_ARRAY_LEN(key_part_names); i++)
			if (strlen(key_part_names[i]) == n && !strncmp(s, key_part_names[i], n))
				bit = 1u << i;
		if (!bit)
			return false;
		k |= bit;
		s += n;
		if (*s == ',' && *++s == '\0')
			return false;
	}
	*key = k;
	return k != 0;
}

bool wt_dedup_rule_parse(char *s, struct wt_dedup_rule *out)
{
	char *eq = strrchr(s, '=');
	if (!eq || eq == s)
		return false;
	*eq = '\0';
	out->rule = s;
	out->window_ns = -1;
	out->key = 0;
	char *v = eq + 1, *colon = strchr(v, ':');
	if (colon) {
		*colon = '\0';
		if (!wt_dedup_key_parse(colon + 1, &out->key))
			return false;
	}
	if (*v) {
		char *end;
		unsigned long sec = strtoul(v, &end, 10);
		if (*end || *v == '-' || sec > 86400 * 30)
			return false;
		out->window_ns = (int64_t)sec * 1000000000LL;
	} else if (!colon) {
		return false;
	}
	return true;
}

const struct wt_output_stats *wt_output_stats(const struct wt_output *o)
{
	return &o->stats;
}

static void json_field(struct wt_buf *b, const char *key, const struct wt_event *ev, struct wt_str s)
{
	wt_buf_putc(b, '"');
	wt_buf_puts(b, key);
	wt_buf_puts(b, "\":");
	if (wt_str_present(s))
		wt_buf_json_str(b, wt_event_str(ev, s), s.len, WT_MAX_RECORD_FIELD);
	else
		wt_buf_puts(b, "null");
}

/* ,"key":N or ,"key":null */
static void json_uint(struct wt_buf *b, const char *key, bool present, uint32_t v)
{
	if (present)
		wt_buf_printf(b, ",\"%s\":%u", key, v);
	else
		wt_buf_printf(b, ",\"%s\":null", key);
}

static void json_set(struct wt_buf *b, const struct wt_ruleset *rs, uint32_t set)
{
	wt_buf_putc(b, '[');
	if (set != WT_BC_NONE) {
		const struct wt_bc_set *s = &rs->bc.sets[set];
		for (uint32_t i = 0; i < s->n; i++) {
			uint32_t si = rs->bc.setitems[s->first + i];
			if (i)
				wt_buf_putc(b, ',');
			wt_buf_json_str(b, rs->bc.strings[si], rs->bc.string_len[si], WT_MAX_RECORD_FIELD);
		}
	}
	wt_buf_putc(b, ']');
}

static void value_text(struct wt_buf *b, const struct wt_event *ev, int field)
{
	struct wt_value v;
	wt_event_get(ev, (enum wt_field_id)field, &v);
	if (!v.present) {
		wt_buf_puts(b, "<none>");
		return;
	}
	switch (v.type) {
	case WT_T_STR:
	case WT_T_ADDR: wt_buf_put(b, v.s, v.len < WT_MAX_RECORD_FIELD ? v.len : WT_MAX_RECORD_FIELD); break;
	case WT_T_INT: wt_buf_printf(b, "%lld", (long long)v.i); break;
	case WT_T_BOOL: wt_buf_puts(b, v.i ? "true" : "false"); break;
	case WT_T_STRLIST:
	case WT_T_INTLIST:
		for (uint32_t i = 0; i < v.n; i++) {
			struct wt_value e;
			wt_event_list_elem(ev, &v, i, &e);
			if (i)
				wt_buf_putc(b, ',');
			if (e.type == WT_T_STR)
				wt_buf_put(b, e.s, e.len);
			else
				wt_buf_printf(b, "%lld", (long long)e.i);
		}
		break;
	default: break;
	}
}

void wt_output_message(struct wt_buf *b, const struct wt_rt_rule *r, const struct wt_event *ev)
{
	if (!r->n_tmpl) {
		wt_buf_puts(b, r->name);
		return;
	}
	for (uint32_t i = 0; i < r->n_tmpl; i++) {
		const struct wt_tmpl_part *p = &r->tmpl[i];
		if (p->field < 0)
			wt_buf_put(b, p->lit, p->len);
		else
			value_text(b, ev, p->field);
	}
}

void wt_output_render(struct wt_buf *b, const struct wt_threat *t, const struct wt_dedup_info *d,
		      const struct wt_ruleset *rs)
{
	const struct wt_event *ev = t->ev;
	const struct wt_bc_rule *br = t->rule->bc;
	wt_buf_puts(b, "{\"time\":\"");
	wt_buf_time(b, ev->time);
	wt_buf_puts(b, "\",\"rule\":");
	wt_buf_json_str(b, t->rule->name, strlen(t->rule->name), WT_MAX_RECORD_FIELD);
	wt_buf_printf(b, ",\"pipeline\":\"%s\",\"severity\":\"%s\",\"mitre\":", wt_pipeline_names[t->pipeline],
		      wt_severity_names[br->severity]);
	json_set(b, rs, br->mitre);
	wt_buf_puts(b, ",\"tags\":");
	json_set(b, rs, br->tags);
	struct wt_buf msg;
	wt_buf_init(&msg);
	wt_output_message(&msg, t->rule, ev);
	wt_buf_puts(b, ",\"message\":");
	wt_buf_json_str(b, msg.p ? msg.p : "", msg.len, WT_MAX_RECORD_FIELD);
	wt_buf_free(&msg);
	wt_buf_puts(b, ",\"workspace\":{");
	json_field(b, "id", ev, ev->ws_id);
	wt_buf_putc(b, ',');
	json_field(b, "owner", ev, ev->ws_owner);
	wt_buf_putc(b, ',');
	json_field(b, "namespace", ev, ev->pod.ns);
	wt_buf_putc(b, ',');
	json_field(b, "pod", ev, ev->pod.name);
	wt_buf_putc(b, ',');
	json_field(b, "container", ev, ev->pod.container_name);
	wt_buf_putc(b, ',');
	json_field(b, "image", ev, ev->pod.image);
	wt_buf_puts(b, "},");
	json_field(b, "node", ev, ev->node);
	wt_buf_printf(b, ",\"event_kind\":\"%s\",\"process\":{", wt_kind_names[ev->kind]);
	json_field(b, "binary", ev, ev->proc.binary);
	wt_buf_putc(b, ',');
	json_field(b, "arguments", ev, ev->proc.args);
	json_uint(b, "pid", ev->proc.present, ev->proc.pid);
	wt_buf_putc(b, ',');
	json_field(b, "exec_id", ev, ev->proc.exec_id);
	wt_buf_putc(b, ',');
	json_field(b, "cwd", ev, ev->proc.cwd);
	json_uint(b, "uid", ev->proc.present, ev->proc.uid);
	wt_buf_puts(b, "},\"parent\":{");
	json_field(b, "binary", ev, ev->parent.binary);
	wt_buf_putc(b, ',');
	json_field(b, "arguments", ev, ev->parent.args);
	wt_buf_putc(b, ',');
	json_field(b, "exec_id", ev, ev->parent.exec_id);
	wt_buf_putc(b, '}');
	if (wt_str_present(ev->function) || ev->sock.present) {
		wt_buf_puts(b, ",\"hook\":{");
		json_field(b, "function", ev, ev->function);
		wt_buf_putc(b, ',');
		json_field(b, "policy", ev, ev->policy);
		wt_buf_putc(b, ',');
		json_field(b, "action", ev, ev->action);
		struct wt_value v;
		wt_event_get(ev, WT_F_FILE_PATH, &v);
		if (v.present) {
			wt_buf_puts(b, ",\"file\":");
			wt_buf_json_str(b, v.s, v.len, WT_MAX_RECORD_FIELD);
		}
		wt_event_get(ev, WT_F_ARGS_STRING, &v);
		if (v.present) {
			wt_buf_puts(b, ",\"strings\":[");
			for (uint32_t i = 0; i < v.n; i++) {
				struct wt_value e;
				wt_event_list_elem(ev, &v, i, &e);
				if (i)
					wt_buf_putc(b, ',');
				wt_buf_json_str(b, e.s, e.len, WT_MAX_RECORD_FIELD);
			}
			wt_buf_putc(b, ']');
		}
		wt_event_get(ev, WT_F_ARGS_INT, &v);
		if (v.present) {
			wt_buf_puts(b, ",\"ints\":[");
			for (uint32_t i = 0; i < v.n; i++) {
				struct wt_value e;
				wt_event_list_elem(ev, &v, i, &e);
				wt_buf_printf(b, i ? ",%lld" : "%lld", (long long)e.i);
			}
			wt_buf_putc(b, ']');
		}
		wt_event_get(ev, WT_F_MODULE_NAME, &v);
		if (v.present) {
			wt_buf_puts(b, ",\"module\":");
			wt_buf_json_str(b, v.s, v.len, WT_MAX_RECORD_FIELD);
		}
		if (ev->sock.present) {
			wt_buf_puts(b, ",\"sock\":{");
			json_field(b, "saddr", ev, ev->sock.saddr);
			wt_buf_printf(b, ",\"sport\":%lld,", (long long)ev->sock.sport);
			json_field(b, "daddr", ev, ev->sock.daddr);
			wt_buf_printf(b, ",\"dport\":%lld,", (long long)ev->sock.dport);
			json_field(b, "protocol", ev, ev->sock.protocol);
			wt_buf_putc(b, '}');
		}
		wt_buf_putc(b, '}');
	}
	if (t->extra) {
		wt_buf_putc(b, ',');
		wt_buf_puts(b, t->extra);
	}
	if (ev->gap.throttled || ev->gap.rate_limited)
		wt_buf_printf(b, ",\"input_gap\":{\"throttled\":%u,\"rate_limited\":%llu,\"window_s\":%u}",
			      ev->gap.throttled, (unsigned long long)ev->gap.rate_limited, ev->gap.window_s);
	wt_buf_printf(b, ",\"input_seq\":%llu", (unsigned long long)ev->seq);
	wt_buf_printf(b, ",\"dedup\":{\"count\":%llu,\"first_seen\":\"", (unsigned long long)d->count);
	wt_buf_time(b, d->first_seen);
	wt_buf_puts(b, "\",\"last_seen\":\"");
	wt_buf_time(b, d->last_seen);
	wt_buf_printf(b, "\",\"repeat\":%s}}", d->repeat ? "true" : "false");
}

/* A failed write is reported once and remembered: the daemon's exit status says so. */
static void note_write_error(struct wt_output *o)
{
	o->stats.write_errors++;
	if (!o->write_errno) {
		o->write_errno = errno ? errno : EIO;
		fprintf(stderr, "worktraced: writing threat records failed: %s\n", strerror(o->write_errno));
	}
}

static void write_record(struct wt_output *o, const struct wt_threat *t, const struct wt_dedup_info *d)
{
	o->buf.len = 0;
	wt_output_render(&o->buf, t, d, t->rs);
	if (o->sinks)
		wt_sinks_publish(o->sinks, wt_sink_record_new(t, d, o->buf.p, o->buf.len));
	wt_buf_putc(&o->buf, '\n');
	if (fwrite(o->buf.p, 1, o->buf.len, o->out) != o->buf.len)
		note_write_error(o);
	o->stats.written++;
	o->stats.by_severity[t->rule->bc->severity]++;
}

static uint64_t hash64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static uint64_t dedup_key(const struct wt_threat *t, unsigned key)
{
	const struct wt_event *ev = t->ev;
	uint64_t h = 14695981039346656037ull;
	if (key & WT_DKEY_RULE) {
		h = hash64(h, t->rule->name, strlen(t->rule->name) + 1);
		h = hash64(h, &t->pipeline, sizeof t->pipeline);
	}
	if (t->dedup) { /* behavioral: the rarity key stands for process, arguments and target */
		if (key & WT_DKEY_WORKSPACE)
			h = hash64(h, wt_event_str(ev, ev->ws_id), ev->ws_id.len);
		h = hash64(h, &t->dedup, sizeof t->dedup);
		return h ? h : 1;
	}
	const struct wt_str parts[] = {ev->ws_id, ev->proc.binary, ev->proc.args, ev->function};
	static const unsigned part_bit[] = {WT_DKEY_WORKSPACE, WT_DKEY_PROCESS, WT_DKEY_ARGS, WT_DKEY_TARGET};
	for (size_t i = 0; i < WT_ARRAY_LEN(parts); i++) {
		if (wt_str_present(parts[i]) && (key & part_bit[i]))
			h = hash64(h, wt_event_str(ev, parts[i]), parts[i].len);
		h = hash64(h, "\x1f", 1);
	}
	if (!(key & WT_DKEY_TARGET))
		return h ? h : 1;
	struct wt_value v;
	wt_event_get(ev, WT_F_FILE_PATH, &v);
	if (v.present)
		h = hash64(h, v.s, v.len);
	if (ev->sock.present && wt_str_present(ev->sock.daddr)) {
		h = hash64(h, wt_event_str(ev, ev->sock.daddr), ev->sock.daddr.len);
		h = hash64(h, &ev->sock.dport, sizeof ev->sock.dport);
	}
	return h ? h : 1;
}

/* Empty slot i of the linear-probing table and shift later members of its cluster back, so
 * lookups need no tombstones and no table rebuild (a rebuild per closed entry allocated and
 * cleared megabytes). */
static void remove_slot(struct wt_output *o, uint32_t i)
{
	o->table[i].used = false;
	for (uint32_t j = (i + 1) & o->mask; o->table[j].used; j = (j + 1) & o->mask) {
		uint32_t home = (uint32_t)o->table[j].key & o->mask;
		/* move j into the hole when its home is not cyclically inside (i, j] */
		bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (stays)
			continue;
		o->table[i] = o->table[j];
		o->table[j].used = false;
		i = j;
	}
}

/* Close an entry: a repeat record for what it suppressed, then free the slot. */
static void close_entry(struct wt_output *o, struct dedup_entry *e)
{
	if (e->suppressed) {
		struct wt_dedup_info d = {e->suppressed, e->first_seen, e->last_seen, true, e->window};
		write_record(o, &e->last, &d);
		o->stats.repeats++;
		wt_event_release(e->last.ev);
		wt_ruleset_unref(e->last.rs);
	}
	free(e->last.extra);
	e->last.extra = NULL;
	e->last.ev = NULL;
	o->n--;
	remove_slot(o, (uint32_t)(e - o->table));
}

/* A window closes on the clock of the pipeline that raised its threats, never on another
 * pipeline's: the pipelines run ahead of each other by however the threads were scheduled,
 * and one that is ahead must not decide which of a slower one's threats start new records. */
static bool window_closed(const struct wt_output *o, const struct dedup_entry *e)
{
	return o->pipe_now[e->last.pipeline] - e->first_seen >= e->window;
}

static void sweep(struct wt_output *o, bool all)
{
	/* removal shifts later cluster members back into the slot, so a slot is re-examined
	 * until it holds a live entry; a cluster wrapping past the end is finished by a second
	 * pass over the start */
	for (int pass = 0; pass < 2 && o->n; pass++)
		for (uint32_t i = 0; i <= o->mask && o->n; i++)
			while (o->table[i].used && (all || window_closed(o, &o->table[i])))
				close_entry(o, &o->table[i]);
	o->next_sweep = o->now + (o->min_window / 4 > 0 ? o->min_window / 4 : 1);
}

static void evict_oldest(struct wt_output *o)
{
	struct dedup_entry *oldest = NULL;
	for (uint32_t i = 0; i <= o->mask; i++)
		if (o->table[i].used && (!oldest || o->table[i].first_seen < oldest->first_seen))
			oldest = &o->table[i];
	if (oldest) {
		close_entry(o, oldest);
		o->stats.evictions++;
	}
}

/* The window and key of rule r: its override, else the global ones. */
static void policy(const struct wt_output *o, const struct wt_rt_rule *r, int64_t *window, unsigned *key)
{
	*window = o->window;
	*key = o->key;
	for (unsigned i = 0; i < o->n_rules; i++)
		if (!strcmp(o->rules[i].rule, r->name)) {
			if (o->rules[i].window_ns >= 0)
				*window = o->rules[i].window_ns;
			if (o->rules[i].key)
				*key = o->rules[i].key;
			break;
		}
}

void wt_output_threat(struct wt_output *o, const struct wt_threat *t)
{
	int64_t when = t->ev->time;
	int64_t window;
	unsigned keyparts;
	policy(o, t->rule, &window, &keyparts);
	uint8_t sev = t->rule->bc->severity;
	if (window <= 0) { /* deduplication off: every threat is written */
		struct wt_dedup_info d = {1, when, when, false, 0};
		write_record(o, t, &d);
		free(t->extra); /* the output stage owns the rendered evidence */
		return;
	}
	if (when > o->now)
		o->now = when;
	if (when > o->pipe_now[t->pipeline])
		o->pipe_now[t->pipeline] = when;
	if (o->now >= o->next_sweep)
		sweep(o, false);
	uint64_t key = dedup_key(t, keyparts);
	uint32_t j = (uint32_t)key & o->mask;
	while (o->table[j].used && o->table[j].key != key)
		j = (j + 1) & o->mask;
	struct dedup_entry *e = &o->table[j];
	/* inside the window on either side: exports are not strictly time-ordered; a threat of
	 * higher severity than the one written is never suppressed (the entry restarts with it) */
	int64_t delta = when - e->first_seen;
	if (e->used && !window_closed(o, e) && delta < e->window && delta > -e->window && sev <= e->severity) {
		/* suppressed: keep the newest occurrence for the repeat record */
		if (e->suppressed) {
			wt_event_release(e->last.ev);
			wt_ruleset_unref(e->last.rs);
		}
		free(e->last.extra);
		e->suppressed++;
		e->last = *t; /* takes over t->extra */
		__atomic_add_fetch(&t->ev->refs, 1, __ATOMIC_ACQ_REL);
		wt_ruleset_ref(t->rs); /* a reload may retire it before the repeat record */
		if (when > e->last_seen)
			e->last_seen = when;
		o->stats.suppressed++;
		return;
	}
	if (e->used) {
		close_entry(o, e);
	} else if (o->n >= o->cap) {
		evict_oldest(o);
	}
	/* find the slot again: rehash/eviction may have moved things */
	j = (uint32_t)key & o->mask;
	while (o->table[j].used)
		j = (j + 1) & o->mask;
	e = &o->table[j];
	*e = (struct dedup_entry){.key = key, .first_seen = when, .last_seen = when, .window = window, .severity = sev,
				  .used = true};
	e->last = *t;
	e->last.ev = NULL;
	e->last.extra = NULL;
	o->n++;
	struct wt_dedup_info d = {1, when, when, false, window};
	write_record(o, t, &d);
	free(t->extra);
}

void wt_output_sync(struct wt_output *o)
{
	if (fflush(o->out) != 0)
		note_write_error(o);
}

int wt_output_error(const struct wt_output *o)
{
	return o->write_errno;
}

void wt_output_flush(struct wt_output *o)
{
	sweep(o, true);
	wt_output_sync(o);
}
