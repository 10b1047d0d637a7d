/*
 * html.h - HTML fragments to plain text, and HTML character references.
 *
 * What the sources hand us as "HTML" is a fragment (Mastodon content,
 * Reddit body_html, HN comment_text, YouTube textDisplay, feed content),
 * never a document we must render, so this is a small tolerant scanner,
 * not a parser: tags are dropped, <script>/<style>/<template> lose their
 * content, comments vanish, every character reference is decoded exactly
 * once (named, &#DDD; and &#xHH;), whitespace is collapsed and block
 * boundaries (<p>, <br>, <li>, <div>, <tr>, <h1>...) become one '\n'.
 *
 * "Collapsed" text, the form every function here produces: no leading or
 * trailing white space, no empty lines, runs of blanks (space, tab, CR,
 * U+00A0 and the other Unicode spaces) become one space, a line break
 * never has a blank next to it, C0 control characters other than tab and
 * newline are removed, and invalid UTF-8 bytes become U+FFFD, so the
 * result is always valid UTF-8 without NUL bytes (safe for jansson).
 *
 * Every function appends to a caller's bounded buffer and returns 0, or
 * -1 when the buffer's maximum would be exceeded (the buffer then holds a
 * prefix of the result that is still valid UTF-8).  The output is never
 * longer than 3 * LEN bytes, so a buffer whose max is at least 3 * LEN + 4
 * cannot fail.  Nothing here prints, allocates outside the buffer, or
 * depends on the locale.
 */
#ifndef HARK_HTML_H
#define HARK_HTML_H

#include "hark.h"
#include "buf.h"

/* Append the collapsed plain text of the HTML fragment S[0..LEN) to OUT. */
int hark_html_to_text(const char *s, size_t len, struct hark_buf *out);

/*
 * Append the plain text S[0..LEN) to OUT collapsed (see above) without
 * touching '&' or '<': for sources that already give plain text.
 */
int hark_html_collapse(const char *s, size_t len, struct hark_buf *out);

/*
 * Append S[0..LEN) to OUT with every character reference decoded once and
 * nothing else changed except that invalid UTF-8 becomes U+FFFD and NUL
 * bytes are dropped (no collapsing): for text that is "plain but
 * entity-escaped", e.g. X's text ("&amp;" "&lt;" "&gt;").
 */
int hark_html_unescape(const char *s, size_t len, struct hark_buf *out);

/*
 * Decode the character reference at S (which must start with '&', LEN
 * bytes available).  On success stores the code point(s) in CP[0] and
 * CP[1] (CP[1] is -1 unless the entity maps to two code points) and
 * returns the bytes consumed including the ';' when present; returns 0
 * when S does not start a reference (the '&' is then literal).  Follows
 * HTML5: numeric references to 0, surrogates or past U+10FFFF give
 * U+FFFD, 0x80-0x9F are read as windows-1252, and the legacy names (amp,
 * lt, gt, quot, nbsp, the Latin-1 letters...) are accepted without ';'
 * when no letter or digit follows.
 */
size_t hark_html_entity(const char *s, size_t len, int32_t cp[2]);

/*
 * Locale-independent ASCII classes: <ctype.h> follows LC_CTYPE, and in a
 * Latin-1 locale isspace(0xA0) would cut a UTF-8 continuation byte.
 */
static inline int hark_ascii_isdigit(int c) { return c >= '0' && c <= '9'; }
static inline int hark_ascii_isalpha(int c)
{ return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline int hark_ascii_isalnum(int c)
{ return hark_ascii_isalpha(c) || hark_ascii_isdigit(c); }
static inline int hark_ascii_isxdigit(int c)
{ return hark_ascii_isdigit(c) || (c >= 'a' && c <= 'f') ||
    (c >= 'A' && c <= 'F'); }
static inline int hark_ascii_isspace(int c)
{ return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
    c == '\v'; }
static inline int hark_ascii_tolower(int c)
{ return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

/* Append code point CP to OUT as UTF-8 (invalid ones as U+FFFD). */
int hark_utf8_put(struct hark_buf *out, int32_t cp);

#endif
