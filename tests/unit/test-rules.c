/* test-rules.c - unit tests for lib/rules ([rule] sections). */
#include <jansson.h>
#include "config.h"
#include "embed.h"
#include "rules.h"
#include "tap.h"

static int
load(struct hark_rules *rs, const char *text, struct hark_err *err)
{
	struct hark_config cfg = HARK_CONFIG_INIT;
	int rc;

	if (hark_config_parse(&cfg, "t.conf", text, strlen(text), err) < 0) {
		hark_config_release(&cfg);
		return -1;
	}
	rc = hark_rules_add_config(rs, &cfg, NULL, err);
	hark_config_release(&cfg);
	return rc;
}

/* Run RS on the record JSON; return the route object (new reference)
 * and the names of the rules that fired joined by ','. */
static json_t *
run(struct hark_rules *rs, const char *json, char *fired, size_t n)
{
	json_t *rec = json_loads(json, 0, NULL), *route = json_object();
	json_t *names = json_array(), *x;
	struct hark_expr_ctx c;
	struct hark_err err = HARK_ERR_INIT;
	size_t i, k = 0;

	json_object_set(rec, "route", route);
	hark_expr_ctx_init(&c);
	hark_expr_ctx_reset(&c, rec);
	if (hark_rules_run(rs, &c, route, names, &err) < 0)
		snprintf(fired, n, "error: %.200s", err.msg);
	else {
		fired[0] = '\0';
		json_array_foreach(names, i, x)
			k += (size_t)snprintf(fired + k, n - k, "%s%s",
			    i ? "," : "", json_string_value(x));
	}
	hark_expr_ctx_release(&c);
	json_decref(names);
	json_decref(rec);
	return route;
}

static const char *
sget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void
test_basics(void)
{
	struct hark_rules rs;
	struct hark_err err = HARK_ERR_INIT;
	char fired[256];
	json_t *r;

	hark_rules_init(&rs);
	ok(load(&rs,
	    "[rule \"late\"]\nphase = late\n"
	    "when = route.category == \"refund\"\n"
	    "escalate = high\n"
	    "[rule \"refund\"]\nwhen = text ~* \"zwrot\"\ncategory = refund\n"
	    "tags = money, refund\nprivate = needs account\n"
	    "[rule \"again\"]\nwhen = route.tags in [\"money\"]\n"
	    "tags = money , seen\npriority = low\ncomplaint = yes\n"
	    "[rule \"early\"]\nphase = early\nhide = spam\nqueue = triage\n"
	    "[rule \"stopper\"]\nwhen = lang == \"xx\"\nstop = true\n"
	    "[rule \"after\"]\nsla = complaint\n", &err) == 0,
	    "load rules");
	is_int(rs.n, 6, "six rules");
	is_str(rs.r[0].name, "early", "phase early first");
	is_str(rs.r[5].name, "late", "phase late last");
	r = run(&rs, "{\"text\":\"Chcę ZWROTU\"}", fired, sizeof(fired));
	is_str(fired, "early,refund,again,after,late", "fired in order");
	is_str(sget(r, "category"), "refund", "category");
	is_str(sget(r, "priority"), "high", "escalate after priority");
	is_str(sget(r, "queue"), "triage", "queue");
	is_int(json_array_size(json_object_get(r, "tags")), 3,
	    "tags added once each");
	ok(json_is_true(json_object_get(r, "private")), "private");
	ok(json_is_true(json_object_get(r, "hide")), "hide");
	ok(json_is_true(json_object_get(r, "complaint")), "complaint");
	is_str(sget(r, "sla_policy"), "complaint", "sla policy");
	json_decref(r);
	r = run(&rs, "{\"text\":\"x\",\"lang\":\"xx\"}", fired, sizeof(fired));
	is_str(fired, "early,stopper", "stop ends the pass, even late");
	json_decref(r);
	hark_rules_release(&rs);
}

static void
test_override(void)
{
	struct hark_rules rs;
	struct hark_err err = HARK_ERR_INIT;
	char fired[256];
	json_t *r;

	hark_rules_init(&rs);
	load(&rs, "[rule \"a\"]\ncategory = one\n[rule \"b\"]\ntags = b\n"
	    "[rule \"c\"]\ntags = c\n", &err);
	ok(load(&rs, "[rule \"a\"]\ncategory = two\n[rule \"b\"]\n"
	    "enabled = false\n[rule \"d\"]\ntags = d\n", &err) == 0,
	    "second file");
	is_int(rs.n, 3, "b removed, d added");
	r = run(&rs, "{}", fired, sizeof(fired));
	is_str(fired, "a,c,d", "a keeps its place");
	is_str(sget(r, "category"), "two", "a replaced");
	json_decref(r);
	hark_rules_release(&rs);
}

