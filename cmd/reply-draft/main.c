/*
 * reply-draft - add a reply draft to routed mention records: a template
 * chosen by category, language, channel and privacy, filled and fitted.
 */
#include <getopt.h>
#include <strings.h>
#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "opt.h"
#include "config.h"
#include "embed.h"
#include "expr.h"
#include "filter.h"
#include "htime.h"
#include "lang.h"
#include "lazy.h"
#include "pii.h"
#include "reply.h"

static const char *const builtin_files[] = { "templates/en.conf",
    "templates/pl.conf", "templates/cs.conf" };

static const char synopsis[] =
    "usage: reply-draft [-hqv] [-c file] [-o file] [--faq file] [--lang lang]\n"
    "                   [--no-builtin-templates] [--print-templates]\n"
    "                   [--private-replies] [--signature name]\n"
    "                   [--templates dir] [file ...]";

static const char help[] =
    "\n"
    "Read routed mention records (NDJSON, from ticket-route) and add a\n"
    "\"reply\" object: a draft from the [template] sections (built-in\n"
    "templates for ten categories in English, Polish and Czech), with the\n"
    "customer's first name, order number, due time and signature filled\n"
    "in, fitted to the channel's length limit, for a person to review.\n"
    "\n"
    "Options:\n"
    "      --faq FILE               answer questions from the [faq] sections"
    " of FILE\n"
    "                               (repeatable)\n"
    "      --lang LANG              language of drafts for posts in a"
    " language\n"
    "                               without templates (default en)\n"
    "      --no-builtin-templates   do not load the built-in templates\n"
    "      --print-templates        print the built-in templates and exit\n"
    "      --private-replies        draft a private message where the route"
    " recommends\n"
    "                               one and the channel has private"
    " messages\n"
    "      --signature NAME         sign as ^NAME when the route names no"
    " agent\n"
    "      --templates DIR          also load the *.conf files of DIR"
    " (repeatable)\n"
    "\n";

enum {
	OPT_FAQ = HARK_OPT_COMMAND_BASE,
	OPT_LANG,
	OPT_NO_BUILTIN,
	OPT_PRINT_TEMPLATES,
	OPT_PRIVATE_REPLIES,
	OPT_SIGNATURE,
	OPT_TEMPLATES
};

static const struct option longopts[] = {
	{ "faq", required_argument, NULL, OPT_FAQ },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "no-builtin-templates", no_argument, NULL, OPT_NO_BUILTIN },
	{ "print-templates", no_argument, NULL, OPT_PRINT_TEMPLATES },
	{ "private-replies", no_argument, NULL, OPT_PRIVATE_REPLIES },
	{ "signature", required_argument, NULL, OPT_SIGNATURE },
	{ "templates", required_argument, NULL, OPT_TEMPLATES },
	HARK_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

struct faq {
	char *name, *file;
	long line;
	struct hark_expr *when;		/* owned */
	const struct hark_config_section *sec;	/* borrowed from cfgs */
	char *lang;			/* of the plain "answer" */
};

struct draft {
	struct hark_reply_set set;
	struct hark_pii pii;
	struct hark_expr_set *eset;
	struct hark_expr_ctx ctx;
	struct faq *faq;
	size_t nfaq;
	struct hark_config **cfgs;	/* FAQ files, kept for their values */
	size_t ncfgs;
	struct hark_config cfg;		/* the suite's config */
	const struct hark_config_section *rs;	/* its [reply] */
	const char *signature, *lang;
	int private_replies;
	struct hark_lazy lazy;
	struct hark_buf text, name, voc, sig, due, order;
	const char *file;
	long lineno;
	int faq_warned;
	hark_time_t now;
};

static int
config_fail(const char *file, const struct hark_err *err)
{
	hark_error_at(file, err);
	return HARK_EXIT_USAGE;
}

/* [reply] KEY.CHANNEL (KEY_CHANNEL too), borrowed or NULL. */
static const char *
per_channel(const struct draft *d, const char *key, const char *channel)
{
	char k[80];
	const char *v;

	if (channel == NULL)
		return NULL;
	snprintf(k, sizeof(k), "%s.%s", key, channel);
	if ((v = hark_config_get(d->rs, k)) != NULL)
		return v;
	snprintf(k, sizeof(k), "%s_%s", key, channel);
	for (char *c = k; *c; c++)
		if (*c == '-')
			*c = '_';
	return hark_config_get(d->rs, k);
}

