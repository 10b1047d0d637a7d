/* test-intern.c - string interning: dense ids in first-seen order, the
 * same id for the same bytes, strings that stay put across growth, NUL
 * cutting, find without interning. */
#include <stdio.h>
#include <string.h>
#include "intern.h"
#include "tap.h"

int
main(void)
{
	struct hark_intern t;
	char buf[32], big[3 << 20];
	const char *first;
	uint32_t i, ok_ids = 1, ok_again = 1;

	hark_intern_init(&t);
	is_int(hark_intern(&t, "alpha", 5), 0, "first string is id 0");
	is_int(hark_intern(&t, "beta", 4), 1, "second is id 1");
	is_int(hark_intern(&t, "alpha", 5), 0, "same bytes, same id");
	is_int(hark_intern(&t, "alphabet", 5), 0, "the length counts, "
	    "not the NUL");
	is_int(hark_intern(&t, "", 0), 2, "the empty string is a string");
	is_int(hark_intern(&t, "ab\0cd", 5), hark_intern(&t, "ab", 2),
	    "cut at a NUL byte");
	first = hark_intern_str(&t, 0);
	for (i = 0; i < 100000; i++) {
		snprintf(buf, sizeof(buf), "k%u", i);
		if (hark_intern(&t, buf, strlen(buf)) != i + 4)
			ok_ids = 0;
	}
	ok(ok_ids, "100000 new strings get ids 4..100003 in order");
	for (i = 0; i < 100000; i += 997) {
		snprintf(buf, sizeof(buf), "k%u", i);
		if (hark_intern_find(&t, buf, strlen(buf)) != i + 4 ||
		    strcmp(hark_intern_str(&t, i + 4), buf) != 0)
			ok_again = 0;
	}
	ok(ok_again, "found again after the table grew");
	ok(hark_intern_str(&t, 0) == first && strcmp(first, "alpha") == 0,
	    "strings never move");
	is_int(hark_intern_find(&t, "gamma", 5), HARK_INTERN_NONE,
	    "find does not intern");
	is_int(t.n, 100004, "nothing interned by find");
	ok(hark_intern_str(&t, HARK_INTERN_NONE) == NULL, "NONE has no "
	    "string");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	i = hark_intern(&t, big, sizeof(big) - 1);
	ok(strlen(hark_intern_str(&t, i)) == sizeof(big) - 1, "a string "
	    "longer than a block gets its own");
	hark_intern_release(&t);
	return tap_done();
}
