/* worktraced: the daemon's command line. Loads and verifies a ruleset, starts the engine,
 * replays Tetragon JSON lines (a file or stdin), drains, prints a one-line summary.
 * Exit status: 0 done, 2 ruleset refused, 64 usage error, 73 output cannot be created,
 * 74 input could not be read or threat records could not be written. */
#include "grpc_ingest.h"
#include "ingest.h"
#include "output.h"
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;
static int wake_fd = -1; /* --tetragon: the main thread waits on this pipe */

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	if (wake_fd >= 0) {
		ssize_t w = write(wake_fd, "s", 1);
		(void)w;
	}
}

/* --tetragon: run the gRPC client thread until it ends (--tetragon-exit-on-end) or a stop
 * signal; the call is cancelled, the thread joined, then the engine drains. */
static enum wt_err run_tetragon(const struct wt_grpc_opts *o, struct wt_ingest *ing, struct wt_engine *en,
				struct wt_grpc_ingest *g)
{
	int pfd[2];
	memset(g, 0, sizeof *g);
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return WT_E_IO;
	fcntl(pfd[1], F_SETFL, O_NONBLOCK);
	wake_fd = pfd[1];
	enum wt_err e = wt_grpc_ingest_start(g, o, ing, en, pfd[1]);
	if (e == WT_OK) {
		char c;
		while (!stop_requested) {
			ssize_t r = read(pfd[0], &c, 1);
			if (r == 1 && !stop_requested)
				break; /* the client ended by itself */
			if (r < 0 && errno != EINTR)
				break;
		}
		wt_grpc_ingest_stop(g);
		e = wt_grpc_ingest_join(g);
	}
	wake_fd = -1;
	close(pfd[0]);
	close(pfd[1]);
	return e;
}

static void usage(FILE *out)
{
	fputs("usage: worktraced --rules RULESET.wtb --replay EVENTS.jsonl|- [options]\n"
	      "       worktraced --rules RULESET.wtb --tetragon ADDRESS [options]\n"
	      "  -r, --rules FILE            compiled ruleset (wtc compile)\n"
	      "  -R, --replay FILE           Tetragon JSON export lines to replay ('-' = stdin)\n"
	      "  -o, --output FILE           threat records (default: stdout)\n"
	      "      --drop-when-full        replay drops events on full queues like a live input\n"
	      "      --queue-size N          events per pipeline queue (default 4096)\n"
	      "      --dedup-window SECONDS  suppress identical threats for this long (default 60)\n"
	      "      --dedup-entries N       dedup table bound (default 65536)\n"
	      "      --proc-cache N          process cache entries (default 65536)\n"
	      "      --workspace-label KEY   pod label with the workspace id (default worktrace.io/workspace)\n"
	      "      --owner-label KEY       pod label with the owner (default worktrace.io/owner)\n"
	      "      --namespace-pattern RE  PCRE2 on the namespace with (?<workspace>) and/or (?<owner>) groups\n"
	      "      --corr-partials N       bound on live correlation partial matches (default 100000)\n"
	      "      --corr-tolerance SECONDS events this much out of order still advance a path (default 2)\n"
	      "      --state-dir DIR         keep behavioral baselines in DIR (loaded at start, saved\n"
	      "                              periodically and at exit; default: memory only)\n"
	      "      --snapshot-interval SECONDS  event time between baseline snapshots (default 300)\n"
	      "      --rarity-keys N         baseline keys per rarity spec (default 65536)\n"
	      "      --cluster-cidr CIDR     the cluster's pod/service range for addrclass() (repeatable)\n"
	      "      --slow-pipeline NAME:US test hook: delay each event in one pipeline\n"
	      "  -T, --tetragon ADDRESS      read Tetragon's gRPC GetEvents stream (unix:///path, unix:/path,\n"
	      "                              host:port; Tetragon's default localhost:54321); live input:\n"
	      "                              full queues drop and count, never block\n"
	      "      --tetragon-allow-namespace NS, --tetragon-allow-pod RE, --tetragon-allow-binary RE,\n"
	      "      --tetragon-allow-event KIND  only events that match every allow option given\n"
	      "                              (each repeatable: any of its values)\n"
	      "      --tetragon-deny-namespace NS, --tetragon-deny-pod RE, --tetragon-deny-binary RE,\n"
	      "      --tetragon-deny-event KIND   leave out events that match any deny option\n"
	      "      --tetragon-backoff MIN:MAX  reconnect delay in ms, doubling from MIN to MAX (100:5000)\n"
	      "      --tetragon-exit-on-end  stop when the server ends the stream normally\n"
	      "      --tetragon-receive-only benchmark hook: receive messages, decode nothing\n"
	      "  -V, --version\n",
	      out);
}

