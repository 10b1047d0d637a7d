/* rules.c - [rule] sections: loading and running (see rules.h). */
#include <ctype.h>
#include <strings.h>
#include "rules.h"

static const char *const prio_names[] = { "low", "normal", "high", "urgent" };

const char *
hark_priority_name(enum hark_priority p)
{
	return p >= HARK_PRIO_LOW && p <= HARK_PRIO_URGENT ? prio_names[p] :
	    NULL;
}

enum hark_priority
hark_priority_parse(const char *s)
{
	int i;

	for (i = 0; i < 4; i++)
		if (s && strcasecmp(s, prio_names[i]) == 0)
			return (enum hark_priority)i;
	return HARK_PRIO_NONE;
}

void
hark_rules_init(struct hark_rules *rs)
{
	rs->set = hark_expr_set_new();
	rs->r = NULL;
	rs->n = 0;
	rs->nseq = 0;
	rs->warn = NULL;
	rs->warn_arg = NULL;
	memset(rs->jprio, 0, sizeof(rs->jprio));
}

static void
rule_release(struct hark_rule *r)
{
	size_t i;

	free(r->name);
	free(r->file);
	hark_expr_free(r->when);
	free(r->category);
	free(r->queue);
	free(r->sla);
	free(r->private_reason);
	free(r->hide_reason);
	for (i = 0; i < r->ntags; i++)
		free(r->tags[i]);
	free(r->tags);
	json_decref(r->jcategory);
	json_decref(r->jqueue);
	json_decref(r->jsla);
	json_decref(r->jprivate);
	json_decref(r->jhide);
	for (i = 0; r->jtags && i < r->ntags; i++)
		json_decref(r->jtags[i]);
	free(r->jtags);
	memset(r, 0, sizeof(*r));
}

/* The JSON strings apply() sets, made once (NULL for invalid UTF-8, which
 * then sets nothing, as json_string would). */
static void
rule_prepare(struct hark_rule *r)
{
	size_t i;

	if (r->category)
		r->jcategory = json_string(r->category);
	if (r->queue)
		r->jqueue = *r->queue ? json_string(r->queue) : json_null();
	if (r->sla)
		r->jsla = json_string(r->sla);
	if (r->private_reason)
		r->jprivate = json_string(r->private_reason);
	if (r->hide_reason)
		r->jhide = json_string(r->hide_reason);
	if (r->ntags > 0) {
		r->jtags = hark_xcalloc(r->ntags, sizeof(*r->jtags));
		for (i = 0; i < r->ntags; i++)
			r->jtags[i] = json_string(r->tags[i]);
	}
}

void
hark_rules_release(struct hark_rules *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		rule_release(&rs->r[i]);
	for (i = 0; i < HARK_ARRAY_SIZE(rs->jprio); i++)
		json_decref(rs->jprio[i]);
	memset(rs->jprio, 0, sizeof(rs->jprio));
	free(rs->r);
	hark_expr_set_free(rs->set);
	rs->set = NULL;
	rs->r = NULL;
	rs->n = 0;
}

/* Key KEY with '-' folded to '_' equals WANT. */
static int
key_is(const char *key, const char *want)
{
	for (; *key && *want; key++, want++)
		if ((*key == '-' ? '_' : *key) != *want)
			return 0;
	return *key == '\0' && *want == '\0';
}

static int
entry_err(struct hark_err *err, const struct hark_config_entry *e,
    const char *rule, const char *fmt, const char *arg)
{
	char msg[HARK_ERR_MSG_MAX];

	snprintf(msg, sizeof(msg), fmt, arg);
	return hark_err_setl(err, HARK_EXIT_USAGE, e->line, e->column,
	    "rule '%s': %s", rule, msg);
}

static void
add_tags(struct hark_rule *r, const char *v)
{
	const char *p = v, *t;
	size_t n;

	while ((t = hark_config_item(&p, 0, &n)) != NULL) {
		r->tags = hark_xrealloc(r->tags, (r->ntags + 1) *
		    sizeof(*r->tags));
		r->tags[r->ntags++] = hark_xstrndup(t, n);
	}
}

