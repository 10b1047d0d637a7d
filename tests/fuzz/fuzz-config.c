/* fuzz-config.c - the hark.conf(5) parser and its value parsers. */
#include "hark.h"
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hark_config cfg = HARK_CONFIG_INIT;
	struct hark_err err;
	size_t i, j;

	hark_config_parse(&cfg, "fuzz", (const char *)data, size, &err);
	for (i = 0; i < cfg.nsections; i++)
		for (j = 0; j < cfg.sections[i].nentries; j++) {
			long v;
			int b;

			hark_config_duration(cfg.sections[i].entries[j].value,
			    &v, &err);
			hark_config_bool(cfg.sections[i].entries[j].value, &b,
			    &err);
			{
				long l, c;
				size_t k, n = strlen(
				    cfg.sections[i].entries[j].value);

				for (k = 0; k <= n; k++)
					hark_config_position(
					    &cfg.sections[i].entries[j], 1,
					    (long)k + 1, &l, &c);
			}
		}
	hark_config_release(&cfg);
	return 0;
}
