/* worktraced: the daemon. Settings from worktrace.yaml(5) and flags (config.c), loads and
 * verifies a ruleset, starts the engine and the metrics endpoint, replays Tetragon JSON lines
 * (a file or stdin), reloads on SIGHUP, drains on SIGTERM/EOF, prints a one-line summary.
 * Exit status: 0 done, 1 config file mistakes (--check-config), 2 ruleset refused, 64 usage
 * error, 73 output cannot be created, 74 input could not be read or threat records could
 * not be written, 78 config file mistakes. */
#include "config.h"
#include "follow.h"
#include "grpc_ingest.h"
#include "ingest.h"
#include "metrics.h"
#include "output.h"
#include "sink.h"
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested, reload_requested;
static int wake_pipe[2] = {-1, -1}; /* the handler wakes the reading thread's poll(2) */

static void on_signal(int sig)
{
	int saved = errno;
	if (sig == SIGHUP)
		reload_requested = 1;
	else
		stop_requested = 1;
	if (wake_pipe[1] >= 0 && write(wake_pipe[1], "", 1) < 0) {
		/* full: a wake-up is already pending */
	}
	errno = saved;
}

/* Threads started with the stop and reload signals blocked leave them to the reading
 * thread, whose blocked read(2) they interrupt. */
static void signals_to_main(bool starting_threads, sigset_t *saved)
{
	if (starting_threads) {
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGHUP);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		pthread_sigmask(SIG_BLOCK, &set, saved);
	} else {
		pthread_sigmask(SIG_SETMASK, saved, NULL);
	}
}

struct flag {
	int index;
	const char *arg;
};

struct daemon {
	struct wt_config cfg; /* the running settings */
	const char *config_path;
	const struct flag *flags;
	unsigned n_flags;
	struct wt_ruleset *rs; /* the daemon's reference on the running ruleset */
	struct wt_engine en;
	struct wt_ingest ing;
	struct wt_metrics *metrics;
	struct wt_sinks *sinks;
	struct wt_follow_stats follow; /* --follow's counters */
	struct wt_grpc_ingest grpc;    /* --tetragon's client */
	struct wt_daemon_pub pub;  /* written here, published to metrics with wt_pub_store */
	struct wt_daemon_pub shown; /* what the metrics thread reads */
};

WT_PRINTF(3, 4) static void say(const struct daemon *d, enum wt_log_level level, const char *fmt, ...)
{
	if (level > d->cfg.log_level)
		return;
	char msg[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "worktraced: %s\n", msg);
}

/* Defaults, then the file, then the flags, in order. 0, or the exit status of the mistake;
 * every message goes to stderr with prefix. */
static int build_config(struct wt_config *c, const char *path, const struct flag *flags, unsigned n,
			const char *prefix)
{
	wt_config_init(c);
	if (path) {
		struct wt_config_errors errs = {0};
		unsigned mistakes = wt_config_load(c, path, &errs);
		for (unsigned i = 0; i < errs.n; i++)
			fprintf(stderr, "%s%s\n", prefix, errs.msg[i]);
		wt_config_errors_free(&errs);
		if (mistakes)
			return 78; /* EX_CONFIG */
	}
	for (unsigned i = 0; i < n; i++) {
		char err[512];
		if (!wt_config_apply_flag(c, flags[i].index, flags[i].arg, err, sizeof err)) {
			fprintf(stderr, "worktraced: %s\n", err);
			return 64;
		}
	}
	return 0;
}

static int check_config(const char *path)
{
	struct wt_config c;
	wt_config_init(&c);
	struct wt_config_errors errs = {0};
	unsigned n = wt_config_load(&c, path, &errs);
	char err[1024];
	struct wt_ruleset *rs = NULL;
	if (!n && c.rules && wt_ruleset_load(c.rules, &rs, err, sizeof err) != WT_OK) {
		printf("%s: rules: ruleset refused: %s\n", path, err);
		n = 1;
	}
	wt_ruleset_free(rs);
	for (unsigned i = 0; i < errs.n; i++)
		printf("%s\n", errs.msg[i]);
	if (!n)
		printf("%s: OK\n", path);
	wt_config_errors_free(&errs);
	wt_config_free(&c);
	return n ? 1 : 0;
}

