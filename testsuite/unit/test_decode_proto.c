/* Unit tests of the protobuf decoder: each event is built as a protobuf-c message, packed,
 * decoded by wt_proto_decode, and compared field by field (every field of fields.def, every
 * argument, every pod label) with wt_json_decode of the same event's JSON export line.
 * With arguments JSONL DUMP (DUMP: the length-delimited messages the test Tetragon serves
 * for those lines, see testsuite/grpc-parity.sh) it compares every event of a capture. */
#include "helpers.h"
#include "tetragon.pb-c.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* proto3 has no empty string apart from an absent one: the comparison treats them alike. */
static bool same_value(const struct wt_value *a, const struct wt_value *b)
{
	bool ea = !a->present || ((a->type == WT_T_STR || a->type == WT_T_ADDR) && a->len == 0);
	bool eb = !b->present || ((b->type == WT_T_STR || b->type == WT_T_ADDR) && b->len == 0);
	if (ea || eb)
		return ea == eb;
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case WT_T_STR:
	case WT_T_ADDR: return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
	case WT_T_INT:
	case WT_T_BOOL: return a->i == b->i;
	default: return a->n == b->n;
	}
}

static void show(const struct wt_value *v, char *out, size_t n)
{
	if (!v->present)
		snprintf(out, n, "<absent>");
	else if (v->type == WT_T_STR || v->type == WT_T_ADDR)
		snprintf(out, n, "\"%.*s\"", (int)v->len, v->s);
	else if (v->type == WT_T_STRLIST || v->type == WT_T_INTLIST)
		snprintf(out, n, "list of %u", v->n);
	else
		snprintf(out, n, "%lld", (long long)v->i);
}

/* The first difference between the two events, written to why; false when none. */
static bool differ(const struct wt_event *j, const struct wt_event *p, char *why, size_t n)
{
	char a[160], b[160];
	if (j->kind != p->kind || j->time != p->time || j->n_args != p->n_args || j->n_ancestors != p->n_ancestors ||
	    j->pod.n_labels != p->pod.n_labels || j->proc.present != p->proc.present ||
	    j->parent.present != p->parent.present || j->pod.present != p->pod.present) {
		snprintf(why, n, "kind %d/%d time %lld/%lld args %u/%u ancestors %u/%u labels %u/%u present %d%d%d/%d%d%d",
			 j->kind, p->kind, (long long)j->time, (long long)p->time, j->n_args, p->n_args, j->n_ancestors,
			 p->n_ancestors, j->pod.n_labels, p->pod.n_labels, j->proc.present, j->parent.present,
			 j->pod.present, p->proc.present, p->parent.present, p->pod.present);
		return true;
	}
	for (int f = 0; f < WT_F_COUNT; f++) {
		struct wt_value vj, vp;
		if (wt_fields[f].sel == WT_FSEL_NONE) {
			wt_event_get(j, (enum wt_field_id)f, &vj);
			wt_event_get(p, (enum wt_field_id)f, &vp);
			bool same = same_value(&vj, &vp);
			for (uint32_t i = 0; same && vj.present && (vj.type == WT_T_STRLIST || vj.type == WT_T_INTLIST) && i < vj.n; i++) {
				struct wt_value ej, ep;
				wt_event_list_elem(j, &vj, i, &ej);
				wt_event_list_elem(p, &vp, i, &ep);
				same = same_value(&ej, &ep);
			}
			if (!same) {
				show(&vj, a, sizeof a);
				show(&vp, b, sizeof b);
				snprintf(why, n, "%s: json %s, proto %s", wt_fields[f].name, a, b);
				return true;
			}
		} else if (wt_fields[f].sel == WT_FSEL_ARG) {
			for (uint32_t i = 0; i < j->n_args; i++) {
				wt_event_get_sel(j, (enum wt_field_id)f, WT_SEL_INDEX, i, NULL, 0, &vj);
				wt_event_get_sel(p, (enum wt_field_id)f, WT_SEL_INDEX, i, NULL, 0, &vp);
				if (!same_value(&vj, &vp)) {
					show(&vj, a, sizeof a);
					show(&vp, b, sizeof b);
					snprintf(why, n, "args[%u] %s: json %s, proto %s", i, wt_fields[f].name, a, b);
					return true;
				}
			}
		} else {
			for (uint32_t i = 0; i < j->pod.n_labels; i++) {
				const char *k = wt_event_str(j, j->pod.label_key[i]);
				wt_event_get_sel(j, (enum wt_field_id)f, WT_SEL_LABEL, 0, k, j->pod.label_key[i].len, &vj);
				wt_event_get_sel(p, (enum wt_field_id)f, WT_SEL_LABEL, 0, k, j->pod.label_key[i].len, &vp);
				if (!same_value(&vj, &vp)) {
					snprintf(why, n, "pod label %s differs", k);
					return true;
				}
			}
		}
	}
	for (uint32_t i = 0; i < j->n_args; i++) {
		const struct wt_arg *x = &j->args[i], *y = &p->args[i];
		if (x->n_tainted != y->n_tainted) {
			snprintf(why, n, "args[%u]: %u / %u taint flags", i, x->n_tainted, y->n_tainted);
			return true;
		}
	}
	return false;
}

