/* test-pii.c - unit tests for lib/pii (personal-data detectors). */
#include <time.h>
#include "pii.h"
#include "tap.h"

static struct hark_pii pii;

/* The kinds found in TEXT as "kind:matched-text,..." */
static const char *
scan(const char *text)
{
	static char out[1024];
	struct hark_pii_match m[16];
	size_t n = hark_pii_scan(&pii, text, strlen(text), m, 16), i, k = 0;

	out[0] = '\0';
	for (i = 0; i < n && i < 16; i++)
		k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%s:%.*s",
		    i ? "," : "", hark_pii_name(m[i].kind), (int)m[i].len,
		    text + m[i].off);
	return out;
}

static const char *
redact(const char *text)
{
	static char out[1024];
	struct hark_pii_match m[16];
	struct hark_buf b = HARK_BUF_INIT(4096);
	size_t n = hark_pii_scan(&pii, text, strlen(text), m, 16);

	hark_pii_redact(text, strlen(text), m, n, &b);
	snprintf(out, sizeof(out), "%s", hark_buf_str(&b));
	hark_buf_release(&b);
	return out;
}

static void
test_validators(void)
{
	ok(hark_pii_pesel_ok("44051401359", 11), "pesel 1944 valid");
	ok(hark_pii_pesel_ok("02270803624", 11), "pesel 2002 valid");
	ok(!hark_pii_pesel_ok("44051401358", 11), "pesel bad check digit");
	ok(!hark_pii_pesel_ok("44053201352", 11), "pesel bad date (32nd)");
	ok(!hark_pii_pesel_ok("4405140135", 10), "pesel wrong length");
	ok(hark_pii_birth_number_ok("7851011234", 10), "rc woman 1978");
	ok(hark_pii_birth_number_ok("0456123459", 10), "rc 2004");
	ok(hark_pii_birth_number_ok("7360281236", 10), "rc woman Oct 1973");
	ok(!hark_pii_birth_number_ok("7851011235", 10), "rc bad mod 11");
	ok(!hark_pii_birth_number_ok("7813011231", 10), "rc bad month");
	ok(hark_pii_birth_number_ok("530101123", 9), "rc 9 digits 1953");
	ok(!hark_pii_birth_number_ok("780101123", 9), "rc 9 digits after 1953");
	ok(hark_pii_luhn_ok("4111111111111111", 16), "luhn visa test");
	ok(hark_pii_luhn_ok("5500000000000004", 16), "luhn mc test");
	ok(!hark_pii_luhn_ok("4111111111111112", 16), "luhn bad");
	ok(hark_pii_iban_ok("PL61109010140000071219812874", 28), "iban PL");
	ok(hark_pii_iban_ok("CZ6508000000192000145399", 24), "iban CZ");
	ok(hark_pii_iban_ok("gb82west12345698765432", 22), "iban lower");
	ok(!hark_pii_iban_ok("PL61109010140000071219812875", 28),
	    "iban bad checksum");
	ok(!hark_pii_iban_ok("PL6110901014000007121981287", 27),
	    "iban PL wrong length");
}

static void
test_scan(void)
{
	is_str(scan("write to jan.kowalski+care@example.co.uk please"),
	    "email:jan.kowalski+care@example.co.uk", "email");
	is_str(scan("@VirginAmerica thanks"), "", "handle is not email");
	is_str(scan("mail me at a@b.c."), "", "one-letter tld rejected");
	is_str(scan("x@localhost"), "", "no dot, no email");
	is_str(scan("zadzwoń +48 600 123 456 albo 0048600123456"),
	    "phone:+48 600 123 456,phone:0048600123456", "phone PL");
	is_str(scan("tel. 600-123-456."), "phone:600-123-456",
	    "phone PL bare, hyphens");
	is_str(scan("volejte +420 777 123 456"), "phone:+420 777 123 456",
	    "phone CZ");
	is_str(scan("call +1 (415) 555-2671 now"), "phone:+1 (415) 555-2671",
	    "phone international");
	is_str(scan("+48 600 123 45"), "", "phone +48 too short");
	is_str(scan("on 2025-03-01 at 12:30 paid 1 299 zł"), "",
	    "dates and prices are not phones");
	is_str(scan("kod ABC600123456"), "", "glued to letters");
	is_str(scan("PESEL 44051401359"), "pesel:44051401359", "pesel");
	is_str(scan("PESEL 44051401358"), "", "pesel bad check digit");
	is_str(scan("RČ 785101/1234"), "birth_number:785101/1234",
	    "birth number with slash");
	is_str(scan("rc 7851011234"), "birth_number:7851011234",
	    "birth number plain");
	is_str(scan("rc 785101/1235"), "", "birth number bad check");
	is_str(scan("rč 530101/123"), "birth_number:530101/123",
	    "birth number 9 digits");
	is_str(scan("IBAN PL61 1090 1014 0000 0712 1981 2874."),
	    "iban:PL61 1090 1014 0000 0712 1981 2874", "iban spaced");
	is_str(scan("účet CZ6508000000192000145399"),
	    "iban:CZ6508000000192000145399", "iban CZ");
	is_str(scan("konto 61 1090 1014 0000 0712 1981 2874"),
	    "iban:61 1090 1014 0000 0712 1981 2874", "nrb 26 digits");
	is_str(scan("IBAN PL61 1090 1014 0000 0712 1981 2875"), "",
	    "iban bad checksum, not a card or phone either");
	is_str(scan("card 4111 1111 1111 1111 exp"),
	    "card:4111 1111 1111 1111", "card spaced");
	is_str(scan("card 4111-1111-1111-1112"), "", "card bad luhn");
	is_str(scan("my order #12345678 never came"), "order:12345678",
	    "order with #");
	is_str(scan("zamówienie nr 2025-12345 nie doszło"),
	    "order:2025-12345", "order PL");
	is_str(scan("objednávka č. 987654 nedorazila"), "order:987654",
	    "order CS");
	is_str(scan("Order number: AB-99812"), "order:AB-99812",
	    "order letters");
	is_str(scan("call 600123456 or 601 222 333, mail x@y.pl"),
	    "phone:600123456,phone:601 222 333,email:x@y.pl", "several");
	is_str(scan("on 2025-03-01 12:30 and 2020-05-03 12 and "
	    "1944 05 14 01359"),
	    "", "dates and grouped digits are not identity numbers");
	is_str(scan("44051401359 600123456"),
	    "pesel:44051401359,phone:600123456", "adjacent numbers split");
	is_str(redact("Jan, 600 123 456, jan@x.pl, PESEL 44051401359!"),
	    "Jan, [phone], [email], PESEL [pesel]!", "redact");
	is_str(redact("nothing here"), "nothing here", "redact nothing");
}

