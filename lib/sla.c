/* sla.c - SLA policies from the config, selection and due times. */
#include <ctype.h>
#include <strings.h>
#include "sla.h"
#include "expr.h"

static const char *const metric_names[HARK_SLA_NMETRICS] = {
	"first_response", "next_response", "resolution"
};

/* Used when a policy names no pause statuses. */
static const char *const default_pause[] = {
	"pending", "on_hold", "waiting_for_customer"
};

static const struct {
	const char *name, *when;
	int64_t secs;
} builtins[] = {
	{ "x", "source in [\"x\", \"twitter\"]", 3600 },
	{ "complaint", "complaint == true or category in [\"complaint\", "
	    "\"complaints\"]", 4 * 3600 },
	{ "instagram", "source == \"instagram\"", 12 * 3600 },
	{ "facebook", "source == \"facebook\"", 24 * 3600 },
};

const char *
hark_sla_metric_name(enum hark_sla_metric m)
{
	return m < HARK_SLA_NMETRICS ? metric_names[m] : "?";
}

static void
policy_release(struct hark_sla_policy *p)
{
	size_t i;

	free(p->name);
	free(p->when_src);
	if (p->when != NULL)
		hark_expr_free(p->when);
	for (i = 0; i < p->npause; i++)
		free(p->pause[i]);
	free(p->pause);
	memset(p, 0, sizeof(*p));
}

void
hark_sla_set_release(struct hark_sla_set *set)
{
	size_t i;

	for (i = 0; i < set->ncals; i++) {
		hark_calendar_release(set->cals[i]);
		free(set->cals[i]);
	}
	free(set->cals);
	for (i = 0; i < set->npol; i++)
		policy_release(&set->pol[i]);
	free(set->pol);
	hark_calendar_release(&set->always);
	memset(set, 0, sizeof(*set));
}

struct hark_calendar *
hark_sla_set_calendar(const struct hark_sla_set *set, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < set->ncals; i++)
		if (strcmp(set->cals[i]->name, name) == 0)
			return set->cals[i];
	return NULL;
}

const struct hark_sla_policy *
hark_sla_set_policy(const struct hark_sla_set *set, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < set->npol; i++)
		if (strcmp(set->pol[i].name, name) == 0)
			return &set->pol[i];
	return NULL;
}

/* "first-response" -> "first_response" into OUT. */
static void
norm_key(const char *k, char *out, size_t sz)
{
	size_t i;

	for (i = 0; k[i] != '\0' && i + 1 < sz; i++)
		out[i] = k[i] == '-' ? '_' : k[i];
	out[i] = '\0';
}

static int
entry_err(struct hark_err *err, const struct hark_config_section *s,
    const struct hark_config_entry *e, const char *fmt, const char *a)
{
	char msg[HARK_ERR_MSG_MAX];

	snprintf(msg, sizeof(msg), fmt, a);
	hark_err_setl(err, HARK_EXIT_USAGE, e != NULL ? e->line : s->line,
	    e != NULL ? e->column : 1, "sla '%.100s': %.380s",
	    s->name != NULL ? s->name : "", msg);
	return -1;
}

/* "4h", "4h business", "30m calendar", "none". */
static int
parse_target(const char *v, int def_business, struct hark_sla_target *t,
    struct hark_err *err)
{
	char dur[64];
	const char *sp;
	size_t n;
	long secs;

	while (isspace((unsigned char)*v))
		v++;
	if (strcasecmp(v, "none") == 0 || strcasecmp(v, "off") == 0) {
		t->seconds = -1;
		return 0;
	}
	n = strcspn(v, " \t");
	if (n == 0 || n >= sizeof(dur))
		return hark_err_set(err, HARK_EXIT_USAGE, "expected a duration "
		    "such as '4h' or '30m business'");
	memcpy(dur, v, n);
	dur[n] = '\0';
	if (hark_config_duration(dur, &secs, err) != 0)
		return -1;
	sp = v + n;
	while (isspace((unsigned char)*sp))
		sp++;
	t->seconds = secs;
	t->business = def_business;
	if (*sp == '\0')
		return 0;
	if (strcasecmp(sp, "business") == 0)
		t->business = 1;
	else if (strcasecmp(sp, "calendar") == 0)
		t->business = 0;
	else
		return hark_err_set(err, HARK_EXIT_USAGE, "expected 'business' "
		    "or 'calendar' after the duration, not '%.60s'", sp);
	return 0;
}

