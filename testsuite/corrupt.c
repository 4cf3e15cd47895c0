/* Corrupted-ruleset exerciser. For a compiled ruleset it checks that every truncation is
 * refused, that every single-byte flip is refused by the checksum, and that the same flips
 * with the checksum rewritten (so the verifier, not the CRC, judges them) are either
 * refused with a message or load and evaluate safely against sample events. Crashes, hangs
 * and sanitizer reports are the failures this hunts; run it under ASan/UBSan.
 * usage: corrupt RULESET.wtb EVENTS.jsonl [STRIDE] */
#include "bytecode.h"
#include "decode.h"
#include "ruleset.h"
#include "vm.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct wt_event *events[256];
static int n_events;

static void load_events(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	struct wt_json_decoder *d = wt_json_decoder_new();
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0 && n_events < 256) {
		char *buf = calloc(1, (size_t)n + WT_JSON_PADDING);
		memcpy(buf, line, (size_t)n);
		char err[256];
		if (wt_json_decode(d, buf, (size_t)n, &b, err, sizeof err) == WT_OK)
			events[n_events++] = wt_event_finish(&b, 1);
		free(buf);
	}
	free(line);
	fclose(f);
	wt_event_builder_free(&b);
	wt_json_decoder_free(d);
}

static void fix_crc(uint8_t *d, size_t len)
{
	if (len < WT_BC_HEADER_SIZE)
		return;
	wt_put_le32(d + 40, 0);
	wt_put_le32(d + 40, wt_crc32c(0, d, len));
}

/* Returns true when the image loaded (and was then run against every sample event). */
static bool try_load(const uint8_t *d, size_t len, uint64_t *matches)
{
	struct wt_bc bc;
	char err[512];
	if (wt_bc_read(d, len, &bc, err, sizeof err) != WT_OK) {
		if (getenv("WT_CORRUPT_VERBOSE"))
			fprintf(stderr, "refused: %s\n", err);
		if (!err[0]) {
			fprintf(stderr, "refused without a message\n");
			exit(1);
		}
		return false;
	}
	struct wt_ruleset *rs;
	if (wt_ruleset_from_bc_flags(&bc, WT_RULESET_NO_JIT, &rs, err, sizeof err) != WT_OK) {
		if (getenv("WT_CORRUPT_VERBOSE"))
			fprintf(stderr, "refused at load: %s\n", err);
		return false;
	}
	struct wt_vm vm;
	wt_vm_init(&vm);
	for (int e = 0; e < n_events; e++)
		for (uint32_t r = 0; r < rs->bc.n_rules; r++)
			*matches += wt_vm_run(&vm, rs, &rs->rules[r], events[e]);
	wt_vm_free(&vm);
	wt_ruleset_free(rs);
	return true;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: corrupt RULESET.wtb EVENTS.jsonl [STRIDE]\n");
		return 2;
	}
	size_t stride = argc > 3 ? strtoul(argv[3], NULL, 10) : 1;
	if (!stride)
		stride = 1;
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	static uint8_t orig[WT_MAX_RULESET_BYTES / 64];
	size_t len = fread(orig, 1, sizeof orig, f);
	fclose(f);
	load_events(argv[2]);
	uint64_t matches = 0;
	if (!try_load(orig, len, &matches)) {
		fprintf(stderr, "the unmodified ruleset does not load\n");
		return 1;
	}
	uint8_t *d = malloc(len);
	size_t trunc_refused = 0;
	for (size_t n = 0; n < len; n += (n < 256 ? 1 : stride)) {
		memcpy(d, orig, n);
		if (try_load(d, n, &matches)) {
			fprintf(stderr, "truncation to %zu bytes was accepted\n", n);
			return 1;
		}
		trunc_refused++;
	}
	size_t crc_refused = 0, verifier_refused = 0, loaded = 0;
	for (size_t i = 0; i < len; i += (i < 256 ? 1 : stride)) {
		memcpy(d, orig, len);
		d[i] ^= 0xff;
		if (try_load(d, len, &matches)) {
			fprintf(stderr, "flip at byte %zu accepted without a checksum rewrite\n", i);
			return 1;
		}
		crc_refused++;
		if (i >= 40 && i < 44)
			continue; /* the checksum field itself */
		fix_crc(d, len);
		if (try_load(d, len, &matches))
			loaded++;
		else
			verifier_refused++;
	}
	printf("corrupt: %zu bytes; truncations refused %zu; flips refused by checksum %zu; "
	       "with checksum rewritten: refused %zu, loaded and ran safely %zu (%llu matches)\n",
	       len, trunc_refused, crc_refused, verifier_refused, loaded, (unsigned long long)matches);
	free(d);
	for (int e = 0; e < n_events; e++)
		wt_event_release(events[e]);
	return 0;
}
