/*
 * ticket-route - triage mention records: category, priority, queue and
 * agent, private-message advice, hiding, and SLA due times, by rules.
 */
#include <getopt.h>
#include <math.h>
#include <strings.h>
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "opt.h"
#include "config.h"
#include "embed.h"
#include "expr.h"
#include "filter.h"
#include "htime.h"
#include "pii.h"
#include "rules.h"
#include "sla.h"
#include "xdg.h"
#include "io.h"
#include "assign.h"
#include "lazy.h"
#include "model.h"
#include "lang.h"
#include "mention.h"

#define BUILTIN_RULES "rules/default.conf"
#define BUILTIN_NAME "(built-in) rules/default.conf"

static const char synopsis[] =
    "usage: ticket-route [-hqv] [-c file] [-o file] [--dry-run] [--explain]\n"
    "                    [--model file] [--no-builtin-rules] [--print-rules]\n"
    "                    [--redact] [--rules file] [--state-dir dir]\n"
    "                    [file ...]";

static const char help[] =
    "\n"
    "Read mention records (NDJSON) and add a \"route\" object: category,\n"
    "priority, queue, agent, tags, private-message advice, hiding and SLA\n"
    "due times, decided by [rule] sections (built-in rules for English,\n"
    "Polish and Czech run first).\n"
    "\n"
    "Options:\n"
    "      --dry-run           assign agents but do not save the assignment"
    " state\n"
    "      --explain           list the rules that fired in route.rules\n"
    "      --model FILE        take route.category from a model trained by\n"
    "                          hark-train; rules run after it\n"
    "      --no-builtin-rules  do not load the built-in rules\n"
    "      --print-rules       print the built-in rules file and exit\n"
    "      --redact            mask personal data in the output's text\n"
    "      --rules FILE        also load the [rule] sections of FILE"
    " (repeatable)\n"
    "      --state-dir DIR     keep the assignment state in DIR\n"
    "\n";

enum {
	OPT_DRY_RUN = HARK_OPT_COMMAND_BASE,
	OPT_EXPLAIN,
	OPT_MODEL,
	OPT_NO_BUILTIN,
	OPT_PRINT_RULES,
	OPT_REDACT,
	OPT_RULES,
	OPT_STATE_DIR
};

static const struct option longopts[] = {
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "no-builtin-rules", no_argument, NULL, OPT_NO_BUILTIN },
	{ "print-rules", no_argument, NULL, OPT_PRINT_RULES },
	{ "redact", no_argument, NULL, OPT_REDACT },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	HARK_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

struct route {
	struct hark_rules rules;
	struct hark_expr_ctx ctx;
	struct hark_pii pii;
	struct hark_sla_set sla;
	struct tr_assign assign;
	char **vip;
	size_t nvip;
	int explain, redact;
	struct hark_buf scratch;
	struct hark_lazy lazy;
	int sla_loaded;
	json_t *route;			/* kept from record to record */
	json_t *jpii[HARK_PII_NKINDS];	/* the kinds' names */
	const char *file;		/* the record being routed */
	long lineno;
	int pii_warned;
	unsigned sla_alias;		/* route members SLA policies read */
	struct hark_classifier *model;	/* --model, or NULL */
	const char *model_path;
	json_t *jmodel[2];		/* its name and version */
	json_t **jlabel;		/* its labels as JSON strings */
	json_t *jm, *jp;		/* route.model and its "p", kept */
};

/* A rule's regular expression failed (rules.h): say so once per rule. */
static void
rule_warn(void *arg, const struct hark_rule *r, const char *msg)
{
	const struct route *rt = arg;

	hark_warn("%s:%ld: rule '%s' (%s:%ld): %s; taken as no match (not "
	    "reported again for this rule)", rt->file, rt->lineno, r->name,
	    r->file, r->line, msg);
}