static int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Load and verify a ruleset and give its rules their metrics cells. */
static enum wt_err load_rules(struct daemon *d, const char *path, struct wt_ruleset **out, char *err, size_t errlen)
{
	enum wt_err e = wt_ruleset_load(path, out, err, errlen);
	if (e != WT_OK || !d->metrics)
		return e;
	struct wt_ruleset *rs = *out;
	for (uint32_t i = 0; i < rs->bc.n_rules; i++)
		rs->rules[i].threat_count = wt_metrics_threat_cell(d->metrics, wt_pipeline_names[WT_PIPE_DIRECT],
								   rs->rules[i].name, wt_severity_names[rs->rules[i].bc->severity]);
	for (uint32_t i = 0; i < rs->n_paths; i++)
		rs->paths[i].rule.threat_count = wt_metrics_threat_cell(d->metrics, wt_pipeline_names[WT_PIPE_CORRELATION],
									rs->paths[i].name, wt_severity_names[rs->paths[i].bc->severity]);
	for (uint32_t i = 0; i < rs->n_rarities; i++)
		rs->rarities[i].rule.threat_count = wt_metrics_threat_cell(d->metrics, wt_pipeline_names[WT_PIPE_BEHAVIORAL],
									   rs->rarities[i].name, wt_severity_names[rs->rarities[i].bc->severity]);
	return WT_OK;
}

/* A per-rule dedup setting that names nothing in the ruleset is a typo: say so. */
static void check_dedup_rules(const struct daemon *d, const struct wt_ruleset *rs)
{
	for (unsigned i = 0; i < d->cfg.n_dedup_rules; i++) {
		const char *r = d->cfg.dedup_rules[i];
		size_t n = strcspn(r, "=");
		bool found = false;
		for (uint32_t k = 0; !found && k < rs->bc.n_rules; k++)
			found = strlen(rs->rules[k].name) == n && !strncmp(rs->rules[k].name, r, n);
		for (uint32_t k = 0; !found && k < rs->n_paths; k++)
			found = strlen(rs->paths[k].name) == n && !strncmp(rs->paths[k].name, r, n);
		for (uint32_t k = 0; !found && k < rs->n_rarities; k++)
			found = strlen(rs->rarities[k].name) == n && !strncmp(rs->rarities[k].name, r, n);
		if (!found)
			say(d, WT_LOG_WARNING, "dedup rule '%.*s': no rule, path or rarity spec of the ruleset has this name",
			    (int)n, r);
	}
}

static void note_ruleset(struct daemon *d)
{
	d->pub.ruleset_checksum = d->rs->bc.checksum;
	d->pub.ruleset_loaded_ns = (uint64_t)wall_ns();
	d->pub.ruleset_rules = d->rs->bc.n_rules;
	d->pub.ruleset_paths = d->rs->n_paths;
	d->pub.ruleset_rarities = d->rs->n_rarities;
	d->pub.ready_ruleset = 1;
}

static void publish(struct daemon *d)
{
	d->pub.ingest = d->ing.stats;
	d->pub.proc_cache_evictions = d->ing.pc.evictions;
	d->pub.last_event_ns = d->ing.last_time > 0 ? (uint64_t)d->ing.last_time : 0;
	wt_pub_store(&d->shown, &d->pub, sizeof d->shown);
}

/* SIGHUP: the whole config and the ruleset it names are read and verified; on any mistake
 * nothing changes. Only the ruleset and log.level apply without a restart. */
static void reload(struct daemon *d)
{
	say(d, WT_LOG_INFO, "SIGHUP: reloading%s%s", d->config_path ? " " : "", d->config_path ? d->config_path : "");
	struct wt_config c;
	if (build_config(&c, d->config_path, d->flags, d->n_flags, "worktraced: reload refused: ") != 0) {
		d->pub.reloads_failed++;
		say(d, WT_LOG_ERROR, "reload refused: the configuration has mistakes; still running the old one");
		wt_config_free(&c);
		return;
	}
	char err[1024];
	struct wt_ruleset *rs;
	if (!c.rules || load_rules(d, c.rules, &rs, err, sizeof err) != WT_OK) {
		d->pub.reloads_failed++;
		say(d, WT_LOG_ERROR, "reload refused: ruleset refused: %s; still running the old ruleset",
		    c.rules ? err : "no rules set");
		wt_config_free(&c);
		return;
	}
	unsigned idx = 0;
	for (const char *name; (name = wt_config_diff(&d->cfg, &c, &idx));)
		say(d, WT_LOG_WARNING, "reload: %s changed; it takes effect at the next start", name);
	d->cfg.log_level = c.log_level;
	free(d->cfg.rules);
	d->cfg.rules = c.rules;
	c.rules = NULL;
	wt_config_free(&c);
	wt_engine_reload(&d->en, rs);
	wt_ruleset_unref(d->rs);
	d->rs = rs;
	note_ruleset(d);
	d->pub.reloads_ok++;
	say(d, WT_LOG_INFO, "reloaded %s (checksum %08x): %u rules, %u paths, %u rarity specs", d->cfg.rules,
	    rs->bc.checksum, rs->bc.n_rules, rs->n_paths, rs->n_rarities);
}