static void
add_pause(struct hark_sla_policy *p, const char *v, size_t n)
{
	char *s = hark_xstrndup(v, n);

	p->pause = hark_xrealloc(p->pause, (p->npause + 1) * sizeof(*p->pause));
	p->pause[p->npause++] = s;
}

static void
default_pauses(struct hark_sla_policy *p)
{
	size_t i;

	for (i = 0; i < HARK_ARRAY_SIZE(default_pause); i++)
		add_pause(p, default_pause[i], strlen(default_pause[i]));
}

static int
compile_when(struct hark_sla_policy *p, const char *src,
    const struct hark_config_section *s, const struct hark_config_entry *e,
    struct hark_err *err)
{
	struct hark_err e2 = HARK_ERR_INIT;

	p->when_src = hark_xstrdup(src);
	p->when = hark_expr_parse(src, &e2);
	if (p->when != NULL)
		return 0;
	if (e == NULL)	/* a built-in: cannot happen unless expr breaks */
		return hark_err_set(err, HARK_EXIT_FAILURE, "built-in sla "
		    "'%s': %s", p->name, e2.msg);
	entry_err(err, s, e, "when: %.300s", e2.msg);
	if (err != NULL && e2.line > 0)
		hark_config_position(e, e2.line, e2.column, &err->line,
		    &err->column);
	return -1;
}

static int
load_policy(struct hark_sla_set *set, struct hark_sla_policy *p,
    const struct hark_config_section *s, struct hark_err *err)
{
	const struct hark_config_entry *e;
	const char *tv[HARK_SLA_NMETRICS] = { NULL, NULL, NULL };
	const struct hark_config_entry *te[HARK_SLA_NMETRICS] = { 0 };
	char key[64];
	size_t i;
	int m, have_pause = 0;

	p->name = hark_xstrdup(s->name);
	p->line = s->line;
	p->cal = &set->always;
	for (m = 0; m < HARK_SLA_NMETRICS; m++)
		p->target[m].seconds = -1;
	for (i = 0; i < s->nentries; i++) {
		e = &s->entries[i];
		norm_key(e->key, key, sizeof(key));
		if (strcmp(key, "when") == 0) {
			if (p->when != NULL) {
				hark_expr_free(p->when);
				free(p->when_src);
				p->when = NULL;
				p->when_src = NULL;
			}
			if (compile_when(p, e->value, s, e, err) != 0)
				return -1;
		} else if (strcmp(key, "calendar") == 0) {
			p->cal = hark_sla_set_calendar(set, e->value);
			if (p->cal == NULL)
				return entry_err(err, s, e, "no [calendar "
				    "\"%.100s\"] section", e->value);
		} else if (strcmp(key, "pause") == 0) {
			const char *v = e->value;

			have_pause = 1;
			while (*v != '\0') {
				size_t n;

				while (*v == ',' || isspace((unsigned char)*v))
					v++;
				n = strcspn(v, ",");
				while (n > 0 &&
				    isspace((unsigned char)v[n - 1]))
					n--;
				if (n > 0)
					add_pause(p, v, n);
				v += n;
				while (*v != '\0' && *v != ',')
					v++;
			}
		} else {
			for (m = 0; m < HARK_SLA_NMETRICS; m++)
				if (strcmp(key, metric_names[m]) == 0)
					break;
			if (m == HARK_SLA_NMETRICS)
				return entry_err(err, s, e, "unknown key "
				    "'%.60s'", e->key);
			tv[m] = e->value;
			te[m] = e;
		}
	}
	/* Targets after the calendar is known: it sets the default clock. */
	for (m = 0; m < HARK_SLA_NMETRICS; m++) {
		struct hark_err e2 = HARK_ERR_INIT;

		if (tv[m] == NULL)
			continue;
		if (parse_target(tv[m], p->cal != &set->always,
		    &p->target[m], &e2) != 0)
			return entry_err(err, s, te[m], "%.300s", e2.msg);
	}
	if (!have_pause)
		default_pauses(p);
	return 0;
}

