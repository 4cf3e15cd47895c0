/* Unit tests of the ruleset reader and verifier: corrupted files are refused with a
 * message that names the problem. Each test rewrites the checksum after its change, so the
 * verifier itself (not only the CRC) is what refuses the file. */
#include "helpers.h"
#include <stdlib.h>
#include <string.h>

static const char *src =
	"rule r { on exec when process.binary == \"/bin/sh\" and process.uid > 0 severity high output \"{process.binary}\" }\n";

static void fix_crc(uint8_t *d, size_t len)
{
	wt_put_le32(d + 40, 0);
	wt_put_le32(d + 40, wt_crc32c(0, d, len));
}

static uint8_t *section(uint8_t *d, uint32_t id, uint32_t *size)
{
	uint32_t n = wt_get_le32(d + 24), off = wt_get_le32(d + 28);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *e = d + off + i * 16;
		if (wt_get_le32(e) == id) {
			*size = wt_get_le32(e + 12);
			return d + wt_get_le32(e + 8);
		}
	}
	fail_msg("section %u not found", id);
	return NULL;
}

/* Refused with status `want` and a message containing `needle`. */
static void expect_refused(uint8_t *d, size_t len, enum wt_err want, const char *needle)
{
	struct wt_bc bc;
	char err[512] = "";
	enum wt_err e = wt_bc_read(d, len, &bc, err, sizeof err);
	if (e != want || !strstr(err, needle))
		fail_msg("expected %s with '%s', got %s: '%s'", wt_err_str(want), needle, wt_err_str(e), err);
}

static void test_valid_file_loads(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = th_wtb(src, &len);
	struct wt_bc bc;
	char err[256];
	assert_int_equal(wt_bc_read(d, len, &bc, err, sizeof err), WT_OK);
	assert_int_equal(bc.n_rules, 1);
	wt_bc_free(&bc);
	free(d);
}

static void test_header_checks(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = th_wtb(src, &len);
	expect_refused(d, 10, WT_E_CORRUPT, "shorter than the 64-byte header");
	expect_refused(d, len - 1, WT_E_CORRUPT, "truncated");
	d[100] ^= 1;
	expect_refused(d, len, WT_E_CORRUPT, "checksum mismatch");
	d[100] ^= 1;
	d[0] = 'X';
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "bad magic");
	d[0] = 0x89;
	wt_put_le16(d + 8, 2);
	fix_crc(d, len);
	expect_refused(d, len, WT_E_VERSION, "format version 2.0 is not readable by this daemon (reads 1.x");
	wt_put_le16(d + 8, 1);
	wt_put_le32(d + 36, wt_get_le32(d + 36) ^ 0x5a5a);
	fix_crc(d, len);
	expect_refused(d, len, WT_E_SCHEMA, "field schema");
	free(d);
}

static void test_code_checks(void **state)
{
	(void)state;
	size_t len;
	uint8_t *orig = th_wtb(src, &len);
	uint8_t *d = malloc(len);
	uint32_t size;

	/* code: LOAD bin, PUSH_STR, EQ, JFALSE_OR_POP, LOAD uid, PUSH_INT, GT, RET */
	memcpy(d, orig, len);
	uint8_t *code = section(d, WT_SEC_CODE, &size) + 4;
	code[0] = 200; /* opcode */
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "unknown opcode 200");

	memcpy(d, orig, len);
	code = section(d, WT_SEC_CODE, &size) + 4;
	wt_put_le16(code + 2, 999); /* field id */
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "reads field 999");

	memcpy(d, orig, len);
	code = section(d, WT_SEC_CODE, &size) + 4;
	wt_put_le32(code + 3 * 8 + 4, 1); /* JFALSE_OR_POP back to 1 */
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "jumps must go forward inside the rule");

	memcpy(d, orig, len);
	code = section(d, WT_SEC_CODE, &size) + 4;
	code[0] = WT_OP_EQ; /* EQ on an empty stack */
	wt_put_le16(code + 2, 0);
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "needs 2 values, stack has 0");

	memcpy(d, orig, len);
	code = section(d, WT_SEC_CODE, &size) + 4;
	code[7 * 8] = WT_OP_NOT; /* last RET replaced: falls off the end */
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "falls off its end");

	memcpy(d, orig, len);
	code = section(d, WT_SEC_CODE, &size) + 4;
	wt_put_le32(code + 1 * 8 + 4, 100000); /* PUSH_STR index */
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "uses string 100000");

	memcpy(d, orig, len);
	uint8_t *rules = section(d, WT_SEC_RULES, &size) + 4;
	rules[16] = 9; /* severity */
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "invalid severity 9");

	memcpy(d, orig, len);
	rules = section(d, WT_SEC_RULES, &size) + 4;
	wt_put_le32(rules + 12, 1000); /* code_len */
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "outside the");

	free(d);
	free(orig);
}

