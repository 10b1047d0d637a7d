/*
 * filter.h - the record loop every NDJSON command shares.
 *
 * hark_filter_run() opens each operand (none or "-": stdin), reads it line
 * by line, parses each line as a JSON object (lib/json.h: once, strictly,
 * building only the members the command reads) and hands it to the
 * command's callback, then writes what the callback asks for: the line
 * spliced with the spans of that one parse, so members the command does
 * not own are copied, never decoded or re-encoded.  It owns the suite's
 * data-error rule: a bad line is reported as "prog: FILE:LINE: message",
 * copied verbatim (with the CR of a CRLF line) to --rejects, counted, and
 * processing goes on (exit 3 at the end; --strict stops at the first;
 * --skip-invalid keeps exit 0).  A
 * file that cannot be opened is an error (exit 1) and the next operand is
 * read.  Output goes to -o FILE or stdout, flushed per record with
 * --unbuffered; write errors are fatal (exit 1), EPIPE quiet.
 */
#ifndef HARK_FILTER_H
#define HARK_FILTER_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "opt.h"
#include "ndjson.h"
#include "lazy.h"

enum hark_rec_action {
	HARK_REC_EMIT = 0,	/* write the input line with ADD spliced in */
	HARK_REC_CONSUMED = 1,	/* the command keeps it; write nothing */
	HARK_REC_REJECT = -1	/* bad record: message in ERR */
};

struct hark_filter_rec {
	json_t *rec;		/* the parsed record (borrowed) */
	const char *line;	/* its raw bytes (borrowed) */
	size_t len;
	const char *file;	/* for messages */
	long lineno;
	json_t *add;		/* empty object: members to splice (borrowed) */
};

struct hark_filter_ops {
	/* Required.  Return an enum hark_rec_action. */
	int (*record)(void *ctx, struct hark_filter_rec *r,
	    struct hark_err *err);
	/* Optional: called once after all input, with the output open, so
	 * aggregating commands can write their results.  Returns an exit
	 * status to merge (0 for none). */
	int (*finish)(void *ctx, struct hark_output *out);
	size_t dump_flags;	/* jansson flags for spliced values; 0 default */
	size_t max_line;	/* 0: HARK_LINE_MAX_DEFAULT */
	/* Optional (NULL: decode every member).  The top-level members the
	 * command reads (borrowed, lib/lazy.h): records are then parsed with
	 * hark_lazy_parse, which rejects exactly what hark_ndjson_parse
	 * rejects but builds only those members. */
	const struct hark_lazy *lazy;
};

struct hark_filter_stats {
	long read, written, rejected, files_failed;
};

/*
 * Run the loop over the operands ARGV[0..ARGC).  Returns the exit status.
 * STATS (may be NULL) receives the counts; with -v a one-line summary
 * is printed to stderr by the function itself.
 */
int hark_filter_run(const struct hark_common *c, int argc, char **argv,
    const struct hark_filter_ops *ops, void *ctx,
    struct hark_filter_stats *stats);

/* Report a data error in the suite's format: "prog: FILE:LINE: msg". */
void hark_report_data_error(const char *file, long lineno,
    const struct hark_err *err);

#endif
