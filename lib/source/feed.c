/*
 * feed.c - RSS 2.0, RSS 1.0 (RDF), Atom and Google Alerts feeds to
 * mention records.  libxml2 does the XML: charsets declared in the prolog
 * (ISO-8859-2, windows-1250...) or in the HTTP Content-Type are converted
 * to UTF-8, CDATA is merged into text, namespaces are resolved; no
 * network access and no external entities.
 */
#include <strings.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "hark.h"
#include "buf.h"
#include "err.h"
#include "html.h"
#include "htime.h"
#include "mention.h"
#include "source.h"
#include "source/xml.h"

#define NS_ATOM		"http://www.w3.org/2005/Atom"
#define NS_RSS1		"http://purl.org/rss/1.0/"
#define NS_DC		"http://purl.org/dc/elements/1.1/"
#define NS_CONTENT	"http://purl.org/rss/1.0/modules/content/"
#define NS_SLASH	"http://purl.org/rss/1.0/modules/slash/"
#define NS_THR		"http://purl.org/syndication/thread/1.0"
#define NS_RDF		"http://www.w3.org/1999/02/22-rdf-syntax-ns#"

/* Everything an item inherits from its channel/feed. */
struct feed {
	const struct mf_map_ctx *ctx;
	struct mf_page *page;
	const char *source;	/* "rss", "atom", "google_alerts" */
	const char *feed_url;	/* for "rss:<feed url>#<guid>" ids */
	const char *item_ns;	/* namespace of item elements (NULL: none) */
	char *title;		/* channel title (text), or NULL */
	char *link;		/* channel link, or NULL */
	char *lang;		/* channel language, or NULL */
	char *alert_query;	/* Google Alerts: the alert's query */
	xmlNode *feed_author;	/* Atom feed-level <author>, or NULL */
};

static int
is_el(const xmlNode *n, const char *ns, const char *name)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE ||
	    strcmp((const char *)n->name, name) != 0)
		return 0;
	if (ns == NULL)
		return n->ns == NULL || n->ns->href == NULL;
	return n->ns != NULL && n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, ns) == 0;
}

static xmlNode *
child(const xmlNode *n, const char *ns, const char *name)
{
	for (xmlNode *c = n != NULL ? n->children : NULL; c != NULL;
	    c = c->next)
		if (is_el(c, ns, name))
			return c;
	return NULL;
}

static char *
child_text(const xmlNode *n, const char *ns, const char *name)
{
	return mf_xml_text(child(n, ns, name));
}

static char *
attr(const xmlNode *n, const char *name)
{
	xmlChar *x;
	char *r = NULL;

	if (n == NULL || (x = xmlGetProp(n, (const xmlChar *)name)) == NULL)
		return NULL;
	if (*x != '\0')
		r = hark_xstrdup((const char *)x);
	xmlFree(x);
	return r;
}

/* HTML S to collapsed plain text, new string (NULL when S is NULL). */
static char *
html_text(const char *s)
{
	struct hark_buf b;

	if (s == NULL)
		return NULL;
	hark_buf_init(&b, 3 * strlen(s) + 8);
	hark_html_to_text(s, strlen(s), &b);
	return hark_buf_detach(&b, NULL);
}

/* Plain text S collapsed, new string (NULL when S is NULL). */
static char *
plain_text(const char *s)
{
	struct hark_buf b;

	if (s == NULL)
		return NULL;
	hark_buf_init(&b, 3 * strlen(s) + 8);
	hark_html_collapse(s, strlen(s), &b);
	return hark_buf_detach(&b, NULL);
}

/* Serialize the children of N (Atom type="xhtml": the inner <div>'s
 * content) as markup, new string. */
static char *
inner_xml(xmlNode *n)
{
	xmlBuffer *xb = xmlBufferCreate();
	xmlNode *c, *div = child(n, "http://www.w3.org/1999/xhtml", "div");
	char *r;

	if (xb == NULL)
		hark_die(HARK_EXIT_FAILURE, "out of memory");
	for (c = (div != NULL ? div : n)->children; c != NULL; c = c->next)
		xmlNodeDump(xb, n->doc, c, 0, 0);
	r = hark_xstrdup((const char *)xmlBufferContent(xb));
	xmlBufferFree(xb);
	return r;
}

