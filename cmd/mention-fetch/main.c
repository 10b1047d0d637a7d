/*
 * mention-fetch - collect brand mentions from feeds and social APIs, all
 * sources at once and incrementally, as normalized NDJSON records.
 */
#include <ctype.h>
#include <libgen.h>
#include <strings.h>
#include <unistd.h>
#include <curl/curl.h>
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "opt.h"
#include "config.h"
#include "xdg.h"
#include "secret.h"
#include "lock.h"
#include "source/source.h"

static const char synopsis[] =
"usage: mention-fetch [--source name] [--since time] [--state-dir dir]\n"
"                     [--archive dir] [--max-wait secs] [--timeout secs]\n"
"                     [--token-file [source=]file] [--no-state] [--raw]\n"
"                     [options]";

static const char help[] =
"\n"
"Fetch brand mentions from the sources configured as [source \"NAME\"]\n"
"sections (RSS/Atom/Google Alerts feeds, Reddit, Hacker News, Mastodon,\n"
"Bluesky, X, Facebook Pages, YouTube, Google Business Profile), all at\n"
"once, and write one mention record per line.  Each run emits only what\n"
"earlier runs did not (state under $XDG_STATE_HOME/hark/mention-fetch).\n"
"\n"
"Options:\n"
"      --source NAME   fetch only this source (repeatable, or NAME,NAME)\n"
"      --since TIME    backfill: items since TIME (RFC 3339 or a duration\n"
"                      such as 7d), ignoring the saved watermarks\n"
"      --state-dir DIR keep state in DIR/mention-fetch\n"
"      --no-state      neither read nor write state (one-off run)\n"
"      --archive DIR   keep every raw response in DIR, gzip-compressed\n"
"      --max-wait SECS wait at most SECS per request for retries (default 60)\n"
"      --timeout SECS  give up on one transfer after SECS (default 30)\n"
"      --token-file [SOURCE=]FILE\n"
"                      read SOURCE's token (or password) from FILE\n"
"      --raw           add each item's untouched source data as \"raw\"\n"
"\n"
"Exit status: 0 ok, 1 a source failed, 2 usage or configuration error,\n"
"3 malformed response, 4 throttled or timed out beyond --max-wait.\n";

enum {
	OPT_ARCHIVE = HARK_OPT_COMMAND_BASE,
	OPT_MAX_WAIT,
	OPT_NO_STATE,
	OPT_RAW,
	OPT_SINCE,
	OPT_SOURCE,
	OPT_STATE_DIR,
	OPT_TIMEOUT,
	OPT_TOKEN_FILE
};

static const struct option longopts[] = {
	{ "archive", required_argument, NULL, OPT_ARCHIVE },
	{ "max-wait", required_argument, NULL, OPT_MAX_WAIT },
	{ "no-state", no_argument, NULL, OPT_NO_STATE },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "token-file", required_argument, NULL, OPT_TOKEN_FILE },
	HARK_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* Bounds of the duration settings, seconds. */
#define DAY		86400.0
#define MAX_WAIT_MAX	DAY
#define TIMEOUT_MIN	0.001
#define TIMEOUT_MAX	3600.0

static struct hark_common common;
static struct mf_run fetch_run;

/* --- configuration ------------------------------------------------- */

/*
 * The keys mention-fetch reads; every other key of a [source "NAME"] or
 * [mention-fetch] section is an error (a typo would otherwise be silently
 * ignored).  A driver's own keys are in its struct mf_driver (keys,
 * shared_keys; lib/source/<type>.c).  Keep these lists in step with the
 * code, man/mention-fetch.1 and docs/mention-fetch-conf.md.
 */
/* Read from the source's own section only. */
static const char *const source_keys[] = {
	"type", "enabled", "url", "base_url", "search", "token_env",
	"token_file", NULL
};
/* Read from the source's section, else [mention-fetch], else [defaults]. */
static const char *const shared_keys[] = {
	"query", "brand", "exclude_author", "exclude_domain", "monitor",
	"max_pages", "page_size", "max_threads", "concurrency", "limit",
	NULL
};
/* Tool-wide: [mention-fetch], else [defaults]. */
static const char *const tool_keys[] = {
	"state_dir", "archive", "max_wait", "timeout", "connect_timeout",
	"retries", "backoff", "max_redirects", "max_body", "overlap",
	"dedup_window", "lock_wait", "user_agent", "ca_file", NULL
};