struct pair {
	struct wt_json_decoder *jd;
	struct wt_proto_decoder *pd;
	struct wt_event_builder bj, bp;
};

static void pair_init(struct pair *p)
{
	p->jd = wt_json_decoder_new();
	p->pd = wt_proto_decoder_new();
	wt_event_builder_init(&p->bj);
	wt_event_builder_init(&p->bp);
}

static void pair_free(struct pair *p)
{
	wt_json_decoder_free(p->jd);
	wt_proto_decoder_free(p->pd);
	wt_event_builder_free(&p->bj);
	wt_event_builder_free(&p->bp);
}

/* Decode both forms; returns the proto decoder's result and fills why with a difference
 * (empty when the events are equal). */
static enum wt_err compare(struct pair *p, const char *json, size_t jlen, const uint8_t *msg, size_t mlen, char *why,
			   size_t n)
{
	char *line = calloc(1, jlen + WT_JSON_PADDING);
	memcpy(line, json, jlen);
	char err[256];
	why[0] = 0;
	enum wt_err ej = wt_json_decode(p->jd, line, jlen, &p->bj, err, sizeof err);
	free(line);
	enum wt_err ep = wt_proto_decode(p->pd, msg, mlen, &p->bp, err, sizeof err);
	if (ej != ep) {
		snprintf(why, n, "json decode %s, proto decode %s (%s)", wt_err_str(ej), wt_err_str(ep), err);
		return ep;
	}
	if (ep != WT_OK)
		return ep;
	struct wt_event *a = wt_event_finish(&p->bj, 1), *b = wt_event_finish(&p->bp, 1);
	differ(a, b, why, n);
	wt_event_release(a);
	wt_event_release(b);
	return ep;
}

/* ---- events built in C ---- */

static uint8_t packed[65536];

static size_t pack(const Tetragon__GetEventsResponse *r)
{
	size_t n = tetragon__get_events_response__get_packed_size(r);
	assert_true(n <= sizeof packed);
	return tetragon__get_events_response__pack(r, packed);
}

static void expect_same(const char *json, const Tetragon__GetEventsResponse *r)
{
	struct pair p;
	pair_init(&p);
	char why[512];
	size_t n = pack(r);
	assert_int_equal(compare(&p, json, strlen(json), packed, n, why, sizeof why), WT_OK);
	if (why[0])
		fail_msg("%s", why);
	pair_free(&p);
}

static Google__Protobuf__Timestamp ts(int64_t s, int32_t ns)
{
	Google__Protobuf__Timestamp t = GOOGLE__PROTOBUF__TIMESTAMP__INIT;
	t.seconds = s;
	t.nanos = ns;
	return t;
}

