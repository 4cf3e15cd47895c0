/* Protobuf event decoder: one GetEventsResponse message of Tetragon's gRPC stream ->
 * struct wt_event, unpacked by protobuf-c into a per-message arena (reset, never freed
 * piecemeal) and copied field by field into the event builder, as decode_json.cc does. */
#include "decode.h"
#include "arena.h"
#include "tetragon.pb-c.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wt_proto_decoder {
	struct wt_arena arena;
	ProtobufCAllocator alloc;
};

static void *arena_alloc(void *data, size_t n)
{
	return wt_arena_alloc_raw(data, n);
}

static void arena_free(void *data, void *p)
{
	(void)data;
	(void)p; /* released all at once by wt_arena_reset */
}

struct wt_proto_decoder *wt_proto_decoder_new(void)
{
	struct wt_proto_decoder *d = wt_xmalloc(sizeof *d);
	wt_arena_init(&d->arena);
	d->alloc.alloc = arena_alloc;
	d->alloc.free = arena_free;
	d->alloc.allocator_data = &d->arena;
	return d;
}

void wt_proto_decoder_free(struct wt_proto_decoder *d)
{
	if (!d)
		return;
	wt_arena_free(&d->arena);
	free(d);
}

/* proto3 cannot tell an empty string from an absent one (and Tetragon's JSON export omits
 * both), so an empty string leaves the field absent. */
static void take_str(struct wt_event_builder *b, const char *s, struct wt_str *dst)
{
	if (s && *s)
		*dst = wt_event_builder_add(b, s, strlen(s));
}

/* An enum value by its protobuf name (protojson prints enums by name); the zero value and
 * unknown numbers leave the field absent, as protojson omits the one and prints the other
 * as a number. */
static void take_enum(struct wt_event_builder *b, const ProtobufCEnumDescriptor *desc, int v, struct wt_str *dst)
{
	if (v == 0)
		return;
	const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(desc, v);
	if (ev)
		take_str(b, ev->name, dst);
}

/* A timestamp in ns since the epoch, in the range the JSON decoder accepts (years 1900 to
 * 2261: ns in an int64 reach to 2262); false outside it. */
static bool ts_ns(const Google__Protobuf__Timestamp *t, int64_t *out)
{
	if (!t || t->seconds < -2208988800LL || t->seconds > 9183110399LL || t->nanos < 0 || t->nanos > 999999999)
		return false;
	*out = t->seconds * 1000000000LL + t->nanos;
	return true;
}

static void decode_pod(struct wt_event_builder *b, const Tetragon__Pod *p, struct wt_pod *pod)
{
	pod->present = true;
	take_str(b, p->namespace_, &pod->ns);
	take_str(b, p->name, &pod->name);
	take_str(b, p->workload, &pod->workload);
	take_str(b, p->workload_kind, &pod->workload_kind);
	if (p->container) {
		take_str(b, p->container->id, &pod->container_id);
		take_str(b, p->container->name, &pod->container_name);
		if (p->container->image)
			take_str(b, p->container->image->name, &pod->image);
	}
	for (size_t i = 0; i < p->n_pod_labels && pod->n_labels < WT_MAX_LABELS; i++) {
		const Tetragon__Pod__PodLabelsEntry *e = p->pod_labels[i];
		if (!e->key || !e->value)
			continue;
		pod->label_key[pod->n_labels] = wt_event_builder_add(b, e->key, strlen(e->key));
		pod->label_val[pod->n_labels] = wt_event_builder_add(b, e->value, strlen(e->value));
		pod->n_labels++;
	}
}

static void decode_process(struct wt_event_builder *b, const Tetragon__Process *src, struct wt_proc *p,
			   struct wt_pod *pod)
{
	if (!src)
		return;
	p->present = true;
	take_str(b, src->exec_id, &p->exec_id);
	take_str(b, src->cwd, &p->cwd);
	take_str(b, src->binary, &p->binary);
	take_str(b, src->arguments, &p->args);
	take_str(b, src->flags, &p->flags);
	take_str(b, src->parent_exec_id, &p->parent_exec_id);
	if (src->pid)
		p->pid = src->pid->value;
	if (src->uid)
		p->uid = src->uid->value;
	if (src->auid)
		p->auid = src->auid->value;
	if (src->in_init_tree)
		p->in_init_tree = src->in_init_tree->value;
	ts_ns(src->start_time, &p->start_time);
	if (src->pod && pod)
		decode_pod(b, src->pod, pod);
}