/* An SLA policy's `when` regex failed (sla.h): say so once per policy. */
static void
sla_warn(void *arg, const struct hark_sla_policy *p, const char *msg)
{
	const struct route *rt = arg;

	hark_warn("%s:%ld: sla '%s': when: %s; taken as no match (not "
	    "reported again for this policy)", rt->file, rt->lineno, p->name,
	    msg);
}

static void
want_field(void *arg, const char *name)
{
	if (strcmp(name, "route") != 0)
		hark_lazy_want(arg, name);
}

static int
config_fail(const char *file, const struct hark_err *err)
{
	hark_error_at(file, err);	/* the suite's one config-error printer */
	return HARK_EXIT_USAGE;
}

static void
add_vips(struct route *rt, const char *v)
{
	const char *p = v, *s;
	size_t k;

	while ((s = hark_config_item(&p, 1, &k)) != NULL) {
		if (*s == '@') {
			s++;
			k--;
		}
		if (k > 0) {
			rt->vip = hark_xrealloc(rt->vip, (rt->nvip + 1) *
			    sizeof(*rt->vip));
			rt->vip[rt->nvip++] = hark_xstrndup(s, k);
		}
	}
}

static int
is_vip(const struct route *rt, json_t *rec)
{
	const char *h = hark_json_path_str(rec, "author.handle");
	const char *id = hark_json_path_str(rec, "author.id");
	const char *src = hark_json_path_str(rec, "source");
	size_t i;

	if (h && *h == '@')
		h++;
	for (i = 0; i < rt->nvip; i++) {
		const char *v = rt->vip[i], *colon = strchr(v, ':');

		if (colon && src) {
			/* "source:handle" */
			size_t n = (size_t)(colon - v);

			if (strlen(src) != n || strncasecmp(src, v, n) != 0)
				continue;
			v = colon + 1;
			if (*v == '@')
				v++;
		}
		if ((h && strcasecmp(h, v) == 0) || (id && strcmp(id, v) == 0))
			return 1;
	}
	return 0;
}

/*
 * The instant the SLA clock starts: created_at, else fetched_at, else
 * now (read per record: a live pipeline runs for days; $HARK_NOW was
 * checked at start).  A present but unparseable or non-string time is a
 * data error.
 */
static int
start_time(json_t *rec, hark_time_t *t, struct hark_err *err)
{
	int rc = hark_mention_time(rec, t, err);

	if (rc == 0)
		(void)hark_now(t, NULL);
	return rc < 0 ? -1 : 0;
}

/* The route members an SLA policy's `when` sees at top level. */
static const char *const sla_alias[] = { "category", "priority", "queue",
    "complaint" };

static void
note_alias(void *arg, const char *name)
{
	unsigned *mask = arg;
	size_t i;

	for (i = 0; i < HARK_ARRAY_SIZE(sla_alias); i++)
		if (strcmp(name, sla_alias[i]) == 0)
			*mask |= 1u << i;
}

/* Which of sla_alias[] the policies read (the others need no copy). */
static unsigned
sla_alias_mask(const struct hark_sla_set *set)
{
	unsigned mask = 0;
	size_t i;

	for (i = 0; i < set->npol; i++)
		hark_expr_foreach_field(set->pol[i].when, note_alias, &mask);
	return mask;
}

/* Select the SLA policy with route fields visible at top level. */
static int
select_sla(struct route *rt, json_t *rec, json_t *route,
    const struct hark_sla_policy **pol, struct hark_err *err)
{
	json_t *saved[HARK_ARRAY_SIZE(sla_alias)];
	size_t i;
	int rc;

	for (i = 0; i < HARK_ARRAY_SIZE(sla_alias); i++) {
		json_t *v;

		if (!(rt->sla_alias & 1u << i))
			continue;
		v = json_object_get(route, sla_alias[i]);
		saved[i] = json_incref(json_object_get(rec, sla_alias[i]));
		json_object_set(rec, sla_alias[i], v ? v : json_null());
	}
	rc = hark_sla_select(&rt->sla, rec, pol, err);
	for (i = 0; i < HARK_ARRAY_SIZE(sla_alias); i++) {
		if (!(rt->sla_alias & 1u << i))
			continue;
		if (saved[i]) {
			json_object_set_new(rec, sla_alias[i], saved[i]);
		} else
			json_object_del(rec, sla_alias[i]);
	}
	return rc;
}