static void test_exec(void **state)
{
	(void)state;
	Google__Protobuf__UInt32Value pid = GOOGLE__PROTOBUF__UINT32_VALUE__INIT, uid = pid, auid = pid, ppid = pid;
	pid.value = 42;
	uid.value = 1000;
	auid.value = 4294967295u;
	ppid.value = 7;
	Google__Protobuf__BoolValue init = GOOGLE__PROTOBUF__BOOL_VALUE__INIT;
	init.value = 1;
	Google__Protobuf__Timestamp start = ts(1791970802, 500000000), time = ts(1791970803, 0);
	Tetragon__Image img = TETRAGON__IMAGE__INIT;
	img.name = "img:1";
	Tetragon__Container co = TETRAGON__CONTAINER__INIT;
	co.id = "c://1";
	co.name = "dev";
	co.image = &img;
	Tetragon__Pod__PodLabelsEntry l1 = TETRAGON__POD__POD_LABELS_ENTRY__INIT, l2 = l1;
	l1.key = "worktrace.io/workspace";
	l1.value = "alice-ws";
	l2.key = "app";
	l2.value = "ide";
	Tetragon__Pod__PodLabelsEntry *labels[] = {&l1, &l2};
	Tetragon__Pod pod = TETRAGON__POD__INIT;
	pod.namespace_ = "ws-a";
	pod.name = "p";
	pod.container = &co;
	pod.n_pod_labels = 2;
	pod.pod_labels = labels;
	pod.workload = "w";
	pod.workload_kind = "Deployment";
	Tetragon__Process proc = TETRAGON__PROCESS__INIT, parent = proc, anc1 = proc, anc2 = proc;
	proc.exec_id = "bjE6MToy";
	proc.pid = &pid;
	proc.uid = &uid;
	proc.cwd = "/home/a";
	proc.binary = "/usr/bin/curl";
	proc.arguments = "-o x \"a b\"";
	proc.flags = "execve clone";
	proc.start_time = &start;
	proc.auid = &auid;
	proc.pod = &pod;
	proc.parent_exec_id = "cGFyZW50";
	proc.in_init_tree = &init;
	parent.exec_id = "cGFyZW50";
	parent.binary = "/bin/bash";
	parent.pid = &ppid;
	anc1.binary = "/bin/bash";
	anc2.binary = "/usr/sbin/sshd";
	Tetragon__Process *anc[] = {&anc1, &anc2};
	Tetragon__ProcessExec ex = TETRAGON__PROCESS_EXEC__INIT;
	ex.process = &proc;
	ex.parent = &parent;
	ex.n_ancestors = 2;
	ex.ancestors = anc;
	Tetragon__GetEventsResponse r = TETRAGON__GET_EVENTS_RESPONSE__INIT;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXEC;
	r.process_exec = &ex;
	r.node_name = "n1";
	r.time = &time;
	expect_same("{\"process_exec\":{\"process\":{\"exec_id\":\"bjE6MToy\",\"pid\":42,\"uid\":1000,\"cwd\":\"/home/a\","
		    "\"binary\":\"/usr/bin/curl\",\"arguments\":\"-o x \\\"a b\\\"\",\"flags\":\"execve clone\","
		    "\"start_time\":\"2026-10-14T09:40:02.5Z\",\"auid\":4294967295,\"in_init_tree\":true,"
		    "\"pod\":{\"namespace\":\"ws-a\",\"name\":\"p\",\"container\":{\"id\":\"c://1\",\"name\":\"dev\","
		    "\"image\":{\"id\":\"i\",\"name\":\"img:1\"}},\"pod_labels\":{\"worktrace.io/workspace\":\"alice-ws\","
		    "\"app\":\"ide\"},\"workload\":\"w\",\"workload_kind\":\"Deployment\"},"
		    "\"parent_exec_id\":\"cGFyZW50\"},"
		    "\"parent\":{\"exec_id\":\"cGFyZW50\",\"binary\":\"/bin/bash\",\"pid\":7},"
		    "\"ancestors\":[{\"binary\":\"/bin/bash\"},{\"binary\":\"/usr/sbin/sshd\"}]},"
		    "\"node_name\":\"n1\",\"time\":\"2026-10-14T09:40:03Z\"}",
		    &r);
}