static int
is_url(const char *s)
{
	return s != NULL && (strncmp(s, "http://", 7) == 0 ||
	    strncmp(s, "https://", 8) == 0);
}

/* Google's redirector https://www.google.com/url?...&url=<target>&... */
static char *
unwrap_google(const char *href)
{
	char *host, *target = NULL;
	const char *path;

	if (!is_url(href) || (host = mf_url_host(href)) == NULL)
		return NULL;
	path = strstr(href, "://") + 3;
	path += strcspn(path, "/?#");
	if ((strcmp(host, "www.google.com") == 0 ||
	    strcmp(host, "google.com") == 0) && strncmp(path, "/url?", 5) == 0) {
		target = mf_url_param(href, "url");
		if (target == NULL)
			target = mf_url_param(href, "q");
		if (target != NULL && !is_url(target)) {
			free(target);
			target = NULL;
		}
	}
	free(host);
	return target;
}

/* "rss:<feed url>#<guid>", or "rss:<guid>" when the guid is a URL that
 * is the item's permalink; returned as the native id part. */
static char *
rss_native_id(const struct feed *f, const char *guid, int permalink)
{
	if (permalink && is_url(guid))
		return hark_xstrdup(guid);
	return hark_xasprintf("%s#%s", f->feed_url != NULL ? f->feed_url : "",
	    guid);
}

/* A stable id for an item with neither guid nor link: FNV-1a of the
 * title and date. */
static char *
hash_id(const char *title, const char *date)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *parts[2] = { title, date };

	for (int i = 0; i < 2; i++)
		for (const char *p = parts[i] != NULL ? parts[i] : ""; *p; p++) {
			h ^= (unsigned char)*p;
			h *= 0x100000001b3ULL;
		}
	return hark_xasprintf("hash:%016llx", (unsigned long long)h);
}

/* Brand check on what a feed knows about an author: name, uri, e-mail. */
static void
feed_brand(json_t *rec, const struct mf_map_ctx *ctx, const char *name,
    const char *uri, const char *email)
{
	if (hark_mention_brand_match(ctx->brands, ctx->nbrands, name, uri) ||
	    hark_mention_brand_match(ctx->brands, ctx->nbrands, email, NULL))
		hark_mention_set(rec, "author.is_brand", json_true());
}

static void
set_context(json_t *rec, const struct feed *f)
{
	hark_mention_set_str(rec, "context.community", f->title);
	hark_mention_set_str(rec, "context.url", f->link);
	if (f->alert_query != NULL)
		hark_mention_set_str(rec, "context.title", f->alert_query);
}

static void
set_comments(json_t *rec, xmlNode *item)
{
	char *s = child_text(item, NS_SLASH, "comments");
	char *end;
	long v;

	if (s == NULL)
		s = child_text(item, NS_THR, "total");
	if (s != NULL) {
		errno = 0;
		v = strtol(s, &end, 10);
		if (end != s && *end == '\0' && errno == 0 && v >= 0)
			hark_mention_set_int(rec, "metrics.replies", v);
		free(s);
	}
}