/* The members of the route object, in the documented order; "rules"
 * only with --explain. */
static const char *const route_keys[] = { "category", "priority", "queue",
    "agent", "tags", "complaint", "private", "private_reasons", "hide",
    "hide_reasons", "pii", "vip", "sla", "rules" };

/* Is member K of the route object a list (tags, reasons, pii, rules)? */
static int
route_is_list(size_t k)
{
	return k == 4 || k == 7 || k == 9 || k == 10 || k == 13;
}

/* The starting value of member K of the route object. */
static json_t *
route_default(size_t k)
{
	if (route_is_list(k))
		return json_array();
	if (k == 5 || k == 6 || k == 8 || k == 11)
		return json_false();
	return json_null();
}

/*
 * The route object has every output member in the documented order
 * (members set later start as null, which reads as missing in
 * expressions), so it goes out as it is.  It is made once and reset for
 * each record by walking its members in place, when nothing else holds
 * it any more and nothing was added: no allocation and no hashing.
 */
static json_t *
route_object(struct route *rt)
{
	size_t n = HARK_ARRAY_SIZE(route_keys) - !rt->explain, k;
	json_t *o = rt->route;
	void *it;

	if (o != NULL && rt->model != NULL)	/* added per record */
		json_object_del(o, "model");

	if (o != NULL && o->refcount == 1 && json_object_size(o) == n) {
		for (it = json_object_iter(o), k = 0; it != NULL && k < n;
		    it = json_object_iter_next(o, it), k++) {
			json_t *v = json_object_iter_value(it);

			if (route_is_list(k) && json_is_array(v) &&
			    v->refcount == 1)
				json_array_clear(v);
			else
				json_object_iter_set_new(o, it,
				    route_default(k));
		}
		return o;
	}
	json_decref(o);
	o = rt->route = json_object();
	for (k = 0; k < n; k++)
		json_object_set_new(o, route_keys[k], route_default(k));
	return o;
}

/*
 * --model: the model's category goes into route.category before the
 * rules run (so the built-in category rules, which only fill an empty
 * category, leave it, and the team's rules see it and may override it);
 * route.model says which model decided what, with what probability.
 * A record without text is left to the rules.
 */
static void
model_category(struct route *rt, json_t *rec, json_t *text, json_t *route)
{
	const char *tag = hark_json_path_str(rec, "lang");
	enum hark_lang lang = tag ? hark_lang_from_code(tag, strlen(tag)) :
	    HARK_LANG_UNKNOWN;
	json_t *m;

	json_t *jcat;
	double p;

	(void)hark_classifier_run(rt->model, json_string_value(text),
	    json_string_length(text), lang, NULL);
	/* the strings made once at load, shared by every record */
	jcat = rt->jlabel[rt->model->best];
	json_object_set(route, "category", jcat);
	p = round(rt->model->p[rt->model->best] * 10000.0) / 10000.0;
	/* route.model is made once and refilled in place (its members keep
	 * their order) while only this command holds it: route_object()
	 * took it out of the last record's route */
	m = rt->jm;
	if (m != NULL && m->refcount == 1 && rt->jp->refcount == 1) {
		json_object_set(m, "category", jcat);
		json_real_set(rt->jp, p);
	} else {
		json_decref(rt->jm);
		json_decref(rt->jp);
		m = rt->jm = json_object();
		rt->jp = json_real(p);
		json_object_set(m, "name", rt->jmodel[0]);
		json_object_set(m, "version", rt->jmodel[1]);
		json_object_set(m, "category", jcat);
		json_object_set(m, "p", rt->jp);
	}
	if (rt->explain)
		json_object_set_new(m, "features",
		    hark_classifier_explain(rt->model, 10));
	json_object_set(route, "model", m);
}

