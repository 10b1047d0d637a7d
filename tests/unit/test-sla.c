/* test-sla.c - SLA policies: loading, selection, due times, pauses. */
#include "sla.h"
#include "tap.h"

static hark_time_t
T(const char *s)
{
	hark_time_t t = 0;

	hark_time_parse_rfc3339(s, &t, NULL);
	return t;
}

static const char *
F(hark_time_t t)
{
	static char buf[4][HARK_TIME_BUFSZ];
	static int i;

	if (t == HARK_TIME_NEVER)
		return "never";
	i = (i + 1) % 4;
	return hark_time_format(t, buf[i]);
}

static const char *
pick(struct hark_sla_set *set, const char *json)
{
	const struct hark_sla_policy *p = NULL;
	json_t *rec = json_loads(json, 0, NULL);
	struct hark_err err = HARK_ERR_INIT;

	if (hark_sla_select(set, rec, &p, &err) != 0)
		printf("# select: %s\n", err.msg);
	json_decref(rec);
	return p != NULL ? p->name : "(none)";
}

static int
load(struct hark_sla_set *set, const char *text, unsigned flags,
    struct hark_err *err)
{
	struct hark_config cfg = HARK_CONFIG_INIT;
	int r;

	if (hark_config_parse(&cfg, "t.conf", text, strlen(text), err) != 0) {
		hark_config_release(&cfg);
		return -2;
	}
	r = hark_sla_set_load(set, &cfg, flags, err);
	hark_config_release(&cfg);
	return r;
}