static void tick(void *ctx)
{
	struct daemon *d = ctx;
	if (reload_requested) {
		reload_requested = 0;
		reload(d);
	}
	if (d->cfg.tetragon.address) /* ready while a stream delivers (this is the gRPC thread) */
		d->pub.ready_input = d->grpc.stats.streams > 0 && !d->grpc.gap_start;
	publish(d);
}

static void summary(struct daemon *d)
{
	const struct wt_ingest_stats *st = &d->ing.stats;
	const struct wt_output_stats *os = wt_output_stats(d->en.output);
	struct wt_engine *en = &d->en;
	if (d->cfg.log_level < WT_LOG_INFO)
		return;
	fprintf(stderr, "worktraced: summary: lines=%llu events=%llu",
		(unsigned long long)st->lines, (unsigned long long)st->events);
	for (int k = 0; k < WT_KIND_COUNT; k++)
		if (st->by_kind[k])
			fprintf(stderr, " %s=%llu", wt_kind_names[k], (unsigned long long)st->by_kind[k]);
	fprintf(stderr, " malformed=%llu unknown_kind=%llu too_long=%llu",
		(unsigned long long)st->malformed, (unsigned long long)st->unknown_kind,
		(unsigned long long)st->too_long);
	for (int p = 0; p < WT_PIPE_COUNT; p++)
		fprintf(stderr, " dropped_%s=%llu", wt_pipeline_names[p], (unsigned long long)en->stats[p].dropped);
	fprintf(stderr, " threats=%llu suppressed=%llu repeats=%llu threats_dropped=%llu throttled=%llu"
		" proc_cache_evictions=%llu proc_cache_kept=%llu",
		(unsigned long long)(os->written - os->repeats), (unsigned long long)os->suppressed,
		(unsigned long long)os->repeats, (unsigned long long)en->threats_dropped,
		(unsigned long long)st->throttle_start, (unsigned long long)d->ing.pc.evictions,
		(unsigned long long)d->ing.pc.kept);
	const struct wt_corr_stats *cs = &en->corr;
	fprintf(stderr, " corr_partials=%llu corr_peak=%llu corr_keys=%llu corr_evicted=%llu corr_expired=%llu"
		" corr_cancelled=%llu corr_truncated=%llu corr_threats=%llu",
		(unsigned long long)cs->live, (unsigned long long)cs->peak, (unsigned long long)cs->keys,
		(unsigned long long)cs->evicted, (unsigned long long)cs->expired,
		(unsigned long long)(cs->cancelled + cs->negated), (unsigned long long)cs->truncated,
		(unsigned long long)cs->threats);
	const struct wt_behavior_stats *bs = &en->beh;
	fprintf(stderr, " beh_learned=%llu beh_warming=%llu beh_flagged=%llu beh_excepted=%llu beh_keys=%llu"
		" beh_key_evictions=%llu beh_first_evictions=%llu beh_population_evictions=%llu beh_snapshots=%llu"
		" beh_snapshot_errors=%llu beh_specs_loaded=%u",
		(unsigned long long)bs->learned, (unsigned long long)bs->warming, (unsigned long long)bs->flagged,
		(unsigned long long)bs->excepted, (unsigned long long)bs->baseline.keys,
		(unsigned long long)bs->baseline.key_evictions, (unsigned long long)bs->baseline.first_evictions,
		(unsigned long long)bs->baseline.population_evictions, (unsigned long long)bs->snapshots,
		(unsigned long long)bs->snapshot_errors, bs->specs_loaded);
	if (d->pub.reloads_ok || d->pub.reloads_failed)
		fprintf(stderr, " reloads=%llu reloads_refused=%llu", (unsigned long long)d->pub.reloads_ok,
			(unsigned long long)d->pub.reloads_failed);
	const struct wt_loss *ls = &d->ing.loss;
	fprintf(stderr, " throttle_stops=%llu rate_limit_reports=%llu rate_limited=%llu loss_entries=%u loss_overflow=%llu"
		" input_gap_events=%llu",
		(unsigned long long)ls->throttle_stops, (unsigned long long)ls->rate_limit_reports,
		(unsigned long long)ls->rate_limited, ls->n, (unsigned long long)ls->overflow,
		(unsigned long long)ls->stamped);
	fprintf(stderr, " proc_cache_pod_filled=%llu proc_cache_inplace=%llu", (unsigned long long)d->ing.pc.pod_filled,
		(unsigned long long)d->ing.pc.inplace);
	if (d->cfg.follow.path) {
		const struct wt_follow_stats *fst = &d->follow;
		fprintf(stderr, " follow_rotations=%llu follow_truncations=%llu follow_recovered=%llu follow_lost=%llu"
			" follow_unaccounted=%llu follow_open_errors=%llu",
			(unsigned long long)fst->rotations, (unsigned long long)fst->truncations,
			(unsigned long long)fst->recovered, (unsigned long long)fst->lost,
			(unsigned long long)fst->unaccounted, (unsigned long long)fst->open_errors);
	}
	wt_sinks_summary(stderr, d->sinks);
	fputc('\n', stderr);
}

