/*
 * fuzz-html.c - lib/html on arbitrary bytes: the output must be valid
 * UTF-8 without NUL, within the documented 3 * LEN + 4 bound, and
 * collapsed (no leading/trailing blank, no blank next to a newline).
 */
#include "hark.h"
#include "buf.h"
#include "html.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
valid(const struct hark_buf *b, int collapsed)
{
	const char *s = hark_buf_str(b);
	size_t i = 0;

	if (strlen(s) != b->len)
		abort();	/* a NUL inside */
	while (i < b->len) {
		int32_t cp;
		size_t n = hark_utf8_next(s + i, b->len - i, &cp);

		/* U+FFFD from a 1-byte step means invalid input bytes. */
		if (cp == 0xfffd && n == 1)
			abort();
		i += n;
	}
	if (collapsed && b->len > 0 && (s[0] == ' ' || s[0] == '\n' ||
	    s[b->len - 1] == ' ' || s[b->len - 1] == '\n' ||
	    strstr(s, " \n") != NULL || strstr(s, "\n ") != NULL ||
	    strstr(s, "\n\n") != NULL || strstr(s, "  ") != NULL))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hark_buf b = HARK_BUF_INIT(3 * size + 4);
	const char *s = (const char *)data;

	if (hark_html_to_text(s, size, &b) == -1)
		abort();
	valid(&b, 1);
	hark_buf_reset(&b);
	if (hark_html_collapse(s, size, &b) == -1)
		abort();
	valid(&b, 1);
	hark_buf_reset(&b);
	if (hark_html_unescape(s, size, &b) == -1)
		abort();
	valid(&b, 0);
	hark_buf_release(&b);
	return 0;
}