static void decode_ancestors(struct wt_event_builder *b, size_t n, Tetragon__Process *const *anc)
{
	struct wt_event *ev = &b->ev;
	for (size_t i = 0; i < n && ev->n_ancestors < WT_MAX_ANCESTORS; i++)
		if (anc[i]->binary && *anc[i]->binary)
			take_str(b, anc[i]->binary, &ev->ancestors[ev->n_ancestors++]);
}

/* bytes arguments appear base64-encoded in the JSON export; the event keeps that form. */
static struct wt_str base64(struct wt_event_builder *b, const ProtobufCBinaryData *d)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = (d->len + 2) / 3 * 4;
	char *out = wt_xmalloc(n + 1), *o = out;
	for (size_t i = 0; i < d->len; i += 3) {
		uint32_t v = (uint32_t)d->data[i] << 16;
		if (i + 1 < d->len)
			v |= (uint32_t)d->data[i + 1] << 8;
		if (i + 2 < d->len)
			v |= d->data[i + 2];
		*o++ = tab[(v >> 18) & 63];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < d->len ? tab[(v >> 6) & 63] : '=';
		*o++ = i + 2 < d->len ? tab[v & 63] : '=';
	}
	struct wt_str r = wt_event_builder_add(b, out, n);
	free(out);
	return r;
}

/* A socket argument (sock, skb, sockaddr): dport/daddr in i/s, sport/saddr in i2/s2,
 * family in s3; the first one also fills the event's sock.* fields. */
static void sock_arg(struct wt_event_builder *b, struct wt_arg *a, const char *family, const char *protocol,
		     const char *saddr, const char *daddr, uint32_t sport, uint32_t dport)
{
	struct wt_event *ev = &b->ev;
	struct wt_str proto = {WT_STR_NONE, 0};
	a->type = WT_ARG_SOCK;
	take_str(b, family, &a->s3);
	take_str(b, protocol, &proto);
	take_str(b, saddr, &a->s2);
	take_str(b, daddr, &a->s);
	a->i2 = sport;
	a->i = dport;
	if (ev->sock.present)
		return;
	ev->sock.present = true;
	ev->sock.family = a->s3;
	ev->sock.protocol = proto;
	ev->sock.saddr = a->s2;
	ev->sock.daddr = a->s;
	ev->sock.sport = a->i2;
	ev->sock.dport = a->i;
}

static void file_arg(struct wt_event_builder *b, struct wt_arg *a, const char *path, const char *permission)
{
	a->type = WT_ARG_FILE;
	take_str(b, path, &a->s);
	take_str(b, permission, &a->s2);
}

