/* test-token.c - the social-media tokeniser (lib/token.h). */
#include "hark.h"
#include "token.h"
#include "tap.h"

/* Tokenise S and render "type:text|type:text|..." into OUT. */
static const char *
toks(const char *s)
{
	static char out[2048];
	struct hark_tokenizer t;
	struct hark_token tok;
	size_t o = 0;

	out[0] = '\0';
	hark_tok_init(&t, s, strlen(s));
	while (hark_tok_next(&t, &tok)) {
		int n = snprintf(out + o, sizeof(out) - o, "%s%s:%.*s",
		    o ? "|" : "", hark_tok_type_name(tok.type), (int)tok.len,
		    s + tok.off);

		if (n < 0 || (size_t)n >= sizeof(out) - o)
			break;
		o += (size_t)n;
	}
	return out;
}

/* The parts of hashtag body S (at most MAX) as "text|text|...", a
 * number's text in brackets. */
static const char *
parts(const char *s, size_t max)
{
	static char out[2048];
	struct hark_token p[64];
	size_t n = hark_tok_hashtag_parts(s, strlen(s), p, max), i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		int k = snprintf(out + o, sizeof(out) - o,
		    p[i].type == HARK_TOK_NUMBER ? "%s[%.*s]" : "%s%.*s",
		    o ? "|" : "", (int)p[i].len, s + p[i].off);

		if (k < 0 || (size_t)k >= sizeof(out) - o)
			break;
		o += (size_t)k;
	}
	return out;
}

/* The flags of part I of hashtag body S. */
static unsigned
part_flags(const char *s, size_t i)
{
	struct hark_token p[16];
	size_t n = hark_tok_hashtag_parts(s, strlen(s), p, 16);

	return i < n ? p[i].flags : 0;
}

static unsigned
first_flags(const char *s)
{
	struct hark_tokenizer t;
	struct hark_token tok;

	hark_tok_init(&t, s, strlen(s));
	return hark_tok_next(&t, &tok) ? tok.flags : 0;
}