static int
parse_rule(struct hark_rules *rs, struct hark_rule *r,
    const struct hark_config_section *s, const char *file, int *enabled,
    struct hark_err *err)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->name = hark_xstrdup(s->name);
	r->file = hark_xstrdup(file ? file : "");
	r->line = s->line;
	r->priority = r->escalate = HARK_PRIO_NONE;
	r->complaint = -1;
	r->phase = HARK_PHASE_NORMAL;
	*enabled = 1;
	for (i = 0; i < s->nentries; i++) {
		const struct hark_config_entry *e = &s->entries[i];
		const char *k = e->key, *v = e->value;
		struct hark_err e2 = HARK_ERR_INIT;
		int b;

		if (key_is(k, "when")) {
			hark_expr_free(r->when);
			r->when = hark_expr_parse_in(rs->set, v, &e2);
			if (r->when == NULL) {
				long line, col;

				hark_config_position(e, e2.line, e2.column,
				    &line, &col);
				return hark_err_setl(err, HARK_EXIT_USAGE,
				    line, col, "rule '%s': %s", r->name,
				    e2.msg);
			}
		} else if (key_is(k, "category")) {
			if (*v == '\0')
				return entry_err(err, e, r->name,
				    "empty category%s", "");
			free(r->category);
			r->category = hark_xstrdup(v);
		} else if (key_is(k, "queue") || key_is(k, "team")) {
			free(r->queue);
			r->queue = hark_xstrdup(v);
		} else if (key_is(k, "sla")) {
			free(r->sla);
			r->sla = hark_xstrdup(v);
		} else if (key_is(k, "priority") || key_is(k, "escalate")) {
			enum hark_priority p = hark_priority_parse(v);

			if (p == HARK_PRIO_NONE)
				return entry_err(err, e, r->name,
				    "priority '%.100s' is not one of urgent, "
				    "high, normal, low", v);
			if (key_is(k, "priority"))
				r->priority = p;
			else
				r->escalate = p;
		} else if (key_is(k, "tags") || key_is(k, "tag")) {
			add_tags(r, v);
		} else if (key_is(k, "private")) {
			free(r->private_reason);
			r->private_reason = hark_xstrdup(*v ? v :
			    "private message recommended");
		} else if (key_is(k, "hide")) {
			free(r->hide_reason);
			r->hide_reason = hark_xstrdup(*v ? v :
			    "hidden by rule");
		} else if (key_is(k, "complaint") || key_is(k, "stop") ||
		    key_is(k, "enabled")) {
			if (hark_config_bool(v, &b, &e2) < 0)
				return entry_err(err, e, r->name, "%s",
				    e2.msg);
			if (key_is(k, "complaint"))
				r->complaint = b;
			else if (key_is(k, "stop"))
				r->stop = b;
			else
				*enabled = b;
		} else if (key_is(k, "phase")) {
			if (strcmp(v, "early") == 0)
				r->phase = HARK_PHASE_EARLY;
			else if (strcmp(v, "normal") == 0)
				r->phase = HARK_PHASE_NORMAL;
			else if (strcmp(v, "late") == 0)
				r->phase = HARK_PHASE_LATE;
			else
				return entry_err(err, e, r->name,
				    "phase '%.100s' is not one of early, "
				    "normal, late", v);
		} else if (key_is(k, "description") || key_is(k, "note")) {
			/* documentation only */
		} else
			return entry_err(err, e, r->name,
			    "unknown key '%.100s'", k);
	}
	return 0;
}

