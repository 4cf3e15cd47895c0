/* libFuzzer harness of the threat-record renderer and the sink formatters: arbitrary bytes
 * become the event's strings (length-prefixed fields: any byte, invalid UTF-8, NUL), the
 * record is rendered as JSON and as Alertmanager, Falcosidekick and RFC 5424 syslog payloads,
 * and each must be valid (strict JSON with valid UTF-8; one syslog line of valid UTF-8). */
#include "compile.h"
#include "output.h"
#include "sink.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules_src[] =
	"rule fuzz.rule { on exec when process.binary != \"\" severity critical mitre [\"T1059\", \"T1611\"]"
	" tags [\"a\", \"b\\\"c\"] output \"m {process.binary} {process.args} {workspace.id} {workspace.owner}"
	" {pod.namespace} {process.cwd} {node.name} {parent.binary}\" }";

static struct wt_ruleset *rs;

static void load_rules(void)
{
	struct wt_diags d;
	wt_diags_init(&d);
	struct wt_compiler c;
	wt_compiler_init(&c, &d);
	wt_compiler_add_source(&c, "fuzz.wt", rules_src, strlen(rules_src));
	struct wt_bc_writer w;
	wt_bc_writer_init(&w);
	uint8_t *bytes = NULL;
	size_t len = 0;
	struct wt_bc bc;
	char err[512];
	if (wt_compiler_check(&c) != WT_OK || wt_compiler_codegen(&c, &w) != WT_OK ||
	    wt_bc_serialize(&w, &bytes, &len) != WT_OK || wt_bc_read(bytes, len, &bc, err, sizeof err) != WT_OK ||
	    wt_ruleset_from_bc_flags(&bc, WT_RULESET_NO_JIT, &rs, err, sizeof err) != WT_OK) {
		fprintf(stderr, "fuzz_record: the harness's rule does not load\n");
		abort();
	}
	free(bytes);
	wt_bc_writer_free(&w);
	wt_compiler_free(&c);
	wt_diags_free(&d);
}

/* --- a strict JSON validator (RFC 8259, UTF-8) -------------------------------------------- */

struct jv {
	const unsigned char *p, *end;
};

static void ws(struct jv *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool utf8_seq(struct jv *j)
{
	unsigned c = *j->p, len, min;
	if (c < 0x80) {
		j->p++;
		return true;
	}
	if ((c & 0xe0) == 0xc0) { len = 2; min = 0x80; c &= 0x1f; }
	else if ((c & 0xf0) == 0xe0) { len = 3; min = 0x800; c &= 0x0f; }
	else if ((c & 0xf8) == 0xf0) { len = 4; min = 0x10000; c &= 0x07; }
	else return false;
	if ((size_t)(j->end - j->p) < len)
		return false;
	for (unsigned i = 1; i < len; i++) {
		if ((j->p[i] & 0xc0) != 0x80)
			return false;
		c = (c << 6) | (j->p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return false;
	j->p += len;
	return true;
}

static bool string(struct jv *j)
{
	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		if (*j->p < 0x20)
			return false;
		if (*j->p == '\\') {
			j->p++;
			if (j->p >= j->end)
				return false;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (j->p + i >= j->end || !strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
						return false;
				j->p += 5;
			} else if (strchr("\"\\/bfnrt", *j->p) && *j->p) {
				j->p++;
			} else {
				return false;
			}
			continue;
		}
		if (!utf8_seq(j))
			return false;
	}
	if (j->p >= j->end)
		return false;
	j->p++;
	return true;
}

static bool value(struct jv *j, int depth);

static bool number(struct jv *j)
{
	const unsigned char *s = j->p;
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return false;
	while (j->p < j->end && ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' || *j->p == 'e' || *j->p == 'E' ||
				 *j->p == '+' || *j->p == '-'))
		j->p++;
	return j->p > s;
}

static bool word(struct jv *j, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
		return false;
	j->p += n;
	return true;
}

static bool value(struct jv *j, int depth)
{
	ws(j);
	if (j->p >= j->end || depth > 32)
		return false;
	char c = (char)*j->p;
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		j->p++;
		ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return true;
		}
		for (;;) {
			if (c == '{') {
				ws(j);
				if (!string(j))
					return false;
				ws(j);
				if (j->p >= j->end || *j->p++ != ':')
					return false;
			}
			if (!value(j, depth + 1))
				return false;
			ws(j);
			if (j->p >= j->end)
				return false;
			if (*j->p == close) {
				j->p++;
				return true;
			}
			if (*j->p++ != ',')
				return false;
		}
	}
	if (c == '"')
		return string(j);
	if (c == 't')
		return word(j, "true");
	if (c == 'f')
		return word(j, "false");
	if (c == 'n')
		return word(j, "null");
	return number(j);
}