static void
map_rss_item(struct feed *f, xmlNode *item)
{
	const struct mf_map_ctx *ctx = f->ctx;
	xmlNode *g = child(item, f->item_ns, "guid"), *reply;
	char *guid = mf_xml_text(g), *pl = attr(g, "isPermaLink");
	char *link = child_text(item, f->item_ns, "link");
	char *title = child_text(item, f->item_ns, "title");
	char *desc = child_text(item, f->item_ns, "description");
	char *content = child_text(item, NS_CONTENT, "encoded");
	char *date = child_text(item, f->item_ns, "pubDate");
	char *creator = child_text(item, NS_DC, "creator");
	char *author = child_text(item, f->item_ns, "author");
	char *lang = child_text(item, NS_DC, "language");
	char *native = NULL, *name = NULL, *email = NULL, *t;
	int permalink = pl == NULL || strcmp(pl, "true") == 0;
	json_t *rec;

	if (f->item_ns != NULL && guid == NULL) {	/* RSS 1.0: rdf:about */
		xmlChar *about = xmlGetNsProp(item, (const xmlChar *)"about",
		    (const xmlChar *)NS_RDF);

		if (about != NULL && *about != '\0')
			guid = hark_xstrdup((const char *)about);
		xmlFree(about);
	}
	if (date == NULL)
		date = child_text(item, NS_DC, "date");
	if (link == NULL && permalink && is_url(guid))
		link = hark_xstrdup(guid);
	if (guid != NULL)
		native = rss_native_id(f, guid, permalink);
	else if (link != NULL)
		native = hark_xstrdup(link);
	else if (title != NULL || desc != NULL) {
		t = hash_id(title != NULL ? title : desc, date);
		native = rss_native_id(f, t, 0);
		free(t);
	}
	if (native == NULL) {
		mf_page_warn(f->page, "feed item without guid, link, title "
		    "or description skipped");
		goto out;
	}
	rec = mf_record_new(ctx, "rss");
	hark_mention_set_id(rec, native);
	if (guid != NULL)
		hark_mention_set_str(rec, "native_id", guid);
	reply = child(item, NS_THR, "in-reply-to");
	hark_mention_set_str(rec, "kind", reply != NULL ? "comment" :
	    "article");
	hark_mention_set_str(rec, "url", link);
	mf_set_time(rec, "created_at", date, f->page, "feed item date");
	/* "mail@host (Name)" or "Name" */
	if (author != NULL) {
		char *lp = strchr(author, '('), *rp = strrchr(author, ')');

		if (lp != NULL && rp != NULL && rp > lp + 1) {
			name = hark_xstrndup(lp + 1, (size_t)(rp - lp - 1));
			email = hark_xstrndup(author, (size_t)(lp - author));
			for (t = email + strlen(email); t > email &&
			    hark_ascii_isspace((unsigned char)t[-1]); t--)
				t[-1] = '\0';
		} else if (strchr(author, '@') != NULL) {
			email = hark_xstrdup(author);
		} else {
			name = hark_xstrdup(author);
		}
	}
	hark_mention_set_str(rec, "author.name", creator != NULL ? creator :
	    name != NULL ? name : email);
	feed_brand(rec, ctx, creator != NULL ? creator : name, NULL, email);
	t = html_text(title);
	hark_mention_set_str(rec, "title", t);
	free(t);
	if (content != NULL || desc != NULL)
		hark_mention_set_html(rec, content != NULL ? content : desc,
		    strlen(content != NULL ? content : desc));
	hark_mention_set_lang(rec, lang != NULL ? lang : f->lang);
	if (reply != NULL) {
		char *ref = attr(reply, "ref");

		if (ref != NULL) {
			t = rss_native_id(f, ref, 1);
			hark_mention_set(rec, "thread.parent_id",
			    mf_id("rss", t));
			free(t);
			free(ref);
		}
	}
	set_context(rec, f);
	set_comments(rec, item);
	if (ctx->raw)
		hark_mention_set_raw(rec, mf_xml_raw(item));
	mf_page_add(f->page, ctx, rec);
out:
	free(guid), free(pl), free(link), free(title), free(desc);
	free(content), free(date), free(creator), free(author), free(lang);
	free(native), free(name), free(email);
}

/* Atom text construct: sets *HTML (markup or NULL) and *TEXT (plain). */
static void
atom_text(xmlNode *n, char **html, char **text)
{
	char *type = attr(n, "type");

	*html = *text = NULL;
	if (n == NULL)
		goto out;
	if (type != NULL && (strcmp(type, "xhtml") == 0)) {
		*html = inner_xml(n);
		*text = html_text(*html);
	} else if (type != NULL && (strcmp(type, "html") == 0 ||
	    strcmp(type, "text/html") == 0)) {
		*html = mf_xml_text(n);
		*text = html_text(*html);
	} else {
		char *t = mf_xml_text(n);

		*text = plain_text(t);
		free(t);
	}
out:
	free(type);
}

static char *
atom_link(xmlNode *entry, const char *want_rel)
{
	char *best = NULL;

	for (xmlNode *c = entry->children; c != NULL; c = c->next) {
		char *rel, *href, *type;
		int match;

		if (!is_el(c, NS_ATOM, "link"))
			continue;
		rel = attr(c, "rel");
		href = attr(c, "href");
		type = attr(c, "type");
		match = rel == NULL ? strcmp(want_rel, "alternate") == 0 :
		    strcmp(rel, want_rel) == 0;
		if (match && href != NULL && (best == NULL || (type != NULL &&
		    strcmp(type, "text/html") == 0))) {
			free(best);
			best = href;
			href = NULL;
		}
		free(rel), free(href), free(type);
	}
	return best;
}