/* The language of the draft: the record's, sentiment's, detected, else
 * the default; then the default when no template speaks it. */
static const char *
draft_lang(struct draft *d, json_t *rec, const char *text, size_t tlen)
{
	const char *tags[2];
	enum hark_lang l = HARK_LANG_UNKNOWN;
	const char *code;
	size_t i;

	tags[0] = hark_json_path_str(rec, "lang");
	tags[1] = hark_json_path_str(rec, "sentiment.lang");
	for (i = 0; i < 2 && l == HARK_LANG_UNKNOWN; i++)
		if (tags[i])
			l = hark_lang_from_code(tags[i], strlen(tags[i]));
	if (l == HARK_LANG_UNKNOWN && text)
		l = hark_lang_detect(text, tlen, NULL);
	code = l == HARK_LANG_UNKNOWN ? d->lang : hark_lang_code(l);
	/* Slovak readers read Czech: closer than the default language */
	if (l == HARK_LANG_SK && !hark_reply_has_lang(&d->set, code) &&
	    hark_reply_has_lang(&d->set, "cs"))
		code = "cs";
	return hark_reply_has_lang(&d->set, code) ? code : d->lang;
}

/* The first FAQ entry that answers REC in LANG; *ANSWER, *LINK
 * borrowed. */
static const struct faq *
faq_match(struct draft *d, json_t *rec, const char *lang,
    const char **answer, const char **link)
{
	size_t i;
	char k[40];

	hark_expr_ctx_reset(&d->ctx, rec);
	for (i = 0; i < d->nfaq; i++) {
		const struct faq *f = &d->faq[i];
		struct hark_err e = HARK_ERR_INIT;
		int rc;

		snprintf(k, sizeof(k), "answer.%s", lang);
		*answer = hark_config_get(f->sec, k);
		snprintf(k, sizeof(k), "link.%s", lang);
		*link = hark_config_get(f->sec, k);
		if (*answer == NULL && strcmp(f->lang, lang) == 0) {
			*answer = hark_config_get(f->sec, "answer");
			if (*link == NULL)
				*link = hark_config_get(f->sec, "link");
		}
		if (*link == NULL)
			*link = hark_config_get(f->sec, "link");
		if (*answer == NULL)
			continue;
		d->ctx.regex_failed = 0;
		rc = f->when ? hark_expr_eval_ctx(f->when, &d->ctx, &e) : 1;
		if (d->ctx.regex_failed && !d->faq_warned) {
			hark_warn("%s:%ld: faq '%s': when: %s; taken as no "
			    "match", d->file, d->lineno, f->name,
			    d->ctx.regex_msg);
			d->faq_warned = 1;
		}
		if (rc == 1)
			return f;
	}
	*answer = *link = NULL;
	return NULL;
}

static const void *
find_bytes(const char *h, size_t hn, const char *n, size_t nn)
{
	size_t i;

	if (nn == 0 || nn > hn)
		return NULL;
	for (i = 0; i + nn <= hn; i++)
		if (h[i] == n[0] && memcmp(h + i, n, nn) == 0)
			return h + i;
	return NULL;
}

/*
 * Take every piece of personal data the post contained (matches M in
 * TEXT) out of the draft in OUT, replacing it with "[kind]"; returns a
 * bit per kind removed.
 */
static unsigned
strip_pii(struct hark_buf *out, const char *text,
    const struct hark_pii_match *m, size_t nm)
{
	unsigned removed = 0;
	size_t i;

	for (i = 0; i < nm; i++) {
		const char *v = text + m[i].off, *at;

		while ((at = find_bytes(hark_buf_str(out), out->len, v,
		    m[i].len)) != NULL) {
			struct hark_buf t = HARK_BUF_INIT(out->max);
			size_t off = (size_t)(at - out->ptr);

			hark_buf_add(&t, out->ptr, off);
			hark_buf_addf(&t, "[%s]", hark_pii_name(m[i].kind));
			hark_buf_add(&t, out->ptr + off + m[i].len,
			    out->len - off - m[i].len);
			hark_buf_reset(out);
			hark_buf_add(out, t.ptr, t.len);
			hark_buf_release(&t);
			removed |= 1u << m[i].kind;
		}
	}
	return removed;
}