static void test_exit(void **state)
{
	(void)state;
	Google__Protobuf__Timestamp t = ts(1700000000, 123456789);
	Tetragon__Process proc = TETRAGON__PROCESS__INIT;
	proc.binary = "/bin/sleep";
	Tetragon__ProcessExit ex = TETRAGON__PROCESS_EXIT__INIT;
	ex.process = &proc;
	ex.signal = "SIGKILL";
	ex.status = 137;
	ex.time = &t;
	Tetragon__GetEventsResponse r = TETRAGON__GET_EVENTS_RESPONSE__INIT;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXIT;
	r.process_exit = &ex;
	/* no response time: the exit's own time is the event's */
	expect_same("{\"process_exit\":{\"process\":{\"binary\":\"/bin/sleep\"},\"signal\":\"SIGKILL\",\"status\":137,"
		    "\"time\":\"2023-11-14T22:13:20.123456789Z\"}}",
		    &r);
}

static void test_kprobe_args(void **state)
{
	(void)state;
	Tetragon__KprobeArgument a[10];
	Tetragon__KprobeArgument *ap[10];
	for (int i = 0; i < 10; i++) {
		tetragon__kprobe_argument__init(&a[i]);
		ap[i] = &a[i];
	}
	Tetragon__KprobeFile file = TETRAGON__KPROBE_FILE__INIT;
	file.path = "/etc/shadow";
	file.permission = "-rw-r-----";
	a[0].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_FILE_ARG;
	a[0].file_arg = &file;
	a[0].label = "file";
	a[1].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_INT_ARG;
	a[1].int_arg = -13;
	Tetragon__KprobeSock sock = TETRAGON__KPROBE_SOCK__INIT;
	sock.family = "AF_INET";
	sock.protocol = "IPPROTO_TCP";
	sock.saddr = "10.0.0.5";
	sock.daddr = "203.0.113.9";
	sock.sport = 40000;
	sock.dport = 4444;
	a[2].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_SOCK_ARG;
	a[2].sock_arg = &sock;
	static uint8_t bytes[] = {'h', 'i', 0, 0xff, 'x'};
	a[3].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_BYTES_ARG;
	a[3].bytes_arg.data = bytes;
	a[3].bytes_arg.len = sizeof bytes;
	Google__Protobuf__UInt32Value uid = GOOGLE__PROTOBUF__UINT32_VALUE__INIT, euid = uid;
	uid.value = 1000;
	euid.value = 0;
	Tetragon__ProcessCredentials cred = TETRAGON__PROCESS_CREDENTIALS__INIT;
	cred.uid = &uid;
	cred.euid = &euid;
	a[4].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_PROCESS_CREDENTIALS_ARG;
	a[4].process_credentials_arg = &cred;
	Tetragon__TaintedBitsType taint[] = {TETRAGON__TAINTED_BITS_TYPE__TAINT_OUT_OF_TREE_MODULE,
					     TETRAGON__TAINTED_BITS_TYPE__TAINT_UNSIGNED_MODULE};
	Tetragon__KernelModule mod = TETRAGON__KERNEL_MODULE__INIT;
	mod.name = "rootkit";
	mod.n_tainted = 2;
	mod.tainted = taint;
	a[5].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_MODULE_ARG;
	a[5].module_arg = &mod;
	Google__Protobuf__Int32Value capv = GOOGLE__PROTOBUF__INT32_VALUE__INIT;
	capv.value = 21;
	Tetragon__KprobeCapability cap = TETRAGON__KPROBE_CAPABILITY__INIT;
	cap.name = "CAP_SYS_ADMIN";
	cap.value = &capv;
	a[6].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_CAPABILITY_ARG;
	a[6].capability_arg = &cap;
	Tetragon__KprobeBpfAttr bpf = TETRAGON__KPROBE_BPF_ATTR__INIT;
	a[7].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_BPF_ATTR_ARG;
	a[7].bpf_attr_arg = &bpf;
	a[8].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_LONG_ARG;
	a[8].long_arg = -5000000000LL;
	a[9].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_STRING_ARG;
	a[9].string_arg = "";
	Tetragon__KprobeArgument ret = TETRAGON__KPROBE_ARGUMENT__INIT;
	ret.arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_INT_ARG;
	ret.int_arg = -1;
	Tetragon__Process proc = TETRAGON__PROCESS__INIT;
	proc.binary = "/usr/bin/cat";
	Tetragon__ProcessKprobe k = TETRAGON__PROCESS_KPROBE__INIT;
	k.process = &proc;
	k.function_name = "security_file_permission";
	k.n_args = 10;
	k.args = ap;
	k.return_ = &ret;
	k.action = TETRAGON__KPROBE_ACTION__KPROBE_ACTION_POST;
	k.policy_name = "files";
	Google__Protobuf__Timestamp t = ts(1700000001, 0);
	Tetragon__GetEventsResponse r = TETRAGON__GET_EVENTS_RESPONSE__INIT;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_KPROBE;
	r.process_kprobe = &k;
	r.time = &t;
	/* more arguments than WT_MAX_ARGS are cut in both decoders alike */
	expect_same("{\"process_kprobe\":{\"process\":{\"binary\":\"/usr/bin/cat\"},\"function_name\":\"security_file_permission\","
		    "\"args\":[{\"file_arg\":{\"path\":\"/etc/shadow\",\"permission\":\"-rw-r-----\"},\"label\":\"file\"},"
		    "{\"int_arg\":-13},"
		    "{\"sock_arg\":{\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\",\"protocol\":\"IPPROTO_TCP\","
		    "\"saddr\":\"10.0.0.5\",\"daddr\":\"203.0.113.9\",\"sport\":40000,\"dport\":4444}},"
		    "{\"bytes_arg\":\"aGkAAP94\"},"
		    "{\"process_credentials_arg\":{\"uid\":1000,\"euid\":0}},"
		    "{\"module_arg\":{\"name\":\"rootkit\",\"tainted\":[\"TAINT_OUT_OF_TREE_MODULE\",\"TAINT_UNSIGNED_MODULE\"]}},"
		    "{\"capability_arg\":{\"value\":21,\"name\":\"CAP_SYS_ADMIN\"}},"
		    "{\"bpf_attr_arg\":{}},{\"long_arg\":\"-5000000000\"},{\"string_arg\":\"\"}],"
		    "\"return\":{\"int_arg\":-1},\"action\":\"KPROBE_ACTION_POST\",\"policy_name\":\"files\"},"
		    "\"time\":\"2023-11-14T22:13:21Z\"}",
		    &r);
}

