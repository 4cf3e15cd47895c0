// JSON event decoder: Tetragon export lines -> struct wt_event, with simdjson's On-Demand
// API reading only the fields Worktrace uses straight into the event builder (no DOM, no
// intermediate tree). The only C++ translation unit; everything around it is C.
#include "decode.h"

#include <climits>
#include <simdjson.h>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

extern "C" {
#include "buf.h"
}

using namespace simdjson;

struct wt_json_decoder {
	ondemand::parser parser;
};

namespace {

struct ctx {
	wt_event_builder *b;
	const char *err_what = nullptr; // first structural problem seen
};

wt_str add(ctx &c, std::string_view s)
{
	return wt_event_builder_add(c.b, s.data(), s.size());
}

// A string field: absent (null, missing, wrong type) leaves the target unset. A string that
// does not decode (a lone surrogate escape, invalid UTF-8) makes the line malformed rather
// than silently blanking a field a rule or the workspace resolution depends on.
bool get_str(ctx &c, ondemand::value v, std::string_view &out)
{
	error_code e = v.get_string().get(out);
	if (e == SUCCESS)
		return true;
	if (e != INCORRECT_TYPE && !c.err_what)
		c.err_what = "a string field has an invalid escape or invalid UTF-8";
	return false;
}

// Integers arrive as numbers, or as strings for 64-bit values in protojson.
bool get_int(ondemand::value v, int64_t &out)
{
	ondemand::json_type t;
	if (v.type().get(t) != SUCCESS)
		return false;
	if (t == ondemand::json_type::number) {
		int64_t i;
		if (v.get_int64().get(i) == SUCCESS) {
			out = i;
			return true;
		}
		uint64_t u;
		if (v.get_uint64().get(u) == SUCCESS) {
			out = (int64_t)u;
			return true;
		}
		double d;
		if (v.get_double().get(d) == SUCCESS) {
			out = (int64_t)d;
			return true;
		}
		return false;
	}
	if (t == ondemand::json_type::string) {
		std::string_view s;
		if (v.get_string().get(s) != SUCCESS || s.empty())
			return false;
		int64_t r = 0;
		size_t i = 0;
		bool neg = s[0] == '-';
		if (neg)
			i = 1;
		if (i == s.size())
			return false;
		for (; i < s.size(); i++) {
			if (s[i] < '0' || s[i] > '9')
				return false;
			r = (int64_t)((uint64_t)r * 10 + (uint64_t)(s[i] - '0'));
		}
		out = neg ? -r : r;
		return true;
	}
	return false;
}

bool get_bool(ondemand::value v, bool &out)
{
	return v.get_bool().get(out) == SUCCESS;
}

// A string field straight into the event: dst is left unset when the field is absent.
void take_str(ctx &c, ondemand::value v, wt_str &dst)
{
	std::string_view s;
	if (get_str(c, v, s))
		dst = add(c, s);
}

bool get_time(ctx &c, ondemand::value v, int64_t &out)
{
	std::string_view s;
	if (!get_str(c, v, s))
		return false;
	return wt_time_parse(s.data(), s.size(), &out);
}

// A JSON object of strings (pod labels, annotations) into parallel key/value arrays; pairs
// past max are skipped.
void decode_str_map(ctx &c, ondemand::value v, wt_str *keys, wt_str *vals, uint8_t *n, unsigned max)
{
	ondemand::object o;
	if (v.get_object().get(o) != SUCCESS)
		return;
	for (auto f : o) {
		std::string_view k, s;
		if (f.unescaped_key().get(k) != SUCCESS)
			break;
		if (*n < max && get_str(c, f.value(), s)) {
			keys[*n] = add(c, k);
			vals[*n] = add(c, s);
			(*n)++;
		}
	}
}

void decode_pod(ctx &c, ondemand::object obj, wt_pod &pod)
{
	pod.present = true;
	for (auto field : obj) {
		std::string_view k, s;
		if (field.unescaped_key().get(k) != SUCCESS) {
			c.err_what = "bad key in pod";
			return;
		}
		ondemand::value v = field.value();
		if (k == "namespace") {
			take_str(c, v, pod.ns);
		} else if (k == "name") {
			take_str(c, v, pod.name);
		} else if (k == "workload") {
			take_str(c, v, pod.workload);
		} else if (k == "workload_kind") {
			take_str(c, v, pod.workload_kind);
		} else if (k == "container") {
			ondemand::object co;
			if (v.get_object().get(co) != SUCCESS)
				continue;
			for (auto cf : co) {
				std::string_view ck;
				if (cf.unescaped_key().get(ck) != SUCCESS)
					break;
				ondemand::value cv = cf.value();
				if (ck == "id") {
					take_str(c, cv, pod.container_id);
				} else if (ck == "name") {
					take_str(c, cv, pod.container_name);
				} else if (ck == "image") {
					ondemand::object io;
					if (cv.get_object().get(io) != SUCCESS)
						continue;
					for (auto imf : io) {
						std::string_view ik;
						if (imf.unescaped_key().get(ik) != SUCCESS)
							break;
						if (ik == "name")
							take_str(c, imf.value(), pod.image);
					}
				}
			}
		} else if (k == "pod_labels") {
			decode_str_map(c, v, pod.label_key, pod.label_val, &pod.n_labels, WT_MAX_LABELS);
		} else if (k == "pod_annotations") {
			decode_str_map(c, v, pod.annot_key, pod.annot_val, &pod.n_annotations, WT_MAX_ANNOTATIONS);
		}
	}
}

void decode_process(ctx &c, ondemand::value val, wt_proc &p, wt_pod *pod)
{
	ondemand::object obj;
	if (val.get_object().get(obj) != SUCCESS)
		return;
	p.present = true;
	for (auto field : obj) {
		std::string_view k, s;
		if (field.unescaped_key().get(k) != SUCCESS) {
			c.err_what = "bad key in process";
			return;
		}
		ondemand::value v = field.value();
		int64_t i;
		switch (k.size() ? k[0] : 0) {
		case 'a':
			if (k == "arguments")
				take_str(c, v, p.args);
			else if (k == "auid" && get_int(v, i))
				p.auid = (uint32_t)i;
			break;
		case 'b':
			if (k == "binary")
				take_str(c, v, p.binary);
			break;
		case 'c':
			if (k == "cwd")
				take_str(c, v, p.cwd);
			break;
		case 'e':
			if (k == "exec_id")
				take_str(c, v, p.exec_id);
			break;
		case 'f':
			if (k == "flags")
				take_str(c, v, p.flags);
			break;
		case 'i': {
			bool bv;
			if (k == "in_init_tree" && get_bool(v, bv))
				p.in_init_tree = bv;
			break;
		}
		case 'p':
			if (k == "pid" && get_int(v, i))
				p.pid = (uint32_t)i;
			else if (k == "parent_exec_id")
				take_str(c, v, p.parent_exec_id);
			else if (k == "pod" && pod) {
				ondemand::object po;
				if (v.get_object().get(po) == SUCCESS)
					decode_pod(c, po, *pod);
			}
			break;
		case 's':
			if (k == "start_time")
				get_time(c, v, p.start_time);
			break;
		case 'u':
			if (k == "uid" && get_int(v, i))
				p.uid = (uint32_t)i;
			break;
		default:
			break;
		}
	}
}

void decode_ancestors(ctx &c, ondemand::value val)
{
	ondemand::array arr;
	if (val.get_array().get(arr) != SUCCESS)
		return;
	wt_event &ev = c.b->ev;
	for (auto item : arr) {
		ondemand::object o;
		if (item.get_object().get(o) != SUCCESS)
			continue;
		for (auto f : o) {
			std::string_view k, s;
			if (f.unescaped_key().get(k) != SUCCESS)
				break;
			if (k == "binary" && get_str(c, f.value(), s) && ev.n_ancestors < WT_MAX_ANCESTORS)
				ev.ancestors[ev.n_ancestors++] = add(c, s);
		}
	}
}

void set_sock_from_arg(wt_event &ev, const wt_arg &a, wt_str family, wt_str proto, wt_str saddr,
		       wt_str daddr, int64_t sport, int64_t dport)
{
	(void)a;
	if (ev.sock.present)
		return;
	ev.sock.present = true;
	ev.sock.family = family;
	ev.sock.protocol = proto;
	ev.sock.saddr = saddr;
	ev.sock.daddr = daddr;
	ev.sock.sport = sport;
	ev.sock.dport = dport;
}

void decode_arg(ctx &c, ondemand::object obj)
{
	wt_event &ev = c.b->ev;
	if (ev.n_args >= WT_MAX_ARGS)
		return;
	wt_arg &a = ev.args[ev.n_args];
	a.type = WT_ARG_NONE;
	a.label = a.s = a.s2 = a.s3 = {WT_STR_NONE, 0};
	a.i = a.i2 = 0;
	a.n_tainted = 0;
	for (auto f : obj) {
		std::string_view k, s;
		if (f.unescaped_key().get(k) != SUCCESS) {
			c.err_what = "bad key in argument";
			return;
		}
		ondemand::value v = f.value();
		int64_t i;
		if (k == "label") {
			take_str(c, v, a.label);
		} else if (k == "string_arg") {
			if (get_str(c, v, s)) {
				a.type = WT_ARG_STRING;
				a.s = add(c, s);
			}
		} else if (k == "int_arg" || k == "uint_arg" || k == "size_arg" || k == "long_arg") {
			if (get_int(v, i)) {
				a.type = WT_ARG_INT;
				a.i = i;
			}
		} else if (k == "bytes_arg") {
			a.type = WT_ARG_BYTES;
			take_str(c, v, a.s);
		} else if (k == "file_arg" || k == "path_arg" || k == "linux_binprm_arg") {
			a.type = WT_ARG_FILE;
			ondemand::object fo;
			if (v.get_object().get(fo) != SUCCESS)
				continue;
			for (auto ff : fo) {
				std::string_view fk;
				if (ff.unescaped_key().get(fk) != SUCCESS)
					break;
				if (fk == "path")
					take_str(c, ff.value(), a.s);
				else if (fk == "permission")
					take_str(c, ff.value(), a.s2);
			}
		} else if (k == "sock_arg" || k == "skb_arg" || k == "sockaddr_arg") {
			a.type = WT_ARG_SOCK;
			ondemand::object so;
			if (v.get_object().get(so) != SUCCESS)
				continue;
			wt_str fam = {WT_STR_NONE, 0}, proto = fam, sa = fam, da = fam;
			int64_t sp = 0, dp = 0;
			for (auto sf : so) {
				std::string_view sk;
				if (sf.unescaped_key().get(sk) != SUCCESS)
					break;
				ondemand::value sv = sf.value();
				if (sk == "family")
					take_str(c, sv, fam);
				else if (sk == "protocol")
					take_str(c, sv, proto);
				else if (sk == "saddr")
					take_str(c, sv, sa);
				else if ((sk == "daddr" || sk == "addr"))
					take_str(c, sv, da);
				else if (sk == "sport")
					get_int(sv, sp);
				else if (sk == "dport" || sk == "port")
					get_int(sv, dp);
			}
			a.s = da;
			a.s2 = sa;
			a.s3 = fam;
			a.i = dp;
			a.i2 = sp;
			set_sock_from_arg(ev, a, fam, proto, sa, da, sp, dp);
		} else if (k == "process_credentials_arg" || k == "cred_arg") {
			a.type = WT_ARG_CREDS;
			ondemand::object co;
			if (v.get_object().get(co) != SUCCESS)
				continue;
			for (auto cf : co) {
				std::string_view ck;
				if (cf.unescaped_key().get(ck) != SUCCESS)
					break;
				if (ck == "uid")
					get_int(cf.value(), a.i);
				else if (ck == "euid")
					get_int(cf.value(), a.i2);
			}
		} else if (k == "module_arg") {
			a.type = WT_ARG_MODULE;
			ondemand::object mo;
			if (v.get_object().get(mo) != SUCCESS)
				continue;
			for (auto mf : mo) {
				std::string_view mk;
				if (mf.unescaped_key().get(mk) != SUCCESS)
					break;
				if (mk == "name" && get_str(c, mf.value(), s)) {
					a.s = add(c, s);
				} else if (mk == "tainted") {
					ondemand::array ta;
					if (mf.value().get_array().get(ta) != SUCCESS)
						continue;
					for (auto t : ta) {
						std::string_view ts;
						if (t.get_string().get(ts) == SUCCESS && a.n_tainted < 4)
							a.tainted[a.n_tainted++] = add(c, ts);
					}
				}
			}
		} else if (k == "capability_arg") {
			a.type = WT_ARG_CAP;
			ondemand::object co;
			if (v.get_object().get(co) != SUCCESS)
				continue;
			for (auto cf : co) {
				std::string_view ck;
				if (cf.unescaped_key().get(ck) != SUCCESS)
					break;
				if (ck == "name")
					take_str(c, cf.value(), a.s);
				else if (ck == "value")
					get_int(cf.value(), a.i);
			}
		} else if (a.type == WT_ARG_NONE) {
			a.type = WT_ARG_OTHER; // user_ns_arg, bpf_attr_arg, truncated_bytes_arg, ...
		}
	}
	if (a.type != WT_ARG_NONE)
		ev.n_args++;
}

void decode_args(ctx &c, ondemand::value val)
{
	ondemand::array arr;
	if (val.get_array().get(arr) != SUCCESS)
		return;
	for (auto item : arr) {
		ondemand::object o;
		if (item.get_object().get(o) == SUCCESS)
			decode_arg(c, o);
	}
}

// Legacy Isovalent process_connect / close / listen / sock_stats address fields.
void decode_legacy_sock(ctx &c, ondemand::object obj)
{
	wt_event &ev = c.b->ev;
	for (auto f : obj) {
		std::string_view k, s;
		if (f.unescaped_key().get(k) != SUCCESS)
			break;
		ondemand::value v = f.value();
		int64_t i;
		if ((k == "source_ip") && get_str(c, v, s)) {
			ev.sock.saddr = add(c, s);
			ev.sock.present = true;
		} else if ((k == "destination_ip" || k == "ip") && get_str(c, v, s)) {
			ev.sock.daddr = add(c, s);
			ev.sock.present = true;
		} else if (k == "source_port" && get_int(v, i)) {
			ev.sock.sport = i;
		} else if ((k == "destination_port" || k == "port") && get_int(v, i)) {
			ev.sock.dport = i;
			ev.sock.present = true;
		} else if (k == "protocol" && get_str(c, v, s)) {
			ev.sock.protocol = add(c, s);
		}
	}
}

void decode_body(ctx &c, enum wt_kind kind, ondemand::object obj)
{
	wt_event &ev = c.b->ev;
	std::string sub, evname;
	for (auto field : obj) {
		std::string_view k, s;
		if (field.unescaped_key().get(k) != SUCCESS) {
			c.err_what = "bad key in event body";
			return;
		}
		ondemand::value v = field.value();
		int64_t i;
		if (k == "process") {
			decode_process(c, v, ev.proc, &ev.pod);
		} else if (k == "parent") {
			decode_process(c, v, ev.parent, nullptr);
		} else if (k == "ancestors") {
			decode_ancestors(c, v);
		} else if (k == "function_name" || k == "symbol") {
			take_str(c, v, ev.function);
		} else if (k == "subsys") {
			if (get_str(c, v, s))
				sub = std::string(s);
		} else if (k == "event") {
			if (get_str(c, v, s))
				evname = std::string(s);
		} else if (k == "policy_name") {
			take_str(c, v, ev.policy);
		} else if (k == "action") {
			take_str(c, v, ev.action);
		} else if (k == "args") {
			decode_args(c, v);
		} else if (k == "return") {
			ondemand::object ro;
			if (v.get_object().get(ro) == SUCCESS)
				for (auto rf : ro) {
					std::string_view rk;
					if (rf.unescaped_key().get(rk) != SUCCESS)
						break;
					if (rk == "int_arg" && get_int(rf.value(), ev.ret))
						ev.has_ret = true;
				}
		} else if (k == "status" && kind == WT_KIND_EXIT) {
			if (get_int(v, i))
				ev.exit_status = i;
		} else if (k == "signal" && kind == WT_KIND_EXIT) {
			if (get_str(c, v, s) && !s.empty())
				ev.exit_signal = add(c, s);
		} else if (k == "time" && kind == WT_KIND_EXIT) {
			int64_t t;
			if (get_time(c, v, t) && ev.time == 0)
				ev.time = t;
		} else if (k == "type" && kind == WT_KIND_THROTTLE) {
			take_str(c, v, ev.throttle_type);
		} else if (k == "cgroup" && kind == WT_KIND_THROTTLE) {
			take_str(c, v, ev.throttle_cgroup);
		} else if (k == "number_of_dropped_process_events" && kind == WT_KIND_RATE_LIMIT) {
			if (get_int(v, i) && i > 0)
				ev.rate_limit_dropped = (uint64_t)i;
		} else if (k == "socket") {
			ondemand::object so;
			if (v.get_object().get(so) == SUCCESS)
				decode_legacy_sock(c, so);
		} else if (kind >= WT_KIND_CONNECT) {
			// legacy flat address fields: re-read through the generic helper
			if (k == "source_ip" || k == "destination_ip" || k == "ip") {
				if (get_str(c, v, s)) {
					wt_str r = add(c, s);
					ev.sock.present = true;
					if (k == "source_ip")
						ev.sock.saddr = r;
					else
						ev.sock.daddr = r;
				}
			} else if (k == "source_port" || k == "destination_port" || k == "port") {
				if (get_int(v, i)) {
					ev.sock.present = true;
					if (k == "source_port")
						ev.sock.sport = i;
					else
						ev.sock.dport = i;
				}
			} else if (k == "protocol") {
				take_str(c, v, ev.sock.protocol);
			}
		}
	}
	if (kind == WT_KIND_TRACEPOINT && !wt_str_present(ev.function) && (!sub.empty() || !evname.empty())) {
		char tmp[256];
		int n = snprintf(tmp, sizeof tmp, "%.*s/%.*s", (int)sub.size(), sub.data(), (int)evname.size(),
				 evname.data());
		ev.function = wt_event_builder_add(c.b, tmp, (size_t)(n < (int)sizeof tmp ? n : (int)sizeof tmp - 1));
	}
}

} // namespace