static json_t *
name_list(unsigned bits, int pii)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < 32; i++)
		if (bits & (1u << i))
			json_array_append_new(a, json_string(pii ?
			    hark_pii_name((enum hark_pii_kind)i) :
			    hark_reply_var_name((enum hark_reply_var)i)));
	return a;
}

static int
on_record(void *vctx, struct hark_filter_rec *r, struct hark_err *err)
{
	struct draft *d = vctx;
	json_t *rec = r->rec, *jtext = json_object_get(rec, "text");
	json_t *route = json_object_get(rec, "route"), *reply, *jb;
	const char *text = NULL, *category, *channel, *lang, *agent;
	const char *vals[HARK_RV_COUNT] = { NULL };
	const struct hark_pii_match *m = NULL;
	const struct hark_reply_tpl *tpl;
	const struct hark_reply_limit *lim;
	const struct faq *faq = NULL;
	struct hark_reply_want w;
	size_t tlen = 0, nm = 0, i;
	unsigned fill = 0, withheld = 0, stripped = 0;
	const char *why_public = NULL;
	long limit = 0, length;
	int priv, shortened = 0, over = 0;

	d->file = r->file;
	d->lineno = r->lineno;
	if (jtext != NULL && !json_is_string(jtext) && !json_is_null(jtext))
		return hark_err_set(err, HARK_EXIT_DATA, "\"text\" is not a "
		    "string"), HARK_REC_REJECT;
	if (route != NULL && !json_is_object(route) && !json_is_null(route))
		return hark_err_set(err, HARK_EXIT_DATA, "\"route\" is not an "
		    "object"), HARK_REC_REJECT;
	jb = hark_json_path(rec, "author.is_brand");
	if (json_is_true(jb)) {	/* the brand's own post: nothing to answer */
		json_object_set_new(r->add, "reply", json_null());
		return HARK_REC_EMIT;
	}
	if (json_is_string(jtext)) {
		text = json_string_value(jtext);
		tlen = json_string_length(jtext);
		nm = hark_pii_scan_text(&d->pii, text, tlen, &m, NULL);
	}
	category = hark_json_path_str(rec, "route.category");
	if (category == NULL)
		category = "other";
	priv = json_is_true(hark_json_path(rec, "route.private"));
	channel = hark_json_path_str(rec, "source");
	lang = draft_lang(d, rec, text, tlen);
	lim = hark_reply_limit_of(channel);

	memset(&w, 0, sizeof(w));
	w.category = category;
	w.lang = lang;
	w.channel = channel;
	w.priv = priv;
	w.visibility = d->private_replies && priv && lim &&
	    lim->private_limit > 0;
	if (strcmp(category, "question") == 0 && d->nfaq > 0 &&
	    (faq = faq_match(d, rec, lang, &vals[HARK_RV_ANSWER],
	    &vals[HARK_RV_LINK])) != NULL)
		w.have_answer = 1;
	tpl = hark_reply_choose(&d->set, &w);
	if (tpl == NULL && w.visibility) {
		/* no private-message template: invite publicly instead */
		w.visibility = 0;
		tpl = hark_reply_choose(&d->set, &w);
		why_public = "no private-message template for this category "
		    "and language";
	} else if (priv && !w.visibility) {
		if (lim == NULL || lim->private_limit <= 0)
			why_public = "this channel has no private messages "
			    "reply-send can send";
		else if (!d->private_replies)
			why_public = "private drafts not asked for "
			    "(--private-replies)";
	}

	/* the values */
	hark_buf_reset(&d->name);
	hark_buf_reset(&d->voc);
	if (hark_reply_first_name(hark_json_path_str(rec, "author.name"),
	    &d->name) == 0) {
		vals[HARK_RV_FIRST_NAME] = hark_buf_str(&d->name);
		if (hark_reply_vocative(vals[HARK_RV_FIRST_NAME], lang,
		    &d->voc) == 0)
			vals[HARK_RV_FIRST_NAME_VOC] = hark_buf_str(&d->voc);
	}
	hark_buf_reset(&d->order);
	for (i = 0; i < nm; i++)
		if (m[i].kind == HARK_PII_ORDER) {
			hark_buf_add(&d->order, text + m[i].off, m[i].len);
			vals[HARK_RV_ORDER] = hark_buf_str(&d->order);
			break;
		}
	hark_buf_reset(&d->sig);
	agent = hark_json_path_str(rec, "route.agent");
	if (agent == NULL || *agent == '\0')
		agent = d->signature;
	if (agent && *agent) {
		hark_buf_addf(&d->sig, "^%s", agent);
		vals[HARK_RV_SIGNATURE] = hark_buf_str(&d->sig);
	}
	vals[HARK_RV_DM_LINK] = per_channel(d, "dm-link", channel);
	if (vals[HARK_RV_DM_LINK] == NULL)
		vals[HARK_RV_DM_LINK] = per_channel(d, "dm_link", channel);
	hark_buf_reset(&d->due);
	{
		const char *due = hark_json_path_str(rec,
		    "route.sla.resolution_due");
		hark_time_t t;

		if (due == NULL)
			due = hark_json_path_str(rec,
			    "route.sla.next_response_due");
		if (due && hark_time_parse_any(due, &t, NULL) == 0 &&
		    hark_reply_due_words(d->now, t, lang, &d->due) == 0)
			vals[HARK_RV_DUE] = hark_buf_str(&d->due);
	}
	/* a public reply never repeats what made the route go private */
	if (!w.visibility && priv)
		withheld |= 1u << HARK_RV_ORDER;

	reply = json_object();
	hark_buf_reset(&d->text);
	if (tpl != NULL) {
		if (hark_reply_render(tpl->text, vals, withheld, &d->text,
		    &fill) < 0) {
			json_decref(reply);
			return hark_err_set(err, HARK_EXIT_DATA, "the draft "
			    "is too long"), HARK_REC_REJECT;
		}
		if (!w.visibility) {
			const struct hark_pii_match *k = m;
			size_t nk = nm, j, n = 0;
			struct hark_pii_match keep[64];

			/* private route: all of it; otherwise everything
			 * but the order number */
			for (j = 0; j < nk && n < HARK_ARRAY_SIZE(keep); j++)
				if (priv || k[j].kind != HARK_PII_ORDER)
					keep[n++] = k[j];
			stripped = strip_pii(&d->text, text, keep, n);
		}
		if (lim != NULL) {
			const char *lv = per_channel(d, "limit", channel);

			limit = w.visibility ? lim->private_limit : lim->limit;
			if (lv && !w.visibility)
				hark_config_long(lv, 1, 1000000, &limit, NULL);
			switch (hark_reply_fit(&d->text, limit, lim)) {
			case 1:
				shortened = 1;
				break;
			case -1:
				over = 1;
				break;
			}
		}
		length = hark_reply_length(hark_buf_str(&d->text), d->text.len,
		    lim);
		json_object_set_new(reply, "text", json_stringn(
		    hark_buf_str(&d->text), d->text.len));
	} else {
		length = 0;
		json_object_set_new(reply, "text", json_null());
	}
	json_object_set_new(reply, "visibility", json_string(w.visibility ?
	    "private" : "public"));
	json_object_set_new(reply, "template", tpl ? json_string(tpl->name) :
	    json_null());
	json_object_set_new(reply, "lang", json_string(lang));
	json_object_set_new(reply, "channel", channel ? json_string(channel) :
	    json_null());
	if (tpl == NULL) {
		json_t *a = json_array();

		json_array_append_new(a, json_string("text"));
		json_object_set_new(reply, "fill", a);
	} else
		json_object_set_new(reply, "fill", name_list(fill, 0));
	{
		json_t *wh = name_list(stripped, 1);

		if (withheld & (1u << HARK_RV_ORDER) && tpl && (tpl->uses &
		    (1u << HARK_RV_ORDER)) && !(stripped & (1u <<
		    HARK_PII_ORDER)))
			json_array_append_new(wh, json_string("order"));
		json_object_set_new(reply, "withheld", wh);
	}
	json_object_set_new(reply, "faq", faq ? json_string(faq->name) :
	    json_null());
	json_object_set_new(reply, "length", json_integer(length));
	json_object_set_new(reply, "limit", limit > 0 ? json_integer(limit) :
	    json_null());
	json_object_set_new(reply, "shortened", json_boolean(shortened));
	json_object_set_new(reply, "over_limit", json_boolean(over));
	/* the route asked for a private reply and the draft is public: why */
	json_object_set_new(reply, "why_public", why_public ?
	    json_string(why_public) : json_null());
	json_object_set_new(reply, "approved", json_false());
	json_object_set_new(r->add, "reply", reply);
	return HARK_REC_EMIT;
}