static int
key_in(const char *const *keys, const char *key)
{
	for (; keys != NULL && *keys != NULL; keys++)
		if (strcmp(*keys, key) == 0)
			return 1;
	return 0;
}

/* Whether KEY is a key of the source sections (SHARED: one that may
 * also be set tool-wide), the command's or any driver's. */
static int
source_key(const char *key, int shared)
{
	const struct mf_driver *const *drv;
	size_t i, n;

	if (key_in(shared ? shared_keys : source_keys, key))
		return 1;
	drv = mf_driver_table(&n);
	for (i = 0; i < n; i++)
		if (key_in(shared ? drv[i]->shared_keys : drv[i]->keys, key))
			return 1;
	return 0;
}

/*
 * Report the keys of SEC that mention-fetch does not read: in a source
 * section (S not NULL) or in [mention-fetch].  Returns how many.
 */
static int
check_keys(const struct hark_config_section *sec, struct mf_source *s)
{
	char where[300], name[256], hint[64];
	struct hark_err err = HARK_ERR_INIT;
	size_t i;
	int bad = 0;

	if (s != NULL)
		snprintf(where, sizeof(where), "[source \"%s\"]",
		    hark_sanitize(name, sizeof(name), sec->name,
		    strlen(sec->name)));
	else
		snprintf(where, sizeof(where), "[mention-fetch]");
	for (i = 0; i < sec->nentries; i++) {
		const struct hark_config_entry *e = &sec->entries[i];

		if (source_key(e->key, 1) || (s != NULL ?
		    source_key(e->key, 0) : key_in(tool_keys, e->key)))
			continue;
		hint[0] = '\0';
		if (s != NULL && key_in(tool_keys, e->key))
			snprintf(hint, sizeof(hint), " (it belongs in "
			    "[mention-fetch])");
		else if (s == NULL && source_key(e->key, 0))
			snprintf(hint, sizeof(hint), " (it belongs in a "
			    "[source] section)");
		hark_err_setl(&err, 2, e->line, e->key_column, "unknown key "
		    "'%.100s' in %s%s", e->key, where, hint);
		hark_error_at(fetch_run.cfg.path ? fetch_run.cfg.path :
		    "config", &err);
		bad++;
	}
	if (bad > 0 && s != NULL) {
		s->status = hark_exit_merge(s->status, 2);
		fetch_run.status = hark_exit_merge(fetch_run.status, 2);
	}
	return bad;
}

/* A tool-wide value: [mention-fetch], else [defaults]. */
static const struct hark_config_entry *
tool_entry(const char *key)
{
	const struct hark_config_entry *e;

	e = mf_conf_last(&fetch_run.cfg, "mention-fetch", key);
	return e ? e : mf_conf_last(&fetch_run.cfg, "defaults", key);
}

static const char *
tool_conf(const char *key)
{
	const struct hark_config_entry *e = tool_entry(key);

	return e ? e->value : NULL;
}

static HARK_NORETURN void
tool_die(const struct hark_config_entry *e, const char *key,
    const struct hark_err *err)
{
	hark_die(2, "%s:%ld:%ld: %s: %s", fetch_run.cfg.path ? fetch_run.cfg.path :
	    "config", e->line, e->column, key, err->msg);
}

/* A tool-wide duration in seconds within [MIN, MAX]; FRAC allows
 * fractions ("0.5s", "250ms"). */
static double
tool_duration(const char *key, double def, int frac, double min, double max)
{
	const struct hark_config_entry *e = tool_entry(key);
	struct hark_err err = HARK_ERR_INIT;
	double d;

	if (e == NULL)
		return def;
	if (mf_parse_duration(e->value, frac, min, max, &d, &err) < 0)
		tool_die(e, key, &err);
	return d;
}

static long
tool_long(const char *key, long def, long min, long max)
{
	const struct hark_config_entry *e = tool_entry(key);
	struct hark_err err = HARK_ERR_INIT;
	long n;

	if (e == NULL)
		return def;
	if (hark_config_long(e->value, min, max, &n, &err) < 0)
		tool_die(e, key, &err);
	return n;
}

