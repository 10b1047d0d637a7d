/*
 * opt.h - start-up, the options every command shares, usage errors.
 *
 * A command's getopt_long table lists its own options and then
 * HARK_COMMON_LONGOPTS; its optstring starts with HARK_COMMON_SHORTOPTS
 * (":c:hqvo:") first.  In the switch's default branch it calls
 * hark_common_option(); '?' and ':' go to hark_bad_option().
 *
 *   -c, --config FILE   --no-config    -o, --output FILE
 *   -q, --quiet         -v, --verbose  --progress  --no-progress
 *   --color WHEN        --unbuffered   --rejects FILE
 *   --strict            --skip-invalid -h, --help  --version
 */
#ifndef HARK_OPT_H
#define HARK_OPT_H

#include <getopt.h>
#include "hark.h"
#include "err.h"

enum hark_common_opt {
	HARK_OPT_BASE = 0x1000,
	HARK_OPT_NO_CONFIG,
	HARK_OPT_PROGRESS,
	HARK_OPT_NO_PROGRESS,
	HARK_OPT_COLOR,
	HARK_OPT_UNBUFFERED,
	HARK_OPT_REJECTS,
	HARK_OPT_STRICT,
	HARK_OPT_SKIP_INVALID,
	HARK_OPT_VERSION,
	HARK_OPT_COMMAND_BASE = 0x1100	/* commands number theirs from here */
};

#define HARK_COMMON_SHORTOPTS ":c:hqvo:"	/* must come first */
#define HARK_COMMON_LONGOPTS \
	{ "color", required_argument, NULL, HARK_OPT_COLOR }, \
	{ "config", required_argument, NULL, 'c' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "no-config", no_argument, NULL, HARK_OPT_NO_CONFIG }, \
	{ "no-progress", no_argument, NULL, HARK_OPT_NO_PROGRESS }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "progress", no_argument, NULL, HARK_OPT_PROGRESS }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "rejects", required_argument, NULL, HARK_OPT_REJECTS }, \
	{ "skip-invalid", no_argument, NULL, HARK_OPT_SKIP_INVALID }, \
	{ "strict", no_argument, NULL, HARK_OPT_STRICT }, \
	{ "unbuffered", no_argument, NULL, HARK_OPT_UNBUFFERED }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "version", no_argument, NULL, HARK_OPT_VERSION }

/* The usage text every command prints for the shared options (--help). */
extern const char hark_common_help[];

enum hark_color { HARK_COLOR_AUTO, HARK_COLOR_ALWAYS, HARK_COLOR_NEVER };

struct hark_common {
	const char *synopsis;	/* "usage: cmd [options] [file ...]" lines */
	const char *help;	/* the command's own option help */
	int verbose;
	int progress;		/* -1 auto (stderr a terminal), 0, 1 */
	enum hark_color color;
	const char *config;	/* -c FILE or NULL */
	int no_config;
	const char *output;	/* -o FILE or NULL (stdout) */
	const char *rejects;	/* --rejects FILE or NULL */
	int unbuffered;
	int strict;
	int skip_invalid;
};

/*
 * Start-up, first thing in main(): records NAME as the program name,
 * re-opens closed fds 0-2 on /dev/null, restores SIGPIPE to its default,
 * sets LC_CTYPE from the environment, reads HARK_TEST_FAIL_ALLOC, and
 * initialises C with SYNOPSIS and HELP (both borrowed, static text).
 */
void hark_init(struct hark_common *c, const char *name, const char *synopsis,
    const char *help);

/*
 * Handle option OPT (with ARG) if it is a shared one: returns 1 when
 * handled, 0 when it is not a shared option.  -h and --version print and
 * exit 0; a bad --color value is a usage error (exit 2).
 */
int hark_common_option(struct hark_common *c, int opt, const char *arg);

/* Report getopt's '?' or ':' for ARGV (after getopt_long returned OPT)
 * and exit 2. */
HARK_NORETURN void hark_bad_option(const struct hark_common *c, int opt,
    char **argv);

/* "prog: MSG\nSYNOPSIS\nTry 'prog --help' for more information.\n" on
 * stderr, exit 2. */
HARK_NORETURN void hark_usage_error(const struct hark_common *c,
    const char *fmt, ...) HARK_PRINTF(2, 3);

/*
 * Load the config file C names into CFG (hark_config_load_default(): -c
 * FILE, --no-config, $HARK_CONFIG, the XDG default).  On an error print
 * "prog: FILE:LINE:COL: msg" (the suite's one config-error report) and
 * return 2 (a usage error: a missing, unreadable or bad config file)
 * with CFG released (empty); else 0.
 */
struct hark_config;
int hark_common_config(const struct hark_common *c, struct hark_config *cfg);

/* Bounded number from option NAME's argument ARG, or a usage error. */
long long hark_opt_number(const struct hark_common *c, const char *name,
    const char *arg, long long min, long long max);

/* Whether progress output is on: --progress, or stderr is a terminal
 * and not --no-progress. */
int hark_progress_enabled(const struct hark_common *c);
/* Whether to colour FP's output: --color, NO_COLOR, isatty. */
int hark_color_enabled(const struct hark_common *c, FILE *fp);

#endif
