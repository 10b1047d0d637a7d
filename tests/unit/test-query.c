/* test-query.c - the boolean query: parsing, matching, native rendering. */
#include <jansson.h>
#include "hark.h"
#include "query.h"
#include "buf.h"
#include "tap.h"

static json_t *
rec(const char *title, const char *text)
{
	return json_pack("{s:s?,s:s,s:s,s:s,s:{s:s,s:s}}", "title", title,
	    "text", text, "url", "https://news.example.com/a/1", "lang",
	    "pl-PL", "author", "handle", "jan_k", "id", "42");
}

static int
m(const char *q, const char *title, const char *text)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_query *qq = hark_query_parse(q, &err);
	json_t *r;
	int res;

	if (qq == NULL) {
		printf("# parse error: %s\n", err.msg);
		return -1;
	}
	r = rec(title, text);
	res = hark_query_match(qq, r);
	json_decref(r);
	hark_query_free(qq);
	return res;
}

static char *
render(const char *q, enum hark_query_style st, int *any)
{
	struct hark_query *qq = hark_query_parse(q, NULL);
	struct hark_buf b = HARK_BUF_INIT(4096);

	hark_query_render(qq, st, &b, any);
	hark_query_free(qq);
	return hark_buf_detach(&b, NULL);
}

static void
is_render(const char *q, enum hark_query_style st, const char *want)
{
	char *got = render(q, st, NULL);

	is_str(got, want, "render %d: %s", (int)st, q);
	free(got);
}

static void
syntax_error(const char *q, long col, const char *msg)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_query *qq = hark_query_parse(q, &err);

	ok(qq == NULL && err.code == 2, "syntax error: %s", q);
	is_int(err.column, col, "column for %s", q);
	is_str(err.msg, msg, "message for %s", q);
	hark_query_free(qq);
}

int
main(void)
{
	int any = 0;
	char *s;

	is_int(m("acme", NULL, "I love ACME!"), 1, "case-insensitive word");
	is_int(m("acme", NULL, "acmebank"), 0, "whole words only");
	is_int(m("acme*", NULL, "acmebank rocks"), 1, "prefix");
	is_int(m("działa", NULL, "NIE DZIALA"), 1, "diacritics in query");
	is_int(m("zasilka", NULL, "Moje zásilka nedorazila"), 1,
	    "diacritics in text (cs)");
	is_int(m("\"nie działa\"", NULL, "aplikacja nie\n  dziala znowu"), 1,
	    "phrase across blanks");
	is_int(m("\"dziala nie\"", NULL, "nie dziala"), 0, "phrase order");
	is_int(m("acme -job", NULL, "acme job offer"), 0, "-word");
	is_int(m("acme NOT job", NULL, "acme rocks"), 1, "NOT");
	is_int(m("acme AND (refund OR zwrot*)", NULL, "acme zwrotu"), 1,
	    "group with prefix");
	is_int(m("acme (refund OR zwrot)", NULL, "acme rocks"), 0,
	    "implicit AND");
	is_int(m("foo OR acme", "ACME bank", ""), 1, "title searched");
	is_int(m("acme or bank", NULL, "acme bank"), 0,
	    "lower-case or is a word");
	is_int(m("acme or bank", NULL, "acme or bank"), 1,
	    "lower-case or matched as a word");
	is_int(m("acme -author:jan_k", NULL, "acme"), 0, "author exclusion");
	is_int(m("acme -author:@JAN_K", NULL, "acme"), 0, "author with @");
	is_int(m("acme -domain:example.com", NULL, "acme"), 0,
	    "domain exclusion (subdomain)");
	is_int(m("acme -domain:ample.com", NULL, "acme"), 1,
	    "domain is not a suffix string");
	is_int(m("acme lang:pl", NULL, "acme"), 1, "lang prefix");
	is_int(m("acme lang:p", NULL, "acme"), 0, "lang whole subtag");
	is_int(m("#acme", NULL, "love #acme"), 1, "hashtag");
	is_int(m("@acme", NULL, "hi @Acme"), 1, "mention");
	is_int(m("😡 acme", NULL, "acme 😡😡"), 1, "emoji term");
	is_int(m("", NULL, "anything"), 1, "empty query matches");
	is_int(m("  ", NULL, "anything"), 1, "blank query matches");

	syntax_error("acme (refund", 6, "unbalanced '('");
	syntax_error("acme)", 5, "unbalanced ')'");
	syntax_error("acme OR", 6, "operator 'OR' without a right operand");
	syntax_error("OR acme", 1, "operator 'OR' without a left operand");
	syntax_error("\"acme", 1, "unterminated \"phrase\"");
	syntax_error("acme ()", 7, "a word expected");

	is_render("acme -job (refund OR \"zwrot pieniędzy\")",
	    HARK_QUERY_BOOLEAN,
	    "acme AND NOT job AND (refund OR \"zwrot pieniędzy\")");
	is_render("acme -job (refund OR \"zwrot pieniędzy\")", HARK_QUERY_X,
	    "acme -job (refund OR \"zwrot pieniędzy\")");
	is_render("acme OR bank", HARK_QUERY_X, "acme OR bank");
	is_render("acme -author:spam -domain:x.com", HARK_QUERY_X,
	    "acme -from:spam -url:x.com");
	is_render("acme -author:spam", HARK_QUERY_BOOLEAN,
	    "acme AND NOT author:spam");
	is_render("acme -(job OR hiring)", HARK_QUERY_X,
	    "acme -(job OR hiring)");
	is_render("acme -job \"acme bank\"", HARK_QUERY_TERMS,
	    "acme \"acme bank\"");
	is_render("zwrot* acme", HARK_QUERY_X, "zwrot acme");
	is_render("acme OR author:x", HARK_QUERY_TERMS, "");
	s = render("acme OR bank", HARK_QUERY_TERMS, &any);
	is_str(s, "acme bank", "terms of an OR");
	is_int(any, 1, "OR flagged as any-of");
	free(s);
	s = render("acme bank", HARK_QUERY_TERMS, &any);
	is_int(any, 0, "AND not flagged");
	free(s);
	return tap_done();
}