static void test_tracepoint_uprobe_lsm(void **state)
{
	(void)state;
	Tetragon__ProcessTracepoint tp = TETRAGON__PROCESS_TRACEPOINT__INIT;
	tp.subsys = "syscalls";
	tp.event = "sys_enter_ptrace";
	tp.policy_name = "pt";
	Tetragon__GetEventsResponse r = TETRAGON__GET_EVENTS_RESPONSE__INIT;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_TRACEPOINT;
	r.process_tracepoint = &tp;
	expect_same("{\"process_tracepoint\":{\"subsys\":\"syscalls\",\"event\":\"sys_enter_ptrace\",\"policy_name\":\"pt\"}}",
		    &r);
	Tetragon__ProcessUprobe up = TETRAGON__PROCESS_UPROBE__INIT;
	up.symbol = "readline";
	up.action = TETRAGON__KPROBE_ACTION__KPROBE_ACTION_SIGKILL;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_UPROBE;
	r.process_uprobe = &up;
	expect_same("{\"process_uprobe\":{\"path\":\"/bin/bash\",\"symbol\":\"readline\",\"action\":\"KPROBE_ACTION_SIGKILL\"}}",
		    &r);
	Tetragon__ProcessLsm lsm = TETRAGON__PROCESS_LSM__INIT;
	lsm.function_name = "bprm_check_security";
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_LSM;
	r.process_lsm = &lsm;
	expect_same("{\"process_lsm\":{\"function_name\":\"bprm_check_security\"}}", &r);
}