static bool parse_u32(const char *s, uint32_t min, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v < min || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

int main(int argc, char **argv)
{
	const char *rules = NULL, *replay = NULL, *output = NULL;
	const char *ws_label = NULL, *owner_label = NULL, *ns_pattern = NULL;
	uint32_t queue_size = WT_DEFAULT_QUEUE, dedup_entries = WT_DEFAULT_DEDUP_ENTRIES;
	uint32_t proc_cache = WT_DEFAULT_PROCCACHE, dedup_seconds = 60;
	bool lossless = true;
	unsigned slow[WT_PIPE_COUNT] = {0};
	uint32_t corr_partials = WT_DEFAULT_CORR_PARTIALS, corr_tolerance = 2;
	const char *state_dir = NULL;
	uint32_t snapshot_seconds = 300, rarity_keys = 0;
	struct wt_cidr *cluster = NULL;
	unsigned n_cluster = 0;
	enum { O_DROP = 256, O_QUEUE, O_DWIN, O_DENT, O_PCACHE, O_WSL, O_OWL, O_NSP, O_SLOW, O_CORR, O_CTOL,
	       O_STATE, O_SNAP, O_RKEYS, O_CIDR,
	       O_T_ANS, O_T_APOD, O_T_ABIN, O_T_AEV, O_T_DNS, O_T_DPOD, O_T_DBIN, O_T_DEV, O_T_BACKOFF, O_T_END,
	       O_T_RECV };
	const char *tetragon = NULL;
	struct wt_grpc_opts topt = {.backoff_min_ms = 100, .backoff_max_ms = 5000};
	static const struct option opts[] = {
		{"rules", required_argument, 0, 'r'},
		{"replay", required_argument, 0, 'R'},
		{"output", required_argument, 0, 'o'},
		{"drop-when-full", no_argument, 0, O_DROP},
		{"queue-size", required_argument, 0, O_QUEUE},
		{"dedup-window", required_argument, 0, O_DWIN},
		{"dedup-entries", required_argument, 0, O_DENT},
		{"proc-cache", required_argument, 0, O_PCACHE},
		{"workspace-label", required_argument, 0, O_WSL},
		{"owner-label", required_argument, 0, O_OWL},
		{"namespace-pattern", required_argument, 0, O_NSP},
		{"slow-pipeline", required_argument, 0, O_SLOW},
		{"corr-partials", required_argument, 0, O_CORR},
		{"corr-tolerance", required_argument, 0, O_CTOL},
		{"state-dir", required_argument, 0, O_STATE},
		{"snapshot-interval", required_argument, 0, O_SNAP},
		{"rarity-keys", required_argument, 0, O_RKEYS},
		{"cluster-cidr", required_argument, 0, O_CIDR},
		{"tetragon", required_argument, 0, 'T'},
		{"tetragon-allow-namespace", required_argument, 0, O_T_ANS},
		{"tetragon-allow-pod", required_argument, 0, O_T_APOD},
		{"tetragon-allow-binary", required_argument, 0, O_T_ABIN},
		{"tetragon-allow-event", required_argument, 0, O_T_AEV},
		{"tetragon-deny-namespace", required_argument, 0, O_T_DNS},
		{"tetragon-deny-pod", required_argument, 0, O_T_DPOD},
		{"tetragon-deny-binary", required_argument, 0, O_T_DBIN},
		{"tetragon-deny-event", required_argument, 0, O_T_DEV},
		{"tetragon-backoff", required_argument, 0, O_T_BACKOFF},
		{"tetragon-exit-on-end", no_argument, 0, O_T_END},
		{"tetragon-receive-only", no_argument, 0, O_T_RECV},
		{"version", no_argument, 0, 'V'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "r:R:o:T:Vh", opts, NULL)) != -1) {
		bool ok = true;
		switch (c) {
		case 'r': rules = optarg; break;
		case 'R': replay = optarg; break;
		case 'o': output = optarg; break;
		case O_DROP: lossless = false; break;
		case O_QUEUE: ok = parse_u32(optarg, 2, &queue_size) && queue_size <= (1u << 24); break;
		case O_DWIN: ok = parse_u32(optarg, 0, &dedup_seconds); break;
		case O_DENT: ok = parse_u32(optarg, 1, &dedup_entries) && dedup_entries <= (1u << 24); break;
		case O_PCACHE: ok = parse_u32(optarg, 1, &proc_cache) && proc_cache <= (1u << 26); break;
		case O_CORR: ok = parse_u32(optarg, 1, &corr_partials) && corr_partials <= (1u << 26); break;
		case O_CTOL: ok = parse_u32(optarg, 0, &corr_tolerance) && corr_tolerance <= 3600; break;
		case O_STATE: state_dir = optarg; break;
		case O_SNAP: ok = parse_u32(optarg, 1, &snapshot_seconds) && snapshot_seconds <= 86400; break;
		case O_RKEYS: ok = parse_u32(optarg, 16, &rarity_keys) && rarity_keys <= (1u << 26); break;
		case O_CIDR:
			cluster = wt_xrealloc(cluster, (n_cluster + 1) * sizeof *cluster);
			ok = wt_cidr_parse(optarg, strlen(optarg), &cluster[n_cluster]);
			n_cluster += ok;
			break;
		case O_WSL: ws_label = optarg; break;
		case O_OWL: owner_label = optarg; break;
		case O_NSP: ns_pattern = optarg; break;
		case O_SLOW: {
			const char *colon = strchr(optarg, ':');
			uint32_t us = 0;
			ok = false;
			for (int p = 0; colon && p < WT_PIPE_COUNT; p++)
				if (strlen(wt_pipeline_names[p]) == (size_t)(colon - optarg) &&
				    !strncmp(optarg, wt_pipeline_names[p], (size_t)(colon - optarg)) &&
				    parse_u32(colon + 1, 0, &us)) {
					slow[p] = us;
					ok = true;
				}
			break;
		}
		case 'T': tetragon = optarg; break;
#define WT_ADD_STR(arr, n) (arr = wt_xrealloc(arr, (n + 1) * sizeof *arr), arr[n++] = optarg)
		case O_T_ANS: WT_ADD_STR(topt.allow.namespaces, topt.allow.n_namespaces); break;
		case O_T_APOD: WT_ADD_STR(topt.allow.pod_regex, topt.allow.n_pod_regex); break;
		case O_T_ABIN: WT_ADD_STR(topt.allow.binary_regex, topt.allow.n_binary_regex); break;
		case O_T_DNS: WT_ADD_STR(topt.deny.namespaces, topt.deny.n_namespaces); break;
		case O_T_DPOD: WT_ADD_STR(topt.deny.pod_regex, topt.deny.n_pod_regex); break;
		case O_T_DBIN: WT_ADD_STR(topt.deny.binary_regex, topt.deny.n_binary_regex); break;
#undef WT_ADD_STR
		case O_T_AEV:
		case O_T_DEV: {
			struct wt_grpc_filter *f = c == O_T_AEV ? &topt.allow : &topt.deny;
			int t = wt_grpc_event_type(optarg);
			ok = t >= 0;
			if (ok) {
				f->event_types = wt_xrealloc(f->event_types, (f->n_event_types + 1) * sizeof *f->event_types);
				f->event_types[f->n_event_types++] = t;
			}
			break;
		}
		case O_T_BACKOFF: {
			const char *colon = strchr(optarg, ':');
			char lo[16];
			ok = colon && (size_t)(colon - optarg) < sizeof lo;
			if (ok) {
				memcpy(lo, optarg, (size_t)(colon - optarg));
				lo[colon - optarg] = 0;
				ok = parse_u32(lo, 1, &topt.backoff_min_ms) && parse_u32(colon + 1, 1, &topt.backoff_max_ms) &&
				     topt.backoff_min_ms <= topt.backoff_max_ms && topt.backoff_max_ms <= 600000;
			}
			break;
		}
		case O_T_END: topt.exit_on_end = true; break;
		case O_T_RECV: topt.receive_only = true; break;
		case 'V': printf("worktraced %s\n", WT_VERSION_STRING); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 64;
		}
		if (!ok) {
			static const struct { int opt; const char *range; } ranges[] = {
				{O_QUEUE, "2 to 16777216"}, {O_DWIN, "0 or more seconds"}, {O_DENT, "1 to 16777216"},
				{O_PCACHE, "1 to 67108864"}, {O_CORR, "1 to 67108864"}, {O_CTOL, "0 to 3600 seconds"},
				{O_SNAP, "1 to 86400 seconds"}, {O_RKEYS, "16 to 67108864"}, {O_CIDR, "an IPv4 or IPv6 CIDR range"}, {O_SLOW, "NAME:MICROSECONDS, NAME one of direct, correlation, behavioral"},
				{O_T_AEV, "exec, exit, kprobe, tracepoint, uprobe, lsm, throttle or rate_limit_info"},
				{O_T_DEV, "exec, exit, kprobe, tracepoint, uprobe, lsm, throttle or rate_limit_info"},
				{O_T_BACKOFF, "MIN:MAX milliseconds, 1 <= MIN <= MAX <= 600000"}};
			const char *name = "?", *range = "";
			for (const struct option *op = opts; op->name; op++)
				if (op->val == c)
					name = op->name;
			for (size_t i = 0; i < WT_ARRAY_LEN(ranges); i++)
				if (ranges[i].opt == c)
					range = ranges[i].range;
			fprintf(stderr, "worktraced: invalid value '%s' for --%s (expected %s)\n", optarg, name, range);
			return 64;
		}
	}
	if (!rules || !replay == !tetragon || optind != argc) {
		usage(stderr);
		return 64;
	}

	char err[1024];
	struct wt_ruleset *rs;
	if (wt_ruleset_load(rules, &rs, err, sizeof err) != WT_OK) {
		fprintf(stderr, "worktraced: ruleset refused: %s\n", err);
		return 2;
	}
	struct wt_workspace_config ws;
	if (wt_workspace_config_init(&ws, ws_label, owner_label, ns_pattern, err, sizeof err) != WT_OK) {
		fprintf(stderr, "worktraced: %s\n", err);
		wt_ruleset_free(rs);
		return 64;
	}
	if (state_dir) {
		struct stat sd;
		if (mkdir(state_dir, 0750) != 0 && errno != EEXIST) {
			fprintf(stderr, "worktraced: --state-dir %s: %s\n", state_dir, strerror(errno));
			return 73;
		}
		if (stat(state_dir, &sd) != 0 || !S_ISDIR(sd.st_mode) || access(state_dir, W_OK | X_OK) != 0) {
			fprintf(stderr, "worktraced: --state-dir %s: not a writable directory\n", state_dir);
			return 73;
		}
	}
	if (tetragon) {
		replay = "-"; /* no file: the gRPC stream is the input */
		lossless = false; /* live input never blocks on a full queue */
		topt.target = tetragon;
	}
	FILE *in = tetragon ? stdin : strcmp(replay, "-") ? fopen(replay, "rb") : stdin;
	if (!in) {
		fprintf(stderr, "worktraced: %s: %s\n", replay, strerror(errno));
		wt_workspace_config_free(&ws);
		wt_ruleset_free(rs);
		return 74;
	}
	FILE *out = output ? fopen(output, "w") : stdout;
	if (!out) {
		fprintf(stderr, "worktraced: %s: %s\n", output, strerror(errno));
		return 73; /* EX_CANTCREAT */
	}
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct wt_output *o = wt_output_new(out, (int64_t)dedup_seconds * 1000000000LL, dedup_entries);
	struct wt_engine en;
	memset(&en, 0, sizeof en);
	memcpy(en.slow_pipeline_us, slow, sizeof slow);
	en.corr_partials = corr_partials;
	en.corr_tolerance_ns = (int64_t)corr_tolerance * 1000000000LL;
	en.behavior.state_dir = state_dir;
	en.behavior.snapshot_interval_ns = (int64_t)snapshot_seconds * 1000000000LL;
	en.behavior.limits.keys_per_spec = rarity_keys;
	en.cluster = cluster;
	en.n_cluster = n_cluster;
	struct wt_ingest ing;
	if (wt_ingest_init(&ing, &ws, proc_cache) != WT_OK || wt_engine_start(&en, rs, o, queue_size, lossless) != WT_OK) {
		fprintf(stderr, "worktraced: cannot start: out of memory\n");
		return 1;
	}
	struct wt_grpc_ingest grpc;
	enum wt_err e = tetragon ? run_tetragon(&topt, &ing, &en, &grpc)
				 : wt_ingest_stream(&ing, &en, in, strcmp(replay, "-") ? replay : "<stdin>", &stop_requested);
	wt_engine_stop(&en);

	const struct wt_ingest_stats *st = &ing.stats;
	const struct wt_output_stats *os = wt_output_stats(o);
	fprintf(stderr, "worktraced: summary: lines=%llu events=%llu",
		(unsigned long long)st->lines, (unsigned long long)st->events);
	for (int k = 0; k < WT_KIND_COUNT; k++)
		if (st->by_kind[k])
			fprintf(stderr, " %s=%llu", wt_kind_names[k], (unsigned long long)st->by_kind[k]);
	fprintf(stderr, " malformed=%llu unknown_kind=%llu too_long=%llu",
		(unsigned long long)st->malformed, (unsigned long long)st->unknown_kind,
		(unsigned long long)st->too_long);
	for (int p = 0; p < WT_PIPE_COUNT; p++)
		fprintf(stderr, " dropped_%s=%llu", wt_pipeline_names[p], (unsigned long long)en.stats[p].dropped);
	fprintf(stderr, " threats=%llu suppressed=%llu repeats=%llu threats_dropped=%llu throttled=%llu"
		" proc_cache_evictions=%llu proc_cache_kept=%llu",
		(unsigned long long)(os->written - os->repeats), (unsigned long long)os->suppressed,
		(unsigned long long)os->repeats, (unsigned long long)en.threats_dropped,
		(unsigned long long)st->throttle_start, (unsigned long long)ing.pc.evictions,
		(unsigned long long)ing.pc.kept);
	const struct wt_corr_stats *cs = &en.corr;
	fprintf(stderr, " corr_partials=%llu corr_peak=%llu corr_keys=%llu corr_evicted=%llu corr_expired=%llu"
		" corr_cancelled=%llu corr_truncated=%llu corr_threats=%llu",
		(unsigned long long)cs->live, (unsigned long long)cs->peak, (unsigned long long)cs->keys,
		(unsigned long long)cs->evicted, (unsigned long long)cs->expired,
		(unsigned long long)(cs->cancelled + cs->negated), (unsigned long long)cs->truncated,
		(unsigned long long)cs->threats);
	const struct wt_behavior_stats *bs = &en.beh;
	fprintf(stderr, " beh_learned=%llu beh_warming=%llu beh_flagged=%llu beh_excepted=%llu beh_keys=%llu"
		" beh_key_evictions=%llu beh_first_evictions=%llu beh_population_evictions=%llu beh_snapshots=%llu"
		" beh_snapshot_errors=%llu beh_specs_loaded=%u\n",
		(unsigned long long)bs->learned, (unsigned long long)bs->warming, (unsigned long long)bs->flagged,
		(unsigned long long)bs->excepted, (unsigned long long)bs->baseline.keys,
		(unsigned long long)bs->baseline.key_evictions, (unsigned long long)bs->baseline.first_evictions,
		(unsigned long long)bs->baseline.population_evictions, (unsigned long long)bs->snapshots,
		(unsigned long long)bs->snapshot_errors, bs->specs_loaded);
	if (tetragon)
		wt_grpc_ingest_summary(&grpc, stderr);

	int out_err = wt_output_error(o);
	if (out != stdout && fclose(out) != 0 && !out_err) {
		out_err = errno;
		fprintf(stderr, "worktraced: %s: %s\n", output, strerror(errno));
	}
	out = NULL;
	wt_ingest_free(&ing);
	wt_output_free(o);
	wt_event_pool_drain();
	wt_workspace_config_free(&ws);
	wt_ruleset_free(rs);
	free(cluster);
	free(topt.allow.namespaces);
	free(topt.allow.pod_regex);
	free(topt.allow.binary_regex);
	free(topt.allow.event_types);
	free(topt.deny.namespaces);
	free(topt.deny.pod_regex);
	free(topt.deny.binary_regex);
	free(topt.deny.event_types);
	if (in != stdin)
		fclose(in);
	return e == WT_OK && !out_err ? 0 : 74;
}
