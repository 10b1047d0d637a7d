/*
 * html.c - HTML fragments to collapsed plain text; character references.
 */

#include "hark.h"
#include "buf.h"
#include "text.h"
#include "html.h"
#include "html-entities.h"

/* HTML5: numeric references 0x80-0x9F are read as windows-1252. */
static const int32_t win1252[32] = {
	0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
	0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178
};

enum emit_mode {
	EMIT_RAW,	/* unescape: code points as they come */
	EMIT_PLAIN,	/* collapse plain text: '\n' is a line break */
	EMIT_HTML	/* collapse HTML text: '\n' is a blank except in <pre> */
};

struct emitter {
	struct hark_buf *out;
	enum emit_mode mode;
	int pend;	/* 0 nothing, 1 a blank, 2 a line break pending */
	int started;	/* something visible was written */
	int pre;	/* depth of <pre> */
	int fail;
};

int
hark_utf8_put(struct hark_buf *out, int32_t cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return hark_buf_add(out, b, n);
}

static int
is_blank_cp(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f' ||
	    cp == '\v' || cp == 0xa0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000;
}

static void
emit(struct emitter *e, int32_t cp)
{
	if (e->fail)
		return;
	if (e->mode == EMIT_RAW) {
		if (cp != 0 && hark_utf8_put(e->out, cp) == -1)
			e->fail = 1;
		return;
	}
	if (cp == '\n' || cp == 0x2028 || cp == 0x2029) {
		if (e->mode == EMIT_PLAIN || e->pre > 0 || cp != '\n')
			e->pend = 2;
		else if (e->pend < 1)
			e->pend = 1;
		return;
	}
	if (is_blank_cp(cp)) {
		if (e->pend < 1)
			e->pend = 1;
		return;
	}
	/* Controls (C0, DEL, C1) and the BOM carry no text. */
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xfeff)
		return;
	if (e->started && e->pend > 0 &&
	    hark_buf_addch(e->out, e->pend == 2 ? '\n' : ' ') == -1) {
		e->fail = 1;
		return;
	}
	e->pend = 0;
	if (hark_utf8_put(e->out, cp) == -1) {
		e->fail = 1;
		return;
	}
	e->started = 1;
}

static void
emit_break(struct emitter *e)
{
	e->pend = 2;
}

static int
entity_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct html_entity *)elt)->name);
}

static const struct html_entity *
entity_find(const char *name)
{
	return bsearch(name, html_entities, HARK_ARRAY_SIZE(html_entities),
	    sizeof(html_entities[0]), entity_cmp);
}

size_t
hark_html_entity(const char *s, size_t len, int32_t cp[2])
{
	size_t i = 1, start;
	const struct html_entity *ent;
	char name[40];

	cp[1] = -1;
	if (len < 2 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		int32_t v = 0;
		int hex = 0;

		i = 2;
		if (i < len && (s[i] == 'x' || s[i] == 'X')) {
			hex = 1;
			i++;
		}
		start = i;
		while (i < len && (hex ? hark_ascii_isxdigit((unsigned char)s[i]) :
		    hark_ascii_isdigit((unsigned char)s[i]))) {
			int d = hark_ascii_isdigit((unsigned char)s[i]) ? s[i] - '0' :
			    (hark_ascii_tolower((unsigned char)s[i]) - 'a' + 10);

			if (v <= 0x10ffff)
				v = v * (hex ? 16 : 10) + d;
			i++;
		}
		if (i == start)
			return 0;
		if (i < len && s[i] == ';')
			i++;
		if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			v = 0xfffd;
		else if (v >= 0x80 && v <= 0x9f)
			v = win1252[v - 0x80];
		cp[0] = v;
		return i;
	}
	start = 1;
	while (i < len && hark_ascii_isalnum((unsigned char)s[i]) &&
	    i - start < sizeof(name) - 1)
		i++;
	if (i == start || (i < len && hark_ascii_isalnum((unsigned char)s[i])))
		return 0;
	memcpy(name, s + start, i - start);
	name[i - start] = '\0';
	if ((ent = entity_find(name)) == NULL)
		return 0;
	if (i < len && s[i] == ';') {
		i++;
	} else if (!ent->legacy || (i < len && s[i] == '=')) {
		return 0;
	}
	cp[0] = ent->cp1;
	cp[1] = ent->cp2;
	return i;
}

/* Emit the text S[0..LEN), decoding references when DECODE. */
static void
emit_text(struct emitter *e, const char *s, size_t len, int decode)
{
	size_t i = 0, n;
	int32_t cp, ecp[2];

	while (i < len && !e->fail) {
		if (decode && s[i] == '&' &&
		    (n = hark_html_entity(s + i, len - i, ecp)) > 0) {
			emit(e, ecp[0]);
			if (ecp[1] >= 0)
				emit(e, ecp[1]);
			i += n;
			continue;
		}
		n = hark_utf8_next(s + i, len - i, &cp);
		emit(e, cp);
		i += n;
	}
}

