/* test-crmkey.c - SHA-256 (FIPS 180-4 vectors) and crm-join's key
 * normalization (lib/sha256.h, lib/crmkey.h). */
#include "hark.h"
#include "sha256.h"
#include "crmkey.h"
#include "tap.h"

static char out[HARK_CRMKEY_MAX];

static const char *
em(const char *s)
{
	return hark_crmkey_email(s, strlen(s), out, sizeof(out)) < 0 ? NULL :
	    out;
}

static const char *
ph(const char *s)
{
	return hark_crmkey_phone(s, strlen(s), "48", out, sizeof(out)) < 0 ?
	    NULL : out;
}

static const char *
hs(const char *s)
{
	return hark_crmkey_handle_spec(s, strlen(s), out, sizeof(out)) < 0 ?
	    NULL : out;
}

static const char *
od(const char *s)
{
	return hark_crmkey_order(s, strlen(s), out, sizeof(out)) < 0 ? NULL :
	    out;
}

int
main(void)
{
	char hex[HARK_SHA256_HEXLEN + 1], *mil;
	struct hark_sha256 s;
	unsigned char d[HARK_SHA256_LEN];
	size_t i;

	/* FIPS 180-4 / NIST CSRC example vectors */
	is_str(hark_sha256_hex("abc", 3, hex), "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad", "sha256 abc");
	is_str(hark_sha256_hex("", 0, hex), "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855", "sha256 empty");
	is_str(hark_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnl"
	    "mnomnopnopq", 56, hex), "248d6a61d20638b8e5c026930c3e6039a33ce459"
	    "64ff2167f6ecedd419db06c1", "sha256 two blocks (448 bits)");
	mil = malloc(1000000);
	memset(mil, 'a', 1000000);
	is_str(hark_sha256_hex(mil, 1000000, hex), "cdc76e5c9914fb9281a1c7e284"
	    "d73e67f1809a48a497200e046d39ccc7112cd0", "sha256 a million a");
	/* the same in uneven pieces through update() */
	hark_sha256_init(&s);
	for (i = 0; i < 1000000; i += 997)
		hark_sha256_update(&s, mil + i, HARK_MIN(997, 1000000 - i));
	hark_sha256_final(&s, d);
	is_int(d[0], 0xcd, "sha256 streamed first byte");
	is_int(d[31], 0xd0, "sha256 streamed last byte");
	free(mil);

	is_str(em(" Jan.Kowalski@Example.PL "), "jan.kowalski@example.pl",
	    "email lower-cased, dots kept");
	is_str(em("Jan.Kowalski+promo@Gmail.com"), "jankowalski@gmail.com",
	    "gmail drops dots and +tag");
	is_str(em("j.k@googlemail.com"), "jk@gmail.com", "googlemail is gmail");
	is_str(em("anna+x@outlook.com"), "anna@outlook.com",
	    "outlook drops +tag");
	is_str(em("anna+x@wp.pl"), "anna+x@wp.pl", "wp.pl keeps +tag");
	ok(em("a@b") == NULL, "email needs a dot in the domain");
	ok(em("a..b@c.pl") == NULL, "email double dot");
	ok(em("a@@c.pl") == NULL, "email two @");
	ok(em("a b@c.pl") == NULL, "email blank inside");
	ok(em("@c.pl") == NULL, "email empty local part");
	ok(em("a@c.p1") == NULL, "email numeric tld");
	ok(em("+x@gmail.com") == NULL, "email nothing before +tag");
	/* found by fuzz-crmkey: dropping the tag left "--k-.", which is no
	 * local part, so the key did not normalize to itself */
	is_str(em("--K-.+@proton.me"), "--k-.+@proton.me",
	    "a +tag after a dot stays");
	is_str(em("--k-.+@proton.me"), "--k-.+@proton.me",
	    "a +tag after a dot stays: normalizing again gives it back");
	is_str(em("a.+x@gmail.com"), "a@gmail.com",
	    "gmail drops the dot before a +tag too");

	is_str(ph("+48 601 234 567"), "+48601234567", "phone +48");
	is_str(ph("0048-601-234-567"), "+48601234567", "phone 0048");
	is_str(ph("601234567"), "+48601234567", "phone bare, default +48");
	is_str(ph("(+48) 22 123 45 67"), "+48221234567", "phone brackets");
	is_str(ph("+420 601 123 456"), "+420601123456", "phone +420");
	is_str(ph("00420601123456"), "+420601123456", "phone 00420");
	is_str(ph("420601123456"), "+420601123456", "phone bare 420");
	is_str(ph("+44 (0) 20 7946 0958"), "+442079460958", "phone (0) trunk");
	ok(ph("+48 601 234 56") == NULL, "phone PL 8 digits");
	ok(ph("+420 601 123 4567") == NULL, "phone CZ 10 digits");
	ok(ph("12345") == NULL, "phone too short");
	ok(ph("+1 800 FLOWERS") == NULL, "phone letters");
	ok(ph("+0 123456789") == NULL, "phone leading 0 after +");

	is_str(hs("x:@Jan_K"), "x:jan_k", "handle x folded");
	is_str(hs("Twitter:jan_k"), "x:jan_k", "handle twitter is x");
	is_str(hs("reddit:u/Some_User"), "reddit:some_user", "handle reddit u/");
	is_str(hs("hackernews:PG"), "hackernews:PG", "handle hn case kept");
	is_str(hs("mastodon:@Anna@Mastodon.Social"),
	    "mastodon:anna@mastodon.social", "handle mastodon");
	is_str(hs("reddit:u/U/@x"), "reddit:x", "handle: every prefix dropped");
	is_str(hs("x:@@Jan"), "x:jan", "handle: normal form is normal (@@)");
	ok(hs("jan_k") == NULL, "handle without source");
	ok(hs("x:") == NULL, "handle empty");

	is_str(od("zam-2024/0042"), "ZAM20240042", "order normalized");
	ok(od("12#4") == NULL, "order bad char");
	return tap_done();
}