int
hark_sla_set_load(struct hark_sla_set *set, const struct hark_config *cfg,
    unsigned flags, struct hark_err *err)
{
	size_t i, j, ncfg = cfg != NULL ? cfg->nsections : 0;
	const struct hark_config_section *s;

	memset(set, 0, sizeof(*set));
	hark_calendar_init(&set->always, "24x7");
	for (i = 0; i < ncfg; i++) {
		struct hark_calendar *cal;

		s = &cfg->sections[i];
		if (strcmp(s->type, "calendar") != 0)
			continue;
		if (s->name == NULL || *s->name == '\0') {
			hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
			    "[calendar] section needs a name: "
			    "[calendar \"office\"]");
			goto fail;
		}
		if (hark_sla_set_calendar(set, s->name) != NULL) {
			hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
			    "calendar '%.100s' defined twice", s->name);
			goto fail;
		}
		cal = hark_xmalloc(sizeof(*cal));
		if (hark_calendar_from_config(cal, s, err) != 0) {
			free(cal);
			goto fail;
		}
		set->cals = hark_xrealloc(set->cals,
		    (set->ncals + 1) * sizeof(*set->cals));
		set->cals[set->ncals++] = cal;
	}
	for (i = 0; i < ncfg; i++) {
		s = &cfg->sections[i];
		if (strcmp(s->type, "sla") != 0)
			continue;
		if (s->name == NULL || *s->name == '\0') {
			hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
			    "[sla] section needs a name: [sla \"x\"]");
			goto fail;
		}
		if (hark_sla_set_policy(set, s->name) != NULL) {
			hark_err_setl(err, HARK_EXIT_USAGE, s->line, 1,
			    "sla '%.100s' defined twice", s->name);
			goto fail;
		}
		set->pol = hark_xrealloc(set->pol,
		    (set->npol + 1) * sizeof(*set->pol));
		memset(&set->pol[set->npol], 0, sizeof(*set->pol));
		set->npol++;
		if (load_policy(set, &set->pol[set->npol - 1], s, err) != 0)
			goto fail;
	}
	if (flags & HARK_SLA_NO_DEFAULTS)
		return 0;
	for (j = 0; j < HARK_ARRAY_SIZE(builtins); j++) {
		struct hark_sla_policy *p;

		if (hark_sla_set_policy(set, builtins[j].name) != NULL)
			continue;
		set->pol = hark_xrealloc(set->pol,
		    (set->npol + 1) * sizeof(*set->pol));
		p = &set->pol[set->npol++];
		memset(p, 0, sizeof(*p));
		p->name = hark_xstrdup(builtins[j].name);
		p->builtin = 1;
		p->cal = &set->always;
		p->target[HARK_SLA_FIRST_RESPONSE].seconds = builtins[j].secs;
		p->target[HARK_SLA_NEXT_RESPONSE].seconds = builtins[j].secs;
		p->target[HARK_SLA_RESOLUTION].seconds = -1;
		default_pauses(p);
		if (compile_when(p, builtins[j].when, NULL, NULL, err) != 0)
			goto fail;
	}
	return 0;
fail:
	hark_sla_set_release(set);
	return -1;
}

int
hark_sla_select(struct hark_sla_set *set, json_t *rec,
    const struct hark_sla_policy **out, struct hark_err *err)
{
	struct hark_expr_ctx c;
	struct hark_err e2 = HARK_ERR_INIT;	/* read only on failure */
	size_t i;
	int r = 0;

	*out = NULL;
	hark_expr_ctx_init(&c);
	c.once = 1;		/* as hark_expr_eval: no path cache */
	c.lenient_regex = 1;
	for (i = 0; i < set->npol; i++) {
		struct hark_sla_policy *p = &set->pol[i];

		if (p->when == NULL) {
			*out = p;
			break;
		}
		hark_expr_ctx_reset(&c, rec);
		c.regex_failed = 0;
		r = hark_expr_eval_ctx(p->when, &c, &e2);
		if (r < 0) {
			hark_err_set(err, HARK_EXIT_DATA,
			    "sla '%.100s': when: %.380s", p->name, e2.msg);
			break;
		}
		if (c.regex_failed && !p->warned) {
			/* a pattern over its limit is a config problem: no
			 * match rather than a lost record */
			p->warned = 1;
			if (set->warn != NULL)	/* library code never prints */
				set->warn(set->warn_arg, p, c.regex_msg);
		}
		if (r > 0) {
			*out = p;
			break;
		}
	}
	hark_expr_ctx_release(&c);
	return r < 0 ? -1 : 0;
}