static size_t
tool_size(const char *key, size_t def, size_t min, size_t max)
{
	const struct hark_config_entry *e = tool_entry(key);
	struct hark_err err = HARK_ERR_INIT;
	size_t n;

	if (e == NULL)
		return def;
	if (mf_parse_size(e->value, min, max, &n, &err) < 0)
		tool_die(e, key, &err);
	return n;
}

/* Append the comma-separated values of KEY in SEC to *V (lower-cased
 * when LOWER, a leading '@' dropped). */
static void
list_add(const struct hark_config_section *sec, const char *key, int lower,
    char ***v, size_t *n)
{
	const struct hark_config_entry *e = NULL;

	while ((e = hark_config_next(sec, key, e)) != NULL) {
		const char *cur = e->value, *it;
		size_t len;
		char *q;

		while ((it = hark_config_item(&cur, 0, &len)) != NULL) {
			if (*it == '@') {
				it++;
				len--;
			}
			if (len == 0)
				continue;
			*v = hark_xrealloc(*v, (*n + 1) * sizeof(**v));
			(*v)[*n] = hark_xstrndup(it, len);
			if (lower)
				for (q = (*v)[*n]; *q != '\0'; q++)
					*q = (char)tolower((unsigned char)*q);
			(*n)++;
		}
	}
}

/* Values of KEY in S, else in [mention-fetch], else in [defaults];
 * entries may hold several values separated by commas.  Lower-cased when
 * LOWER. */
static char **
conf_list(const struct hark_config_section *s, const char *key, int lower,
    size_t *n)
{
	static const char *const levels[] = { "mention-fetch", "defaults" };
	char **v = NULL;
	size_t i, k;

	*n = 0;
	list_add(s, key, lower, &v, n);
	for (k = 0; k < HARK_ARRAY_SIZE(levels) && *n == 0; k++)
		for (i = 0; i < fetch_run.cfg.nsections; i++) {
			const struct hark_config_section *sec =
			    &fetch_run.cfg.sections[i];

			if (sec->name == NULL &&
			    strcmp(sec->type, levels[k]) == 0)
				list_add(sec, key, lower, &v, n);
		}
	return v;
}

/* Collapse "." and ".." components of the absolute path P in place. */
static void
normalize_path(char *p)
{
	char *out = p, *seg = p;

	while (*seg != '\0') {
		size_t n;

		while (*seg == '/')
			seg++;
		n = strcspn(seg, "/");
		if (n == 0)
			break;
		if (n == 1 && seg[0] == '.') {
			/* skip */
		} else if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > p && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, seg, n);
			out += n;
		}
		seg += n;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

/* A feed URL from the config: relative paths and file: URLs are taken
 * relative to the config file's directory. */
static char *
resolve_url(const char *v)
{
	const char *path = NULL;

	if (strncmp(v, "file://./", 9) == 0)
		path = v + 9;
	else if (strncmp(v, "file:", 5) == 0 && strncmp(v, "file://", 7) != 0)
		path = v + 5;
	else if (strstr(v, "://") == NULL)
		path = v;
	if (path == NULL)
		return hark_xstrdup(v);
	if (path[0] == '/')
		return hark_xasprintf("file://%s", path);
	if (fetch_run.cfg_dir != NULL)
		return hark_xasprintf("file://%s/%s", fetch_run.cfg_dir, path);
	{
		char cwd[4096];

		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return hark_xasprintf("file://%s", path);
		return hark_xasprintf("file://%s/%s", cwd, path);
	}
}

