/* Benchmark Tetragon: a gRPC C core server of tetragon.FineGuidanceSensors/GetEvents that
 * streams COUNT messages, cycling through a pool of pre-serialized GetEventsResponse
 * messages (a file of varint length + bytes, as tetragon-server.py --dump writes), then
 * ends the call with status OK. It serves CALLS calls one after another and exits. The
 * Python test server tops out at a few thousand events/s; this one measures the client.
 * RATE (events/s, 0: as fast as the client takes them) paces the stream.
 * Usage: grpc_server ADDRESS POOL COUNT [CALLS [RATE]] */
#include "decode.h"
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void wait_tag(grpc_completion_queue *cq, void *tag)
{
	for (;;) {
		grpc_event ev = grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
		if (ev.type == GRPC_OP_COMPLETE && ev.tag == tag)
			return;
		if (ev.type == GRPC_QUEUE_SHUTDOWN)
			exit(1);
	}
}

static grpc_slice *load_pool(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	size_t cap = 1024;
	grpc_slice *pool = malloc(cap * sizeof *pool);
	*n = 0;
	uint8_t *buf = NULL;
	size_t bcap = 0, len;
	enum wt_err e;
	while ((e = wt_proto_read_delimited(f, &buf, &bcap, &len)) == WT_OK) {
		if (*n == cap)
			pool = realloc(pool, (cap *= 2) * sizeof *pool);
		pool[(*n)++] = grpc_slice_from_copied_buffer((const char *)buf, len);
	}
	free(buf);
	if (e != WT_E_CLOSED) {
		fprintf(stderr, "%s: truncated\n", path);
		exit(1);
	}
	fclose(f);
	if (!*n) {
		fprintf(stderr, "%s: no messages\n", path);
		exit(1);
	}
	return pool;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: grpc_server ADDRESS POOL COUNT [CALLS [RATE]]\n");
		return 64;
	}
	size_t n_pool;
	grpc_init();
	grpc_slice *pool = load_pool(argv[2], &n_pool);
	long count = atol(argv[3]), calls = argc > 4 ? atol(argv[4]) : 1;
	double rate = argc > 5 ? atof(argv[5]) : 0;
	grpc_server *server = grpc_server_create(NULL, NULL);
	grpc_completion_queue *cq = grpc_completion_queue_create_for_next(NULL);
	grpc_server_register_completion_queue(server, cq, NULL);
	grpc_server_credentials *creds = grpc_insecure_server_credentials_create();
	if (!grpc_server_add_http2_port(server, argv[1], creds)) {
		fprintf(stderr, "cannot listen on %s\n", argv[1]);
		return 1;
	}
	grpc_server_credentials_release(creds);
	grpc_server_start(server);
	printf("serving %s: %zu messages in the pool\n", argv[1], n_pool);
	fflush(stdout);
	for (long k = 0; k < calls; k++) {
		grpc_call *call;
		grpc_call_details details;
		grpc_metadata_array md;
		grpc_call_details_init(&details);
		grpc_metadata_array_init(&md);
		void *t_new = (void *)1, *t_op = (void *)2;
		grpc_server_request_call(server, &call, &details, &md, cq, cq, t_new);
		wait_tag(cq, t_new);
		grpc_byte_buffer *req = NULL;
		grpc_op ops[2];
		memset(ops, 0, sizeof ops);
		ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
		ops[1].op = GRPC_OP_RECV_MESSAGE;
		ops[1].data.recv_message.recv_message = &req;
		grpc_call_start_batch(call, ops, 2, t_op, NULL);
		wait_tag(cq, t_op);
		if (req)
			grpc_byte_buffer_destroy(req);
		int cancelled = 0;
		double start = now();
		for (long i = 0; i < count; i++) {
			if (rate > 0) {
				double ahead = start + i / rate - now();
				if (ahead > 0.001) {
					struct timespec ts = {(time_t)ahead, (long)((ahead - (time_t)ahead) * 1e9)};
					nanosleep(&ts, NULL);
				}
			}
			grpc_byte_buffer *bb = grpc_raw_byte_buffer_create(&pool[i % (long)n_pool], 1);
			grpc_op op;
			memset(&op, 0, sizeof op);
			op.op = GRPC_OP_SEND_MESSAGE;
			op.data.send_message.send_message = bb;
			grpc_call_start_batch(call, &op, 1, t_op, NULL);
			for (;;) {
				grpc_event ev = grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
				if (ev.type == GRPC_OP_COMPLETE && ev.tag == t_op) {
					cancelled = !ev.success;
					break;
				}
			}
			grpc_byte_buffer_destroy(bb);
			if (cancelled)
				break;
		}
		memset(ops, 0, sizeof ops);
		ops[0].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
		ops[0].data.send_status_from_server.status = GRPC_STATUS_OK;
		ops[1].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
		ops[1].data.recv_close_on_server.cancelled = &cancelled;
		grpc_call_start_batch(call, ops, 2, t_op, NULL);
		wait_tag(cq, t_op);
		grpc_call_unref(call);
		grpc_call_details_destroy(&details);
		grpc_metadata_array_destroy(&md);
	}
	grpc_server_shutdown_and_notify(server, cq, (void *)3);
	wait_tag(cq, (void *)3);
	grpc_server_destroy(server);
	grpc_completion_queue_shutdown(cq);
	while (grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type != GRPC_QUEUE_SHUTDOWN)
		;
	grpc_completion_queue_destroy(cq);
	for (size_t i = 0; i < n_pool; i++)
		grpc_slice_unref(pool[i]);
	free(pool);
	grpc_shutdown();
	return 0;
}