static int
on_record(void *vctx, struct hark_filter_rec *r, struct hark_err *err)
{
	struct route *rt = vctx;
	json_t *rec = r->rec, *route, *fired = NULL, *pii;
	json_t *text = json_object_get(rec, "text");
	const struct hark_pii_match *m = NULL;
	size_t npii = 0, i;
	unsigned seen = 0;
	const struct hark_sla_policy *pol = NULL;
	const char *forced, *queue, *agent;
	json_t *jforced;
	hark_time_t start;

	if (text != NULL && !json_is_string(text) && !json_is_null(text))
		return hark_err_set(err, HARK_EXIT_DATA, "\"text\" is not a "
		    "string"), HARK_REC_REJECT;
	rt->file = r->file;
	rt->lineno = r->lineno;
	route = route_object(rt);
	pii = json_object_get(route, "pii");
	if (rt->nvip > 0 && is_vip(rt, rec))
		json_object_set_new(route, "vip", json_true());
	if (json_is_string(text)) {
		struct hark_err e2 = HARK_ERR_INIT;

		npii = hark_pii_scan_utf8(&rt->pii, json_string_value(text),
		    json_string_length(text), &m, &e2);
		if (e2.code != 0 && !rt->pii_warned) {
			/* the order-number scan ended early: say so (once:
			 * the same pattern will do it again) */
			hark_warn("%s:%ld: %s", r->file, r->lineno, e2.msg);
			rt->pii_warned = 1;
		}
		for (i = 0; i < npii; i++)
			seen |= 1u << m[i].kind;
		for (i = 0; i < HARK_PII_NKINDS; i++)
			if (seen & (1u << i))
				json_array_append(pii, rt->jpii[i]);
	}
	json_object_set(rec, "route", route);
	if (rt->model != NULL && json_string_length(text) > 0)
		model_category(rt, rec, text, route);
	if (rt->explain)
		fired = json_object_get(route, "rules");
	hark_expr_ctx_reset(&rt->ctx, rec);
	if (hark_rules_run(&rt->rules, &rt->ctx, route, fired, err) < 0)
		return HARK_REC_REJECT;
	if (json_is_null(json_object_get(route, "category")))
		json_object_set_new(route, "category", json_string("other"));
	if (json_is_null(json_object_get(route, "priority")))
		json_object_set_new(route, "priority", json_string("normal"));

	if (start_time(rec, &start, err) < 0)
		return HARK_REC_REJECT;
	jforced = json_object_get(route, "sla_policy");
	forced = json_string_value(jforced);
	if (forced)	/* "none": no targets, e.g. the brand's own posts */
		pol = strcmp(forced, "none") == 0 ? NULL :
		    hark_sla_set_policy(&rt->sla, forced);
	else if (select_sla(rt, rec, route, &pol, err) < 0)
		return HARK_REC_REJECT;
	if (jforced)	/* the rules' choice, not an output member */
		json_object_del(route, "sla_policy");
	queue = json_string_value(json_object_get(route, "queue"));
	agent = tr_assign_pick(&rt->assign, queue, start);
	if (agent)
		json_object_set_new(route, "agent", json_string(agent));
	hark_sla_annotate(pol, start, route);
	if (rt->redact && npii > 0) {
		hark_buf_reset(&rt->scratch);
		if (hark_pii_redact(json_string_value(text),
		    json_string_length(text), m, npii, &rt->scratch) == 0)
			json_object_set_new(r->add, "text", json_stringn(
			    hark_buf_str(&rt->scratch), rt->scratch.len));
	}
	json_object_set(r->add, "route", route);
	return HARK_REC_EMIT;
}

static int
load_rules_file(struct route *rt, const char *path)
{
	struct hark_config cfg = HARK_CONFIG_INIT;
	struct hark_err err = HARK_ERR_INIT;
	int rc = 0;

	if (hark_config_load(&cfg, path, &err) < 0 ||
	    hark_rules_add_config(&rt->rules, &cfg, path, &err) < 0)
		rc = config_fail(path, &err);
	hark_config_release(&cfg);
	return rc;
}