static int
cmp_rule(const void *a, const void *b)
{
	const struct hark_rule *x = a, *y = b;

	if (x->phase != y->phase)
		return (int)x->phase - (int)y->phase;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
hark_rules_add_config(struct hark_rules *rs, const struct hark_config *cfg,
    const char *file, struct hark_err *err)
{
	size_t i, j;

	if (file == NULL)
		file = cfg->path;
	for (i = 0; i < cfg->nsections; i++) {
		const struct hark_config_section *s = &cfg->sections[i];
		struct hark_rule r;
		int enabled;

		if (strcmp(s->type, "rule") != 0)
			continue;
		if (s->name == NULL || *s->name == '\0')
			return hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
			    "[rule] needs a name: [rule \"name\"]");
		if (parse_rule(rs, &r, s, file, &enabled, err) < 0) {
			rule_release(&r);
			return -1;
		}
		rule_prepare(&r);
		for (j = 0; j < rs->n; j++)
			if (strcmp(rs->r[j].name, r.name) == 0)
				break;
		if (j < rs->n) {
			r.seq = rs->r[j].seq;
			rule_release(&rs->r[j]);
			if (enabled)
				rs->r[j] = r;
			else {
				rule_release(&r);
				memmove(&rs->r[j], &rs->r[j + 1],
				    (rs->n - j - 1) * sizeof(*rs->r));
				rs->n--;
			}
			continue;
		}
		if (!enabled) {
			rule_release(&r);
			continue;
		}
		r.seq = rs->nseq++;
		rs->r = hark_xrealloc(rs->r, (rs->n + 1) * sizeof(*rs->r));
		rs->r[rs->n++] = r;
	}
	if (rs->n > 1)
		qsort(rs->r, rs->n, sizeof(*rs->r), cmp_rule);
	for (j = 0; j < HARK_ARRAY_SIZE(rs->jprio); j++)
		if (rs->jprio[j] == NULL)
			rs->jprio[j] = json_string(prio_names[j]);
	return 0;
}

/* Append the string S to the array KEY of ROUTE unless it is there. */
static void
append_unique(json_t *route, const char *key, json_t *s)
{
	json_t *a = json_object_get(route, key);
	const char *v = json_string_value(s);
	size_t i;
	json_t *x;

	if (v == NULL)
		return;
	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(route, key, a);
	}
	json_array_foreach(a, i, x)
		if (json_is_string(x) && strcmp(json_string_value(x), v) == 0)
			return;
	json_array_append(a, s);
}

static void
apply(const struct hark_rules *rs, const struct hark_rule *r, json_t *route)
{
	size_t i;

	if (r->jcategory)
		json_object_set(route, "category", r->jcategory);
	if (r->priority != HARK_PRIO_NONE)
		json_object_set(route, "priority", rs->jprio[r->priority]);
	if (r->escalate != HARK_PRIO_NONE) {
		enum hark_priority cur = hark_priority_parse(
		    json_string_value(json_object_get(route, "priority")));

		if (cur == HARK_PRIO_NONE || cur < r->escalate)
			json_object_set(route, "priority",
			    rs->jprio[r->escalate]);
	}
	if (r->jqueue)
		json_object_set(route, "queue", r->jqueue);
	for (i = 0; i < r->ntags; i++)
		append_unique(route, "tags", r->jtags[i]);
	if (r->complaint >= 0)
		json_object_set_new(route, "complaint",
		    json_boolean(r->complaint));
	if (r->jprivate) {
		json_object_set_new(route, "private", json_true());
		append_unique(route, "private_reasons", r->jprivate);
	}
	if (r->jhide) {
		json_object_set_new(route, "hide", json_true());
		append_unique(route, "hide_reasons", r->jhide);
	}
	if (r->jsla)
		json_object_set(route, "sla_policy", r->jsla);
}

int
hark_rules_run(struct hark_rules *rs, struct hark_expr_ctx *c,
    json_t *route, json_t *fired, struct hark_err *err)
{
	size_t i;
	int n = 0;
	/* written only when an evaluation fails, which ends the loop: set
	 * up once, not for every rule */
	struct hark_err e2 = HARK_ERR_INIT;

	c->lenient_regex = 1;
	for (i = 0; i < rs->n; i++) {
		struct hark_rule *r = &rs->r[i];
		int m = 1;

		c->regex_failed = 0;
		if (r->when && (m = hark_expr_eval_ctx(r->when, c, &e2)) < 0)
			return hark_err_set(err, HARK_EXIT_DATA,
			    "rule '%s': %s", r->name, e2.msg);
		if (c->regex_failed) {
			/* a pattern over its limit is a config problem: it
			 * counted as no match rather than losing the record */
			if (!r->warned && rs->warn)
				rs->warn(rs->warn_arg, r, c->regex_msg);
			r->warned = 1;
		}
		if (!m)
			continue;
		n++;
		apply(rs, r, route);
		hark_expr_ctx_invalidate(c, "route");
		if (fired)
			json_array_append_new(fired, json_string(r->name));
		if (r->stop)
			break;
	}
	return n;
}
