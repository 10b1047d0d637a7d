/*
 * ht.h - hark-train's CSV input (csv.c): labelled examples from CSV files
 * with a header row, plain (a row is an example) or a helpdesk export
 * mapped by role (--map, the layouts sla-report reads: a ticket is an
 * example), handed to the same record callback as NDJSON records.
 */
#ifndef HT_H
#define HT_H

#include "hark.h"
#include "opt.h"
#include "filter.h"

struct ht_csv {
	const char *field;	/* --field: a column, or a role of MAP */
	const char *label;	/* --label: a column, or a role of MAP */
	const char *map;	/* --map spec or NULL */
	/* Called with records {"text", "label", "lang"} (members absent
	 * when empty), file and line of the row the text came from. */
	int (*record)(void *ctx, struct hark_filter_rec *r,
	    struct hark_err *err);
	void *ctx;
};

/* 1 when PATH names a CSV file (".csv" or ".csv.gz"). */
int ht_is_csv(const char *path);

/* -1 with a usage error when MAP is not a valid map for training. */
int ht_csv_check_map(const char *map, struct hark_err *err);

/* Read the CSV operands ARGV[0..ARGC) ("-": stdin) with the suite's rule
 * for bad rows (FILE:LINE, --rejects verbatim, exit 3, --strict,
 * --skip-invalid).  Returns the exit status so far. */
int ht_csv_run(const struct hark_common *c, const struct ht_csv *o,
    int argc, char **argv);

#endif
