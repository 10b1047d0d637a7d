/*
 * heureka.c - Heureka.cz (and .sk) shop reviews from the shop's review
 * export ("Ověřeno zákazníky"): one XML document with every review of
 * the shop,
 *
 *   GET {base}/direct/dotaznik/export-review.php?key=KEY
 *   <reviews><review><rating_id/><name/><unix_timestamp/><total_rating/>
 *     <delivery_time/><transport_quality/><web_usability/><communication/>
 *     <pros/><cons/><summary/><reaction/><order_id/></review>...</reviews>
 *
 * One "review" record per review and one brand "comment" per shop
 * reaction.  The export has no pages and no time for the reaction: a
 * reaction record is dated when it is first fetched (deduplication keeps
 * it to that one time).
 */
#include <limits.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <jansson.h>

#include "hark.h"
#include "err.h"
#include "html.h"
#include "mention.h"
#include "source.h"
#include "source/xml.h"

#define HK_BASE	"https://www.heureka.cz"
#define HK_PATH	"/direct/dotaznik/export-review.php"

static xmlNode *
child(const xmlNode *n, const char *name)
{
	for (xmlNode *c = n != NULL ? n->children : NULL; c != NULL;
	    c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

/* The trimmed text of N's child NAME (new string), or NULL when absent
 * or blank. */
static char *
text(const xmlNode *n, const char *name)
{
	return mf_xml_text(child(n, name));
}

/* "4.5" (half stars from 0.5 to 5) to whole stars 1-5, halves up; 0
 * when absent or not a rating. */
static int
stars(const char *s)
{
	int whole = 0, half = 0;

	if (s == NULL || *s < '0' || *s > '5')
		return 0;
	whole = *s++ - '0';
	if (*s == '.' || *s == ',') {
		s++;
		if (*s >= '5' && *s <= '9')
			half = 1;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s != '\0')
		return 0;
	whole += half;
	return whole < 1 ? 1 : whole > 5 ? 5 : whole;
}

/* The reviews of heureka.cz are Czech, those of heureka.sk Slovak: the
 * language from the host the export came from, else unknown. */
static const char *
lang_of(const struct mf_map_ctx *ctx)
{
	char *host = mf_url_host(ctx->request_url != NULL ? ctx->request_url :
	    ctx->base_url);
	const char *lang = NULL;
	size_t n = host != NULL ? strlen(host) : 0;

	if (n > 3 && strcmp(host + n - 3, ".cz") == 0)
		lang = "cs";
	else if (n > 3 && strcmp(host + n - 3, ".sk") == 0)
		lang = "sk";
	free(host);
	return lang;
}

static void
map_review(xmlNode *rv, const struct mf_map_ctx *ctx, struct mf_page *page)
{
	char *id = text(rv, "rating_id"), *ts = text(rv, "unix_timestamp");
	char *name = text(rv, "name"), *summary = text(rv, "summary");
	char *pros = text(rv, "pros"), *cons = text(rv, "cons");
	char *total = text(rv, "total_rating"), *reaction = text(rv,
	    "reaction");
	struct hark_buf b = HARK_BUF_INIT(1u << 24);
	json_t *rec;
	char *rid;
	int n;

	if (id == NULL) {
		mf_page_warn(page, "Heureka review without 'rating_id' "
		    "skipped");
		goto out;
	}
	rec = mf_record_new(ctx, "heureka");
	hark_mention_set_id(rec, id);
	hark_mention_set_str(rec, "kind", "review");
	mf_set_time(rec, "created_at", ts, page, "Heureka unix_timestamp");
	hark_mention_set_str(rec, "author.name", name);
	/* the summary, then what was good, then what was not */
	if (summary != NULL)
		hark_buf_addstr(&b, summary);
	if (pros != NULL)
		hark_buf_addf(&b, "%s%s", b.len ? "\n" : "", pros);
	if (cons != NULL)
		hark_buf_addf(&b, "%s%s", b.len ? "\n" : "", cons);
	hark_mention_set_text(rec, b.ptr != NULL ? b.ptr : "", b.len, 0);
	hark_mention_set_lang(rec, lang_of(ctx));
	if ((n = stars(total)) > 0)
		hark_mention_set_int(rec, "rating", n);
	if (ctx->raw)
		hark_mention_set_raw(rec, mf_xml_raw(rv));
	mf_page_add(page, ctx, rec);

	if (reaction == NULL)
		goto out;
	rec = mf_record_new(ctx, "heureka");
	rid = hark_xasprintf("%s#reply", id);
	hark_mention_set_id(rec, rid);
	free(rid);
	hark_mention_set_str(rec, "kind", "comment");
	hark_mention_set_time(rec, "created_at", ctx->fetched_at);
	hark_mention_set(rec, "author.is_brand", json_true());
	hark_mention_set_text(rec, reaction, strlen(reaction), 0);
	hark_mention_set_lang(rec, lang_of(ctx));
	hark_mention_set(rec, "thread.root_id", mf_id("heureka", id));
	hark_mention_set(rec, "thread.parent_id", mf_id("heureka", id));
	mf_page_add(page, ctx, rec);
out:
	hark_buf_release(&b);
	free(id);
	free(ts);
	free(name);
	free(summary);
	free(pros);
	free(cons);
	free(total);
	free(reaction);
}

static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static int
mf_map_heureka(const char *body, size_t len, const struct mf_map_ctx *ctx,
    struct mf_page *page, struct hark_err *err)
{
	xmlParserCtxt *pc;
	xmlDoc *doc;
	xmlNode *root, *rv;
	int rc = 0;

	if (len > INT_MAX)
		return mf_malformed(err, "Heureka export too large");
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if ((pc = xmlNewParserCtxt()) == NULL)
		hark_die(HARK_EXIT_FAILURE, "out of memory");
	doc = xmlCtxtReadMemory(pc, body, (int)len, ctx->request_url, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
	if (doc == NULL || !pc->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(pc);

		rc = mf_malformed(err, "malformed Heureka review export: "
		    "line %d: not well-formed XML", e != NULL ? e->line : 0);
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || strcmp((const char *)root->name, "reviews") != 0) {
		char clean[64];
		const char *nm = root != NULL ? (const char *)root->name : "";

		rc = mf_malformed(err, "not a Heureka review export (root "
		    "element <%s>): check the export key", hark_sanitize(clean,
		    sizeof(clean), nm, strlen(nm)));
		goto out;
	}
	for (rv = root->children; rv != NULL; rv = rv->next)
		if (rv->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)rv->name, "review") == 0)
			map_review(rv, ctx, page);
out:
	if (doc != NULL)
		xmlFreeDoc(doc);
	xmlFreeParserCtxt(pc);
	return rc;
}

/* --- the request side ------------------------------------------------ */

static int
hk_setup(struct mf_source *s, struct hark_err *err)
{
	mf_default_base(s, HK_BASE);
	return mf_need_token(s, "the Heureka review export key", err);
}

static void
hk_start(struct mf_source *s)
{
	struct hark_buf b = HARK_BUF_INIT(MF_URL_MAX);
	char *u = mf_url_join(s, HK_PATH);

	hark_buf_addstr(&b, u);
	free(u);
	mf_param(&b, "key", s->token);
	u = hark_buf_detach(&b, NULL);
	mf_stream_start(s, "reviews", u, MF_K_PAGE, NULL);
	memset(u, 0, strlen(u));
	free(u);
}

static int
hk_http_error(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r)
{
	(void)c;
	if (r->status == 401 || r->status == 403 || r->status == 404)
		hark_warn("source '%s': Heureka refused the review export "
		    "(HTTP %ld): check the key in %s", s->name, (long)r->status,
		    mf_secret_var(s, "TOKEN"));
	return 0;
}

static void
hk_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	(void)r;
	mf_next_page(s, c, NULL, pg);	/* one document */
}

/* --- the driver ------------------------------------------------------ */


const struct mf_driver mf_driver_heureka = {
	.type = "heureka", .map = mf_map_heureka,
	.setup = hk_setup, .start = hk_start,
	.http_error = hk_http_error, .special = mf_no_special,
	.after_page = hk_after,
	.query_style = HARK_QUERY_TERMS,
};