static void decode_arg(struct wt_event_builder *b, const Tetragon__KprobeArgument *src)
{
	struct wt_event *ev = &b->ev;
	if (ev->n_args >= WT_MAX_ARGS)
		return;
	struct wt_arg *a = &ev->args[ev->n_args];
	const struct wt_str none = {WT_STR_NONE, 0};
	a->type = WT_ARG_NONE;
	a->label = a->s = a->s2 = a->s3 = none;
	a->i = a->i2 = 0;
	a->n_tainted = 0;
	take_str(b, src->label, &a->label);
	switch (src->arg_case) {
	case TETRAGON__KPROBE_ARGUMENT__ARG_STRING_ARG:
		a->type = WT_ARG_STRING;
		a->s = wt_event_builder_add(b, src->string_arg, strlen(src->string_arg));
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_INT_ARG: a->type = WT_ARG_INT; a->i = src->int_arg; break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_UINT_ARG: a->type = WT_ARG_INT; a->i = src->uint_arg; break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_SIZE_ARG: a->type = WT_ARG_INT; a->i = (int64_t)src->size_arg; break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_LONG_ARG: a->type = WT_ARG_INT; a->i = src->long_arg; break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_BYTES_ARG:
		a->type = WT_ARG_BYTES;
		a->s = base64(b, &src->bytes_arg);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_FILE_ARG:
		file_arg(b, a, src->file_arg->path, src->file_arg->permission);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_PATH_ARG:
		file_arg(b, a, src->path_arg->path, src->path_arg->permission);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_LINUX_BINPRM_ARG:
		file_arg(b, a, src->linux_binprm_arg->path, src->linux_binprm_arg->permission);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_SOCK_ARG: {
		const Tetragon__KprobeSock *k = src->sock_arg;
		sock_arg(b, a, k->family, k->protocol, k->saddr, k->daddr, k->sport, k->dport);
		break;
	}
	case TETRAGON__KPROBE_ARGUMENT__ARG_SKB_ARG: {
		const Tetragon__KprobeSkb *k = src->skb_arg;
		sock_arg(b, a, k->family, k->protocol, k->saddr, k->daddr, k->sport, k->dport);
		break;
	}
	case TETRAGON__KPROBE_ARGUMENT__ARG_SOCKADDR_ARG:
		sock_arg(b, a, src->sockaddr_arg->family, NULL, NULL, src->sockaddr_arg->addr, 0, src->sockaddr_arg->port);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_PROCESS_CREDENTIALS_ARG:
		a->type = WT_ARG_CREDS;
		if (src->process_credentials_arg->uid)
			a->i = src->process_credentials_arg->uid->value;
		if (src->process_credentials_arg->euid)
			a->i2 = src->process_credentials_arg->euid->value;
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_CRED_ARG: a->type = WT_ARG_CREDS; break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_MODULE_ARG: {
		const Tetragon__KernelModule *m = src->module_arg;
		a->type = WT_ARG_MODULE;
		take_str(b, m->name, &a->s);
		for (size_t i = 0; i < m->n_tainted && a->n_tainted < 4; i++) {
			const ProtobufCEnumValue *v =
				protobuf_c_enum_descriptor_get_value(&tetragon__tainted_bits_type__descriptor, m->tainted[i]);
			if (v)
				a->tainted[a->n_tainted++] = wt_event_builder_add(b, v->name, strlen(v->name));
		}
		break;
	}
	case TETRAGON__KPROBE_ARGUMENT__ARG_CAPABILITY_ARG:
		a->type = WT_ARG_CAP;
		take_str(b, src->capability_arg->name, &a->s);
		if (src->capability_arg->value)
			a->i = src->capability_arg->value->value;
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG__NOT_SET:
		/* a member this subset does not know (a newer Tetragon) */
		if (src->base.n_unknown_fields)
			a->type = WT_ARG_OTHER;
		break;
	default:
		a->type = WT_ARG_OTHER; /* user_ns_arg, bpf_attr_arg, truncated_bytes_arg, ... */
		break;
	}
	if (a->type != WT_ARG_NONE)
		ev->n_args++;
}

static void decode_args(struct wt_event_builder *b, size_t n, Tetragon__KprobeArgument *const *args)
{
	for (size_t i = 0; i < n; i++)
		decode_arg(b, args[i]);
}

/* The members shared by the hook events (kprobe, tracepoint, uprobe, lsm). */
static void decode_hook(struct wt_event_builder *b, const Tetragon__Process *proc, const Tetragon__Process *parent,
			size_t n_anc, Tetragon__Process *const *anc, const char *function, const char *policy,
			int action, size_t n_args, Tetragon__KprobeArgument *const *args)
{
	struct wt_event *ev = &b->ev;
	decode_process(b, proc, &ev->proc, &ev->pod);
	decode_process(b, parent, &ev->parent, NULL);
	decode_ancestors(b, n_anc, anc);
	take_str(b, function, &ev->function);
	take_str(b, policy, &ev->policy);
	take_enum(b, &tetragon__kprobe_action__descriptor, action, &ev->action);
	decode_args(b, n_args, args);
}

