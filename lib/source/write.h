/*
 * write.h - the write side's common part (reply-send(1)): the call kinds
 * of writes and read-backs, and how a driver reports their outcome.
 *
 * A driver's post_reply()/send_private()/find_reply() (source.h) submits
 * calls of kind MF_K_WRITE or MF_K_READBACK with the write's key as the
 * call's arg.  The engine gives those calls the source's credentials,
 * hands their 2xx answers to the driver's special(), which parses them
 * (each driver's own write hunk) and reports with mf_write_done(), and
 * reports any failure itself with mf_write_failed(): a failed write never
 * fails the whole source, so the other replies still go out.  The command
 * learns outcomes through the hook it sets.  Nothing here prints.
 */
#ifndef HARK_SOURCE_WRITE_H
#define HARK_SOURCE_WRITE_H

#include <jansson.h>
#include "hark.h"

struct mf_source;
struct mf_call;
struct hark_http_resp;

enum {
	MF_K_WRITE = 100,	/* a post, comment, reply or message */
	MF_K_READBACK = 101,	/* reading a thread back for a lost answer */
	MF_K_PREP = 102		/* a lookup a write needs first (Bluesky's
				 * parent and root references) */
};

/* Is KIND a write-side call? */
#define MF_K_IS_WRITE(kind) ((kind) >= MF_K_WRITE && (kind) <= MF_K_PREP)

/* The outcome of one write or read-back (all members borrowed). */
struct mf_written {
	const char *key;	/* the write's key (mf_write.key) */
	int found;		/* read-back: 1 the reply is there, 0 not */
	const char *native_id;	/* the platform's id of the reply */
	const char *id;		/* its record id, when not TYPE:NATIVE_ID
				 * (hark-records(5): Mastodon's host) */
	const char *url;	/* its permalink, or NULL */
	const char *created_at;	/* its time as the API gave it (any form
				 * hark_time_parse_any() reads), or NULL */
	const char *author_id;	/* the brand account, when the API says */
	const char *author_handle;
	const char *author_name;
	const char *thread_root;	/* the platform's root id, or NULL */
	int unsure;		/* a failure after which the write may still
				 * have been done (a timeout once the request
				 * was sent, a 5xx): read the thread back */
	int throttled;		/* a failure of the rate limit */
};

typedef void mf_write_hook(void *arg, struct mf_source *s,
    const struct mf_written *w, const char *error);

/* Set the command's hook (one per process). */
void mf_write_set_hook(mf_write_hook *fn, void *arg);
/* A write or read-back answered: report W (ERROR NULL). */
void mf_write_done(struct mf_source *s, const struct mf_written *w);
/* A write or read-back of KEY failed: WHY is a short reason (sanitised
 * by the caller); UNSURE and THROTTLED as in struct mf_written. */
void mf_write_failed(struct mf_source *s, const char *key, const char *why,
    int unsure, int throttled);
/*
 * The engine's part: an answer to the write-side call C arrived.  Reports
 * failures (mf_write_failed()), lets the driver's http_error() log in
 * again, and hands 2xx answers to the driver's special().  Returns 1 when
 * C was kept for a re-submission (after a login), else 0.
 */
int mf_write_answer(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r);

struct mf_write;

/*
 * Submit a write-side call for W: METHOD URL, BODY of type CTYPE (both
 * may be NULL), extra HEADERS ('\n'-separated, or NULL), of KIND, with
 * W->key as its arg; W's strings are kept for the answer
 * (mf_write_memo()).  Returns the call (the engine's).
 */
struct mf_call *mf_write_submit(struct mf_source *s, const struct mf_write *w,
    const char *method, const char *url, int kind, const char *ctype,
    const char *body, const char *headers);
/* What was kept of the write KEY: an object with "text", "native_id",
 * "record_id", "thread", "recipient", "recipient_handle" (those set) and
 * whatever the driver adds; borrowed, created when missing. */
json_t *mf_write_memo(struct mf_source *s, const char *key);
/* The JSON string of S with the characters JSON needs escaped, quoted
 * (new string), for bodies built by hand. */
char *mf_write_jstr(const char *s);
/* Report the read-back of C: FOUND and, when found, W's members. */
void mf_write_found(struct mf_source *s, struct mf_call *c,
    const struct mf_written *w);

/*
 * Helpers for the drivers' write hunks: the JSON body of a response
 * (new reference, NULL when it is not JSON), and the response's Date
 * header as RFC 3339 into BUF (NULL when absent), the time of a reply
 * whose API answer carries none.
 */
json_t *mf_write_json(const struct hark_http_resp *r);
const char *mf_write_date(const struct hark_http_resp *r, char buf[32]);

#endif
