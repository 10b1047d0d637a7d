#!/bin/sh
# bench/gen.sh SHAPE N - write N deterministic synthetic mention records
# of one shape to stdout, for the throughput benchmarks (texts are written
# for the bench in English, Polish and Czech, not taken from any data set):
#   short  ~450 bytes: id, source, url, created_at, a small author object,
#          a 40-200 byte text, lang, kind, metrics and sentiment-score's
#          member (the shape most real streams have)
#   full   mention-fetch's whole record layout (many nulls, thread,
#          context, rating, query, fetched_at) with a short text
#   long   the short shape with a 1-2 kB text (long posts, reviews)
#   hostile  records with ~1 MiB texts built to make a scanner
#          quadratic: "#12345 " repeated, e-mail-like, phone-like,
#          IBAN-like and URL tokens (N records, cycling through them)
# Every fifth record is a brand reply (author.is_brand true), so the
# sla-report figures include replies; in the full shape it replies through
# thread.parent_id to the record before it.
set -eu
shape=${1:?usage: gen.sh short|full|long|hostile N}
n=${2:?usage: gen.sh short|full|long|hostile N}
LC_ALL=C awk -v shape="$shape" -v n="$n" '
function rnd(m) {	# deterministic: a linear congruential generator
	seed = (seed * 1103515245 + 12345) % 2147483648
	return int(seed / 65536) % m
}
function text(lo, hi,    s, f, tries) {	# fragments, lo..hi bytes
	s = ""
	while (length(s) < lo && tries++ < 40) {
		f = frag[L, rnd(nf[L])]
		if (length(s) + 1 + length(f) <= hi)
			s = s (s == "" ? "" : " ") f
	}
	return s
}
function rep(s, k,    r) {	# S repeated K times, by doubling
	r = ""
	while (k > 0) {
		if (k % 2)
			r = r s
		s = s s
		k = int(k / 2)
	}
	return r
}
BEGIN {
	seed = 20250301
	nf["en"] = split("@brand my order #4432190 never arrived|" \
	    "where is my parcel, tracking says delivered but nothing here|" \
	    "the app keeps crashing after the latest update|" \
	    "I was charged twice this month, please fix it|" \
	    "thanks for the quick help yesterday, great service!|" \
	    "can I change the delivery address for order 778812?|" \
	    "login does not work since this morning|" \
	    "still waiting for my refund, it has been three weeks|" \
	    "the charger stopped working after two days|" \
	    "love the new colours, any plans for a black version?|" \
	    "customer service never answers the phone, terrible|" \
	    "my account got locked and the reset link is broken|" \
	    "call me at +44 7700 900123 please|" \
	    "you can reach me at anna.smith@example.org|" \
	    "is the store on Main Street open on Sunday?|" \
	    "package arrived damaged, the box was crushed|" \
	    "great product, works exactly as described :)|" \
	    "why does the invoice show the wrong VAT number?|" \
	    "see https://example.com/help/1234 it says otherwise|" \
	    "#fail the courier left it in the rain", t, "|")
	for (i = 1; i <= nf["en"]; i++) frag["en", i - 1] = t[i]
	nf["pl"] = split("zamówienie nr 12345 nie doszło, gdzie jest paczka?|" \
	    "kurier znowu nie przyjechał, czekam cały dzień|" \
	    "aplikacja się zawiesza po aktualizacji|" \
	    "chcę zwrot pieniędzy za uszkodzony towar|" \
	    "dziękuję za szybką pomoc, polecam!|" \
	    "czy macie ten model w kolorze czarnym?|" \
	    "nie mogę się zalogować od wczoraj|" \
	    "pobrano mi opłatę dwa razy, proszę o wyjaśnienie|" \
	    "zadzwońcie proszę 600 123 456|" \
	    "mój mail to jan.kowalski@example.pl|" \
	    "obsługa klienta w ogóle nie odpowiada|" \
	    "produkt super, działa bez zarzutu|" \
	    "paczka przyszła zgnieciona, w środku wszystko połamane|" \
	    "kiedy będzie dostępna nowa wersja?|" \
	    "faktura ma błędny NIP, proszę poprawić|" \
	    "reklamacja złożona miesiąc temu i cisza", t, "|")
	for (i = 1; i <= nf["pl"]; i++) frag["pl", i - 1] = t[i]
	nf["cs"] = split("objednávka nedorazila, zásilka je ztracená|" \
	    "chci vrátit peníze za rozbitý výrobek|" \
	    "aplikace po aktualizaci padá|" \
	    "děkuji za rychlou pomoc, doporučuji|" \
	    "účtovali jste mi dvakrát, reklamace!|" \
	    "volejte prosím +420 777 123 456|" \
	    "nemůžu se přihlásit do účtu|" \
	    "kurýr nepřijel a nikdo nic neví|" \
	    "máte tento model i v modré barvě?|" \
	    "skvělý produkt, funguje přesně jak má|" \
	    "faktura je špatně, opravte to prosím|" \
	    "balík přišel poškozený, krabice byla rozmačkaná|" \
	    "zákaznická podpora vůbec neodpovídá|" \
	    "můj email je petr.novak@example.cz", t, "|")
	for (i = 1; i <= nf["cs"]; i++) frag["cs", i - 1] = t[i]
	split("x|facebook|instagram|reddit|youtube|rss", src, "|")
	split("en|en|en|pl|pl|cs", lg, "|")
	# hostile texts: 1 MiB less 512 bytes each (so the record stays
	# within the default line limit of 1 MiB), JSON-safe
	if (shape == "hostile") {
	h[0] = rep("#12345 ", 149723)
	h[1] = rep("jan.k@example.com ", 58225)
	h[2] = rep("+48 600 123 456 ", 65504)
	h[3] = rep("PL61 1090 1014 0000 0712 1981 2874 ", 29944)
	h[4] = rep("https://example.com/a/b?c=1 ", 37430)
	h[5] = rep("a@", 524032)
	h[6] = rep("order ", 174677)
	}
	nh = 7
	for (i = 0; i < n; i++) {
		s = src[rnd(6) + 1]
		L = lg[rnd(6) + 1]
		brand = i % 5 == 4
		day = 1 + int(i / 40000) % 28
		sec = (i * 7) % 86400
		ts = sprintf("2025-03-%02dT%02d:%02d:%02dZ", day,
		    int(sec / 3600), int(sec / 60) % 60, sec % 60)
		if (shape == "hostile")
			tx = h[i % nh]
		else if (brand)
			tx = L == "en" ? "@user" i " sorry to hear that, please DM us your order number" : \
			    L == "pl" ? "@user" i " przepraszamy, prosimy o numer zamówienia w wiadomości prywatnej" : \
			    "@user" i " omlouváme se, pošlete nám prosím číslo objednávky soukromou zprávou"
		else if (shape == "long")
			tx = text(1024 + rnd(900), 2048)
		else
			tx = text(40 + rnd(140), 200)
		sc = (rnd(2001) - 1000) / 1000
		lab = sc > 0.25 ? "positive" : sc < -0.25 ? "negative" : "neutral"
		au = brand ? "brand" : "u" (i % 9973)
		if (shape == "full")
			printf "{\"v\":1,\"source\":\"%s\",\"id\":\"%s:%d\",\"native_id\":\"%d\",\"kind\":\"%s\",\"url\":\"https://example.com/p/%d\",\"created_at\":\"%s\",\"updated_at\":null,\"author\":{\"id\":\"%s\",\"handle\":\"%s\",\"name\":\"User %d\",\"url\":null,\"followers\":%d,\"is_brand\":%s},\"title\":null,\"text\":\"%s\",\"html\":null,\"lang\":\"%s\",\"thread\":{\"root_id\":%s,\"parent_id\":%s,\"in_reply_to_author_id\":%s},\"context\":{\"community\":null,\"title\":null,\"url\":null},\"metrics\":{\"likes\":%d,\"reposts\":0,\"replies\":1,\"quotes\":0,\"score\":null,\"views\":null},\"rating\":null,\"query\":\"brand\",\"fetched_at\":\"2025-03-29T00:00:00Z\",\"sentiment\":{\"score\":%.3f,\"label\":\"%s\"}}\n", \
			    s, s, i, i, brand ? "comment" : "post", i, ts, au, au, i % 9973, rnd(50000), brand ? "true" : "false", tx, L, \
			    brand ? "\"" s ":" (i - 1) "\"" : "null", brand ? "\"" s ":" (i - 1) "\"" : "null", brand ? "\"u" ((i - 1) % 9973) "\"" : "null", \
			    rnd(100), sc, lab
		else
			printf "{\"id\":\"%s:%d\",\"source\":\"%s\",\"url\":\"https://example.com/%s/p/%d\",\"created_at\":\"%s\",\"author\":{\"id\":\"%s\",\"handle\":\"%s\",\"name\":\"User %d\",\"followers\":%d,\"is_brand\":%s},\"text\":\"%s\",\"lang\":\"%s\",\"kind\":\"%s\",\"metrics\":{\"likes\":%d,\"reposts\":%d,\"replies\":%d,\"quotes\":%d},\"sentiment\":{\"score\":%.3f,\"label\":\"%s\"}}\n", \
			    s, i, s, s, i, ts, au, au, i % 9973, rnd(50000), brand ? "true" : "false", tx, L, brand ? "comment" : "post", \
			    rnd(100), rnd(10), rnd(20), rnd(5), sc, lab
	}
}'