static void test_throttle_rate_limit(void **state)
{
	(void)state;
	Tetragon__ProcessThrottle th = TETRAGON__PROCESS_THROTTLE__INIT;
	th.type = TETRAGON__THROTTLE_TYPE__THROTTLE_START;
	th.cgroup = "s.scope";
	Google__Protobuf__Timestamp t = ts(1722000463, 178407128);
	Tetragon__GetEventsResponse r = TETRAGON__GET_EVENTS_RESPONSE__INIT;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_THROTTLE;
	r.process_throttle = &th;
	r.node_name = "u";
	r.time = &t;
	expect_same("{\"process_throttle\":{\"type\":\"THROTTLE_START\",\"cgroup\":\"s.scope\"},\"node_name\":\"u\","
		    "\"time\":\"2024-07-26T13:27:43.178407128Z\"}",
		    &r);
	Tetragon__RateLimitInfo rl = TETRAGON__RATE_LIMIT_INFO__INIT;
	rl.number_of_dropped_process_events = 12;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_RATE_LIMIT_INFO;
	r.rate_limit_info = &rl;
	expect_same("{\"rate_limit_info\":{\"number_of_dropped_process_events\":\"12\"},\"node_name\":\"u\","
		    "\"time\":\"2024-07-26T13:27:43.178407128Z\"}",
		    &r);
}