static void
want_field(void *arg, const char *name)
{
	if (strcmp(name, "reply") != 0)
		hark_lazy_want(arg, name);
}

/* The [faq] sections of CFG (named FILE) appended to D. */
static int
add_faq(struct draft *d, const struct hark_config *cfg, const char *file)
{
	size_t i, j;

	for (i = 0; i < cfg->nsections; i++) {
		const struct hark_config_section *s = &cfg->sections[i];
		struct faq f;
		struct hark_err err = HARK_ERR_INIT;

		if (strcmp(s->type, "faq") != 0)
			continue;
		memset(&f, 0, sizeof(f));
		if (s->name == NULL || *s->name == '\0') {
			hark_err_setl(&err, HARK_EXIT_USAGE, s->line, 0,
			    "[faq] needs a name: [faq \"name\"]");
			return config_fail(file, &err);
		}
		for (j = 0; j < s->nentries; j++) {
			const struct hark_config_entry *e = &s->entries[j];
			const char *k = e->key;

			if (strcmp(k, "when") == 0) {
				long line, col;

				hark_expr_free(f.when);
				f.when = hark_expr_parse_in(d->eset, e->value,
				    &err);
				if (f.when == NULL) {
					hark_config_position(e, err.line,
					    err.column, &line, &col);
					err.line = line;
					err.column = col;
					free(f.lang);
					return config_fail(file, &err);
				}
			} else if (strcmp(k, "lang") == 0) {
				free(f.lang);
				f.lang = hark_xstrdup(e->value);
			} else if (strcmp(k, "answer") != 0 && strcmp(k,
			    "link") != 0 && strncmp(k, "answer.", 7) != 0 &&
			    strncmp(k, "link.", 5) != 0) {
				hark_err_setl(&err, HARK_EXIT_USAGE, e->line,
				    e->key_column, "faq '%s': unknown key "
				    "'%.100s'", s->name, k);
				hark_expr_free(f.when);
				free(f.lang);
				return config_fail(file, &err);
			}
		}
		f.name = hark_xstrdup(s->name);
		f.file = hark_xstrdup(file);
		f.line = s->line;
		f.sec = s;
		if (f.lang == NULL)
			f.lang = hark_xstrdup(d->lang);
		d->faq = hark_xrealloc(d->faq, (d->nfaq + 1) * sizeof(*d->faq));
		d->faq[d->nfaq++] = f;
		if (f.when)
			hark_expr_foreach_field(f.when, want_field, &d->lazy);
	}
	return 0;
}