static int
check_rule_slas(struct route *rt)
{
	size_t i;

	for (i = 0; i < rt->rules.n; i++) {
		const struct hark_rule *r = &rt->rules.r[i];

		if (r->sla && strcmp(r->sla, "none") != 0 &&
		    hark_sla_set_policy(&rt->sla, r->sla) == NULL) {
			struct hark_err e = HARK_ERR_INIT;

			hark_err_setl(&e, HARK_EXIT_USAGE, r->line, 0, "rule "
			    "'%s': no SLA policy named '%s'", r->name, r->sla);
			return config_fail(r->file, &e);
		}
	}
	return 0;
}

/* --model FILE, else [route] model = FILE (relative to the config). */
static int
load_model(struct route *rt, const struct hark_config_section *rs,
    const char *cfgpath)
{
	struct hark_err err = HARK_ERR_INIT;
	const char *v = rt->model_path, *slash;
	char *path;
	int rc = 0;

	if (v == NULL && (v = hark_config_get(rs, "model")) == NULL)
		return 0;
	if (v != rt->model_path && v[0] != '/' && cfgpath != NULL &&
	    (slash = strrchr(cfgpath, '/')) != NULL)
		path = hark_xasprintf("%.*s/%s", (int)(slash - cfgpath),
		    cfgpath, v);
	else
		path = hark_xstrdup(v);
	rt->model = hark_xcalloc(1, sizeof(*rt->model));
	if (hark_classifier_load(rt->model, path, rt->explain, &err) < 0) {
		hark_error("%s", err.msg);
		free(rt->model);
		rt->model = NULL;
		rc = HARK_EXIT_USAGE;
	} else {
		size_t i;

		rt->jmodel[0] = json_string(rt->model->m->name);
		rt->jmodel[1] = json_string(rt->model->m->version);
		rt->jlabel = hark_xcalloc(rt->model->m->nlabels,
		    sizeof(*rt->jlabel));
		for (i = 0; i < rt->model->m->nlabels; i++)
			rt->jlabel[i] = json_string(rt->model->m->labels[i]);
	}
	free(path);
	return rc;
}