int
main(void)
{
	struct hark_tokenizer t;
	struct hark_token tok;
	char key[64];

	is_str(toks("Hello, world!"), "word:Hello|punct:,|word:world|punct:!",
	    "words and punctuation");
	is_str(toks("don't can’t"), "word:don't|word:can’t",
	    "inner apostrophes stay in words");
	is_str(toks("Great!!! Really?!"),
	    "word:Great|punct:!!!|word:Really|punct:?!", "runs of ! and ?");
	is_str(toks("nie działa, zásilka nepřišla"),
	    "word:nie|word:działa|punct:,|word:zásilka|word:nepřišla",
	    "Polish and Czech letters");
	is_str(toks("waited 2.5 hours, 10:30 now"),
	    "word:waited|number:2.5|word:hours|punct:,|number:10:30|word:now",
	    "numbers with . and :");
	is_str(toks("40min"), "number:40|word:min", "number then unit");
	is_str(toks("@united #fail http://x.co/a?b=1."),
	    "mention:@united|hashtag:#fail|url:http://x.co/a?b=1|punct:.",
	    "mention, hashtag, url without trailing dot");
	is_str(toks("email a@b.com"), "word:email|word:a|punct:@|word:b|punct:.|word:com",
	    "an address is not a mention");
	is_str(toks(":) :-( :D ;) <3 xD :'( :-)))"),
	    "emoticon::)|emoticon::-(|emoticon::D|emoticon:;)|emoticon:<3|"
	    "emoticon:xD|emoticon::'(|emoticon::-)))", "emoticons");
	is_str(toks("great:)"), "word:great|emoticon::)", "emoticon after a word");
	is_str(toks("xdrive <30 min 1:3"),
	    "word:xdrive|punct:<|number:30|word:min|number:1:3",
	    "no emoticons inside words and numbers");
	is_str(toks("T_T o_O ^^ -_-"),
	    "emoticon:T_T|emoticon:o_O|emoticon:^^|emoticon:-_-",
	    "eastern emoticons");
	is_str(toks("xP XP xd XD o.O O.o T.T O_O O_o o_o"),
	    "emoticon:xP|emoticon:XP|emoticon:xd|emoticon:XD|emoticon:o.O|"
	    "emoticon:O.o|emoticon:T.T|emoticon:O_O|emoticon:O_o|"
	    "emoticon:o_o",
	    "emoticons starting with a letter");
	is_str(toks("Today order Oops xray Xd To oO o_ T. x"),
	    "word:Today|word:order|word:Oops|word:xray|word:Xd|word:To|"
	    "word:oO|word:o_|word:T|punct:.|word:x",
	    "words starting with those letters");
	is_str(toks(" \t\r\n\f\va\xc2\xa0" "b\xe3\x80\x80" "c "),
	    "word:a|word:b|word:c", "ASCII and other white space");
	is_int(first_flags("aaa_bbb"), HARK_TOK_ASCII | HARK_TOK_ELONGATED,
	    "a letter three times: elongated");
	is_int(first_flags("a1112"), HARK_TOK_ASCII,
	    "a digit three times: not elongated");
	is_int(first_flags("ABC'D"), HARK_TOK_ASCII | HARK_TOK_UPPER |
	    HARK_TOK_CAPS, "capitals across an apostrophe");
	is_str(toks("tak_jo 2_x ÄÖü"), "word:tak_jo|number:2|word:_x|word:ÄÖü",
	    "'_' inside words, letters past ASCII");
	is_str(toks("😀😀"), "emoji:😀|emoji:😀", "emoji one by one");
	is_str(toks("👍🏽ok"), "emoji:👍🏽|word:ok", "skin tone stays with emoji");
	is_str(toks("🤦‍♀️!"), "emoji:🤦‍♀️|punct:!", "ZWJ sequence is one emoji");
	is_str(toks("👨‍👩‍👧 🇵🇱 ❤️ 1️⃣"),
	    "emoji:👨‍👩‍👧|emoji:🇵🇱|emoji:❤️|emoji:1️⃣",
	    "family, flag, heart with VS16, keycap");
	is_str(toks("a…b"), "word:a|punct:…|word:b", "ellipsis");
	is_str(toks(""), "", "empty text");
	is_str(toks("  \t\n "), "", "only whitespace");
	is_str(toks("a\xff" "b"), "word:a|symbol:\xff|word:b",
	    "invalid UTF-8 byte is a symbol");

	ok(first_flags("GREAT") & HARK_TOK_CAPS, "capitals flagged");
	ok(!(first_flags("Great") & HARK_TOK_CAPS), "title case is not caps");
	ok(!(first_flags("I") & HARK_TOK_CAPS), "one letter is not caps");
	ok(first_flags("ŚWIETNIE") & HARK_TOK_CAPS, "non-ASCII capitals");
	ok(first_flags("sooooo") & HARK_TOK_ELONGATED, "elongation flagged");
	ok(!(first_flags("good") & HARK_TOK_ELONGATED), "double letter is fine");
	ok(first_flags("abc") & HARK_TOK_ASCII, "ASCII flagged");

	hark_tok_init(&t, ":-(((", 5);
	ok(hark_tok_next(&t, &tok) && tok.repeat == 3, "emoticon repeats counted");
	hark_tok_init(&t, "!!?", 3);
	ok(hark_tok_next(&t, &tok) && tok.bangs == 2 && tok.questions == 1,
	    "bang and question counts");

	hark_tok_emoji_key("👍🏽", strlen("👍🏽"), 0, key, sizeof(key));
	is_str(key, "👍", "emoji key drops the skin tone");
	hark_tok_emoji_key("❤️", strlen("❤️"), 0, key, sizeof(key));
	is_str(key, "❤", "emoji key drops VS16");
	hark_tok_emoji_key("🤦‍♀️", strlen("🤦‍♀️"), 1, key, sizeof(key));
	is_str(key, "🤦", "first component of a ZWJ sequence");
	hark_tok_emoji_key("😀😀", strlen("😀😀"), 0, key, 5);
	is_str(key, "😀", "key truncated to fit whole code points");

	/* hashtags split into the words they are written as */
	is_str(parts("NeverAgain", 16), "Never|Again", "CamelCase tag");
	is_str(parts("neverAgain", 16), "never|Again", "camelCase tag");
	is_str(parts("epicfail", 16), "epicfail", "lower case: one part");
	is_str(parts("MAGA", 16), "MAGA", "capitals: one part");
	is_str(parts("ILoveNY", 16), "I|Love|NY", "one-letter word, capitals");
	is_str(parts("NYCMarathon", 16), "NYC|Marathon",
	    "a run of capitals before a word");
	is_str(parts("AStarIsBorn", 16), "A|Star|Is|Born",
	    "a single capital before a word");
	is_str(parts("DVDs", 16), "DVDs", "plural of capitals kept whole");
	is_str(parts("GOPDebate", 16), "GOP|Debate", "capitals, then a word");
	is_str(parts("Top10", 16), "Top|[10]", "letters then digits");
	is_str(parts("2016Election", 16), "[2016]|Election",
	    "digits then letters");
	is_str(parts("iPhone7Plus", 16), "i|Phone|[7]|Plus", "mixed");
	is_str(parts("love_wins", 16), "love|wins", "underscores cut and drop");
	is_str(parts("_a__b_", 16), "a|b", "underscores at the ends");
	is_str(parts("___", 16), "", "underscores only: no part");
	is_str(parts("", 16), "", "empty tag: no part");
	is_int((long)hark_tok_hashtag_parts("AbCd", 4, NULL, 0), 0,
	    "room for none: no part");
	is_str(parts("a", 16), "a", "one letter");
	is_str(parts("ZażółćGęśląJaźń", 16), "Zażółć|Gęślą|Jaźń",
	    "Polish letters");
	is_str(parts("ÉtéÀParis", 16), "Été|À|Paris",
	    "capitals with accents");
	is_str(parts("Cafe\xcc\x81Noir", 16), "Cafe\xcc\x81|Noir",
	    "a combining mark stays with its letter");
	is_str(parts("東京Olympics", 16), "東京Olympics",
	    "letters without case do not cut");
	is_str(parts("OneTwoThreeFourFive", 3), "One|Two|ThreeFourFive",
	    "at the limit the last part takes the rest");
	is_str(parts("OneTwo_three", 2), "One|Two_three",
	    "the rest may hold an underscore");
	{
		char big[4096];
		size_t i;

		for (i = 0; i + 3 < sizeof(big); i += 3)
			memcpy(big + i, "AbC", 3);
		big[i] = '\0';
		is_int((long)strlen(parts(big, 16)) > 0, 1,
		    "a very long tag is cut into at most MAX parts");
		ok(hark_tok_hashtag_parts(big, strlen(big),
		    (struct hark_token[16]){ { 0 } }, 16) == 16,
		    "a very long tag: 16 parts");
	}
	ok(part_flags("SoooHappy", 0) & HARK_TOK_ELONGATED,
	    "an elongated part");
	ok(part_flags("WTFAirline", 0) & HARK_TOK_CAPS, "a part in capitals");
	ok(!(part_flags("WTFAirline", 1) & HARK_TOK_CAPS), "a titled part");
	ok(part_flags("WTFAirline", 1) & HARK_TOK_UPPER, "with a capital");
	ok(!(part_flags("love_wins", 0) & HARK_TOK_UPPER),
	    "a lower-case part");
	ok(part_flags("love_wins", 1) & HARK_TOK_PART &&
	    part_flags("love_wins", 1) & HARK_TOK_ASCII, "part, ASCII");
	ok(!(part_flags("ÉtéÀParis", 0) & HARK_TOK_ASCII), "not ASCII");
	return tap_done();
}