/* protobuf's wire form, for fields this subset does not declare */
static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	do {
		p[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return n;
}

static size_t put_bytes(uint8_t *p, uint32_t field, const void *data, size_t len)
{
	size_t n = put_varint(p, (uint64_t)field << 3 | 2);
	n += put_varint(p + n, len);
	memcpy(p + n, data, len);
	return n + len;
}

static size_t put_uint(uint8_t *p, uint32_t field, uint64_t v)
{
	size_t n = put_varint(p, (uint64_t)field << 3);
	return n + put_varint(p + n, v);
}

/* Upstream fields the subset leaves out (capabilities, namespaces, credentials, binary
 * properties, user, environment, refcnt; aggregation_info, cluster_name, node_labels) are
 * skipped, as a real Tetragon stream carries them: the event equals the JSON decode of the
 * same line with those keys. */
static void test_upstream_fields_skipped(void **state)
{
	(void)state;
	Google__Protobuf__UInt32Value pid = GOOGLE__PROTOBUF__UINT32_VALUE__INIT;
	pid.value = 9;
	Tetragon__Process proc = TETRAGON__PROCESS__INIT;
	proc.exec_id = "ZXg=";
	proc.binary = "/bin/sh";
	proc.pid = &pid;
	static uint8_t p[4096], exec[4096], resp[4096], tmp[512];
	size_t n = tetragon__process__pack(&proc, p), t;
	/* cap {permitted: [CAP_CHOWN, DAC_OVERRIDE]} (14), ns {uts {inum 4026531838}} (15) */
	static const uint8_t caps[] = {0x0a, 0x02, 0x00, 0x01};
	n += put_bytes(p + n, 14, caps, sizeof caps);
	t = put_uint(tmp, 1, 4026531838u);
	uint8_t uts[16];
	size_t u = put_bytes(uts, 1, tmp, t);
	n += put_bytes(p + n, 15, uts, u);
	n += put_uint(p + n, 13, 2); /* refcnt */
	n += put_bytes(p + n, 19, "\x0a\x04root", 6); /* user {name: "root"} */
	n += put_bytes(p + n, 21, "\x0a\x01K\x12\x01V", 6); /* environment_variables */
	size_t e = put_bytes(exec, 1, p, n); /* ProcessExec.process */
	e += put_bytes(exec + e, 3, p, n);    /* one ancestor, the same process */
	size_t r = put_bytes(resp, 1, exec, e); /* GetEventsResponse.process_exec */
	r += put_bytes(resp + r, 1000, "n1", 2);
	t = put_uint(tmp, 1, 3);
	r += put_bytes(resp + r, 1002, tmp, t);      /* aggregation_info {count: 3} */
	r += put_bytes(resp + r, 1003, "prod", 4);   /* cluster_name */
	r += put_bytes(resp + r, 1004, "\x0a\x01" "a" "\x12\x01" "b", 6); /* node_labels {a: b} */
	const char *json = "{\"process_exec\":{\"process\":{\"exec_id\":\"ZXg=\",\"pid\":9,\"binary\":\"/bin/sh\","
			   "\"refcnt\":2,\"cap\":{\"permitted\":[\"CAP_CHOWN\",\"DAC_OVERRIDE\"]},"
			   "\"ns\":{\"uts\":{\"inum\":4026531838}},\"user\":{\"name\":\"root\"},"
			   "\"environment_variables\":[{\"Key\":\"K\",\"Value\":\"V\"}]},"
			   "\"ancestors\":[{\"exec_id\":\"ZXg=\",\"pid\":9,\"binary\":\"/bin/sh\",\"refcnt\":2}]},"
			   "\"node_name\":\"n1\",\"aggregation_info\":{\"count\":\"3\"},\"cluster_name\":\"prod\","
			   "\"node_labels\":{\"a\":\"b\"}}";
	/* the message really carries them, as unknown fields of the subset */
	Tetragon__GetEventsResponse *m = tetragon__get_events_response__unpack(NULL, r, resp);
	assert_non_null(m);
	assert_int_equal(m->base.n_unknown_fields, 3);
	assert_int_equal(m->process_exec->process->base.n_unknown_fields, 5);
	tetragon__get_events_response__free_unpacked(m, NULL);
	struct pair pr;
	pair_init(&pr);
	char why[512];
	assert_int_equal(compare(&pr, json, strlen(json), resp, r, why, sizeof why), WT_OK);
	if (why[0])
		fail_msg("%s", why);
	assert_int_equal(pr.bp.ev.n_ancestors, 1);
	pair_free(&pr);
}

static void test_unknown_and_malformed(void **state)
{
	(void)state;
	struct wt_proto_decoder *d = wt_proto_decoder_new();
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	char err[256];
	Tetragon__ProcessLoader ld = TETRAGON__PROCESS_LOADER__INIT;
	Tetragon__GetEventsResponse r = TETRAGON__GET_EVENTS_RESPONSE__INIT;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_LOADER;
	r.process_loader = &ld;
	size_t n = pack(&r);
	assert_int_equal(wt_proto_decode(d, packed, n, &b, err, sizeof err), WT_E_UNKNOWN_KIND);
	assert_string_equal(err, "process_loader");
	/* field 40000 (test), a kind this subset does not declare, as a newer Tetragon's would be */
	static const uint8_t test_event[] = {0x82, 0xc4, 0x13, 0x02, 0x08, 0x01};
	assert_int_equal(wt_proto_decode(d, test_event, sizeof test_event, &b, err, sizeof err), WT_E_UNKNOWN_KIND);
	assert_string_equal(err, "GetEventsResponse field 40000");
	/* only a node name: no event */
	static const uint8_t node_only[] = {0xc2, 0x3e, 0x01, 'n'};
	assert_int_equal(wt_proto_decode(d, node_only, sizeof node_only, &b, err, sizeof err), WT_E_PARSE);
	assert_non_null(strstr(err, "no event kind"));
	/* a truncated message and a wrong wire type */
	n = pack(&r);
	static const uint8_t truncated[] = {0x0a, 0x10, 0x0a};
	assert_int_equal(wt_proto_decode(d, truncated, sizeof truncated, &b, err, sizeof err), WT_E_PARSE);
	static const uint8_t wrong_type[] = {0x0d, 0x01, 0x02, 0x03, 0x04};
	assert_int_equal(wt_proto_decode(d, wrong_type, sizeof wrong_type, &b, err, sizeof err), WT_E_PARSE);
	assert_non_null(strstr(err, "invalid protobuf"));
	/* a response time past 2261 (ns since 1970 overflow an int64) or with bad nanos */
	Tetragon__ProcessThrottle th = TETRAGON__PROCESS_THROTTLE__INIT;
	Google__Protobuf__Timestamp far = ts(229892136863LL, 0), badns = ts(1700000000, 1000000000);
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_THROTTLE;
	r.process_throttle = &th;
	r.time = &far;
	n = pack(&r);
	assert_int_equal(wt_proto_decode(d, packed, n, &b, err, sizeof err), WT_E_PARSE);
	assert_non_null(strstr(err, "time out of range"));
	r.time = &badns;
	n = pack(&r);
	assert_int_equal(wt_proto_decode(d, packed, n, &b, err, sizeof err), WT_E_PARSE);
	/* a process start time out of range is left out, as the JSON decoder leaves it */
	Tetragon__Process proc = TETRAGON__PROCESS__INIT;
	proc.binary = "/bin/x";
	proc.start_time = &far;
	Tetragon__ProcessExec ex = TETRAGON__PROCESS_EXEC__INIT;
	ex.process = &proc;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXEC;
	r.process_exec = &ex;
	r.time = NULL;
	n = pack(&r);
	assert_int_equal(wt_proto_decode(d, packed, n, &b, err, sizeof err), WT_OK);
	assert_int_equal(b.ev.proc.start_time, 0);
	wt_event_builder_free(&b);
	wt_proto_decoder_free(d);
}

/* One capture: JSONL lines and their messages (varint length, message), pairwise. */
static int compare_capture(const char *jsonl, const char *dump)
{
	FILE *fj = fopen(jsonl, "r"), *fd = fopen(dump, "rb");
	if (!fj || !fd) {
		perror(!fj ? jsonl : dump);
		return 2;
	}
	struct pair p;
	pair_init(&p);
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	uint64_t no = 0, bad = 0;
	uint8_t *msg = NULL;
	size_t mcap = 0;
	while ((got = getline(&line, &cap, fj)) > 0) {
		no++;
		while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
			line[--got] = 0;
		size_t len;
		enum wt_err e = wt_proto_read_delimited(fd, &msg, &mcap, &len);
		if (e != WT_OK) {
			fprintf(stderr, "%s: message %llu %s\n", dump, (unsigned long long)no, e == WT_E_CLOSED ? "missing" : "truncated");
			bad++;
			break;
		}
		char why[512];
		compare(&p, line, (size_t)got, msg, len, why, sizeof why);
		if (why[0]) {
			fprintf(stderr, "%s:%llu: %s\n", jsonl, (unsigned long long)no, why);
			bad++;
		}
	}
	free(line);
	free(msg);
	pair_free(&p);
	fclose(fj);
	fclose(fd);
	printf("%s: %llu events compared, %llu differ\n", jsonl, (unsigned long long)no, (unsigned long long)bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3)
		return compare_capture(argv[1], argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_exit),
		cmocka_unit_test(test_kprobe_args),
		cmocka_unit_test(test_tracepoint_uprobe_lsm),
		cmocka_unit_test(test_throttle_rate_limit),
		cmocka_unit_test(test_upstream_fields_skipped),
		cmocka_unit_test(test_unknown_and_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