static void
rule_err(const char *text, long line, long col, const char *sub)
{
	struct hark_rules rs;
	struct hark_err err = HARK_ERR_INIT;

	hark_rules_init(&rs);
	ok(load(&rs, text, &err) < 0, "error case line %ld", line);
	is_int(err.code, 2, "  code 2");
	is_int(err.line, line, "  line");
	is_int(err.column, col, "  column");
	if (!ok(strstr(err.msg, sub) != NULL, "  message has '%s'", sub))
		printf("#   got: '%s'\n", err.msg);
	hark_rules_release(&rs);
}

static void
test_errors(void)
{
	rule_err("[rule \"a\"]\nwhen = lang == \"pl\" and\n", 2, 24,
	    "rule 'a': field or value expected");
	rule_err("[rule \"a\"]\n\nwhen = (x\n", 3, 8, "unbalanced '('");
	rule_err("[rule \"a\"]\npriority = asap\n", 2, 12, "asap");
	rule_err("[rule \"a\"]\nescalate = 1\n", 2, 12, "not one of");
	rule_err("[rule \"a\"]\nstop = maybe\n", 2, 8, "boolean");
	rule_err("[rule \"a\"]\nphase = later\n", 2, 9, "phase 'later'");
	rule_err("[rule \"a\"]\nfoo = 1\n", 2, 7, "unknown key 'foo'");
	rule_err("[rule \"a\"]\ncategory =\n", 2, 11, "empty category");
	rule_err("[rule]\nwhen = true\n", 1, 1, "needs a name");
	rule_err("[rule \"a\"]\nwhen = \"a\\nb\" == \"\n", 2, 15,
	    "unexpected text");
}

static void
test_runtime_error(void)
{
	struct hark_rules rs;
	struct hark_err err = HARK_ERR_INIT;
	char fired[256];
	json_t *r;
	char big[20000];

	hark_rules_init(&rs);
	load(&rs, "[rule \"slow\"]\nwhen = text =~ /(a|aa)+$/\n", &err);
	memset(big, 'a', sizeof(big) - 30);
	memcpy(big, "{\"text\":\"", 9);
	memcpy(big + sizeof(big) - 30, "b\"}", 4);
	r = run(&rs, big, fired, sizeof(fired));
	ok(strncmp(fired, "error: rule 'slow'", 18) == 0 ||
	    strcmp(fired, "") == 0, "catastrophic regex: error or no match");
	json_decref(r);
	hark_rules_release(&rs);
}

static void
test_builtin(void)
{
	struct hark_rules rs;
	struct hark_config cfg = HARK_CONFIG_INIT;
	struct hark_err err = HARK_ERR_INIT;
	size_t len;
	const char *t = hark_embed_get("rules/default.conf", &len);
	char fired[512];
	json_t *r;

	ok(t != NULL, "built-in rules embedded");
	if (t == NULL)
		return;
	hark_rules_init(&rs);
	ok(hark_config_parse(&cfg, "default.conf", t, len, &err) == 0 &&
	    hark_rules_add_config(&rs, &cfg, NULL, &err) == 0,
	    "built-in rules load");
	hark_config_release(&cfg);
	r = run(&rs, "{\"text\":\"Zásilka nedorazila\"}", fired,
	    sizeof(fired));
	is_str(sget(r, "category"), "delivery", "built-in: cs delivery");
	json_decref(r);
	r = run(&rs, "{\"text\":\"Reklamacja: pralka nie działa\"}", fired,
	    sizeof(fired));
	is_str(sget(r, "category"), "defect", "built-in: pl defect");
	json_decref(r);
	hark_rules_release(&rs);
}

int
main(void)
{
	is_str(hark_priority_name(HARK_PRIO_URGENT), "urgent", "prio name");
	is_int(hark_priority_parse("HIGH"), HARK_PRIO_HIGH, "prio parse");
	is_int(hark_priority_parse("asap"), HARK_PRIO_NONE, "prio unknown");
	test_basics();
	test_override();
	test_errors();
	test_runtime_error();
	test_builtin();
	return tap_done();
}