static void
map_atom_entry(struct feed *f, xmlNode *entry)
{
	const struct mf_map_ctx *ctx = f->ctx;
	char *id = child_text(entry, NS_ATOM, "id");
	char *link = atom_link(entry, "alternate");
	char *published = child_text(entry, NS_ATOM, "published");
	char *updated = child_text(entry, NS_ATOM, "updated");
	xmlNode *au = child(entry, NS_ATOM, "author"), *reply;
	char *aname, *auri, *aemail, *html, *text, *thtml, *ttext;
	char *native = NULL, *url = NULL, *t;
	xmlChar *lang;
	json_t *rec;
	int alerts = f->alert_query != NULL ||
	    (id != NULL && strstr(id, "googlealerts/feed:") != NULL);

	if (au == NULL)
		au = f->feed_author;
	aname = child_text(au, NS_ATOM, "name");
	auri = child_text(au, NS_ATOM, "uri");
	aemail = child_text(au, NS_ATOM, "email");
	/* an alert's id after "googlealerts/feed:" (the whole id when
	 * nothing follows it: an empty native id would leave the record
	 * without an id) */
	if (alerts && id != NULL && (t = strstr(id, "googlealerts/feed:")) &&
	    t[strlen("googlealerts/feed:")] != '\0')
		native = hark_xstrdup(t + strlen("googlealerts/feed:"));
	else if (id != NULL)
		native = hark_xstrdup(id);
	else if (link != NULL)
		native = hark_xstrdup(link);
	if (native == NULL) {
		mf_page_warn(f->page, "atom entry without id or link skipped");
		goto out;
	}
	rec = mf_record_new(ctx, alerts ? "google_alerts" : "atom");
	hark_mention_set_id(rec, native);
	reply = child(entry, NS_THR, "in-reply-to");
	hark_mention_set_str(rec, "kind", reply != NULL ? "comment" :
	    "article");
	if (alerts && (url = unwrap_google(link)) != NULL)
		hark_mention_set_str(rec, "url", url);
	else
		hark_mention_set_str(rec, "url", link);
	mf_set_time(rec, "created_at", published != NULL ? published :
	    updated, f->page, "atom entry date");
	if (published != NULL && updated != NULL)
		mf_set_time(rec, "updated_at", updated, f->page,
		    "atom entry updated");
	if (json_equal(mf_get(rec, "updated_at"), mf_get(rec, "created_at")))
		hark_mention_set(rec, "updated_at", NULL);
	if (!alerts) {
		hark_mention_set_str(rec, "author.name", aname);
		hark_mention_set_str(rec, "author.url", auri);
		feed_brand(rec, ctx, aname, auri, aemail);
	}
	atom_text(child(entry, NS_ATOM, "title"), &thtml, &ttext);
	hark_mention_set_str(rec, "title", ttext);
	atom_text(child(entry, NS_ATOM, "content"), &html, &text);
	if (html == NULL && text == NULL)
		atom_text(child(entry, NS_ATOM, "summary"), &html, &text);
	if (html != NULL)
		hark_mention_set_html(rec, html, strlen(html));
	else if (text != NULL)
		hark_mention_set_text(rec, text, strlen(text), 0);
	lang = xmlNodeGetLang(entry);
	hark_mention_set_lang(rec, lang != NULL ? (const char *)lang :
	    f->lang);
	xmlFree(lang);
	if (reply != NULL) {
		char *ref = attr(reply, "ref");

		hark_mention_set(rec, "thread.parent_id",
		    mf_id(alerts ? "google_alerts" : "atom", ref));
		free(ref);
	}
	set_context(rec, f);
	set_comments(rec, entry);
	if (ctx->raw) {
		json_t *raw = mf_xml_raw(entry);

		if (url != NULL)
			json_object_set_new(raw, "link", json_string(link));
		hark_mention_set_raw(rec, raw);
	}
	mf_page_add(f->page, ctx, rec);
	free(thtml), free(ttext), free(html), free(text);
out:
	free(id), free(link), free(published), free(updated), free(aname);
	free(auri), free(aemail), free(native), free(url);
}