static int
load_builtin(struct draft *d)
{
	size_t i;
	int status = 0;

	for (i = 0; i < HARK_ARRAY_SIZE(builtin_files) && !status; i++) {
		struct hark_config bc = HARK_CONFIG_INIT;
		struct hark_err err = HARK_ERR_INIT;
		char *name = hark_xasprintf("(built-in) %s", builtin_files[i]);
		size_t len;
		const char *text = hark_embed_get(builtin_files[i], &len);

		if (text == NULL) {
			hark_err_set(&err, HARK_EXIT_FAILURE, "not embedded");
			status = config_fail(name, &err);
		} else if (hark_config_parse(&bc, name, text, len, &err) < 0 ||
		    hark_reply_set_add_config(&d->set, &bc, name, &err) < 0)
			status = config_fail(name, &err);
		hark_config_release(&bc);
		free(name);
	}
	return status;
}

static const char *const reply_keys[] = { "builtin_templates", "faq",
    "lang", "private_replies", "signature", "templates" };

static int
check_reply_keys(struct draft *d)
{
	size_t i, j;

	for (i = 0; d->rs && i < d->rs->nentries; i++) {
		const struct hark_config_entry *e = &d->rs->entries[i];
		char k[64];

		snprintf(k, sizeof(k), "%s", e->key);
		for (j = 0; k[j]; j++)
			if (k[j] == '-')
				k[j] = '_';
		if (strncmp(k, "dm_link.", 8) == 0 || strncmp(k, "dm_link_",
		    8) == 0)
			continue;
		if (strncmp(k, "limit.", 6) == 0 || strncmp(k, "limit_",
		    6) == 0) {
			long v;
			struct hark_err err = HARK_ERR_INIT;

			if (hark_config_long(e->value, 1, 1000000, &v,
			    &err) < 0) {
				err.line = e->line;
				err.column = e->column;
				return config_fail(d->cfg.path, &err);
			}
			continue;
		}
		for (j = 0; j < HARK_ARRAY_SIZE(reply_keys); j++)
			if (strcmp(k, reply_keys[j]) == 0)
				break;
		if (j == HARK_ARRAY_SIZE(reply_keys)) {
			struct hark_err err = HARK_ERR_INIT;

			hark_err_setl(&err, HARK_EXIT_USAGE, e->line,
			    e->key_column, "[reply]: unknown key '%.100s'",
			    e->key);
			return config_fail(d->cfg.path, &err);
		}
	}
	return 0;
}

