/*
 * sketch.h - a mergeable quantile sketch for non-negative values
 * (durations in seconds), for results computed in pieces and merged
 * (sla-report --partial/--merge, mention-report).
 *
 * Values go into logarithmic buckets (the DDSketch scheme): bucket I holds
 * the values in (G^(I-1), G^I] with G = (1 + A) / (1 - A) and
 * A = HARK_SKETCH_ALPHA = 0.005, and a bucket's value is read back as
 * 2 G^I / (G + 1).  So a value read back for a rank is within 0.5 %
 * (relative) of the true value at that rank, whatever the data and however
 * the sketches were split and merged.  Values below HARK_SKETCH_TINY count
 * as 0 and read back as exactly 0.  Count, sum, minimum and maximum are
 * kept exactly; the smallest and largest rank read back exactly; a value
 * read back is never outside [min, max].  For integer data below 100 the
 * bucket width is under 1, so rounding the value read back gives the exact
 * integer.
 *
 * Merging adds bucket counts: it is associative and commutative, so any
 * split of the values into sketches and any order and grouping of merges
 * give the same sketch (sum may differ in the last bit of a double for
 * non-integer data; integers below 2^53 add exactly).
 *
 * Memory: one 8-byte counter per bucket between the smallest and largest
 * bucket used: about 920 buckets per factor of 100 of range (1 s to 1 year
 * is about 3,500 buckets, 28 kB).  Nothing here prints or exits;
 * allocation failure exits through hark_x*alloc.
 */
#ifndef HARK_SKETCH_H
#define HARK_SKETCH_H

#include <jansson.h>
#include "hark.h"
#include "buf.h"
#include "err.h"

#define HARK_SKETCH_ALPHA 0.005
#define HARK_SKETCH_TINY 1e-9

struct hark_sketch {
	uint64_t n;		/* values added */
	uint64_t zero;		/* values below HARK_SKETCH_TINY */
	double sum, min, max;	/* exact; min/max meaningless when n == 0 */
	int32_t lo;		/* index of counts[0] */
	uint32_t len;		/* buckets held */
	uint64_t *counts;
};
#define HARK_SKETCH_INIT { 0, 0, 0.0, 0.0, 0.0, 0, 0, NULL }

void hark_sketch_init(struct hark_sketch *s);
void hark_sketch_release(struct hark_sketch *s);

/* Add V (finite, >= 0); -1 for a negative or non-finite V, unchanged. */
int hark_sketch_add(struct hark_sketch *s, double v);
/* Add every value of SRC to DST. */
void hark_sketch_merge(struct hark_sketch *dst, const struct hark_sketch *src);

/* The value at RANK (1-based, in ascending order); NAN when RANK is out
 * of 1..n. */
double hark_sketch_rank(const struct hark_sketch *s, uint64_t rank);
/*
 * Nearest-rank percentile P (0..100): the value at rank ceil(P n / 100)
 * (at least 1), the rule sla-report uses on exact data.  NAN when empty.
 */
double hark_sketch_percentile(const struct hark_sketch *s, int p);

/*
 * Append S as one compact JSON object:
 *   {"n":N,"zero":Z,"sum":S,"min":M,"max":X,"lo":I,"c":[counts...]}
 * ("lo" and "c" absent when no bucket is used; doubles printed with 17
 * significant digits, so they read back exactly).  -1 when OUT is full.
 */
int hark_sketch_to_json(const struct hark_sketch *s, struct hark_buf *out);
/*
 * Read an object written by hark_sketch_to_json into S (initialised,
 * replaced).  Every member is checked (types, counts adding up to n,
 * min <= max, bucket range); -1 with a message in ERR (code 3) otherwise.
 */
int hark_sketch_from_json(struct hark_sketch *s, const json_t *obj,
    struct hark_err *err);

#endif