static const char *path_src =
	"rule r { on exec when process.uid > 0 severity high output \"x\" }\n"
	"path p { within 10m by workspace\n"
	"  step a: kprobe when file.path startswith \"/tmp/\" capture d = file.path\n"
	"  step b: exec when process.binary == $d\n"
	"  severity high output \"x\" }\n";

static uint8_t *find_op(uint8_t *d, uint8_t op)
{
	uint32_t size;
	uint8_t *code = section(d, WT_SEC_CODE, &size) + 4;
	for (uint32_t i = 0; i < wt_get_le32(code - 4); i++)
		if (code[i * 8] == op)
			return code + i * 8;
	fail_msg("opcode %u not found", op);
	return NULL;
}

/* Paths: LOAD_CAPTURE reads only the path's captures (none in a rule), and path and step
 * records are checked like rule records. */
static void test_path_checks(void **state)
{
	(void)state;
	size_t len;
	uint8_t *orig = th_wtb(path_src, &len);
	uint8_t *d = malloc(len);
	uint32_t size;
	struct wt_bc bc;
	char err[512];
	assert_int_equal(wt_bc_read(orig, len, &bc, err, sizeof err), WT_OK);
	assert_int_equal(bc.n_paths, 1);
	assert_int_equal(bc.n_steps, 2);
	assert_int_equal(bc.n_captures, 1);
	assert_int_equal(bc.minor, 1);
	wt_bc_free(&bc);

	memcpy(d, orig, len);
	wt_put_le32(find_op(d, WT_OP_LOAD_CAPTURE) + 4, 1);
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "path p: instruction 1 reads capture 1 of 1");

	memcpy(d, orig, len);
	uint8_t *in = find_op(d, WT_OP_LOAD); /* the rule's LOAD process.uid */
	in[0] = WT_OP_LOAD_CAPTURE;
	wt_put_le16(in + 2, 0);
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "rule r: instruction 0 reads capture 0 of 0");

	memcpy(d, orig, len);
	uint8_t *paths = section(d, WT_SEC_PATHS, &size) + 4;
	wt_put_le32(paths + 7 * 4, 100); /* step_n */
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "path p: steps 0+100 outside the 2 steps");

	memcpy(d, orig, len);
	paths = section(d, WT_SEC_PATHS, &size) + 4;
	wt_put_le32(paths + 9 * 4, 0); /* cap_n: the step's LOAD_CAPTURE 0 is now out of range */
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "captures outside its path's captures");

	memcpy(d, orig, len);
	uint8_t *steps = section(d, WT_SEC_STEPS, &size) + 4;
	wt_put_le32(steps + 36 + 2 * 4, 3); /* flags: negative and until */
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "path p: step 1 has invalid flags 0x3");

	memcpy(d, orig, len);
	steps = section(d, WT_SEC_STEPS, &size) + 4;
	wt_put_le32(steps + 36 + 4 * 4, 99999); /* code_len */
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "path p: step 1 code");

	memcpy(d, orig, len);
	uint8_t *caps = section(d, WT_SEC_CAPTURES, &size) + 4;
	wt_put_le32(caps + 4, WT_F_ARGS_STRING); /* a list field */
	fix_crc(d, len);
	expect_refused(d, len, WT_E_CORRUPT, "path p: capture 0 is invalid");

	free(d);
	free(orig);
}

static void test_every_truncation_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = th_wtb(src, &len);
	for (size_t n = 0; n < len; n++) {
		uint8_t *t = malloc(n ? n : 1);
		memcpy(t, d, n);
		struct wt_bc bc;
		char err[256];
		assert_int_not_equal(wt_bc_read(t, n, &bc, err, sizeof err), WT_OK);
		free(t);
	}
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_file_loads),
		cmocka_unit_test(test_header_checks),
		cmocka_unit_test(test_code_checks),
		cmocka_unit_test(test_path_checks),
		cmocka_unit_test(test_every_truncation_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
