/*
 * reply.h - reply drafts: templates, placeholders, first names and their
 * vocative, channel length limits, due times in words (reply-draft(1)).
 *
 * Templates are [template "name"] sections of hark.conf(5) syntax:
 *
 *   [template "delivery-pl"]
 *   category = delivery          list; absent: any category
 *   lang     = pl                required: the language of the text
 *   channel  = x, mastodon       source types; absent: any channel
 *   private  = true              for routes that recommend private
 *                                messages (false: only for those that do
 *                                not; absent: either)
 *   visibility = public          how the reply goes out: public (default)
 *                                or private (a private message)
 *   text = Hi[[ {first_name_voc}]], ... {signature}
 *
 * Placeholders: {first_name} {first_name_voc} {order} {signature}
 * {dm_link} {due} {answer} {link}.  Text between [[ and ]] is dropped
 * when a placeholder inside it has no value; a placeholder outside such
 * a segment without a value stays in the text as written and is listed
 * as left to fill.  A template that uses {answer} outside [[ ]] is only
 * chosen when a FAQ entry answered the post.
 *
 * Choice (hark_reply_choose): among the templates of the language whose
 * category, channel, private and visibility conditions all hold (a
 * category with no template at all falls back to "other"), the highest
 * score wins: private matched explicitly 8, category named 4, channel
 * named 2, {answer} used 1; ties go to the template defined last, so a
 * user's template beats a built-in one.  Nothing here prints or exits.
 */
#ifndef HARK_REPLY_H
#define HARK_REPLY_H

#include "hark.h"
#include "err.h"
#include "buf.h"
#include "config.h"
#include "htime.h"

enum hark_reply_var {
	HARK_RV_FIRST_NAME,
	HARK_RV_FIRST_NAME_VOC,
	HARK_RV_ORDER,
	HARK_RV_SIGNATURE,
	HARK_RV_DM_LINK,
	HARK_RV_DUE,
	HARK_RV_ANSWER,
	HARK_RV_LINK,
	HARK_RV_COUNT
};

/* "first_name" ... "link" (static). */
const char *hark_reply_var_name(enum hark_reply_var v);

struct hark_reply_tpl {
	char *name, *file;	/* owned */
	long line;
	char **cats;		/* owned; NULL: any */
	size_t ncats;
	char **channels;	/* owned; NULL: any */
	size_t nchannels;
	char *lang;		/* owned */
	int priv;		/* -1 either, 0, 1 */
	int visibility;		/* 0 public, 1 private */
	char *text;		/* owned */
	unsigned uses;		/* bit per var used anywhere */
	unsigned needs;		/* bit per var used outside [[ ]] */
};

struct hark_reply_set {
	struct hark_reply_tpl *t;	/* owned, in definition order */
	size_t n;
};

void hark_reply_set_init(struct hark_reply_set *s);
void hark_reply_set_release(struct hark_reply_set *s);

/*
 * Add the [template] sections of CFG (others are ignored); FILE names it
 * in messages.  A template whose name exists replaces it (in the later
 * position); "enabled = false" removes it.  Errors (unknown keys, bad
 * values, unknown placeholders, unbalanced [[ ]]) return -1 with
 * err->code 2 and the entry's line and column.
 */
int hark_reply_set_add_config(struct hark_reply_set *s,
    const struct hark_config *cfg, const char *file, struct hark_err *err);
/* Every "*.conf" file of DIR in name order, as above.  -1 with code 1
 * when DIR or a file cannot be read (the file's name in err->msg). */
int hark_reply_set_add_dir(struct hark_reply_set *s, const char *dir,
    struct hark_err *err);

struct hark_reply_want {
	const char *category;	/* never NULL ("other") */
	const char *lang;	/* never NULL */
	const char *channel;	/* the source type, may be NULL */
	int priv;		/* the route recommends private messages */
	int visibility;		/* 0 public, 1 private */
	int have_answer;	/* a FAQ entry answered */
};

/* The template to use (borrowed), or NULL when none applies. */
const struct hark_reply_tpl *hark_reply_choose(const struct hark_reply_set *s,
    const struct hark_reply_want *w);
/* Is there any template in LANG? */
int hark_reply_has_lang(const struct hark_reply_set *s, const char *lang);

/*
 * Render TEXT with VALS (NULL or "" = no value; borrowed) appended to
 * OUT.  WITHHELD (bit per var) are values that must not appear: they
 * count as empty and, outside [[ ]], vanish instead of staying.  *FILL
 * gets a bit per placeholder left in the text.  -1 when OUT is full.
 */
int hark_reply_render(const char *text, const char *const vals[HARK_RV_COUNT],
    unsigned withheld, struct hark_buf *out, unsigned *fill);

/*
 * The first name in the display name NAME (the first word), appended to
 * OUT with its first letter upper case and the rest lower case.  Returns
 * -1 (OUT unchanged) when the first word does not look like a given
 * name: not letters only, one letter, a title (Mr, Pan, Dr ...), or an
 * all-lower-case or mixed-case handle-like word longer than one capital.
 */
int hark_reply_first_name(const char *name, struct hark_buf *out);

/*
 * The vocative of the first name NAME (as hark_reply_first_name gives it)
 * in LANG ("pl" or "cs"; any other language: the name itself) appended to
 * OUT, from rules on the name's ending (no list of names).  -1 (OUT
 * unchanged) when the rules are not sure, and for names spelled in a way
 * the language does not (q, x; v in Polish, w in Czech; a doubled final
 * consonant: Ann, Bill), which are foreign and may not decline.
 */
int hark_reply_vocative(const char *name, const char *lang,
    struct hark_buf *out);

/*
 * "within 2 hours" / "w ciągu 2 godzin" / "do 2 hodin" for the time from
 * NOW to DUE, rounded up to minutes (under an hour), hours (under two
 * days) or days; LANG en, pl or cs (else en).  -1 when DUE is not after
 * NOW.
 */
int hark_reply_due_words(hark_time_t now, hark_time_t due, const char *lang,
    struct hark_buf *out);

/* How a channel counts the length of a text. */
enum hark_reply_count {
	HARK_COUNT_CHARS,	/* code points */
	HARK_COUNT_X,		/* X's weights: most Latin 1, others 2 */
	HARK_COUNT_GRAPHEMES,	/* extended grapheme clusters */
	HARK_COUNT_BYTES
};

struct hark_reply_limit {
	const char *channel;
	long limit, private_limit;	/* 0: none */
	enum hark_reply_count count;
	int url_len;			/* >0: every URL counts this much */
};

/* The built-in limits of CHANNEL (a source type), or NULL. */
const struct hark_reply_limit *hark_reply_limit_of(const char *channel);

/* The length of S[0..LEN) as channel L counts it (L NULL: code points). */
long hark_reply_length(const char *s, size_t len,
    const struct hark_reply_limit *l);

/*
 * Make the text in BUF fit LIMIT as L counts it, by dropping whole
 * sentences from the end of the body (never the first sentence nor a
 * last line that starts with '^', the signature).  Returns 1 when it
 * was shortened, 0 when it already fit, -1 when it cannot fit (BUF
 * unchanged).  Never cuts inside a sentence.
 */
int hark_reply_fit(struct hark_buf *buf, long limit,
    const struct hark_reply_limit *l);

#endif