/* [reply] KEY, spelled with '_' or '-'. */
static const char *
reply_get(const struct draft *d, const char *key)
{
	char alt[64];
	const char *v;
	size_t i;

	if ((v = hark_config_get(d->rs, key)) != NULL)
		return v;
	snprintf(alt, sizeof(alt), "%s", key);
	for (i = 0; alt[i]; i++)
		if (alt[i] == '_')
			alt[i] = '-';
	return hark_config_get(d->rs, alt);
}

static int
load_faq_file(struct draft *d, const char *path)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_config *c;

	d->cfgs = hark_xrealloc(d->cfgs, (d->ncfgs + 1) * sizeof(*d->cfgs));
	c = d->cfgs[d->ncfgs++] = hark_xmalloc(sizeof(*c));
	hark_config_init(c);
	if (hark_config_load(c, path, &err) < 0)
		return config_fail(path, &err);
	return add_faq(d, c, path);
}

static int
setup(struct draft *d, const struct hark_common *c, int builtin,
    const char **tdirs, size_t ntdirs, const char **faqs, size_t nfaqs)
{
	struct hark_err err = HARK_ERR_INIT;
	const char *v;
	size_t i;
	int status;

	if ((status = hark_common_config(c, &d->cfg)) != 0)
		return status;
	d->rs = hark_config_find(&d->cfg, "reply", NULL);
	if ((status = check_reply_keys(d)) != 0)
		return status;
	if ((v = reply_get(d, "builtin_templates")) != NULL) {
		int b;

		if (hark_config_bool(v, &b, &err) < 0)
			return config_fail(d->cfg.path, &err);
		if (!b)
			builtin = 0;
	}
	if ((v = reply_get(d, "private_replies")) != NULL) {
		int b;

		if (hark_config_bool(v, &b, &err) < 0)
			return config_fail(d->cfg.path, &err);
		if (b)
			d->private_replies = 1;
	}
	if (d->signature == NULL)
		d->signature = reply_get(d, "signature");
	if (d->lang == NULL)
		d->lang = reply_get(d, "lang");
	if (d->lang == NULL)
		d->lang = "en";
	if (hark_pii_init(&d->pii, NULL, &err) < 0)
		return config_fail("(built-in) order pattern", &err);
	{	/* ticket-route's own order pattern, so both see the same */
		const struct hark_config_section *rt = hark_config_find(
		    &d->cfg, "route", NULL);
		const char *op = hark_config_get(rt, "order_pattern");

		if (op == NULL)
			op = hark_config_get(rt, "order-pattern");
		if (op != NULL) {
			hark_pii_release(&d->pii);
			if (hark_pii_init(&d->pii, op, &err) < 0)
				return config_fail(d->cfg.path, &err);
		}
	}
	if (builtin && (status = load_builtin(d)) != 0)
		return status;
	if ((v = reply_get(d, "templates")) != NULL &&
	    hark_reply_set_add_dir(&d->set, v, &err) < 0)
		return config_fail(d->cfg.path ? d->cfg.path : v, &err);
	if (hark_reply_set_add_config(&d->set, &d->cfg, d->cfg.path,
	    &err) < 0)
		return config_fail(d->cfg.path, &err);
	for (i = 0; i < ntdirs; i++)
		if (hark_reply_set_add_dir(&d->set, tdirs[i], &err) < 0)
			return config_fail(tdirs[i], &err);
	if ((status = add_faq(d, &d->cfg, d->cfg.path)) != 0)
		return status;
	if ((v = reply_get(d, "faq")) != NULL &&
	    (status = load_faq_file(d, v)) != 0)
		return status;
	for (i = 0; i < nfaqs; i++)
		if ((status = load_faq_file(d, faqs[i])) != 0)
			return status;
	if (hark_now(&d->now, &err) < 0)
		return config_fail("HARK_NOW", &err);
	{
		static const char *const own[] = { "text", "author", "source",
		    "lang", "route", "sentiment" };

		for (i = 0; i < HARK_ARRAY_SIZE(own); i++)
			hark_lazy_want(&d->lazy, own[i]);
	}
	return 0;
}