int
main(void)
{
	struct hark_sla_set set;
	struct hark_err err = HARK_ERR_INIT;
	const struct hark_sla_policy *p;
	struct hark_sla_span stops[2];
	json_t *add, *sla;
	const char *conf =
	    "[calendar \"office\"]\n"
	    "zone = Europe/Warsaw\n"
	    "hours = mon-fri 09:00-17:00\n"
	    "holiday = 2025-12-25 2025-12-26\n"
	    "[sla \"vip\"]\n"
	    "when = priority == \"urgent\"\n"
	    "calendar = office\n"
	    "first-response = 4h\n"
	    "next_response = 2h calendar\n"
	    "resolution = 16h\n"
	    "pause = pending, waiting for customer\n"
	    "[sla \"facebook\"]\n"
	    "when = source == \"facebook\"\n"
	    "first_response = 2h\n";

	ok(load(&set, conf, 0, &err) == 0, "config loads: %s", err.msg);
	is_int(set.npol, 5, "2 configured + 3 remaining built-ins");
	is_str(set.pol[0].name, "vip", "file order first");
	is_str(set.pol[1].name, "facebook", "configured facebook replaces");
	is_str(set.pol[2].name, "x", "built-ins after");
	is_str(pick(&set, "{\"source\":\"x\",\"priority\":\"urgent\"}"), "vip",
	    "first match wins");
	is_str(pick(&set, "{\"source\":\"x\"}"), "x", "built-in x");
	is_str(pick(&set, "{\"source\":\"twitter\"}"), "x", "twitter is x");
	is_str(pick(&set, "{\"source\":\"facebook\"}"), "facebook",
	    "configured facebook");
	is_str(pick(&set, "{\"source\":\"instagram\"}"), "instagram",
	    "built-in instagram");
	is_str(pick(&set, "{\"source\":\"reddit\",\"category\":\"complaint\"}"),
	    "complaint", "built-in complaint");
	is_str(pick(&set, "{\"source\":\"reddit\"}"), "(none)", "no match");

	p = hark_sla_set_policy(&set, "vip");
	ok(p != NULL && p->target[0].business && !p->target[1].business &&
	    p->target[2].business, "clock per target");
	ok(hark_sla_is_pause(p, "Waiting_For_Customer"), "pause matching "
	    "ignores case and separators");
	ok(!hark_sla_is_pause(p, "on_hold"), "configured list replaces "
	    "defaults");
	/* Friday 15:00 CET + 4 business hours = Monday 11:00 CET. */
	is_str(F(hark_sla_due(p, HARK_SLA_FIRST_RESPONSE,
	    T("2025-03-07T14:00:00Z"), NULL, 0)), "2025-03-10T10:00:00Z",
	    "vip first response due friday -> monday");
	is_str(F(hark_sla_due(p, HARK_SLA_NEXT_RESPONSE,
	    T("2025-03-07T14:00:00Z"), NULL, 0)), "2025-03-07T16:00:00Z",
	    "next response in calendar time");
	/* 16 business hours = two 8 h days: Fri 15:00 + 2 h Fri + 8 h Mon
	 * + 6 h Tue = Tue 15:00 CET. */
	is_str(F(hark_sla_due(p, HARK_SLA_RESOLUTION,
	    T("2025-03-07T14:00:00Z"), NULL, 0)), "2025-03-11T14:00:00Z",
	    "resolution 16h business");
	/* Paused Monday 10:00-12:00 CET: due moves 2 business hours. */
	stops[0].from = T("2025-03-10T09:00:00Z");
	stops[0].to = T("2025-03-10T11:00:00Z");
	is_str(F(hark_sla_due(p, HARK_SLA_RESOLUTION,
	    T("2025-03-07T14:00:00Z"), stops, 1)), "2025-03-11T16:00:00Z",
	    "pause extends the due time");
	is_str(F(hark_sla_due(p, HARK_SLA_FIRST_RESPONSE,
	    T("2025-03-07T14:00:00Z"), stops, 1)), "2025-03-10T10:00:00Z",
	    "first response is never paused");
	is_int(hark_sla_clock_elapsed(p->cal, T("2025-03-07T14:00:00Z"),
	    T("2025-03-10T12:00:00Z"), stops, 1), 4 * 3600,
	    "elapsed excludes the pause");
	stops[1].from = T("2025-03-10T13:00:00Z");
	stops[1].to = HARK_TIME_NEVER;
	ok(hark_sla_due(p, HARK_SLA_RESOLUTION, T("2025-03-07T14:00:00Z"),
	    stops, 2) == HARK_TIME_NEVER, "open-ended pause: never due");
	is_int(hark_sla_clock_elapsed(NULL, 0, 100, NULL, 0), 100,
	    "calendar time elapsed");
	is_int(hark_sla_clock_due(NULL, 10, 0, NULL, 0), 10, "zero target");

	add = json_object();
	p = hark_sla_set_policy(&set, "x");
	ok(hark_sla_annotate(p, T("2025-03-07T14:00:00Z"), add) == 0,
	    "annotate");
	sla = json_object_get(add, "sla");
	is_str(json_string_value(json_object_get(sla, "policy")), "x",
	    "annotate policy");
	ok(json_is_null(json_object_get(sla, "calendar")), "no calendar");
	is_str(json_string_value(json_object_get(sla, "first_response_due")),
	    "2025-03-07T15:00:00Z", "x due in 1 h");
	ok(json_is_null(json_object_get(sla, "resolution_due")),
	    "no resolution target");
	json_decref(add);
	hark_sla_set_release(&set);

	/* No defaults. */
	ok(load(&set, "", HARK_SLA_NO_DEFAULTS, &err) == 0 && set.npol == 0,
	    "no defaults");
	hark_sla_set_release(&set);
	ok(load(&set, NULL == NULL ? "" : "", 0, &err) == 0 && set.npol == 4,
	    "four built-ins");
	hark_sla_set_release(&set);

	/* Errors carry positions. */
	ok(load(&set, "[sla \"a\"]\ncalendar = nope\n", 0, &err) == -1 &&
	    err.line == 2, "unknown calendar: %s", err.msg);
	ok(load(&set, "[sla \"a\"]\nfirst_response = soon\n", 0, &err) == -1 &&
	    err.line == 2, "bad duration: %s", err.msg);
	ok(load(&set, "[sla \"a\"]\nfirst_response = 4h fast\n", 0, &err) ==
	    -1, "bad clock word: %s", err.msg);
	ok(load(&set, "[sla \"a\"]\ncolour = red\n", 0, &err) == -1,
	    "unknown key: %s", err.msg);
	ok(load(&set, "[sla \"a\"]\nwhen = source ==\n", 0, &err) == -1 &&
	    err.line == 2, "bad when: %s", err.msg);
	ok(load(&set, "[sla]\n", 0, &err) == -1, "unnamed sla: %s", err.msg);
	ok(load(&set, "[sla \"a\"]\n[sla \"a\"]\n", 0, &err) == -1,
	    "duplicate: %s", err.msg);
	return tap_done();
}