/* The GetEventsRequest filter of one side (allow or deny) of the config; its arrays borrow
 * the config's strings. */
static void grpc_filter(struct wt_grpc_filter *f, char **ns, unsigned n_ns, char **pods, unsigned n_pods,
			char **bins, unsigned n_bins, char **events, unsigned n_events)
{
	f->namespaces = (const char **)ns;
	f->n_namespaces = n_ns;
	f->pod_regex = (const char **)pods;
	f->n_pod_regex = n_pods;
	f->binary_regex = (const char **)bins;
	f->n_binary_regex = n_bins;
	f->event_types = wt_xcalloc(n_events + 1, sizeof *f->event_types);
	for (unsigned i = 0; i < n_events; i++)
		f->event_types[i] = wt_grpc_event_type(events[i]); /* validated with the config */
	f->n_event_types = n_events;
}

/* --tetragon: the gRPC client thread is the producer of the pipeline queues (it also runs
 * the ingest tick: reloads, metrics); this thread waits for it to end by itself
 * (input.tetragon.exit_on_end) or for a stop signal, then cancels the call and joins it. */
static enum wt_err run_tetragon(struct daemon *d)
{
	const struct wt_config *c = &d->cfg;
	struct wt_grpc_opts o = {.target = c->tetragon.address, .backoff_min_ms = c->tetragon.backoff_min_ms,
				 .backoff_max_ms = c->tetragon.backoff_max_ms, .exit_on_end = c->tetragon.exit_on_end,
				 .receive_only = c->tetragon.receive_only};
	grpc_filter(&o.allow, c->tetragon.allow_ns, c->tetragon.n_allow_ns, c->tetragon.allow_pods,
		    c->tetragon.n_allow_pods, c->tetragon.allow_bins, c->tetragon.n_allow_bins, c->tetragon.allow_events,
		    c->tetragon.n_allow_events);
	grpc_filter(&o.deny, c->tetragon.deny_ns, c->tetragon.n_deny_ns, c->tetragon.deny_pods, c->tetragon.n_deny_pods,
		    c->tetragon.deny_bins, c->tetragon.n_deny_bins, c->tetragon.deny_events, c->tetragon.n_deny_events);
	int pfd[2];
	enum wt_err e = WT_E_IO;
	memset(&d->grpc, 0, sizeof d->grpc);
	if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK) == 0) {
		sigset_t saved;
		signals_to_main(true, &saved);
		e = wt_grpc_ingest_start(&d->grpc, &o, &d->ing, &d->en, pfd[1]);
		signals_to_main(false, &saved);
		if (e == WT_OK) {
			struct pollfd pf[2] = {{.fd = pfd[0], .events = POLLIN}, {.fd = wake_pipe[0], .events = POLLIN}};
			while (!stop_requested) {
				if (poll(pf, wake_pipe[0] >= 0 ? 2 : 1, 1000) > 0 && (pf[0].revents & POLLIN))
					break; /* the client ended by itself */
				char drain[64];
				while (wake_pipe[0] >= 0 && read(wake_pipe[0], drain, sizeof drain) > 0) {
				}
			}
			wt_grpc_ingest_stop(&d->grpc);
			e = wt_grpc_ingest_join(&d->grpc);
		}
		close(pfd[0]);
		close(pfd[1]);
	}
	free(o.allow.event_types);
	free(o.deny.event_types);
	return e;
}