enum wt_err wt_proto_decode(struct wt_proto_decoder *d, const uint8_t *msg, size_t len, struct wt_event_builder *b,
			    char *err, size_t errlen)
{
	wt_event_builder_reset(b);
	wt_arena_reset(&d->arena);
	Tetragon__GetEventsResponse *r = tetragon__get_events_response__unpack(&d->alloc, len, msg);
	if (!r) {
		snprintf(err, errlen, "invalid protobuf GetEventsResponse (%zu bytes)", len);
		return WT_E_PARSE;
	}
	struct wt_event *ev = &b->ev;
	take_str(b, r->node_name, &ev->node);
	switch (r->event_case) {
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXEC: {
		const Tetragon__ProcessExec *e = r->process_exec;
		ev->kind = WT_KIND_EXEC;
		decode_process(b, e->process, &ev->proc, &ev->pod);
		decode_process(b, e->parent, &ev->parent, NULL);
		decode_ancestors(b, e->n_ancestors, e->ancestors);
		break;
	}
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXIT: {
		const Tetragon__ProcessExit *e = r->process_exit;
		ev->kind = WT_KIND_EXIT;
		decode_process(b, e->process, &ev->proc, &ev->pod);
		decode_process(b, e->parent, &ev->parent, NULL);
		decode_ancestors(b, e->n_ancestors, e->ancestors);
		ev->exit_status = e->status;
		take_str(b, e->signal, &ev->exit_signal);
		ts_ns(e->time, &ev->time);
		break;
	}
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_KPROBE: {
		const Tetragon__ProcessKprobe *e = r->process_kprobe;
		ev->kind = WT_KIND_KPROBE;
		decode_hook(b, e->process, e->parent, e->n_ancestors, e->ancestors, e->function_name, e->policy_name,
			    e->action, e->n_args, e->args);
		if (e->return_ && e->return_->arg_case == TETRAGON__KPROBE_ARGUMENT__ARG_INT_ARG) {
			ev->ret = e->return_->int_arg;
			ev->has_ret = true;
		}
		break;
	}
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_TRACEPOINT: {
		const Tetragon__ProcessTracepoint *e = r->process_tracepoint;
		ev->kind = WT_KIND_TRACEPOINT;
		decode_hook(b, e->process, e->parent, e->n_ancestors, e->ancestors, NULL, e->policy_name, e->action,
			    e->n_args, e->args);
		if (*e->subsys || *e->event) {
			char tmp[256];
			int n = snprintf(tmp, sizeof tmp, "%s/%s", e->subsys, e->event);
			ev->function = wt_event_builder_add(b, tmp, (size_t)(n < (int)sizeof tmp ? n : (int)sizeof tmp - 1));
		}
		break;
	}
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_UPROBE: {
		const Tetragon__ProcessUprobe *e = r->process_uprobe;
		ev->kind = WT_KIND_UPROBE;
		decode_hook(b, e->process, e->parent, e->n_ancestors, e->ancestors, e->symbol, e->policy_name, e->action,
			    e->n_args, e->args);
		break;
	}
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_LSM: {
		const Tetragon__ProcessLsm *e = r->process_lsm;
		ev->kind = WT_KIND_LSM;
		decode_hook(b, e->process, e->parent, e->n_ancestors, e->ancestors, e->function_name, e->policy_name,
			    e->action, e->n_args, e->args);
		break;
	}
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_THROTTLE:
		ev->kind = WT_KIND_THROTTLE;
		take_enum(b, &tetragon__throttle_type__descriptor, r->process_throttle->type, &ev->throttle_type);
		take_str(b, r->process_throttle->cgroup, &ev->throttle_cgroup);
		break;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_RATE_LIMIT_INFO:
		ev->kind = WT_KIND_RATE_LIMIT;
		break;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_LOADER:
		snprintf(err, errlen, "process_loader");
		return WT_E_UNKNOWN_KIND;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_USDT:
		snprintf(err, errlen, "process_usdt");
		return WT_E_UNKNOWN_KIND;
	default:
		if (r->base.n_unknown_fields) {
			/* an event member this subset does not declare: name it by its field number */
			snprintf(err, errlen, "GetEventsResponse field %u", r->base.unknown_fields[0].tag);
			return WT_E_UNKNOWN_KIND;
		}
		snprintf(err, errlen, "no event kind (process_exec, process_kprobe, ...) in the message");
		return WT_E_PARSE;
	}
	/* the response's own time wins over an exit's, as in the JSON export; like a JSON line
	 * whose "time" is not a timestamp, one out of range makes the message malformed */
	if (r->time && !ts_ns(r->time, &ev->time)) {
		snprintf(err, errlen, "time out of range (%lld s, %d ns)", (long long)r->time->seconds, (int)r->time->nanos);
		return WT_E_PARSE;
	}
	return WT_OK;
}

enum wt_err wt_proto_read_delimited(FILE *f, uint8_t **buf, size_t *cap, size_t *len)
{
	uint64_t n = 0;
	int c, shift = 0;
	while ((c = fgetc(f)) != EOF) {
		n |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
		if (!(c & 0x80) || shift > 63)
			break;
	}
	if (c == EOF)
		return shift ? WT_E_PARSE : WT_E_CLOSED;
	if ((c & 0x80) || n > (64u << 20))
		return WT_E_PARSE;
	if (n + 1 > *cap) {
		*cap = n + 1;
		*buf = wt_xrealloc(*buf, *cap);
	}
	if (fread(*buf, 1, n, f) != n)
		return WT_E_PARSE;
	*len = n;
	return WT_OK;
}
