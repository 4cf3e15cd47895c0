/* Protobuf decode ceilings over a pool of GetEventsResponse messages (varint length +
 * bytes, as tetragon-server.py --dump writes): protobuf-c unpack alone (into an arena reset
 * per message, nothing read), and wt_proto_decode (unpack + copy into the event model).
 * Usage: bench_proto POOL COUNT */
#include "arena.h"
#include "decode.h"
#include "tetragon.pb-c.h"
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

static void *arena_alloc(void *data, size_t n)
{
	return wt_arena_alloc_raw(data, n);
}

static void arena_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_proto POOL COUNT\n");
		return 64;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	size_t n = 0, cap = 1024;
	uint8_t **msg = malloc(cap * sizeof *msg);
	size_t *len = malloc(cap * sizeof *len);
	uint8_t *buf = NULL;
	size_t bcap = 0, l;
	enum wt_err e;
	while ((e = wt_proto_read_delimited(f, &buf, &bcap, &l)) == WT_OK) {
		if (n == cap) {
			cap *= 2;
			msg = realloc(msg, cap * sizeof *msg);
			len = realloc(len, cap * sizeof *len);
		}
		msg[n] = malloc(l ? l : 1);
		memcpy(msg[n], buf, l);
		len[n++] = l;
	}
	free(buf);
	if (e != WT_E_CLOSED) {
		fprintf(stderr, "%s: truncated\n", argv[1]);
		return 1;
	}
	fclose(f);
	if (!n)
		return 1;
	long count = atol(argv[2]);
	struct wt_arena arena;
	wt_arena_init(&arena);
	ProtobufCAllocator alloc = {arena_alloc, arena_free, &arena};
	size_t bytes = 0;
	double t0 = now();
	for (long i = 0; i < count; i++) {
		wt_arena_reset(&arena);
		Tetragon__GetEventsResponse *r = tetragon__get_events_response__unpack(&alloc, len[i % n], msg[i % n]);
		if (!r)
			return 1;
		bytes += len[i % n];
	}
	double t1 = now();
	printf("protobuf-c unpack only: %ld messages in %.3f s: %.0f messages/s, %.0f MB/s\n", count, t1 - t0,
	       count / (t1 - t0), bytes / (t1 - t0) / 1e6);
	struct wt_proto_decoder *d = wt_proto_decoder_new();
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	char err[256];
	t0 = now();
	for (long i = 0; i < count; i++)
		if (wt_proto_decode(d, msg[i % n], len[i % n], &b, err, sizeof err) != WT_OK) {
			fprintf(stderr, "message %ld: %s\n", i, err);
			return 1;
		}
	t1 = now();
	printf("wt_proto_decode (unpack + event model): %ld messages in %.3f s: %.0f messages/s\n", count, t1 - t0,
	       count / (t1 - t0));
	wt_event_builder_free(&b);
	wt_proto_decoder_free(d);
	wt_arena_free(&arena);
	for (size_t i = 0; i < n; i++)
		free(msg[i]);
	free(msg);
	free(len);
	return 0;
}
