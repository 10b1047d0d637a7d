/* utf8.c - UTF-8 validity (utf8.h). */
#include "utf8.h"

int
hark_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		size_t n;

		while (end - p >= 8) {
			uint64_t w;

			memcpy(&w, p, 8);
			if (w & 0x8080808080808080ull)
				break;
			p += 8;
		}
		if (p == end)
			break;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((n = hark_utf8_len(p, end)) == 0)
			return 0;
		p += n;
	}
	return 1;
}
