/*
 * config.h - the suite's one configuration syntax (hark.conf(5)).
 *
 *   # comment            ; comment
 *   [defaults]
 *   [source "x-brand"]   section with a type and an optional quoted name
 *   key = value          keys are case-insensitive ([A-Za-z0-9_.-]+)
 *   key = "quoted \" \\ \n \t value"   quotes keep leading/trailing blanks
 *   when = a and \       a trailing backslash joins the next line
 *          b
 *
 * A key may repeat; hark_config_get() returns the last value and
 * hark_config_next() walks all of them in file order.  Every entry keeps
 * its line and the column where its value starts so that tools parsing a
 * value (rule expressions, durations) can report FILE:LINE:COLUMN.
 */
#ifndef HARK_CONFIG_H
#define HARK_CONFIG_H

#include "hark.h"
#include "err.h"

/* Where a backslash-continued value goes on: byte OFF of the value
 * starts at LINE, COLUMN of the file. */
struct hark_config_span {
	size_t off;
	long line, column;
};

struct hark_config_entry {
	char *key;	/* lower-cased */
	char *value;	/* unquoted, unescaped; never NULL */
	long line;	/* line of the key */
	long key_column;	/* column of the key's first byte */
	long column;	/* column of the first byte of the value */
	struct hark_config_span *spans;	/* continuation lines, or NULL */
	size_t nspans;
};

struct hark_config_section {
	char *type;	/* lower-cased, e.g. "source" */
	char *name;	/* the quoted name, or NULL */
	long line;
	struct hark_config_entry *entries;
	size_t nentries;
};

struct hark_config {
	char *path;	/* the file's name as given, or NULL when empty */
	struct hark_config_section *sections;
	size_t nsections;
};
#define HARK_CONFIG_INIT { NULL, NULL, 0 }

void hark_config_init(struct hark_config *cfg);
/* Free everything the config owns; it is then empty and reusable. */
void hark_config_release(struct hark_config *cfg);

/*
 * Parse LEN bytes of TEXT (named NAME in errors, copied) and append its
 * sections to CFG.  On a syntax error returns -1 with err->code 2 and
 * err->line/column set; CFG keeps what was parsed before the error.
 */
int hark_config_parse(struct hark_config *cfg, const char *name,
    const char *text, size_t len, struct hark_err *err);
/* Read and parse the file PATH; -1 with err->code 1 when unreadable. */
int hark_config_load(struct hark_config *cfg, const char *path,
    struct hark_err *err);

/*
 * Load the suite's configuration: EXPLICIT when not NULL (must exist);
 * otherwise, unless NO_CONFIG, $HARK_CONFIG (set but empty means no file),
 * else $XDG_CONFIG_HOME/hark/config (default ~/.config/hark/config) if it
 * exists.  Returns 0 also when no file applies (CFG stays empty).
 */
int hark_config_load_default(struct hark_config *cfg, const char *explicit,
    int no_config, struct hark_err *err);

/* First section of TYPE with NAME (NAME NULL matches an unnamed one);
 * borrowed, or NULL. */
const struct hark_config_section *hark_config_find(
    const struct hark_config *cfg, const char *type, const char *name);
/* Last value of KEY in S (borrowed), or NULL; S may be NULL. */
const char *hark_config_get(const struct hark_config_section *s,
    const char *key);
/* The entry for KEY after PREV (NULL: the first), in file order. */
const struct hark_config_entry *hark_config_next(
    const struct hark_config_section *s, const char *key,
    const struct hark_config_entry *prev);

/*
 * Walk a list value such as "a, b, c" or "Anna K, Jan": returns the next
 * item at *CURSOR (borrowed: a pointer into the value, its length in
 * *LEN, blanks around it trimmed, never empty) and moves *CURSOR past it;
 * NULL when no item is left.  Items are separated by commas and, when
 * BLANKS is non-zero, by blanks too.
 */
const char *hark_config_item(const char **cursor, int blanks, size_t *len);

/*
 * The file position of a position inside E's value, as a parser of the
 * value reports it (VLINE, VCOLUMN: 1-based, relative to the value), so
 * errors point into the file even inside backslash-continued lines.
 * *LINE and *COLUMN receive the result.
 */
void hark_config_position(const struct hark_config_entry *e, long vline,
    long vcolumn, long *line, long *column);

/* Value parsers: 0 on success, -1 with a message in ERR. */
int hark_config_bool(const char *value, int *out, struct hark_err *err);
/* "90", "90s", "15m", "4h", "2d", "1h30m" -> seconds. */
int hark_config_duration(const char *value, long *out, struct hark_err *err);
int hark_config_long(const char *value, long min, long max, long *out,
    struct hark_err *err);

#endif