/* The charset parameter of a Content-Type, new string, or NULL. */
static char *
ct_charset(const char *ct)
{
	const char *p;
	size_t n;

	if (ct == NULL)
		return NULL;
	for (p = ct; (p = strchr(p, ';')) != NULL; ) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "charset=", 8) == 0) {
			p += 8;
			if (*p == '"')
				p++;
			n = strcspn(p, "\"; \t");
			return n > 0 && n < 40 ? hark_xstrndup(p, n) : NULL;
		}
	}
	return NULL;
}

/* Does the XML declaration name an encoding? */
static int
declares_encoding(const char *body, size_t len)
{
	size_t i = 0, end;

	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
		return 1;	/* a BOM decides */
	if (len < 5 || memcmp(body, "<?xml", 5) != 0)
		return 0;
	for (end = 0; end < len && end < 200 && body[end] != '>'; end++)
		;
	for (i = 0; i + 8 <= end; i++)
		if (memcmp(body + i, "encoding", 8) == 0)
			return 1;
	return 0;
}

/* libxml2 reports some problems (charset conversion) through its
 * global generic handler, which prints to stderr: the mapper never prints. */
static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static xmlDoc *
parse(const char *body, size_t len, const struct mf_map_ctx *ctx,
    int recover, char *why, size_t whysz)
{
	xmlParserCtxt *pc;
	xmlDoc *doc;
	char *cs = NULL;
	int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING;

	if (recover)
		opts |= XML_PARSE_RECOVER;
	if (len > INT_MAX) {
		snprintf(why, whysz, "body too large");
		return NULL;
	}
	if (!declares_encoding(body, len))
		cs = ct_charset(ctx->content_type);
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if ((pc = xmlNewParserCtxt()) == NULL)
		hark_die(HARK_EXIT_FAILURE, "out of memory");
	doc = xmlCtxtReadMemory(pc, body, (int)len, ctx->request_url, cs,
	    opts);
	if (doc == NULL || !pc->wellFormed) {
		xmlError *e = xmlCtxtGetLastError(pc);
		char clean[200];
		const char *m = e != NULL && e->message != NULL ?
		    e->message : "not well-formed";
		size_t ml = strlen(m);

		while (ml > 0 && hark_ascii_isspace((unsigned char)m[ml - 1]))
			ml--;
		hark_sanitize(clean, sizeof(clean), m, ml);
		snprintf(why, whysz, "line %d: %s", e != NULL ? e->line : 0,
		    clean);
	}
	if (doc != NULL && !pc->wellFormed && !recover) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(pc);
	free(cs);
	return doc;
}

/*
 * The two commonest ways feeds break XML: a bare '&' ("Forum & co",
 * "?a=1&b=2") and HTML entities XML does not know ("&nbsp;").  Returns a
 * copy of BODY with bare '&' escaped and HTML named references made
 * numeric (CDATA sections untouched), or NULL when nothing changed.
 */