/* Everything main() needs before reading records; 0 or an exit status. */
static int
setup(struct route *rt, const struct hark_common *c, int builtin,
    const char **rules_files, size_t nrules_files, const char *state_dir)
{
	struct hark_config cfg = HARK_CONFIG_INIT;
	struct hark_err err = HARK_ERR_INIT;
	const struct hark_config_section *rs;
	const struct hark_config_entry *e = NULL;
	const char *order_pattern, *v;
	size_t i;
	int status = 0;

	if ((status = hark_common_config(c, &cfg)) != 0)
		goto out;
	rs = hark_config_find(&cfg, "route", NULL);
	for (i = 0; rs && i < rs->nentries; i++) {
		const char *k = rs->entries[i].key;

		if (strcmp(k, "builtin_rules") && strcmp(k, "builtin-rules") &&
		    strcmp(k, "order_pattern") && strcmp(k, "order-pattern") &&
		    strcmp(k, "state_dir") && strcmp(k, "state-dir") &&
		    strcmp(k, "vip") && strcmp(k, "model")) {
			hark_err_setl(&err, HARK_EXIT_USAGE,
			    rs->entries[i].line, rs->entries[i].column,
			    "[route]: unknown key '%.100s'", k);
			status = config_fail(cfg.path, &err);
			goto out;
		}
	}
	if ((v = hark_config_get(rs, "builtin_rules")) != NULL ||
	    (v = hark_config_get(rs, "builtin-rules")) != NULL) {
		int b;

		if (hark_config_bool(v, &b, &err) < 0) {
			status = config_fail(cfg.path, &err);
			goto out;
		}
		if (!b)
			builtin = 0;
	}
	if ((order_pattern = hark_config_get(rs, "order_pattern")) == NULL)
		order_pattern = hark_config_get(rs, "order-pattern");
	if (state_dir == NULL && (state_dir = hark_config_get(rs,
	    "state_dir")) == NULL)
		state_dir = hark_config_get(rs, "state-dir");
	while ((e = hark_config_next(rs, "vip", e)) != NULL)
		add_vips(rt, e->value);
	if ((status = load_model(rt, rs, cfg.path)) != 0)
		goto out;
	if (hark_pii_init(&rt->pii, order_pattern, &err) < 0) {
		for (i = 0; rs && i < rs->nentries; i++)
			if (rs->entries[i].value == order_pattern) {
				err.line = rs->entries[i].line;
				err.column = rs->entries[i].column +
				    err.column - 1;
			}
		status = config_fail(cfg.path, &err);
		goto out;
	}

	if (builtin) {
		struct hark_config bc = HARK_CONFIG_INIT;
		size_t len;
		const char *text = hark_embed_get(BUILTIN_RULES, &len);

		if (text == NULL || hark_config_parse(&bc, BUILTIN_NAME, text,
		    len, &err) < 0 || hark_rules_add_config(&rt->rules, &bc,
		    BUILTIN_NAME, &err) < 0)
			status = config_fail(BUILTIN_NAME, &err);
		hark_config_release(&bc);
		if (status)
			goto out;
	}
	if (hark_rules_add_config(&rt->rules, &cfg, cfg.path, &err) < 0) {
		status = config_fail(cfg.path, &err);
		goto out;
	}
	for (i = 0; i < nrules_files; i++)
		if ((status = load_rules_file(rt, rules_files[i])) != 0)
			goto out;
	if (hark_sla_set_load(&rt->sla, &cfg, 0, &err) < 0) {
		status = config_fail(cfg.path, &err);
		goto out;
	}
	rt->sla_loaded = 1;
	rt->sla.warn = sla_warn;
	rt->sla_alias = sla_alias_mask(&rt->sla);
	rt->sla.warn_arg = rt;
	if ((status = check_rule_slas(rt)) != 0)
		goto out;
	if (tr_assign_load(&rt->assign, &cfg, &err) < 0) {
		status = config_fail(cfg.path, &err);
		goto out;
	}
	if (tr_assign_needed(&rt->assign)) {
		char *path = state_dir ? hark_xasprintf("%s/ticket-route.json",
		    state_dir) : hark_xdg_path(HARK_XDG_STATE,
		    "ticket-route.json");

		if (path == NULL) {
			hark_error("no state directory: set --state-dir, "
			    "XDG_STATE_HOME or HOME");
			status = HARK_EXIT_USAGE;
			goto out;
		}
		if (tr_assign_open(&rt->assign, path, &err) < 0) {
			hark_error("%s", err.msg);
			status = err.code ? err.code : HARK_EXIT_FAILURE;
		}
		free(path);
		if (status)
			goto out;
	}

	/* decode only what rules, policies and this command read */
	{
		static const char *const own[] = { "text", "author", "source",
		    "created_at", "fetched_at" };

		for (i = 0; i < HARK_ARRAY_SIZE(own); i++)
			hark_lazy_want(&rt->lazy, own[i]);
		if (rt->model != NULL)
			hark_lazy_want(&rt->lazy, "lang");
		for (i = 0; i < rt->rules.n; i++)
			hark_expr_foreach_field(rt->rules.r[i].when,
			    want_field, &rt->lazy);
		for (i = 0; i < rt->sla.npol; i++)
			hark_expr_foreach_field(rt->sla.pol[i].when,
			    want_field, &rt->lazy);
	}
out:
	hark_config_release(&cfg);
	return status;
}