static struct mf_source *
source_new(const struct hark_config_section *sec, const char *token_file)
{
	struct mf_source *s = hark_xcalloc(1, sizeof(*s));
	struct hark_err err = HARK_ERR_INIT;
	const struct hark_config_entry *qe;
	const char *v, *primary;

	s->run = &fetch_run;
	s->sec = sec;
	s->name = hark_xstrdup(sec->name);
	s->started = mf_clock();
	mf_state_load_source(s);
	if (check_keys(sec, s) > 0)
		return s;
	v = hark_config_get(sec, "type");
	s->type = hark_xstrdup(v ? v : "");
	if (v == NULL) {
		mf_conf_fail(s, sec->line, 0, "'type' is missing (one of %s)",
		    mf_driver_types());
		return s;
	}
	if ((s->drv = mf_driver_find(v)) == NULL) {
		mf_conf_fail(s, hark_config_next(sec, "type", NULL)->line, 0,
		    "unknown type '%s' (one of %s)", v, mf_driver_types());
		return s;
	}
	if ((v = hark_config_get(sec, "base_url")) != NULL) {
		size_t n = strlen(v);

		while (n > 0 && v[n - 1] == '/')
			n--;
		s->base_url = hark_xstrndup(v, n);
	}
	if ((v = hark_config_get(sec, "url")) != NULL)
		s->url = resolve_url(v);
	/* the query: the source's own, else the tool-wide one */
	qe = mf_conf_entry(s, "query");
	s->query_src = hark_xstrdup(qe ? qe->value : "");
	s->query = hark_query_parse(s->query_src, &err);
	if (s->query == NULL) {
		mf_conf_fail(s, qe->line, qe->column + err.column - 1,
		    "query: %s", err.msg);
		return s;
	}
	if ((v = hark_config_get(sec, "search")) != NULL) {
		s->native = hark_xstrdup(v);
	} else {
		struct hark_buf b = HARK_BUF_INIT(64u * 1024);

		hark_query_render(s->query, s->drv->query_style, &b,
		    &s->native_any);
		s->native = hark_buf_detach(&b, NULL);
	}
	v = mf_conf(s, "monitor");
	s->monitor = hark_xstrdup(v ? v : s->name);
	s->brands = conf_list(sec, "brand", 1, &s->nbrands);
	s->xauthors = conf_list(sec, "exclude_author", 1, &s->nxauthors);
	s->xdomains = conf_list(sec, "exclude_domain", 1, &s->nxdomains);
	s->max_pages = mf_conf_long(s, "max_pages", 5, 1, 1000);
	s->limit = mf_conf_long(s, "limit", 0, 0, 1000000);
	s->page_size = mf_conf_long(s, "page_size", 100, 1, 1000);
	s->max_threads = mf_conf_long(s, "max_threads", 20, 0, 10000);
	s->max_inflight = mf_conf_long(s, "concurrency", 4, 1, 64);
	if (s->status != 0)
		return s;

	/* secrets: the primary one may come from --token-file */
	primary = s->drv->file_secret != NULL ? s->drv->file_secret(s) : NULL;
	if (primary == NULL)
		primary = "TOKEN";
	if (token_file == NULL && (v = hark_config_get(sec, "token_file")) !=
	    NULL)
		token_file = v;
	if (token_file != NULL && token_file[0] != '/' &&
	    strcmp(token_file, "-") != 0 && token_file ==
	    hark_config_get(sec, "token_file") && fetch_run.cfg_dir != NULL) {
		char *p = hark_xasprintf("%s/%s", fetch_run.cfg_dir, token_file);

		s->token = mf_secret_get(s, "TOKEN", NULL);
		if (strcmp(primary, "TOKEN") == 0) {
			hark_secret_free(s->token);
			s->token = mf_secret_get(s, "TOKEN", p);
		}
		free(p);
		token_file = NULL;
		if (strcmp(primary, "TOKEN") != 0)
			token_file = hark_config_get(sec, "token_file");
	}
	if (strcmp(primary, "TOKEN") == 0) {
		if (s->token == NULL)
			s->token = mf_secret_get(s, "TOKEN", token_file);
	} else {
		if (s->token == NULL)
			s->token = mf_secret_get(s, "TOKEN", NULL);
		s->secret2 = mf_secret_get(s, primary, token_file);
	}
	if (s->drv->secret2 != NULL) {
		hark_secret_free(s->secret2);
		s->secret2 = mf_secret_get(s, s->drv->secret2, NULL);
	}
	if (s->status != 0)
		return s;
	if (s->drv->setup != NULL && s->drv->setup(s, &err) < 0)
		mf_fail(s, err.code ? err.code : 2, "%s", err.msg);
	return s;
}

/* --- main ---------------------------------------------------------- */