static void
test_pattern(void)
{
	struct hark_pii p;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_pii_match m[4];
	const char *t = "ticket T-000123 and order #12345678";

	ok(hark_pii_init(&p, "\\bT-\\d{6}\\b", &err) == 0, "custom pattern");
	is_int(hark_pii_scan(&p, t, strlen(t), m, 4), 1, "custom: one");
	is_int(m[0].off, 7, "custom: offset");
	hark_pii_release(&p);
	ok(hark_pii_init(&p, "", &err) == 0, "no order pattern");
	is_int(hark_pii_scan(&p, t, strlen(t), m, 4), 0, "disabled");
	hark_pii_release(&p);
	ok(hark_pii_init(&p, "(unclosed", &err) < 0, "bad pattern");
	is_int(err.code, 2, "bad pattern: code 2");
	ok(strstr(err.msg, "order-number pattern") != NULL, "bad: message");
}

/*
 * The built-in order pattern is only tried around numbers: on random
 * texts made of its pieces it must find exactly what the same pattern
 * finds when searched everywhere (a copy that is not the built-in one).
 */
static void
test_order_windows(void)
{
	static const char *const piece[] = { "order", "Order", "orders ",
	    "zamówienie", "ZAMÓWIENIA", "objednávka", "obj.", "ref",
	    "tracking", "nr", "no.", "číslo", "#", "# ", ":", " ", "  ",
	    "\t", "\xc2\xa0", "\xe2\x80\x83", "1", "12345", "1234567",
	    "-", "AB", "x", "ó", "٣٤٥٦٧", "१२३४५", "😡", "\n", "a1",
	    "55-55-55", "żółw", "č" };
	struct hark_pii plain, fast;
	struct hark_err err = HARK_ERR_INIT;
	char pat[1024], text[600];
	unsigned seed = 12345;
	int i, bad = 0, found = 0;

	snprintf(pat, sizeof(pat), "%s(?:)", hark_pii_default_order_pattern);
	if (hark_pii_init(&plain, pat, &err) < 0 ||
	    hark_pii_init(&fast, NULL, &err) < 0) {
		ok(0, "init: %s", err.msg);
		return;
	}
	ok(fast.builtin && !plain.builtin, "one built-in, one not");
	for (i = 0; i < 3000; i++) {
		const struct hark_pii_match *a, *b;
		size_t na, nb, k, len = 0;
		int j, n;

		seed = seed * 1103515245 + 12345;
		n = 1 + (int)(seed >> 16) % 40;
		for (j = 0; j < n; j++) {
			const char *p;

			seed = seed * 1103515245 + 12345;
			p = piece[(seed >> 16) % HARK_ARRAY_SIZE(piece)];
			if (len + strlen(p) >= sizeof(text))
				break;
			memcpy(text + len, p, strlen(p));
			len += strlen(p);
		}
		na = hark_pii_scan_text(&plain, text, len, &a, NULL);
		/* (the pieces are UTF-8: unchecked on every other text) */
		nb = i % 2 ? hark_pii_scan_utf8(&fast, text, len, &b, NULL) :
		    hark_pii_scan_text(&fast, text, len, &b, NULL);
		if (na != nb)
			bad++;
		for (k = 0; k < na && na == nb; k++)
			if (a[k].kind != b[k].kind || a[k].off != b[k].off ||
			    a[k].len != b[k].len)
				bad++;
		for (k = 0; k < nb; k++)
			found += b[k].kind == HARK_PII_ORDER;
	}
	is_int(bad, 0, "windowed order scan = plain search (3000 texts, half "
	    "of them through hark_pii_scan_utf8)");
	ok(found > 300, "and the texts had order numbers (%d)", found);
	hark_pii_release(&plain);
	hark_pii_release(&fast);
}