static void must_be_json(const char *what, const char *p, size_t n)
{
	struct jv j = {(const unsigned char *)p, (const unsigned char *)p + n};
	bool ok = value(&j, 0);
	ws(&j);
	if (!ok || j.p != j.end) {
		fprintf(stderr, "fuzz_record: invalid %s at byte %zu: %.*s\n", what,
			(size_t)(j.p - (const unsigned char *)p), (int)(n < 2000 ? n : 2000), p);
		abort();
	}
}

static void must_be_syslog_line(const char *p, size_t n)
{
	struct jv j = {(const unsigned char *)p, (const unsigned char *)p + n};
	if (n < 4 || p[0] != '<')
		abort();
	while (j.p < j.end) {
		if (*j.p < 0x20 || *j.p == 0x7f || !utf8_seq(&j)) {
			fprintf(stderr, "fuzz_record: syslog byte %zu invalid: %.*s\n", (size_t)(j.p - (const unsigned char *)p),
				(int)n, p);
			abort();
		}
	}
}

/* --- the harness -------------------------------------------------------------------------- */

/* Next field: one length byte then that many bytes (the rest when short). */
static struct wt_str field(struct wt_event_builder *b, const uint8_t **d, size_t *n)
{
	if (!*n)
		return (struct wt_str){WT_STR_NONE, 0};
	size_t len = **d;
	(*d)++;
	(*n)--;
	if (len == 255) /* the rest of the input: long values and the cut at 4096 bytes */
		len = *n;
	if (len > *n)
		len = *n;
	struct wt_str s = wt_event_builder_add(b, (const char *)*d, len);
	*d += len;
	*n -= len;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!rs)
		load_rules();
	if (size > 1 << 18)
		return 0;
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	struct wt_event *ev = &b.ev;
	const uint8_t *d = data;
	size_t n = size;
	ev->kind = WT_KIND_EXEC;
	ev->time = 1791970800LL * 1000000000LL + (n ? (int64_t)d[0] * 999999937LL : 0);
	ev->proc.present = true;
	ev->proc.pid = 4242;
	ev->proc.binary = field(&b, &d, &n);
	ev->ws_id = field(&b, &d, &n);
	ev->ws_owner = field(&b, &d, &n);
	ev->pod.present = true;
	ev->pod.ns = field(&b, &d, &n);
	ev->pod.name = field(&b, &d, &n);
	ev->pod.container_name = field(&b, &d, &n);
	ev->pod.image = field(&b, &d, &n);
	ev->node = field(&b, &d, &n);
	ev->proc.cwd = field(&b, &d, &n);
	ev->proc.exec_id = field(&b, &d, &n);
	ev->parent.present = true;
	ev->parent.binary = field(&b, &d, &n);
	ev->function = field(&b, &d, &n);
	ev->proc.args = field(&b, &d, &n);
	struct wt_event *e = wt_event_finish(&b, 1);
	wt_event_builder_free(&b);

	struct wt_threat t = {.rs = rs, .rule = &rs->rules[0], .pipeline = WT_PIPE_DIRECT, .ev = e};
	struct wt_dedup_info di = {3, e->time - 5000000000LL, e->time, n & 1, 60000000000LL};
	struct wt_buf rec;
	wt_buf_init(&rec);
	wt_output_render(&rec, &t, &di, rs);
	must_be_json("threat record", rec.p, rec.len);

	struct wt_sink_record *r = wt_sink_record_new(&t, &di, rec.p, rec.len);
	struct wt_buf out;
	wt_buf_init(&out);
	wt_sink_alertmanager_format(&out, &r, 1, 1791970800LL * 1000000000LL, 300);
	must_be_json("Alertmanager payload", out.p, out.len);
	out.len = 0;
	wt_sink_falcosidekick_format(&out, r, "host\"\n");
	must_be_json("Falcosidekick payload", out.p, out.len);
	out.len = 0;
	wt_sink_syslog_format(&out, r, 16, "host name", "worktraced", 1);
	must_be_syslog_line(out.p, out.len);
	wt_buf_free(&out);
	wt_sink_record_release(r);
	wt_buf_free(&rec);
	wt_event_release(e);
	wt_event_pool_drain();
	return 0;
}
