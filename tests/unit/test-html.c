/*
 * test-html.c - lib/html: HTML to text, character references, collapsing.
 */
#include "hark.h"
#include "buf.h"
#include "html.h"
#include "tap.h"

static char got[8192];

static const char *
to_text(const char *s)
{
	struct hark_buf b = HARK_BUF_INIT(1 << 20);

	if (hark_html_to_text(s, strlen(s), &b) == -1)
		snprintf(got, sizeof(got), "(overflow)");
	else
		snprintf(got, sizeof(got), "%s", hark_buf_str(&b));
	hark_buf_release(&b);
	return got;
}

static const char *
unescape(const char *s)
{
	struct hark_buf b = HARK_BUF_INIT(1 << 20);

	hark_html_unescape(s, strlen(s), &b);
	snprintf(got, sizeof(got), "%s", hark_buf_str(&b));
	hark_buf_release(&b);
	return got;
}

static const char *
collapse(const char *s, size_t len)
{
	struct hark_buf b = HARK_BUF_INIT(1 << 20);

	hark_html_collapse(s, len, &b);
	snprintf(got, sizeof(got), "%s", hark_buf_str(&b));
	hark_buf_release(&b);
	return got;
}

int
main(void)
{
	struct hark_buf b;
	int32_t cp[2];

	/* tags, paragraphs, whitespace */
	is_str(to_text("<p>Hello <b>world</b></p><p>second</p>"),
	    "Hello world\nsecond", "paragraphs become one newline");
	is_str(to_text("  a\n\t b  "), "a b", "whitespace collapsed and trimmed");
	is_str(to_text("line one<br>line two<br/><br />line three"),
	    "line one\nline two\nline three", "<br> variants, no empty lines");
	is_str(to_text("<ul><li>one</li><li>two</li></ul>after"),
	    "one\ntwo\nafter", "list items on their own lines");
	is_str(to_text("<div>x</div><DIV>y</DIV>"), "x\ny",
	    "tag names are case-insensitive");
	is_str(to_text("a<script>var x = '<p>no</p>';</script>b"), "ab",
	    "script content dropped");
	is_str(to_text("a<STYLE type=\"text/css\">p{}</style >b"), "ab",
	    "style content dropped, upper case");
	is_str(to_text("a<script>unterminated"), "a",
	    "unterminated script drops the rest");
	is_str(to_text("x<!-- <p>hidden</p> -->y"), "xy", "comments dropped");
	is_str(to_text("<a href=\"https://e.x/?a=1&amp;b=2\" title='a > b'>"
	    "link</a>"), "link", "'>' inside quoted attribute");
	is_str(to_text("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2",
	    "a lone '<' is text");
	is_str(to_text("I <3 Lumilo"), "I <3 Lumilo", "'<3' is text");
	is_str(to_text("end <"), "end <", "trailing '<' is text");
	is_str(to_text("<pre>a\n  b</pre>c"), "a\nb\nc",
	    "newlines inside <pre> kept");
	is_str(to_text("<p>x\ny</p>"), "x y", "source newline is a blank");
	is_str(to_text("<![CDATA[a<b]]>c"), "a<bc", "CDATA section is text");
	is_str(to_text("<span class=\"invisible\">https://</span><span "
	    "class=\"ellipsis\">example.com/a</span><span class=\"invisible\">"
	    "bc</span>"), "https://example.com/abc",
	    "Mastodon's split links join");
	is_str(to_text("<td>a</td><td>b</td>"), "a b", "cells get a blank");
	is_str(to_text(""), "", "empty input");
	is_str(to_text("<p></p><br>"), "", "only breaks give nothing");

	/* entities */
	is_str(to_text("&amp;&lt;&gt;&quot;&apos;&#39;&#x27;"), "&<>\"'''",
	    "basic entities");
	is_str(to_text("&amp;lt;3"), "&lt;3", "decoded exactly once");
	is_str(to_text("a&nbsp;&nbsp;b"), "a b", "nbsp is a collapsible blank");
	is_str(to_text("&ndash;&mdash;&hellip;&lsquo;&rsquo;&ldquo;&rdquo;"
	    "&bdquo;&euro;"), "\xe2\x80\x93\xe2\x80\x94\xe2\x80\xa6"
	    "\xe2\x80\x98\xe2\x80\x99\xe2\x80\x9c\xe2\x80\x9d\xe2\x80\x9e"
	    "\xe2\x82\xac", "typographic entities");
	is_str(to_text("&aogon;&cacute;&eogon;&lstrok;&nacute;&oacute;"
	    "&sacute;&zacute;&zdot;&Lstrok;"),
	    "ąćęłńóśźżŁ", "Polish letters by name");
	is_str(to_text("&ccaron;&dcaron;&ecaron;&ncaron;&rcaron;&scaron;"
	    "&tcaron;&uring;&zcaron;&yacute;&Rcaron;"), "čďěňřšťůžýŘ",
	    "Czech letters by name");
	is_str(to_text("&#128545;&#x1F44D;&#x1f3fd;"), "😡👍🏽",
	    "emoji by number, decimal and hex");
	is_str(to_text("&#150;&#x80;"), "\xe2\x80\x93\xe2\x82\xac",
	    "0x80-0x9F read as windows-1252");
	is_str(to_text("&#0;&#xD800;&#x110000;&#99999999999;"),
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	    "invalid numbers give U+FFFD");
	is_str(to_text("&amp &lt"), "& <", "legacy names without ';'");
	is_str(to_text("&ampx &nosuch; &;"), "&ampx &nosuch; &;",
	    "unknown references stay literal");
	is_str(to_text("?a=1&copy=2"), "?a=1&copy=2",
	    "legacy name followed by '=' stays literal");
	is_str(to_text("&NotEqualTilde;"), "\xe2\x89\x82\xcc\xb8",
	    "two-code-point entity");
	is_str(to_text("&#10;x&#13;&#9;y"), "x y", "numeric blanks collapse");

	/* unescape only */
	is_str(unescape("a &amp; b &lt;3  \n c"), "a & b <3  \n c",
	    "unescape keeps whitespace");
	is_str(unescape("<p>kept</p>"), "<p>kept</p>", "unescape keeps tags");

	/* plain collapse */
	is_str(collapse("  a  b \r\n\r\n\n  c\t\n", 17), "a b\nc",
	    "plain: lines trimmed, empty lines dropped, CRLF");
	is_str(collapse("x\0y\x01z", 5), "xyz", "NUL and controls dropped");
	is_str(collapse("a\xff" "b\xc3", 4), "a\xef\xbf\xbd" "b\xef\xbf\xbd",
	    "invalid UTF-8 becomes U+FFFD");
	is_str(collapse("a\xe2\x80\xa8" "b", 5), "a\nb", "U+2028 is a line break");
	is_str(collapse("\xef\xbb\xbfhi", 5), "hi", "BOM dropped");
	is_str(collapse("👨‍👩‍👧 ok", strlen("👨‍👩‍👧 ok")), "👨‍👩‍👧 ok",
	    "ZWJ sequences kept");

	/* entity API */
	is_int(hark_html_entity("&lstrok;x", 9, cp), 8, "entity length");
	is_int(cp[0], 0x142, "entity code point");
	is_int(cp[1], -1, "single code point");
	is_int(hark_html_entity("&", 1, cp), 0, "lone '&'");
	is_int(hark_html_entity("&#;", 3, cp), 0, "'&#;' is not a reference");
	is_int(hark_html_entity("&#65", 4, cp), 4, "numeric without ';'");
	is_int(cp[0], 'A', "numeric value");

	/* bounded output */
	hark_buf_init(&b, 5);
	ok(hark_html_to_text("<p>abcdefgh</p>", 15, &b) == -1,
	    "overflow reported");
	ok(b.len <= 5, "buffer not past max");
	hark_buf_release(&b);
	hark_buf_init(&b, 3 * 4 + 4);
	ok(hark_html_to_text("\xff\xff\xff\xff", 4, &b) == 0,
	    "3*len+4 bound holds for invalid bytes");
	hark_buf_release(&b);
	return tap_done();
}
