/* fuzz-cmd: sla-report */
/*
 * fuzz-sla-merge.c - the body lines of a partial that `sla-report --merge`
 * reads (cmd/sla-report/partial.c: groups, brands, policies, busy hours,
 * days and kept conversations, whose events the final merge computes),
 * then the report written from them in every format: a damaged partial
 * must be an error, never a crash or a leak.
 *
 * The code under test is in the command, not in libhark: the marker line
 * above makes the Makefile (replay binary) and tests/fuzz/run.sh (fuzzer)
 * link cmd/sla-report's objects except main.o.
 *
 * A partial is read only by a merge with the fingerprint it was written
 * with, so the input is tried under two option sets, as main.c would set
 * them up (no config, --now 2025-03-05T00:00:00Z, --tz UTC): the defaults,
 * and -b brand,day,sentiment.label.  The seed corpus (corpus/sla-merge/)
 * holds partials the real binary wrote with those options, e.g.
 *   sla-report --no-config --now 2025-03-05T00:00:00Z --partial in
 *   sla-report --no-config --now 2025-03-05T00:00:00Z \
 *       -b brand,day,sentiment.label --partial in
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../cmd/sla-report/sr.h"
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1741132800	/* 2025-03-05T00:00:00Z */

struct setup {
	struct sr_opts o;
	struct sr_ctx x;
	char fingerprint[65];
};

static struct setup setups[2];

static void
setup_init(struct setup *s, int grouped)
{
	struct hark_config cfg = HARK_CONFIG_INIT;
	struct hark_err err = HARK_ERR_INIT;

	memset(s, 0, sizeof(*s));
	s->o.use_record_due = 1;
	s->o.mode = SR_MODE_REPORT;
	s->o.now = NOW;
	if ((s->o.tz = hark_tz_load("UTC", &err)) == NULL)
		abort();
	if (grouped) {
		s->o.by[s->o.nby++] = SR_F_BRAND;
		s->o.by[s->o.nby++] = SR_BY_DAY;
		s->o.custom[s->o.ncustom++] = hark_xstrdup("sentiment.label");
		s->o.by[s->o.nby++] = SR_BY_CUSTOM;
	}
	s->x.o = &s->o;
	if (hark_sla_set_load(&s->x.set, &cfg, 0, &err) != 0)
		abort();
	sr_fingerprint(&s->o, &cfg, 0, NULL, s->fingerprint);
}

/* Every writer over the merged report: formats and the busy-hours mode
 * are not in the fingerprint (a merge may pick any). */
static void
write_all(struct setup *s, struct sr_report *r)
{
	static const enum sr_format formats[] = { SR_TABLE, SR_NDJSON,
	    SR_CSV, SR_MARKDOWN, SR_HTML };
	struct hark_output out;
	char *text = NULL;
	size_t f, len = 0;
	int mode;

	/* in memory: /dev/null may be a plain file (some sandboxes) */
	memset(&out, 0, sizeof(out));
	if ((out.fp = open_memstream(&text, &len)) == NULL)
		abort();
	for (mode = 0; mode < 2; mode++)
		for (f = 0; f < HARK_ARRAY_SIZE(formats); f++) {
			s->o.format = formats[f];
			s->o.mode = mode ? SR_MODE_BUSY : SR_MODE_REPORT;
			sr_write(&s->x, r, &out);
		}
	s->o.format = SR_TABLE;
	s->o.mode = SR_MODE_REPORT;
	fclose(out.fp);
	free(text);
}

static void
merge_one(struct setup *s, const char *path)
{
	struct hark_err err = HARK_ERR_INIT;
	struct sr_merge mg;

	sr_store_init(&s->x.st);
	sr_merge_init(&mg);
	memcpy(mg.fingerprint, s->fingerprint, sizeof(mg.fingerprint));
	s->x.merge = &mg;
	if (sr_merge_read(&s->x, &mg, path, &err) == 0 &&
	    sr_merge_finish(&s->x, &mg, &err) == 0) {
		sr_report_finish(&s->x, &mg.r);
		write_all(s, &mg.r);
	}
	s->x.merge = NULL;
	sr_merge_release(&mg);
	sr_conv_free(&s->x);
	sr_store_release(&s->x.st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	FILE *f;
	int fd;

	if (!path[0]) {
		snprintf(path, sizeof(path), "/tmp/fuzz-sla-merge-XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
		setup_init(&setups[0], 0);
		setup_init(&setups[1], 1);
	}
	f = fopen(path, "w");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	merge_one(&setups[0], path);
	merge_one(&setups[1], path);
	return 0;
}