static int64_t
run_secs(struct hark_calendar *cal, hark_time_t a, hark_time_t b)
{
	if (b <= a)
		return 0;
	return cal != NULL ? hark_calendar_between(cal, a, b) : b - a;
}

static hark_time_t
run_add(struct hark_calendar *cal, hark_time_t t, int64_t n)
{
	if (cal != NULL)
		return hark_calendar_add(cal, t, n);
	return t > HARK_TIME_NEVER - n ? HARK_TIME_NEVER : t + n;
}

hark_time_t
hark_sla_clock_due(struct hark_calendar *cal, hark_time_t start,
    int64_t target, const struct hark_sla_span *stops, size_t n)
{
	hark_time_t t = start;
	int64_t left = target, b;
	size_t i;

	if (target < 0)
		return HARK_TIME_NEVER;
	for (i = 0; i < n; i++) {
		if (stops[i].to <= t)
			continue;
		if (stops[i].from > t) {
			b = run_secs(cal, t, stops[i].from);
			if (b >= left)
				return run_add(cal, t, left);
			left -= b;
		}
		if (stops[i].to == HARK_TIME_NEVER)
			return HARK_TIME_NEVER;
		t = HARK_MAX(t, stops[i].to);
	}
	return run_add(cal, t, left);
}

int64_t
hark_sla_clock_elapsed(struct hark_calendar *cal, hark_time_t start,
    hark_time_t end, const struct hark_sla_span *stops, size_t n)
{
	hark_time_t t = start;
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < n && t < end; i++) {
		if (stops[i].to <= t)
			continue;
		if (stops[i].from > t)
			sum += run_secs(cal, t, HARK_MIN(stops[i].from, end));
		t = HARK_MAX(t, stops[i].to);
	}
	if (t < end)
		sum += run_secs(cal, t, end);
	return sum;
}

hark_time_t
hark_sla_due(const struct hark_sla_policy *p, enum hark_sla_metric m,
    hark_time_t start, const struct hark_sla_span *stops, size_t n)
{
	const struct hark_sla_target *t = &p->target[m];

	if (t->seconds < 0)
		return HARK_TIME_NEVER;
	if (m == HARK_SLA_FIRST_RESPONSE)
		n = 0;
	return hark_sla_clock_due(t->business ? p->cal : NULL, start,
	    t->seconds, stops, n);
}

/* Compare ignoring case and the separators ' ', '-', '_'. */
static int
status_eq(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' || *a == '-' || *a == '_')
			a++;
		while (*b == ' ' || *b == '-' || *b == '_')
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}

int
hark_sla_is_pause(const struct hark_sla_policy *p, const char *status)
{
	size_t i;

	if (status == NULL)
		return 0;
	for (i = 0; i < p->npause; i++)
		if (status_eq(p->pause[i], status))
			return 1;
	return 0;
}

int
hark_sla_annotate(const struct hark_sla_policy *p, hark_time_t start,
    json_t *add)
{
	static const char *const due_keys[HARK_SLA_NMETRICS] = {
		"first_response_due", "next_response_due", "resolution_due"
	};
	json_t *o;
	int m;

	if (!json_is_object(add))
		return -1;
	if (p == NULL)
		return json_object_set_new(add, "sla", json_null());
	if ((o = json_object()) == NULL)
		return -1;
	json_object_set_new(o, "policy", json_string(p->name));
	json_object_set_new(o, "calendar", p->cal->name != NULL &&
	    strcmp(p->cal->name, "24x7") != 0 ? json_string(p->cal->name) :
	    json_null());
	for (m = 0; m < HARK_SLA_NMETRICS; m++) {
		char buf[HARK_TIME_BUFSZ];
		hark_time_t due = hark_sla_due(p, (enum hark_sla_metric)m,
		    start, NULL, 0);

		json_object_set_new_nocheck(o, due_keys[m],
		    due == HARK_TIME_NEVER ? json_null() :
		    json_string_nocheck(hark_time_format(due, buf)));
	}
	return json_object_set_new(add, "sla", o);
}