static char *
repair(const char *body, size_t len, size_t *outlen)
{
	struct hark_buf b;
	size_t i = 0, n;
	int changed = 0;

	hark_buf_init(&b, 2 * len + 64);
	while (i < len) {
		if (len - i >= 9 && memcmp(body + i, "<![CDATA[", 9) == 0) {
			const char *end = NULL;

			for (n = i + 9; n + 3 <= len; n++)
				if (memcmp(body + n, "]]>", 3) == 0) {
					end = body + n + 3;
					break;
				}
			n = end != NULL ? (size_t)(end - body) : len;
			hark_buf_add(&b, body + i, n - i);
			i = n;
			continue;
		}
		if (body[i] != '&') {
			hark_buf_addch(&b, body[i++]);
			continue;
		}
		n = i + 1;
		if (n < len && body[n] == '#') {
			int hex = n + 1 < len && (body[n + 1] == 'x' ||
			    body[n + 1] == 'X');
			size_t d = n + 1 + (size_t)hex, k = d;

			while (k < len && (hex ? hark_ascii_isxdigit(
			    (unsigned char)body[k]) : hark_ascii_isdigit(
			    (unsigned char)body[k])))
				k++;
			if (k > d && k < len && body[k] == ';') {
				hark_buf_add(&b, body + i, k + 1 - i);
				i = k + 1;
				continue;
			}
		} else {
			size_t k = n;

			while (k < len && hark_ascii_isalnum((unsigned char)body[k]))
				k++;
			if (k > n && k < len && body[k] == ';') {
				static const char *const xml[] = { "amp", "lt",
				    "gt", "quot", "apos" };
				int32_t cp[2];
				int known = 0;

				for (size_t x = 0; x < 5; x++)
					if (k - n == strlen(xml[x]) &&
					    memcmp(body + n, xml[x], k - n) == 0)
						known = 1;
				if (known) {
					hark_buf_add(&b, body + i, k + 1 - i);
				} else if (hark_html_entity(body + i, k + 1 - i,
				    cp) == k + 1 - i) {
					hark_buf_addf(&b, "&#%ld;", (long)cp[0]);
					if (cp[1] >= 0)
						hark_buf_addf(&b, "&#%ld;",
						    (long)cp[1]);
					changed = 1;
				} else {
					/* unknown name: keep it as text */
					hark_buf_addstr(&b, "&amp;");
					hark_buf_add(&b, body + n, k + 1 - n);
					changed = 1;
				}
				i = k + 1;
				continue;
			}
		}
		hark_buf_addstr(&b, "&amp;");
		changed = 1;
		i++;
	}
	if (!changed) {
		hark_buf_release(&b);
		return NULL;
	}
	return hark_buf_detach(&b, outlen);
}

static int
mf_map_feed(const char *body, size_t len, const struct mf_map_ctx *ctx,
    struct mf_page *page, struct hark_err *err)
{
	struct feed f;
	xmlDoc *doc;
	xmlNode *root, *chan, *n;
	char why[300] = "", why2[300];
	int rc = 0, recovered = 0;

	memset(&f, 0, sizeof(f));
	f.ctx = ctx;
	f.page = page;
	f.feed_url = ctx->request_url != NULL ? ctx->request_url :
	    ctx->base_url;
	if (body == NULL || len == 0)
		return mf_malformed(err, "malformed feed: empty body");
	if ((doc = parse(body, len, ctx, 0, why, sizeof(why))) == NULL) {
		size_t flen;
		char *fixed = repair(body, len, &flen);

		if (fixed != NULL)
			doc = parse(fixed, flen, ctx, 0, why2, sizeof(why2));
		if (doc != NULL) {
			mf_page_warn(page, "feed is not well-formed XML (%s); "
			    "repaired stray '&' and HTML entities", why);
		} else {
			doc = parse(body, len, ctx, 1, why2, sizeof(why2));
			recovered = 1;
		}
		free(fixed);
	}
	root = doc != NULL ? xmlDocGetRootElement(doc) : NULL;
	if (root == NULL) {
		rc = mf_malformed(err, "malformed feed: not well-formed XML "
		    "(%s)", why);
		goto done;
	}
	if (is_el(root, NULL, "rss")) {
		f.source = "rss";
		chan = child(root, NULL, "channel");
		f.item_ns = NULL;
	} else if (is_el(root, NS_RDF, "RDF")) {
		f.source = "rss";
		chan = child(root, NS_RSS1, "channel");
		f.item_ns = NS_RSS1;
	} else if (is_el(root, NS_ATOM, "feed")) {
		f.source = "atom";
		chan = root;
	} else {
		char clean[64];

		hark_sanitize(clean, sizeof(clean), (const char *)root->name,
		    strlen((const char *)root->name));
		rc = mf_malformed(err, "malformed feed: root element '%s' is "
		    "not rss, rdf:RDF or atom:feed", clean);
		goto done;
	}
	if (chan == NULL) {
		rc = mf_malformed(err, "malformed feed: 'channel' missing");
		goto done;
	}
	if (recovered)	/* the engine emits these but remembers nothing */
		mf_page_extra(page, "malformed", json_sprintf("malformed feed: "
		    "not well-formed XML (%s); its items were used as far as "
		    "they could be recovered and will come again", why));
	if (strcmp(f.source, "rss") == 0) {
		char *t = child_text(chan, f.item_ns, "title");

		f.title = html_text(t);
		free(t);
		f.link = child_text(chan, f.item_ns, "link");
		f.lang = child_text(chan, f.item_ns, "language");
		if (f.lang == NULL)
			f.lang = child_text(chan, NS_DC, "language");
		/* RSS 1.0 items are siblings of the channel. */
		for (n = (f.item_ns != NULL ? root : chan)->children;
		    n != NULL; n = n->next)
			if (is_el(n, f.item_ns, "item"))
				map_rss_item(&f, n);
	} else {
		char *fid = child_text(root, NS_ATOM, "id"), *h, *t;
		xmlChar *lang = xmlNodeGetLang(root);

		atom_text(child(root, NS_ATOM, "title"), &h, &t);
		f.title = t;
		free(h);
		f.link = atom_link(root, "alternate");
		f.lang = lang != NULL ? hark_xstrdup((const char *)lang) : NULL;
		xmlFree(lang);
		f.feed_author = child(root, NS_ATOM, "author");
		if (fid != NULL && strncmp(fid, "tag:google.com,", 15) == 0 &&
		    strstr(fid, "/alerts/") != NULL) {
			const char *q = f.title != NULL ? f.title : "";

			if (strncmp(q, "Google Alert - ", 15) == 0)
				q += 15;
			f.alert_query = *q != '\0' ? hark_xstrdup(q) : NULL;
			if (f.alert_query == NULL)
				f.alert_query = hark_xstrdup("");
			f.source = "google_alerts";
		}
		free(fid);
		page->next = atom_link(root, "next");
		for (n = root->children; n != NULL; n = n->next)
			if (is_el(n, NS_ATOM, "entry"))
				map_atom_entry(&f, n);
	}
done:
	free(f.title), free(f.link), free(f.lang), free(f.alert_query);
	if (doc != NULL)
		xmlFreeDoc(doc);
	return rc;
}