struct token_file {
	char *source;	/* NULL: the one source that needs a token */
	const char *file;
};

static int
selected(char **names, size_t n, const char *name, int *hit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0) {
			hit[i] = 1;
			return 1;
		}
	return 0;
}

int
main(int argc, char **argv)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_http_opts ho;
	struct hark_lock lock = HARK_LOCK_INIT;
	struct token_file *tfs = NULL;
	const struct hark_config_section **secs = NULL;
	char **only = NULL, *state_base = NULL, *p;
	const char *state_opt = NULL, *archive_opt = NULL, *since_opt = NULL;
	const char *v;
	double max_wait = -1, timeout = -1, lock_wait;
	size_t nonly = 0, ntfs = 0, nsecs = 0, i, j;
	int c, *hit, status;

	hark_init(&common, "mention-fetch", synopsis, help);
	fetch_run.common = &common;
	fetch_run.since = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, HARK_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_ARCHIVE:
			archive_opt = optarg;
			break;
		case OPT_MAX_WAIT:
			if (mf_parse_duration(optarg, 1, 0, MAX_WAIT_MAX,
			    &max_wait, &err) < 0)
				hark_usage_error(&common, "--max-wait: %s",
				    err.msg);
			break;
		case OPT_NO_STATE:
			fetch_run.no_state = 1;
			break;
		case OPT_RAW:
			fetch_run.raw = 1;
			break;
		case OPT_SINCE:
			since_opt = optarg;
			break;
		case OPT_SOURCE: {
			const char *cur = optarg, *it;
			size_t len;

			while ((it = hark_config_item(&cur, 0, &len)) != NULL) {
				only = hark_xrealloc(only, (nonly + 1) *
				    sizeof(*only));
				only[nonly++] = hark_xstrndup(it, len);
			}
			break;
		}
		case OPT_STATE_DIR:
			state_opt = optarg;
			break;
		case OPT_TIMEOUT:
			if (mf_parse_duration(optarg, 1, TIMEOUT_MIN,
			    TIMEOUT_MAX, &timeout, &err) < 0)
				hark_usage_error(&common, "--timeout: %s",
				    err.msg);
			break;
		case OPT_TOKEN_FILE:
			tfs = hark_xrealloc(tfs, (ntfs + 1) * sizeof(*tfs));
			p = strchr(optarg, '=');
			tfs[ntfs].source = p ? hark_xstrndup(optarg,
			    (size_t)(p - optarg)) : NULL;
			tfs[ntfs].file = p ? p + 1 : optarg;
			if (*tfs[ntfs].file == '\0')
				hark_usage_error(&common, "--token-file: no "
				    "file name");
			ntfs++;
			break;
		case '?':
		case ':':
			hark_bad_option(&common, c, argv);
		default:
			if (!hark_common_option(&common, c, optarg))
				hark_bad_option(&common, '?', argv);
		}
	}
	if (optind < argc)
		hark_usage_error(&common, "unexpected operand '%s' "
		    "(mention-fetch reads no input)", argv[optind]);

	/* configuration: defaults < config file < environment < options */
	hark_config_init(&fetch_run.cfg);
	if ((status = hark_common_config(&common, &fetch_run.cfg)) != 0)
		exit(status);
	if (fetch_run.cfg.path != NULL) {
		char *copy = hark_xstrdup(fetch_run.cfg.path);
		char *d = dirname(copy), abs[4096];

		if (d[0] != '/' && getcwd(abs, sizeof(abs)) != NULL)
			fetch_run.cfg_dir = strcmp(d, ".") == 0 ? hark_xstrdup(abs) :
			    hark_xasprintf("%s/%s", abs, d);
		else
			fetch_run.cfg_dir = hark_xstrdup(d);
		normalize_path(fetch_run.cfg_dir);
		free(copy);
	}
	for (i = 0, j = 0; i < fetch_run.cfg.nsections; i++)
		if (strcmp(fetch_run.cfg.sections[i].type, "mention-fetch") == 0 &&
		    fetch_run.cfg.sections[i].name == NULL)
			j += (size_t)check_keys(&fetch_run.cfg.sections[i], NULL);
	if (j > 0)
		exit(2);
	if (hark_now(&fetch_run.now, &err) < 0)
		hark_die(2, "HARK_NOW: %s", err.msg);
	if (since_opt != NULL) {
		long secs;

		if (hark_time_parse_rfc3339(since_opt, &fetch_run.since, NULL) < 0) {
			if (hark_config_duration(since_opt, &secs, NULL) < 0)
				hark_usage_error(&common, "--since: '%s' is "
				    "neither a time nor a duration", since_opt);
			fetch_run.since = fetch_run.now - secs;
		}
	}
	if (max_wait < 0)
		max_wait = tool_duration("max_wait", 60, 1, 0, MAX_WAIT_MAX);
	if (timeout < 0)
		timeout = tool_duration("timeout", 30, 1, TIMEOUT_MIN,
		    TIMEOUT_MAX);
	fetch_run.overlap = (long)tool_duration("overlap", 3600, 0, 0, 30 * DAY);
	fetch_run.dedup_window = (long)tool_duration("dedup_window", 30 * DAY, 0,
	    3600, 366 * DAY);
	if (fetch_run.dedup_window < fetch_run.overlap) {
		const struct hark_config_entry *e = tool_entry("dedup_window");

		hark_die(2, "%s:%ld:%ld: dedup_window: '%s' is shorter than "
		    "overlap (%s): items examined again would be written "
		    "again", fetch_run.cfg.path ? fetch_run.cfg.path : "config",
		    e ? e->line : 0, e ? e->column : 0, e ? e->value : "30d",
		    tool_conf("overlap"));
	}
	lock_wait = tool_duration("lock_wait", 0, 1, 0, DAY);
	hark_http_opts_init(&ho);
	ho.connect_timeout = tool_duration("connect_timeout",
	    timeout < 10 ? timeout : 10, 1, TIMEOUT_MIN, TIMEOUT_MAX);
	ho.backoff = tool_duration("backoff", 1, 1, 0, 60);
	ho.max_tries = (int)tool_long("retries", 4, 0, 100) + 1;
	ho.max_redirects = tool_long("max_redirects", 5, 0, 50);
	ho.max_body = tool_size("max_body", 16u * 1024 * 1024, 1,
	    1024u * 1024 * 1024);
	if (archive_opt == NULL && (v = tool_conf("archive")) != NULL)
		archive_opt = v;
	if (archive_opt != NULL)
		fetch_run.archive_dir = hark_xstrdup(archive_opt);
	if (state_opt == NULL)
		state_opt = tool_conf("state_dir");
	if (state_opt == NULL && getenv("HARK_STATE_DIR") != NULL &&
	    *getenv("HARK_STATE_DIR") != '\0')
		state_opt = getenv("HARK_STATE_DIR");
	state_base = state_opt ? hark_xstrdup(state_opt) :
	    hark_xdg_path(HARK_XDG_STATE, NULL);
	if (state_base == NULL && !fetch_run.no_state)
		hark_die(2, "no state directory: set HOME, XDG_STATE_HOME or "
		    "use --state-dir");
	if (state_base != NULL)
		fetch_run.state_dir = hark_xasprintf("%s/mention-fetch", state_base);

	/* sources */
	hit = hark_xcalloc(nonly + 1, sizeof(*hit));
	for (i = 0; i < fetch_run.cfg.nsections; i++) {
		const struct hark_config_section *sec = &fetch_run.cfg.sections[i];
		const struct hark_config_entry *e = NULL, *en = NULL;
		int enabled = 1;

		if (strcmp(sec->type, "source") != 0 || sec->name == NULL)
			continue;
		while ((e = hark_config_next(sec, "enabled", e)) != NULL)
			en = e;
		if (en != NULL && hark_config_bool(en->value, &enabled,
		    &err) < 0)
			hark_die(2, "%s:%ld:%ld: source '%s': enabled: %s",
			    fetch_run.cfg.path, en->line, en->column, sec->name,
			    err.msg);
		if (nonly > 0 ? !selected(only, nonly, sec->name, hit) :
		    !enabled)
			continue;
		for (j = 0; j < nsecs; j++)
			if (strcmp(secs[j]->name, sec->name) == 0)
				hark_die(2, "%s:%ld: source '%s' defined twice",
				    fetch_run.cfg.path, sec->line, sec->name);
		secs = hark_xrealloc(secs, (nsecs + 1) * sizeof(*secs));
		secs[nsecs++] = sec;
	}
	/* usage errors below exit: release what LeakSanitizer would see */
	for (i = 0; i < nonly; i++)
		if (!hit[i]) {
			free(hit);
			hit = NULL;
			hark_usage_error(&common, "--source: no source '%s' in "
			    "%s", only[i], fetch_run.cfg.path ? fetch_run.cfg.path :
			    "the configuration");
		}
	if (nsecs == 0) {
		free(hit);
		hark_usage_error(&common, "no sources configured: add "
		    "[source \"NAME\"] sections to %s", fetch_run.cfg.path ?
		    fetch_run.cfg.path : "the config file (-c FILE)");
	}
	for (j = 0; j < ntfs; j++) {
		if (tfs[j].source != NULL) {
			for (i = 0; i < nsecs; i++)
				if (strcmp(secs[i]->name, tfs[j].source) == 0)
					break;
			if (i == nsecs)
				hark_usage_error(&common, "--token-file: no "
				    "selected source '%s'", tfs[j].source);
		} else if (nsecs > 1) {
			hark_usage_error(&common, "--token-file FILE needs "
			    "SOURCE=FILE when several sources are selected");
		}
	}

	/* the lock, then state, then the sources' setup */
	if (!fetch_run.no_state) {
		if (hark_mkdir_p(fetch_run.state_dir, &err) < 0)
			hark_die(1, "%s", err.msg);
		p = hark_xasprintf("%s/lock", fetch_run.state_dir);
		c = hark_lock_acquire(&lock, p, lock_wait,
		    &err);
		free(p);
		if (c < 0)
			hark_die(err.code ? err.code : 1, "%s", err.msg);
	}
	if (mf_state_open(&fetch_run, &err) < 0)
		hark_die(1, "%s", err.msg);
	fetch_run.src = hark_xcalloc(nsecs, sizeof(*fetch_run.src));
	for (i = 0; i < nsecs; i++) {
		const char *tf = NULL;

		for (j = 0; j < ntfs; j++)
			if (tfs[j].source == NULL ||
			    strcmp(tfs[j].source, secs[i]->name) == 0)
				tf = tfs[j].file;
		fetch_run.src[fetch_run.nsrc++] = source_new(secs[i], tf);
	}
	free(secs);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		hark_die(1, "cannot initialise libcurl");
	ho.max_wait = max_wait;
	fetch_run.max_wait = max_wait;
	ho.timeout = timeout;
	ho.user_agent = tool_conf("user_agent");
	if (ho.user_agent == NULL)
		ho.user_agent = "hark-mention-fetch/" HARK_VERSION;
	ho.ca_file = tool_conf("ca_file");
	mf_http_logger(&fetch_run, &ho);
	if ((fetch_run.http = hark_http_new(&ho, &err)) == NULL)
		hark_die(1, "%s", err.msg);

	if (hark_output_open(&fetch_run.out, common.output, 1, &err) < 0)
		hark_die(1, "%s", err.msg);
	fetch_run.out.unbuffered = common.unbuffered;
	fetch_run.defer_commit = common.output != NULL &&
	    strcmp(common.output, "-") != 0;
	fetch_run.progress = hark_progress_enabled(&common);
	fetch_run.tty = isatty(2);

	mf_engine_start(&fetch_run);
	status = mf_engine_finish(&fetch_run);

	hark_http_free(fetch_run.http);
	curl_global_cleanup();
	hark_lock_release(&lock);
	for (i = 0; i < fetch_run.nsrc; i++)
		mf_source_free(fetch_run.src[i]);
	free(fetch_run.src);
	json_decref(fetch_run.seen);
	for (i = 0; i < nonly; i++)
		free(only[i]);
	free(only);
	for (i = 0; i < ntfs; i++)
		free(tfs[i].source);
	free(tfs);
	free(hit);
	free(state_base);
	free(fetch_run.state_dir);
	free(fetch_run.archive_dir);
	free(fetch_run.cfg_dir);
	hark_config_release(&fetch_run.cfg);
	return status;
}
