/* gRPC ingest: the GetEvents client thread (gRPC C core, insecure channel, completion queue
 * plucked by this thread alone), its reconnect loop (a fresh channel per attempt, doubling
 * delay with jitter, bounded) and the gap accounting. Every message is decoded by
 * decode_proto.c and enriched and published by the ingest step shared with JSON input. */
#include "grpc_ingest.h"
#include "tetragon.pb-c.h"
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define METHOD "/tetragon.FineGuidanceSensors/GetEvents"

static const struct {
	const char *kind;
	int type;
} event_types[] = {
	{"exec", TETRAGON__EVENT_TYPE__PROCESS_EXEC},
	{"exit", TETRAGON__EVENT_TYPE__PROCESS_EXIT},
	{"kprobe", TETRAGON__EVENT_TYPE__PROCESS_KPROBE},
	{"tracepoint", TETRAGON__EVENT_TYPE__PROCESS_TRACEPOINT},
	{"uprobe", TETRAGON__EVENT_TYPE__PROCESS_UPROBE},
	{"lsm", TETRAGON__EVENT_TYPE__PROCESS_LSM},
	{"throttle", TETRAGON__EVENT_TYPE__PROCESS_THROTTLE},
	{"rate_limit_info", TETRAGON__EVENT_TYPE__RATE_LIMIT_INFO},
};

