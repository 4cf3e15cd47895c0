/* Parse-only baseline for `make bench`: the same simdjson decoder worktraced uses, over
 * the same file, with no enrichment, pipelines or output. Prints lines/s and MB/s.
 * usage: bench_decode FILE */
#include "decode.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_decode FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)size + WT_JSON_PADDING);
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "short read\n");
		return 2;
	}
	memset(buf + size, 0, WT_JSON_PADDING);
	fclose(f);
	struct wt_json_decoder *d = wt_json_decoder_new();
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t lines = 0, ok = 0, fields = 0;
	char err[256];
	for (char *p = buf, *end = buf + size; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		lines++;
		if (wt_json_decode(d, p, len, &b, err, sizeof err) == WT_OK) {
			ok++;
			fields += b.ev.proc.pid + b.ev.n_args; /* keep the work observable */
		}
		p += len + 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("parse-only: %llu lines (%llu decoded) in %.3f s: %.0f lines/s, %.1f MB/s (checksum %llu)\n",
	       (unsigned long long)lines, (unsigned long long)ok, s, (double)lines / s, (double)size / s / 1048576.0,
	       (unsigned long long)fields);
	wt_event_builder_free(&b);
	wt_json_decoder_free(d);
	free(buf);
	return 0;
}