static int
print_templates(void)
{
	size_t i;

	for (i = 0; i < HARK_ARRAY_SIZE(builtin_files); i++) {
		size_t len;
		const char *text = hark_embed_get(builtin_files[i], &len);

		if (text == NULL)
			hark_die(HARK_EXIT_FAILURE, "no built-in templates");
		if (fwrite(text, 1, len, stdout) != len)
			hark_die(HARK_EXIT_FAILURE, "write error: %s",
			    strerror(errno));
	}
	if (fflush(stdout) != 0)
		hark_die(HARK_EXIT_FAILURE, "write error: %s", strerror(errno));
	return 0;
}

int
main(int argc, char **argv)
{
	struct hark_common c;
	struct draft d;
	const char **tdirs = NULL, **faqs = NULL;
	size_t ntdirs = 0, nfaqs = 0, i;
	int opt, builtin = 1, status;

	hark_init(&c, "reply-draft", synopsis, help);
	memset(&d, 0, sizeof(d));
	opterr = 0;
	while ((opt = getopt_long(argc, argv, HARK_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (opt) {
		case OPT_FAQ:
			faqs = hark_xrealloc(faqs, (nfaqs + 1) * sizeof(*faqs));
			faqs[nfaqs++] = optarg;
			break;
		case OPT_LANG: {
			enum hark_lang l = hark_lang_from_code(optarg,
			    strlen(optarg));

			if (l == HARK_LANG_UNKNOWN)
				hark_usage_error(&c, "--lang: unknown language "
				    "'%s'", optarg);
			d.lang = hark_lang_code(l);
			break;
		}
		case OPT_NO_BUILTIN:
			builtin = 0;
			break;
		case OPT_PRINT_TEMPLATES:
			free(tdirs);
			free(faqs);
			return print_templates();
		case OPT_PRIVATE_REPLIES:
			d.private_replies = 1;
			break;
		case OPT_SIGNATURE:
			d.signature = optarg;
			break;
		case OPT_TEMPLATES:
			tdirs = hark_xrealloc(tdirs, (ntdirs + 1) *
			    sizeof(*tdirs));
			tdirs[ntdirs++] = optarg;
			break;
		case '?':
		case ':':
			hark_bad_option(&c, opt, argv);
		default:
			if (!hark_common_option(&c, opt, optarg))
				hark_bad_option(&c, opt, argv);
		}
	}
	argc -= optind;
	argv += optind;

	hark_reply_set_init(&d.set);
	hark_config_init(&d.cfg);
	d.eset = hark_expr_set_new();
	hark_expr_ctx_init(&d.ctx);
	d.ctx.lenient_regex = 1;
	hark_buf_init(&d.text, HARK_LINE_MAX_DEFAULT);
	hark_buf_init(&d.name, 256);
	hark_buf_init(&d.voc, 256);
	hark_buf_init(&d.sig, 1024);
	hark_buf_init(&d.due, 256);
	hark_buf_init(&d.order, 1024);
	status = setup(&d, &c, builtin, tdirs, ntdirs, faqs, nfaqs);
	if (status == 0) {
		struct hark_filter_ops ops = { on_record, NULL, 0, 0,
		    &d.lazy };

		status = hark_filter_run(&c, argc, argv, &ops, &d, NULL);
	}
	for (i = 0; i < d.nfaq; i++) {
		hark_expr_free(d.faq[i].when);
		free(d.faq[i].name);
		free(d.faq[i].file);
		free(d.faq[i].lang);
	}
	free(d.faq);
	for (i = 0; i < d.ncfgs; i++) {
		hark_config_release(d.cfgs[i]);
		free(d.cfgs[i]);
	}
	free(d.cfgs);
	hark_expr_set_free(d.eset);
	hark_expr_ctx_release(&d.ctx);
	hark_reply_set_release(&d.set);
	hark_pii_release(&d.pii);
	hark_config_release(&d.cfg);
	hark_lazy_release(&d.lazy);
	hark_buf_release(&d.text);
	hark_buf_release(&d.name);
	hark_buf_release(&d.voc);
	hark_buf_release(&d.sig);
	hark_buf_release(&d.due);
	hark_buf_release(&d.order);
	free(tdirs);
	free(faqs);
	return status;
}
