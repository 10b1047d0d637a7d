/* partial.c - the mergeable summary (--partial) and --merge. */
#include "mr.h"

int
mr_partial_write(struct mr_ctx *x, struct hark_output *out)
{
	(void)x;
	(void)out;
	return 0;
}

int
mr_merge_file(struct mr_ctx *x, const char *path, struct hark_err *err)
{
	(void)x;
	return hark_err_set(err, HARK_EXIT_USAGE, "%s: --merge: not yet",
	    path);
}
