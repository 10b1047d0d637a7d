/* fuzz-sla.c - [calendar] and [sla] sections: opening hours, holidays,
 * zones, targets, then clock arithmetic over the calendars built. */
#include "hark.h"
#include "config.h"
#include "sla.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hark_config cfg = HARK_CONFIG_INIT;
	struct hark_sla_set set;
	struct hark_err err;
	size_t i;

	/* No zone file paths from the input: only what TZDIR holds. */
	hark_config_parse(&cfg, "fuzz", (const char *)data, size, &err);
	if (hark_sla_set_load(&set, &cfg, 0, &err) == 0) {
		for (i = 0; i < set.ncals; i++) {
			struct hark_calendar *c = set.cals[i];
			hark_time_t t = 1740787200 + (hark_time_t)i * 7919;

			hark_calendar_next_open(c, t);
			hark_calendar_add(c, t, 4 * 3600);
			hark_calendar_between(c, t, t + 10 * 86400);
			hark_calendar_is_open(c, t);
		}
		for (i = 0; i < set.npol; i++) {
			int m;

			for (m = 0; m < HARK_SLA_NMETRICS; m++)
				hark_sla_due(&set.pol[i],
				    (enum hark_sla_metric)m, 1740787200, NULL,
				    0);
		}
		hark_sla_set_release(&set);
	}
	hark_config_release(&cfg);
	return 0;
}