/* Every match is returned, however many; the scan is linear. */
static void
test_many(void)
{
	size_t n = 200000, len = n * 7, i, k;
	char *t = hark_xmalloc(len);
	const struct hark_pii_match *m;
	struct hark_err err = HARK_ERR_INIT;
	struct hark_pii p;
	clock_t c0;
	double secs;

	for (i = 0; i < n; i++)
		memcpy(t + i * 7, "#12345 ", 7);
	c0 = clock();
	k = hark_pii_scan_text(&pii, t, len, &m, &err);
	secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
	is_int(k, n, "200000 order numbers, all returned");
	ok(k == n && m[n - 1].off == len - 6, "the last one too");
	ok(secs < 5.0, "in %.2f s (it was quadratic: minutes)", secs);
	is_int(err.code, 0, "no error");
	/* a pattern over its match limit ends the scan with an error */
	ok(hark_pii_init(&p, "(?:a|aa)+b", &err) == 0, "slow pattern");
	memset(t, 'a', 80);
	memcpy(t + 80, "c #12345 b", 10);
	k = hark_pii_scan_text(&p, t, 90, &m, &err);
	is_int(err.code, 3, "match limit: reported");
	ok(strstr(err.msg, "match limit") != NULL, "match limit: %s",
	    err.msg);
	hark_pii_release(&p);
	/* invalid UTF-8 (not from JSON) is an error too, not a crash */
	err.code = 0;
	k = hark_pii_scan_text(&pii, "order #12345 \xff", 15, &m, &err);
	is_int(err.code, 3, "invalid UTF-8: reported");
	{	/* checked before the first match, wherever it is */
		static const char *const bad[] = {
		    "order #12345 and more ascii text \xed\xa0\x80",
		    "\xc0\xaf order #12345", "order #12345 \xe2\x82" };
		size_t i;

		for (i = 0; i < HARK_ARRAY_SIZE(bad); i++) {
			err.code = 0;
			(void)hark_pii_scan_text(&pii, bad[i], strlen(bad[i]),
			    &m, &err);
			is_int(err.code, 3, "invalid UTF-8 %zu: reported", i);
		}
		memset(&err, 0, sizeof(err));
		k = hark_pii_scan_text(&pii, "zam\xc3\xb3wienie #12345 "
		    "\xf0\x9f\x98\xa1", 24, &m, &err);
		ok(err.code == 0 && k == 1, "valid UTF-8: the order number "
		    "found (%zu, %s)", k, err.msg);
	}
	free(t);
}

/* The detectors skip text eight bytes at a time up to a digit, a '+' or
 * a byte that may begin a non-ASCII digit: each kind is found wherever
 * it starts in a word, after ASCII and non-ASCII text. */
static void
test_offsets(void)
{
	static const char *const fill[] = { "abcdefghijklmnopqrst",
	    "\xc5\xbc\xc3\xb3\xc5\x82w \xc5\x82\xc3\xb3" "d\xc5\xba \xc4\x8d" };
	static const struct { const char *text, *want; } k[] = {
		{ " +48 600 123 456", "phone:+48 600 123 456" },
		{ " CZ6508000000192000145399", "iban:CZ6508000000192000145399" },
		{ " order #12345678", "order:12345678" },
		{ " PESEL 44051401359", "pesel:44051401359" },
	};
	size_t f, i, n;

	for (f = 0; f < HARK_ARRAY_SIZE(fill); f++)
		for (i = 0; i < HARK_ARRAY_SIZE(k); i++)
			for (n = 0; n <= 17; n++) {
				char text[128];

				/* whole characters of the filler only */
				while (n > 0 && ((unsigned char)fill[f][n] &
				    0xc0) == 0x80)
					n++;
				snprintf(text, sizeof(text), "%.*s%s%s", (int)n,
				    fill[f], k[i].text, n % 2 ? " end" : "");
				is_str(scan(text), k[i].want, "%s after %zu "
				    "bytes of filler %zu", k[i].want, n, f);
			}
}

int
main(void)
{
	struct hark_err err = HARK_ERR_INIT;

	if (hark_pii_init(&pii, NULL, &err) < 0) {
		printf("not ok 1 - init: %s\n1..1\n", err.msg);
		return 1;
	}
	test_validators();
	test_scan();
	test_pattern();
	test_order_windows();
	test_many();
	test_offsets();
	hark_pii_release(&pii);
	return tap_done();
}