static int run(struct daemon *d)
{
	struct wt_config *cfg = &d->cfg;
	char err[1024];
	const char *listen = cfg->metrics_listen;
	if (!listen && (cfg->tetragon.address || cfg->follow.path))
		listen = WT_DEFAULT_METRICS_LISTEN;
	if (listen && strcmp(listen, "off"))
		d->metrics = wt_metrics_new();
	if (cfg->log_level >= WT_LOG_DEBUG)
		wt_config_print(cfg, stderr, "worktraced: setting ");
	if (load_rules(d, cfg->rules, &d->rs, err, sizeof err) != WT_OK) {
		fprintf(stderr, "worktraced: ruleset refused: %s\n", err);
		wt_metrics_free(d->metrics);
		return 2;
	}
	note_ruleset(d);
	check_dedup_rules(d, d->rs);
	struct wt_workspace_config ws;
	if (wt_workspace_config_init(&ws, cfg->ws_label, cfg->owner_label, cfg->ns_pattern, err, sizeof err) != WT_OK) {
		fprintf(stderr, "worktraced: %s\n", err);
		wt_ruleset_unref(d->rs);
		wt_metrics_free(d->metrics);
		return 64;
	}
	ws.workspace_annotation = cfg->ws_annotation;
	ws.owner_annotation = cfg->owner_annotation;
	int rc = 0;
	FILE *in = NULL, *out = NULL;
	if (cfg->state_dir) {
		struct stat sd;
		if (mkdir(cfg->state_dir, 0750) != 0 && errno != EEXIST) {
			fprintf(stderr, "worktraced: --state-dir %s: %s\n", cfg->state_dir, strerror(errno));
			rc = 73;
		} else if (stat(cfg->state_dir, &sd) != 0 || !S_ISDIR(sd.st_mode) || access(cfg->state_dir, W_OK | X_OK) != 0) {
			fprintf(stderr, "worktraced: --state-dir %s: not a writable directory\n", cfg->state_dir);
			rc = 73;
		}
	}
	if (!rc && d->metrics) {
		wt_metrics_watch(d->metrics, NULL, &d->shown); /* the engine once it runs */
		publish(d);
		sigset_t saved;
		signals_to_main(true, &saved);
		enum wt_err le = wt_metrics_listen(d->metrics, listen, err, sizeof err);
		signals_to_main(false, &saved);
		if (le != WT_OK && !cfg->metrics_listen) {
			/* the implicit default of the live inputs: a port in use costs the metrics,
			 * never detection */
			say(d, WT_LOG_WARNING, "%s; running without a metrics endpoint (set metrics.listen)", err);
		} else if (le != WT_OK) {
			fprintf(stderr, "worktraced: %s\n", err);
			rc = 73;
		} else {
			say(d, WT_LOG_INFO, "metrics on http://%.*s:%u/metrics", (int)(strrchr(listen, ':') - listen), listen,
			    wt_metrics_port(d->metrics));
		}
	}
	const bool stdin_in = cfg->replay && !strcmp(cfg->replay, "-");
	if (!rc && cfg->replay && !(in = stdin_in ? stdin : fopen(cfg->replay, "rb"))) {
		fprintf(stderr, "worktraced: %s: %s\n", cfg->replay, strerror(errno));
		rc = 74;
	}
	/* appended: a restart never wipes the records of the previous run */
	if (!rc && !(out = cfg->output ? fopen(cfg->output, "a") : stdout)) {
		fprintf(stderr, "worktraced: %s: %s\n", cfg->output, strerror(errno));
		rc = 73; /* EX_CANTCREAT */
	}
	if (rc) {
		if (in && in != stdin)
			fclose(in);
		wt_metrics_free(d->metrics);
		wt_workspace_config_free(&ws);
		wt_ruleset_unref(d->rs);
		return rc;
	}
	struct wt_dedup_rule *drules = wt_xcalloc(cfg->n_dedup_rules + 1, sizeof *drules);
	char **dtext = wt_xcalloc(cfg->n_dedup_rules + 1, sizeof *dtext);
	unsigned dkey = WT_DKEY_ALL;
	if (cfg->dedup_key)
		wt_dedup_key_parse(cfg->dedup_key, &dkey); /* validated with the config */
	for (unsigned i = 0; i < cfg->n_dedup_rules; i++)
		wt_dedup_rule_parse(dtext[i] = wt_xstrdup(cfg->dedup_rules[i]), &drules[i]);
	struct wt_sink_spec *specs = NULL;
	unsigned n_specs = 0;
	struct wt_sinkconf_storage st = {0};
	enum wt_err ke = wt_sinkconf_specs(cfg, &specs, &n_specs, &st, err, sizeof err);
	if (ke == WT_OK && n_specs)
		ke = wt_sinks_new(specs, n_specs, &d->sinks, err, sizeof err);
	free(specs);
	wt_sinkconf_storage_free(&st);
	if (ke != WT_OK) {
		fprintf(stderr, "worktraced: %s\n", err);
		if (in != stdin)
			fclose(in);
		if (out != stdout)
			fclose(out);
		for (unsigned i = 0; i < cfg->n_dedup_rules; i++)
			free(dtext[i]);
		free(dtext);
		free(drules);
		wt_metrics_free(d->metrics);
		wt_workspace_config_free(&ws);
		wt_ruleset_unref(d->rs);
		return 64;
	}
	d->pub.ready_input = !cfg->tetragon.address; /* gRPC: once a stream delivers (tick) */
	publish(d);

	struct wt_output *o = wt_output_new(out, (int64_t)cfg->dedup_window_s * 1000000000LL, cfg->dedup_entries);
	struct wt_dedup_config dcfg = {(int64_t)cfg->dedup_window_s * 1000000000LL, dkey, drules, cfg->n_dedup_rules};
	wt_output_set_dedup(o, &dcfg); /* copies the table */
	for (unsigned i = 0; i < cfg->n_dedup_rules; i++)
		free(dtext[i]);
	free(dtext);
	free(drules);
	wt_output_set_sinks(o, d->sinks);
	if (d->metrics && d->sinks)
		wt_metrics_add_collector(d->metrics, wt_sinks_metrics, d->sinks);
	struct wt_engine *en = &d->en;
	memcpy(en->slow_pipeline_us, cfg->slow_pipeline_us, sizeof en->slow_pipeline_us);
	en->corr_partials = cfg->corr_partials;
	en->corr_tolerance_ns = (int64_t)cfg->corr_tolerance_s * 1000000000LL;
	en->behavior.state_dir = cfg->state_dir;
	en->behavior.snapshot_interval_ns = (int64_t)cfg->snapshot_interval_s * 1000000000LL;
	en->behavior.limits.keys_per_spec = cfg->rarity_keys;
	en->cluster = cfg->cluster;
	en->n_cluster = cfg->n_cluster;
	sigset_t saved;
	signals_to_main(true, &saved);
	enum wt_err se = wt_ingest_init(&d->ing, &ws, cfg->proc_cache);
	if (se == WT_OK)
		se = wt_engine_start(en, d->rs, o, cfg->queue_size,
				     !cfg->drop_when_full && !cfg->follow.path && !cfg->tetragon.address);
	signals_to_main(false, &saved);
	if (se != WT_OK) {
		fprintf(stderr, "worktraced: cannot start: out of memory\n");
		return 1;
	}
	if (d->metrics)
		wt_metrics_watch(d->metrics, en, &d->shown);
	d->ing.tick = tick;
	d->ing.tick_ctx = d;
	d->ing.wake_fd = wake_pipe[0];
	if (cfg->dedup_window_s) /* input gaps are judged over the dedup window */
		wt_loss_init(&d->ing.loss, (int64_t)cfg->dedup_window_s * 1000000000LL);
	enum wt_err e;
	if (cfg->tetragon.address) {
		e = run_tetragon(d);
	} else if (cfg->follow.path) {
		struct wt_follow_opts fo = {.from_start = cfg->follow.from_start};
		e = wt_follow_run(&d->ing, en, cfg->follow.path, &fo, &stop_requested, &d->follow);
	} else {
		e = wt_ingest_stream(&d->ing, en, in, stdin_in ? "<stdin>" : cfg->replay, &stop_requested);
	}
	if (stop_requested)
		say(d, WT_LOG_INFO, "stopping: draining the pipelines");
	wt_engine_stop(en);
	wt_sinks_stop(d->sinks, cfg->sink_flush_timeout_s * 1000u);
	publish(d);
	if (d->cfg.log_level >= WT_LOG_INFO)
		wt_loss_report(&d->ing.loss, stderr, 50);
	summary(d);
	if (cfg->tetragon.address && cfg->log_level >= WT_LOG_INFO)
		wt_grpc_ingest_summary(&d->grpc, stderr);

	int out_err = wt_output_error(o);
	if (out != stdout && fclose(out) != 0 && !out_err) {
		out_err = errno;
		fprintf(stderr, "worktraced: %s: %s\n", cfg->output, strerror(errno));
	}
	wt_metrics_free(d->metrics); /* first: its thread reads the engine */
	wt_ingest_free(&d->ing);
	wt_output_free(o);
	wt_sinks_free(d->sinks);
	wt_event_pool_drain();
	wt_workspace_config_free(&ws);
	wt_ruleset_unref(d->rs);
	if (in && in != stdin)
		fclose(in);
	return e == WT_OK && !out_err ? 0 : 74;
}