int
main(int argc, char **argv)
{
	struct hark_common c;
	struct hark_err err = HARK_ERR_INIT;
	struct route rt;
	const char **rules_files = NULL, *state_dir = NULL;
	size_t nrules_files = 0, i;
	int opt, builtin = 1, print_rules = 0, dry_run = 0, status;

	hark_json_fast_alloc();	/* single-threaded */
	hark_init(&c, "ticket-route", synopsis, help);
	memset(&rt, 0, sizeof(rt));
	opterr = 0;
	while ((opt = getopt_long(argc, argv, HARK_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (opt) {
		case OPT_DRY_RUN:
			dry_run = 1;
			break;
		case OPT_EXPLAIN:
			rt.explain = 1;
			break;
		case OPT_MODEL:
			rt.model_path = optarg;
			break;
		case OPT_NO_BUILTIN:
			builtin = 0;
			break;
		case OPT_PRINT_RULES:
			print_rules = 1;
			break;
		case OPT_REDACT:
			rt.redact = 1;
			break;
		case OPT_RULES:
			rules_files = hark_xrealloc(rules_files,
			    (nrules_files + 1) * sizeof(*rules_files));
			rules_files[nrules_files++] = optarg;
			break;
		case OPT_STATE_DIR:
			state_dir = optarg;
			break;
		case '?':
		case ':':
			hark_bad_option(&c, opt, argv);
		default:
			if (!hark_common_option(&c, opt, optarg))
				hark_bad_option(&c, opt, argv);
		}
	}
	argc -= optind;
	argv += optind;

	if (print_rules) {
		size_t len;
		const char *text = hark_embed_get(BUILTIN_RULES, &len);

		free(rules_files);
		if (text == NULL)
			hark_die(HARK_EXIT_FAILURE, "no built-in rules");
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
			hark_die(HARK_EXIT_FAILURE, "write error: %s",
			    strerror(errno));
		return 0;
	}

	hark_rules_init(&rt.rules);
	rt.rules.warn = rule_warn;
	rt.rules.warn_arg = &rt;
	for (i = 0; i < HARK_PII_NKINDS; i++)
		rt.jpii[i] = json_string(hark_pii_name((enum hark_pii_kind)i));
	hark_expr_ctx_init(&rt.ctx);
	hark_buf_init(&rt.scratch, HARK_LINE_MAX_DEFAULT * 2);
	rt.assign.lock.fd = -1;
	{	/* a bad $HARK_NOW is a usage error, not the wall clock */
		hark_time_t now;

		if (hark_now(&now, &err) < 0)
			hark_die(HARK_EXIT_USAGE, "%s", err.msg);
	}
	status = setup(&rt, &c, builtin, rules_files, nrules_files,
	    state_dir);
	if (status == 0) {
		struct hark_filter_ops ops = { on_record, NULL, 0, 0,
		    &rt.lazy };

		status = hark_filter_run(&c, argc, argv, &ops, &rt, NULL);
		if (tr_assign_close(&rt.assign, !dry_run, &err) < 0) {
			hark_error("%s", err.msg);
			status = hark_exit_merge(status, HARK_EXIT_FAILURE);
		}
	}
	tr_assign_release(&rt.assign);
	hark_expr_ctx_release(&rt.ctx);
	hark_rules_release(&rt.rules);
	hark_pii_release(&rt.pii);
	if (rt.sla_loaded)
		hark_sla_set_release(&rt.sla);
	hark_buf_release(&rt.scratch);
	hark_lazy_release(&rt.lazy);
	if (rt.model != NULL) {
		for (i = 0; i < rt.model->m->nlabels; i++)
			json_decref(rt.jlabel[i]);
		free(rt.jlabel);
		json_decref(rt.jmodel[0]);
		json_decref(rt.jmodel[1]);
		json_decref(rt.jm);
		json_decref(rt.jp);
		hark_classifier_release(rt.model);
		free(rt.model);
	}
	for (i = 0; i < HARK_PII_NKINDS; i++)
		json_decref(rt.jpii[i]);
	json_decref(rt.route);
	for (i = 0; i < rt.nvip; i++)
		free(rt.vip[i]);
	free(rt.vip);
	free(rules_files);
	return status;
}
