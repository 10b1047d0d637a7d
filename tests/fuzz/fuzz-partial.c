/* fuzz-partial.c - the partial-result reader (lib/partial.c) and the
 * sketch read from its body lines (lib/sketch.c): a damaged partial given
 * to --merge must be an error, never a crash. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hark.h"
#include "partial.h"
#include "sketch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct hark_partial_reader r;
	struct hark_sketch s = HARK_SKETCH_INIT, all = HARK_SKETCH_INIT;
	struct hark_err err;
	json_t *o;
	FILE *f;
	int fd;

	if (!path[0]) {
		snprintf(path, sizeof(path), "/tmp/fuzz-partial-XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
	}
	f = fopen(path, "w");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	if (hark_partial_open(&r, path, "sla-report", 1, NULL, &err) < 0)
		return 0;
	while (hark_partial_next(&r, &o, &err) == 1) {
		const json_t *sk = json_object_get(o, "s");

		if (sk && hark_sketch_from_json(&s, sk, &err) == 0) {
			hark_sketch_merge(&all, &s);
			(void)hark_sketch_percentile(&all, 50);
			(void)hark_sketch_percentile(&all, 95);
		}
		json_decref(o);
	}
	hark_partial_close(&r);
	hark_sketch_release(&s);
	hark_sketch_release(&all);
	return 0;
}