/* --- the request side ------------------------------------------------ */

static int
feed_setup(struct mf_source *s, struct hark_err *err)
{
	if (s->url == NULL)
		return hark_err_set(err, 2, "'url' is required for type '%s'",
		    s->type);
	if (s->token != NULL)	/* private feeds: "user:password" */
		s->userpwd = hark_xstrdup(s->token);
	return 0;
}

static void
feed_start(struct mf_source *s)
{
	struct mf_call *c = mf_call_new(s, "GET", s->url, "feed", 1, MF_K_PAGE);
	struct hark_buf h = HARK_BUF_INIT(8192);
	const char *etag = mf_state_get(s, "feed", "etag");
	const char *lm = mf_state_get(s, "feed", "last_modified");

	if (!mf_backfill(s) && strncmp(s->url, "file:", 5) != 0) {
		if (etag != NULL)
			hark_buf_addf(&h, "If-None-Match: %s\n", etag);
		if (lm != NULL)
			hark_buf_addf(&h, "If-Modified-Since: %s\n", lm);
	}
	hark_buf_addstr(&h, "Accept: application/atom+xml, "
	    "application/rss+xml, application/xml;q=0.9, */*;q=0.5");
	c->headers = hark_buf_detach(&h, NULL);
	mf_call_submit(s, c);
}

static void
feed_after(struct mf_source *s, struct mf_call *c,
    const struct hark_http_resp *r, struct mf_page *pg)
{
	json_t *pend = mf_stream_pending(s, c->stream);
	char *etag, *lm;

	if (c->page == 1) {
		etag = hark_http_header(r, "etag");
		lm = hark_http_header(r, "last-modified");
		json_object_set_new(pend, "etag", etag ? json_string(etag) :
		    json_null());
		json_object_set_new(pend, "last_modified", lm ?
		    json_string(lm) : json_null());
		free(etag);
		free(lm);
	}
	/* RFC 5005 paged feeds: <link rel="next"> */
	mf_next_page(s, c, pg->next, pg);
}

/* --- the driver ------------------------------------------------------ */

#define FEED(t) { .type = t, .map = mf_map_feed, .setup = feed_setup, \
	.start = feed_start, .special = mf_no_special, .after_page = feed_after, \
	.late_items = 1, .query_style = HARK_QUERY_TERMS }

const struct mf_driver mf_driver_rss = FEED("rss");
const struct mf_driver mf_driver_atom = FEED("atom");
const struct mf_driver mf_driver_feed = FEED("feed");
const struct mf_driver mf_driver_google_alerts = FEED("google_alerts");