extern "C" struct wt_json_decoder *wt_json_decoder_new(void)
{
	return new (std::nothrow) wt_json_decoder();
}

extern "C" void wt_json_decoder_free(struct wt_json_decoder *d)
{
	delete d;
}

extern "C" enum wt_err wt_json_decode(struct wt_json_decoder *d, const char *line, size_t len,
				      struct wt_event_builder *b, char *err, size_t errlen)
{
	wt_event_builder_reset(b);
	ctx c{b};
	ondemand::document doc;
	auto e = d->parser.iterate(line, len, len + WT_JSON_PADDING).get(doc);
	if (e) {
		snprintf(err, errlen, "invalid JSON: %s", error_message(e));
		return WT_E_PARSE;
	}
	ondemand::object obj;
	e = doc.get_object().get(obj);
	if (e) {
		if (e == INCORRECT_TYPE)
			snprintf(err, errlen, "line is not a JSON object");
		else
			snprintf(err, errlen, "invalid JSON: %s", error_message(e));
		return WT_E_PARSE;
	}
	bool have_kind = false;
	std::string_view unknown;
	for (auto field : obj) {
		std::string_view k, s;
		if ((e = field.unescaped_key().get(k))) {
			snprintf(err, errlen, "invalid JSON: %s", error_message(e));
			return WT_E_PARSE;
		}
		ondemand::value v;
		if ((e = field.value().get(v))) {
			snprintf(err, errlen, "invalid JSON: %s", error_message(e));
			return WT_E_PARSE;
		}
		if (k == "node_name") {
			take_str(c, v, b->ev.node);
		} else if (k == "time") {
			int64_t t;
			ondemand::json_type tt;
			if (v.type().get(tt) == SUCCESS && tt != ondemand::json_type::string && tt != ondemand::json_type::null) {
				snprintf(err, errlen, "field \"time\" is not an RFC 3339 timestamp string");
				return WT_E_PARSE;
			}
			if (get_str(c, v, s)) {
				if (!wt_time_parse(s.data(), s.size(), &t)) {
					snprintf(err, errlen, "field \"time\" is not an RFC 3339 timestamp");
					return WT_E_PARSE;
				}
				b->ev.time = t;
			}
		} else if (k.substr(0, 8) == "process_" || k == "rate_limit_info") {
			int kind = wt_kind_lookup_json(k.data(), k.size());
			if (have_kind) {
				snprintf(err, errlen, "more than one event kind in one line (\"%.*s\")", (int)k.size(), k.data());
				return WT_E_PARSE;
			}
			if (kind < 0) {
				unknown = k;
				have_kind = true;
				snprintf(err, errlen, "%.*s", (int)(k.size() < 64 ? k.size() : 64), k.data());
				continue;
			}
			ondemand::object body;
			if (v.get_object().get(body) != SUCCESS) {
				snprintf(err, errlen, "\"%.*s\" is not an object", (int)k.size(), k.data());
				return WT_E_PARSE;
			}
			have_kind = true;
			b->ev.kind = (enum wt_kind)kind;
			decode_body(c, (enum wt_kind)kind, body);
			if (c.err_what) {
				snprintf(err, errlen, "%s", c.err_what);
				return WT_E_PARSE;
			}
		}
	}
	if (c.err_what) {
		snprintf(err, errlen, "%s", c.err_what);
		return WT_E_PARSE;
	}
	if (!have_kind) {
		snprintf(err, errlen, "no event kind (process_exec, process_kprobe, ...) in the line");
		return WT_E_PARSE;
	}
	if (!unknown.empty())
		return WT_E_UNKNOWN_KIND;
	return WT_OK;
}