static int
ci_prefix(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	if (len < n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (hark_ascii_tolower((unsigned char)s[i]) != lit[i])
			return 0;
	return 1;
}

static const char *const block_tags[] = {
	"address", "article", "aside", "blockquote", "br", "caption",
	"dd", "details", "div", "dl", "dt", "fieldset", "figcaption",
	"figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
	"header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
	"summary", "table", "tbody", "tfoot", "thead", "tr", "ul"
};

static int
is_block(const char *name)
{
	for (size_t i = 0; i < HARK_ARRAY_SIZE(block_tags); i++)
		if (strcmp(name, block_tags[i]) == 0)
			return 1;
	return 0;
}

/* Index of the first byte after the '>' closing a tag that starts at
 * S[I] (quotes in attribute values honoured), or LEN. */
static size_t
tag_end(const char *s, size_t len, size_t i)
{
	char q = 0;

	for (; i < len; i++) {
		if (q != 0) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			if (s[i - 1] == '=' || hark_ascii_isspace((unsigned char)s[i - 1]))
				q = s[i];
		} else if (s[i] == '>') {
			return i + 1;
		}
	}
	return len;
}

/* Find "</NAME" followed by a non-name byte; return its offset or LEN. */
static size_t
find_close(const char *s, size_t len, size_t i, const char *name)
{
	size_t n = strlen(name);

	for (; i + 2 + n <= len; i++) {
		if (s[i] != '<' || s[i + 1] != '/' ||
		    !ci_prefix(s + i + 2, len - i - 2, name))
			continue;
		if (i + 2 + n == len || !hark_ascii_isalnum((unsigned char)s[i + 2 + n]))
			return i;
	}
	return len;
}

int
hark_html_to_text(const char *s, size_t len, struct hark_buf *out)
{
	struct emitter e = { out, EMIT_HTML, 0, 0, 0, 0 };
	size_t i = 0, j;
	char name[16];

	while (i < len && !e.fail) {
		if (s[i] != '<' || i + 1 >= len) {
			j = i;
			while (j < len && (s[j] != '<' || j + 1 >= len))
				j++;
			emit_text(&e, s + i, j - i, 1);
			i = j;
			continue;
		}
		if (ci_prefix(s + i, len - i, "<!--")) {
			const char *end = NULL;

			for (j = i + 4; j + 3 <= len; j++)
				if (memcmp(s + j, "-->", 3) == 0) {
					end = s + j;
					break;
				}
			i = end != NULL ? (size_t)(end - s) + 3 : len;
			continue;
		}
		if (ci_prefix(s + i, len - i, "<![cdata[")) {
			j = i + 9;
			while (j + 3 <= len && memcmp(s + j, "]]>", 3) != 0)
				j++;
			if (j + 3 > len)
				j = len;
			emit_text(&e, s + i + 9, j - i - 9, 0);
			i = j + 3 <= len ? j + 3 : len;
			continue;
		}
		if (s[i + 1] == '!' || s[i + 1] == '?') {
			i = tag_end(s, len, i + 2);
			continue;
		}
		{
			int close = s[i + 1] == '/';
			size_t k = i + 1 + (size_t)close, n = 0;

			if (k >= len || !hark_ascii_isalpha((unsigned char)s[k])) {
				emit(&e, '<');
				i++;
				continue;
			}
			while (k < len && (hark_ascii_isalnum((unsigned char)s[k]) ||
			    s[k] == '-' || s[k] == ':')) {
				if (n < sizeof(name) - 1)
					name[n++] = (char)hark_ascii_tolower(
					    (unsigned char)s[k]);
				k++;
			}
			name[n] = '\0';
			i = tag_end(s, len, k);
			if (!close && (strcmp(name, "script") == 0 ||
			    strcmp(name, "style") == 0 ||
			    strcmp(name, "template") == 0)) {
				j = find_close(s, len, i, name);
				i = j < len ? tag_end(s, len, j + 2) : len;
				continue;
			}
			if (strcmp(name, "pre") == 0) {
				if (close && e.pre > 0)
					e.pre--;
				else if (!close)
					e.pre++;
			}
			if (is_block(name))
				emit_break(&e);
			else if (strcmp(name, "td") == 0 ||
			    strcmp(name, "th") == 0)
				emit(&e, ' ');
		}
	}
	return e.fail ? -1 : 0;
}

int
hark_html_collapse(const char *s, size_t len, struct hark_buf *out)
{
	struct emitter e = { out, EMIT_PLAIN, 0, 0, 0, 0 };

	emit_text(&e, s, len, 0);
	return e.fail ? -1 : 0;
}

int
hark_html_unescape(const char *s, size_t len, struct hark_buf *out)
{
	struct emitter e = { out, EMIT_RAW, 0, 0, 0, 0 };

	emit_text(&e, s, len, 1);
	return e.fail ? -1 : 0;
}