int main(int argc, char **argv)
{
	const char *config = NULL;
	struct flag *flags = wt_xcalloc((size_t)argc + 1, sizeof *flags);
	unsigned n_flags = 0;
	int c, rc;
	while ((c = getopt_long(argc, argv, "r:R:o:c:Vh", wt_config_long_options(), NULL)) != -1) {
		int idx = wt_config_flag(c);
		if (idx >= 0) {
			flags[n_flags++] = (struct flag){idx, optarg};
			continue;
		}
		switch (c) {
		case 'c': config = optarg; break;
		case 'C': free(flags); return check_config(optarg);
		case 'V': printf("worktraced %s\n", WT_VERSION_STRING); free(flags); return 0;
		case 'h': wt_config_usage(stdout); free(flags); return 0;
		default: wt_config_usage(stderr); free(flags); return 64;
		}
	}
	struct daemon *d = wt_xcalloc(1, sizeof *d);
	d->config_path = config;
	d->flags = flags;
	d->n_flags = n_flags;
	rc = build_config(&d->cfg, config, flags, n_flags, "");
	if (!rc && d->cfg.follow.from_start && !d->cfg.follow.path) {
		fprintf(stderr, "worktraced: --from-start (input.follow.from_start) needs --follow\n");
		rc = 64;
	} else if (!rc && !d->cfg.tetragon.address &&
		   (d->cfg.tetragon.n_allow_ns || d->cfg.tetragon.n_deny_ns || d->cfg.tetragon.n_allow_pods ||
		    d->cfg.tetragon.n_deny_pods || d->cfg.tetragon.n_allow_bins || d->cfg.tetragon.n_deny_bins ||
		    d->cfg.tetragon.n_allow_events || d->cfg.tetragon.n_deny_events || d->cfg.tetragon.exit_on_end ||
		    d->cfg.tetragon.receive_only)) {
		fprintf(stderr, "worktraced: the --tetragon-* options (input.tetragon.*) need --tetragon\n");
		rc = 64;
	} else if (!rc && (!d->cfg.rules || !(d->cfg.replay || d->cfg.follow.path || d->cfg.tetragon.address) ||
			   optind != argc)) {
		wt_config_usage(stderr);
		rc = 64;
	}
	if (!rc) {
		if (pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
			wake_pipe[0] = wake_pipe[1] = -1; /* signals then act at the next input */
		struct sigaction sa = {0};
		sa.sa_handler = on_signal; /* no SA_RESTART: a blocked read returns to act on it */
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		signal(SIGPIPE, SIG_IGN);
		rc = run(d);
	}
	wt_config_free(&d->cfg);
	free(d);
	free(flags);
	return rc;
}
