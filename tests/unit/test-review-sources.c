/* test-review-sources.c - the mappers of the review sites
 * (lib/source/trustpilot.c, lib/source/heureka.c) through the table of
 * drivers: ratings, brand replies, paging links, errors. */
#include "tap.h"
#include "hark.h"
#include "mention.h"
#include "source/source.h"

static struct mf_page page;
static struct hark_err err;

static int
map(const char *type, const char *url, const char *body)
{
	const struct mf_driver *d = mf_driver_find(type);
	struct mf_map_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.type = type;
	ctx.request_url = url;
	ctx.fetched_at = 1741651200;	/* 2025-03-11T00:00:00Z */
	if (page.records != NULL)
		json_decref(page.records);
	mf_page_release(&page);
	memset(&page, 0, sizeof(page));
	memset(&err, 0, sizeof(err));
	page.records = json_array();
	if (d == NULL)
		return -2;
	return d->map(body, strlen(body), &ctx, &page, &err);
}

static const char *
get(size_t i, const char *path)
{
	return hark_mention_get_str(json_array_get(page.records, i), path);
}

static json_int_t
rating(size_t i)
{
	json_t *r = json_object_get(json_array_get(page.records, i), "rating");

	return json_is_integer(r) ? json_integer_value(r) : -1;
}

int
main(void)
{
	const char *tp = "{\"links\":[{\"href\":\"https://api.trustpilot.com/"
	    "v1/business-units/b1/reviews?page=2\",\"method\":\"GET\",\"rel\":"
	    "\"next-page\"}],\"reviews\":[{\"id\":\"r1\",\"stars\":3,"
	    "\"title\":\"T\",\"text\":\"meh\",\"language\":\"en\",\"createdAt\":"
	    "\"2025-03-10T09:12:44.123Z\",\"consumer\":{\"id\":\"c1\","
	    "\"displayName\":\"A\"},\"businessUnit\":{\"id\":\"b1\"},"
	    "\"companyReply\":{\"text\":\"Sorry!\",\"createdAt\":"
	    "\"2025-03-10T10:00:00Z\"}},{\"stars\":5},{\"id\":\"r2\",\"stars\":"
	    "9,\"createdAt\":\"2025-03-09T00:00:00Z\",\"companyReply\":{}}]}";

	is_int(map("trustpilot", NULL, tp), 0, "trustpilot page maps");
	is_int((long long)json_array_size(page.records), 3,
	    "two reviews and one reply (a review without id skipped)");
	is_int(rating(0), 3, "stars are the rating");
	is_str(get(0, "lang"), "en", "language");
	is_str(get(0, "created_at"), "2025-03-10T09:12:44Z",
	    "fractions dropped");
	is_str(get(1, "id"), "trustpilot:r1#reply", "the reply's id");
	ok(json_is_true(mf_get(json_array_get(page.records, 1),
	    "author.is_brand")), "the reply is the brand's");
	is_str(get(1, "thread.parent_id"), "trustpilot:r1",
	    "the reply answers the review");
	is_str(get(1, "thread.in_reply_to_author_id"), "c1",
	    "... and its author");
	is_int(rating(2), -1, "stars out of 1-5 give no rating");
	is_str(page.next, "https://api.trustpilot.com/v1/business-units/b1/"
	    "reviews?page=2", "next page from the next-page link");
	is_int(map("trustpilot", NULL, "{\"reviews\":[],\"links\":[{\"rel\":"
	    "\"next-page\",\"href\":\"x\"}]}"), 0, "empty page");
	ok(page.next == NULL, "an empty page ends the stream");
	is_int(map("trustpilot", NULL, "{\"message\":\"Forbidden\"}"), -1,
	    "an error body");
	is_int(err.code, HARK_EXIT_DATA, "... is a data error");

	is_int(map("heureka", "https://www.heureka.sk/direct/dotaznik/"
	    "export-review.php?key=k", "<?xml version=\"1.0\"?><reviews>"
	    "<review><rating_id>7</rating_id><unix_timestamp>1741597200"
	    "</unix_timestamp><total_rating>0.5</total_rating><cons>"
	    "<![CDATA[zlé]]></cons><reaction>Ospravedlňujeme sa</reaction>"
	    "</review><review><rating_id>8</rating_id><unix_timestamp>x"
	    "</unix_timestamp><total_rating>2,5</total_rating></review>"
	    "<review><name>no id</name></review></reviews>"), 0,
	    "heureka export maps");
	is_int((long long)json_array_size(page.records), 3,
	    "two reviews, one reaction, one review without id skipped");
	is_int(rating(0), 1, "half a star is one star");
	is_str(get(0, "lang"), "sk", "heureka.sk reviews are Slovak");
	is_str(get(0, "text"), "zlé", "cons alone");
	is_str(get(1, "created_at"), "2025-03-11T00:00:00Z",
	    "a reaction is dated when fetched");
	is_int(rating(2), 3, "2,5 (comma) rounds up to 3");
	is_str(get(2, "created_at"), "2025-03-11T00:00:00Z",
	    "a bad timestamp gives the fetch time");
	is_int(map("heureka", NULL, "<html><body>x</body></html>"), -1,
	    "not an export");
	is_int(map("heureka", NULL, "<reviews><review>"), -1,
	    "cut short");
	json_decref(page.records);
	mf_page_release(&page);

	/* a Graph error body (Facebook, Instagram) */
	{
		struct hark_err e = HARK_ERR_INIT;
		json_t *good = json_pack("{s:[]}", "data");
		json_t *bad = json_pack("{s:{s:s, s:i}}", "error", "message",
		    "Invalid OAuth access token\n(#190)", "code", 190);

		is_int(mf_graph_body_error(good, "Facebook", &e), 0,
		    "no error member: no error");
		ok(mf_graph_body_error(bad, "Instagram", &e) != 0 &&
		    strcmp(e.msg, "Instagram API error (code 190): Invalid "
		    "OAuth access token?(#190)") == 0,
		    "the API, its code and the message cleaned: %s", e.msg);
		json_decref(good);
		json_decref(bad);
	}
	return tap_done();
}