int wt_grpc_event_type(const char *kind)
{
	for (size_t i = 0; i < WT_ARRAY_LEN(event_types); i++)
		if (strcmp(event_types[i].kind, kind) == 0)
			return event_types[i].type;
	return -1;
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void fill_filter(Tetragon__Filter *f, const char **ns, unsigned n_ns, const char **pods, unsigned n_pods,
			const char **bins, unsigned n_bins, int *types, unsigned n_types)
{
	tetragon__filter__init(f);
	f->namespace_ = (char **)ns;
	f->n_namespace_ = n_ns;
	f->pod_regex = (char **)pods;
	f->n_pod_regex = n_pods;
	f->binary_regex = (char **)bins;
	f->n_binary_regex = n_bins;
	f->event_set = (Tetragon__EventType *)types;
	f->n_event_set = n_types;
}

/* The request: one allow filter with every allow option (an event must satisfy all of
 * them; several values of one option are alternatives), and one deny filter per deny option
 * (an event matching any of them is left out). */
static grpc_byte_buffer *request(const struct wt_grpc_opts *o)
{
	Tetragon__GetEventsRequest req = TETRAGON__GET_EVENTS_REQUEST__INIT;
	Tetragon__Filter allow, deny[4];
	Tetragon__Filter *allow_p[1] = {&allow}, *deny_p[4];
	const struct wt_grpc_filter *a = &o->allow, *d = &o->deny;
	if (a->n_namespaces || a->n_pod_regex || a->n_binary_regex || a->n_event_types) {
		fill_filter(&allow, a->namespaces, a->n_namespaces, a->pod_regex, a->n_pod_regex, a->binary_regex,
			    a->n_binary_regex, a->event_types, a->n_event_types);
		req.allow_list = allow_p;
		req.n_allow_list = 1;
	}
	size_t nd = 0;
	if (d->n_namespaces)
		fill_filter(&deny[nd++], d->namespaces, d->n_namespaces, NULL, 0, NULL, 0, NULL, 0);
	if (d->n_pod_regex)
		fill_filter(&deny[nd++], NULL, 0, d->pod_regex, d->n_pod_regex, NULL, 0, NULL, 0);
	if (d->n_binary_regex)
		fill_filter(&deny[nd++], NULL, 0, NULL, 0, d->binary_regex, d->n_binary_regex, NULL, 0);
	if (d->n_event_types)
		fill_filter(&deny[nd++], NULL, 0, NULL, 0, NULL, 0, d->event_types, d->n_event_types);
	for (size_t i = 0; i < nd; i++)
		deny_p[i] = &deny[i];
	req.deny_list = deny_p;
	req.n_deny_list = nd;
	size_t n = tetragon__get_events_request__get_packed_size(&req);
	grpc_slice s = grpc_slice_malloc(n);
	tetragon__get_events_request__pack(&req, GRPC_SLICE_START_PTR(s));
	grpc_byte_buffer *bb = grpc_raw_byte_buffer_create(&s, 1);
	grpc_slice_unref(s);
	return bb;
}

/* One message: decoded in place when it is one uncompressed slice, else copied out once. */
static void handle_message(struct wt_grpc_ingest *g, grpc_byte_buffer *bb, struct wt_proto_decoder *dec)
{
	struct wt_ingest *in = g->in;
	grpc_slice s;
	bool owned = false;
	if (g->opt.receive_only) {
		g->stats.messages++;
		g->stats.bytes += grpc_byte_buffer_length(bb);
		return;
	}
	if (bb->type == GRPC_BB_RAW && bb->data.raw.compression == GRPC_COMPRESS_NONE &&
	    bb->data.raw.slice_buffer.count == 1) {
		s = bb->data.raw.slice_buffer.slices[0];
	} else {
		grpc_byte_buffer_reader rd;
		if (!grpc_byte_buffer_reader_init(&rd, bb)) {
			in->stats.lines++;
			wt_ingest_reject(in, WT_E_PARSE, "message cannot be decompressed", g->opt.target, g->stats.messages + 1);
			g->stats.messages++;
			return;
		}
		s = grpc_byte_buffer_reader_readall(&rd);
		grpc_byte_buffer_reader_destroy(&rd);
		owned = true;
		g->stats.multi_slice++;
	}
	size_t len = GRPC_SLICE_LENGTH(s);
	g->stats.messages++;
	g->stats.bytes += len;
	in->stats.lines++;
	char err[256];
	enum wt_err e = wt_proto_decode(dec, GRPC_SLICE_START_PTR(s), len, &in->b, err, sizeof err);
	if (owned)
		grpc_slice_unref(s);
	if (e != WT_OK)
		wt_ingest_reject(in, e, err, g->opt.target, g->stats.messages);
	else
		wt_ingest_event(in, g->en);
	if (in->tick && (g->stats.messages & 4095) == 0)
		in->tick(in->tick_ctx);
}

static void set_call(struct wt_grpc_ingest *g, grpc_call *call)
{
	pthread_mutex_lock(&g->mu);
	g->call = call;
	if (call && g->stop)
		grpc_call_cancel(call, NULL);
	pthread_mutex_unlock(&g->mu);
}

static bool stopping(struct wt_grpc_ingest *g)
{
	pthread_mutex_lock(&g->mu);
	bool s = g->stop;
	pthread_mutex_unlock(&g->mu);
	return s;
}

/* One call of GetEvents until the stream ends. Returns its gRPC status; *delivered tells
 * whether it received any message, *details the server's or the library's reason. */
static grpc_status_code run_call(struct wt_grpc_ingest *g, struct wt_proto_decoder *dec, bool *delivered,
				 char *details, size_t dlen)
{
	grpc_channel_credentials *creds = grpc_insecure_credentials_create();
	grpc_arg args[1];
	args[0].type = GRPC_ARG_INTEGER;
	args[0].key = (char *)GRPC_ARG_ENABLE_RETRIES;
	args[0].value.integer = 0;
	grpc_channel_args ca = {WT_ARRAY_LEN(args), args};
	grpc_channel *ch = grpc_channel_create(g->target, creds, &ca);
	grpc_channel_credentials_release(creds);
	grpc_completion_queue *cq = grpc_completion_queue_create_for_pluck(NULL);
	grpc_call *call = grpc_channel_create_call(ch, NULL, GRPC_PROPAGATE_DEFAULTS, cq,
						   grpc_slice_from_static_string(METHOD), NULL,
						   gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	set_call(g, call);
	grpc_metadata_array md_initial, md_trailing;
	grpc_metadata_array_init(&md_initial);
	grpc_metadata_array_init(&md_trailing);
	grpc_byte_buffer *req = request(&g->opt);
	grpc_op ops[4];
	memset(ops, 0, sizeof ops);
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = req;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[3].data.recv_initial_metadata.recv_initial_metadata = &md_initial;
	void *tag = (void *)1;
	grpc_call_error ce = grpc_call_start_batch(call, ops, 4, tag, NULL);
	if (ce == GRPC_CALL_OK)
		grpc_completion_queue_pluck(cq, tag, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	grpc_byte_buffer_destroy(req);
	*delivered = false;
	while (ce == GRPC_CALL_OK) {
		grpc_byte_buffer *bb = NULL;
		grpc_op op;
		memset(&op, 0, sizeof op);
		op.op = GRPC_OP_RECV_MESSAGE;
		op.data.recv_message.recv_message = &bb;
		tag = (void *)2;
		if (grpc_call_start_batch(call, &op, 1, tag, NULL) != GRPC_CALL_OK)
			break;
		/* a message already there is taken at once; before waiting for one, the pipelines
		 * are woken for their partial batches (waking them per message costs a context
		 * switch each) */
		grpc_event ev = grpc_completion_queue_pluck(cq, tag, gpr_time_0(GPR_CLOCK_MONOTONIC), NULL);
		if (ev.type == GRPC_QUEUE_TIMEOUT)
			wt_engine_kick(g->en);
		/* an idle stream still ticks (SIGHUP reloads, metrics) on this thread, the producer
		 * of the pipeline queues, every 250 ms */
		while (ev.type == GRPC_QUEUE_TIMEOUT) {
			if (g->in->tick)
				g->in->tick(g->in->tick_ctx);
			gpr_timespec tick_at = gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_millis(250, GPR_TIMESPAN));
			ev = grpc_completion_queue_pluck(cq, tag, tick_at, NULL);
		}
		if (!ev.success || !bb) {
			if (bb)
				grpc_byte_buffer_destroy(bb);
			break;
		}
		if (!*delivered) {
			*delivered = true;
			g->stats.streams++;
			if (g->gap_start) {
				int64_t gap = now_ns() - g->gap_start;
				g->stats.gaps++;
				g->stats.gap_ns += gap;
				g->gap_start = 0;
				fprintf(g->in->log, "worktraced: tetragon %s: events again after a gap of %.3f s\n",
					g->opt.target, (double)gap / 1e9);
			}
		}
		handle_message(g, bb, dec);
		grpc_byte_buffer_destroy(bb);
	}
	grpc_status_code status = GRPC_STATUS_UNKNOWN;
	grpc_slice sd = grpc_empty_slice();
	const char *error_string = NULL;
	grpc_op op;
	memset(&op, 0, sizeof op);
	op.op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	op.data.recv_status_on_client.trailing_metadata = &md_trailing;
	op.data.recv_status_on_client.status = &status;
	op.data.recv_status_on_client.status_details = &sd;
	op.data.recv_status_on_client.error_string = &error_string;
	tag = (void *)3;
	if (grpc_call_start_batch(call, &op, 1, tag, NULL) == GRPC_CALL_OK)
		grpc_completion_queue_pluck(cq, tag, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	char *text = grpc_slice_to_c_string(sd);
	snprintf(details, dlen, "%s", *text ? text : error_string ? error_string : "");
	gpr_free(text);
	grpc_slice_unref(sd);
	gpr_free((void *)error_string);
	set_call(g, NULL);
	grpc_metadata_array_destroy(&md_initial);
	grpc_metadata_array_destroy(&md_trailing);
	grpc_call_unref(call);
	grpc_completion_queue_shutdown(cq);
	while (grpc_completion_queue_pluck(cq, NULL, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type != GRPC_QUEUE_SHUTDOWN)
		;
	grpc_completion_queue_destroy(cq);
	grpc_channel_destroy(ch);
	return status;
}

/* Sleep ms unless stopped first. */
static void backoff_wait(struct wt_grpc_ingest *g, uint32_t ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	/* in slices of at most 250 ms, each with an ingest tick (SIGHUP, metrics, readiness) */
	for (;;) {
		if (g->in->tick)
			g->in->tick(g->in->tick_ctx);
		struct timespec now, slice;
		clock_gettime(CLOCK_MONOTONIC, &now);
		slice = now;
		slice.tv_nsec += 250000000L;
		if (slice.tv_nsec >= 1000000000L) {
			slice.tv_sec++;
			slice.tv_nsec -= 1000000000L;
		}
		bool last = slice.tv_sec > ts.tv_sec || (slice.tv_sec == ts.tv_sec && slice.tv_nsec >= ts.tv_nsec);
		if (last)
			slice = ts;
		pthread_mutex_lock(&g->mu);
		while (!g->stop && pthread_cond_timedwait(&g->cv, &g->mu, &slice) != ETIMEDOUT)
			;
		bool stop = g->stop;
		pthread_mutex_unlock(&g->mu);
		if (stop || last)
			return;
	}
}

static const char *status_name(grpc_status_code s)
{
	static const char *const names[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
					    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
					    "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
					    "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
	return (unsigned)s < WT_ARRAY_LEN(names) ? names[s] : "?";
}

static void *client_main(void *arg)
{
	struct wt_grpc_ingest *g = arg;
	struct wt_proto_decoder *dec = wt_proto_decoder_new();
	uint32_t delay = g->opt.backoff_min_ms;
	/* xorshift jitter seeded per process: reconnecting daemons do not retry in lockstep */
	uint64_t rnd = (uint64_t)now_ns() ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ULL;
	bool failed_before = false;
	while (!stopping(g)) {
		g->stats.attempts++;
		if (failed_before)
			g->stats.reconnects++;
		bool delivered;
		char details[512];
		uint64_t before = g->stats.messages;
		grpc_status_code st = run_call(g, dec, &delivered, details, sizeof details);
		if (stopping(g))
			break;
		if (delivered) {
			delay = g->opt.backoff_min_ms; /* a stream that worked restarts the backoff */
			g->gap_start = now_ns();
		}
		if (st == GRPC_STATUS_OK && g->opt.exit_on_end) {
			fprintf(g->in->log, "worktraced: tetragon %s: stream ended by the server after %llu messages\n",
				g->opt.target, (unsigned long long)(g->stats.messages - before));
			g->gap_start = 0;
			break;
		}
		failed_before = true;
		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		/* equal jitter: half the delay fixed, half random; never above the bound */
		uint32_t wait = delay / 2 + (uint32_t)(rnd % (delay / 2 + 1));
		if (wait > g->opt.backoff_max_ms)
			wait = g->opt.backoff_max_ms;
		fprintf(g->in->log, "worktraced: tetragon %s: stream %s: %s%s%s (%llu messages); retrying in %u ms\n",
			g->opt.target, !delivered ? "not available" : st == GRPC_STATUS_OK ? "ended" : "broken",
			status_name(st), *details ? ": " : "", details, (unsigned long long)(g->stats.messages - before),
			wait);
		backoff_wait(g, wait);
		delay = delay > g->opt.backoff_max_ms / 2 ? g->opt.backoff_max_ms : delay * 2;
	}
	if (g->gap_start) { /* stopped inside a gap: it counts up to now */
		g->stats.gaps++;
		g->stats.gap_ns += now_ns() - g->gap_start;
		g->gap_start = 0;
	}
	wt_proto_decoder_free(dec);
	if (g->done_fd >= 0) {
		ssize_t w = write(g->done_fd, "d", 1);
		(void)w;
	}
	return NULL;
}

enum wt_err wt_grpc_ingest_start(struct wt_grpc_ingest *g, const struct wt_grpc_opts *opt, struct wt_ingest *in,
				 struct wt_engine *en, int done_fd)
{
	memset(g, 0, sizeof *g);
	g->opt = *opt;
	if (!g->opt.backoff_min_ms)
		g->opt.backoff_min_ms = 100;
	if (g->opt.backoff_max_ms < g->opt.backoff_min_ms)
		g->opt.backoff_max_ms = g->opt.backoff_min_ms;
	/* localhost goes through the c-ares resolver, which leaks on every re-resolution while
	 * the server is down: a literal loopback address avoids it */
	if (strncmp(opt->target, "localhost:", 10) == 0) {
		g->target = wt_xmalloc(strlen(opt->target) + 16);
		sprintf(g->target, "ipv4:127.0.0.1:%s", opt->target + 10);
	} else {
		g->target = wt_xstrdup(opt->target);
	}
	g->in = in;
	g->en = en;
	g->done_fd = done_fd;
	pthread_mutex_init(&g->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cv, &ca);
	pthread_condattr_destroy(&ca);
	grpc_init();
	if (pthread_create(&g->thread, NULL, client_main, g) != 0) {
		grpc_shutdown();
		return WT_E_NOMEM;
	}
	pthread_setname_np(g->thread, "wt-grpc");
	return WT_OK;
}

void wt_grpc_ingest_stop(struct wt_grpc_ingest *g)
{
	pthread_mutex_lock(&g->mu);
	g->stop = true;
	if (g->call)
		grpc_call_cancel(g->call, NULL);
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

enum wt_err wt_grpc_ingest_join(struct wt_grpc_ingest *g)
{
	pthread_join(g->thread, NULL);
	grpc_shutdown();
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->cv);
	free(g->target);
	g->target = NULL;
	return g->result;
}

void wt_grpc_ingest_summary(const struct wt_grpc_ingest *g, FILE *f)
{
	const struct wt_grpc_stats *s = &g->stats;
	fprintf(f, "worktraced: tetragon summary: messages=%llu bytes=%llu streams=%llu attempts=%llu reconnects=%llu"
		" gaps=%llu gap_seconds=%.3f copied_messages=%llu\n",
		(unsigned long long)s->messages, (unsigned long long)s->bytes, (unsigned long long)s->streams,
		(unsigned long long)s->attempts, (unsigned long long)s->reconnects, (unsigned long long)s->gaps,
		(double)s->gap_ns / 1e9, (unsigned long long)s->multi_slice);
}
