/* lang.c - hand-weighted language identification for en/pl/cs/sk. */
#include "buf.h"
#include "text.h"
#include "token.h"
#include "lang.h"

/*
 * Function words and very frequent short words, folded.  Weights are
 * per language (en, pl, cs, sk); a word two languages share gets a
 * weight in both, so only the distinctive ones decide.
 */
struct fw {
	const char *w;
	float en, pl, cs, sk;
};

static struct fw words[] = {
	/* English */
	{ "the", 2, 0, 0, 0 }, { "and", 1.5, 0, 0, 0 }, { "you", 1.5, 0, 0, 0 },
	{ "your", 1.5, 0, 0, 0 }, { "of", 1.5, 0, 0, 0 }, { "is", 1.5, 0, 0, 0 },
	{ "are", 1.5, 0, 0, 0 }, { "was", 1, .4, 0, 0 }, { "were", 1.5, 0, 0, 0 },
	{ "it", 1.2, 0, 0, 0 }, { "it's", 1.5, 0, 0, 0 }, { "its", 1, 0, 0, 0 },
	{ "i", .8, .8, 0, 0 }, { "i'm", 1.5, 0, 0, 0 }, { "im", .8, 0, 0, 0 },
	{ "my", 1, .3, .3, .3 }, { "me", 1, 0, .4, 0 }, { "for", 1.5, 0, 0, 0 },
	{ "on", .8, .4, .4, .4 }, { "in", 1, 0, 0, 0 }, { "at", 1, 0, 0, 0 },
	{ "this", 1.5, 0, 0, 0 }, { "that", 1.5, 0, 0, 0 },
	{ "with", 1.5, 0, 0, 0 }, { "have", 1.5, 0, 0, 0 },
	{ "has", 1.2, 0, 0, 0 }, { "had", 1.2, 0, 0, 0 }, { "be", 1, 0, 0, 0 },
	{ "been", 1, 0, 0, 0 }, { "not", 1.5, 0, 0, 0 }, { "no", .5, .3, .3, 0 },
	{ "just", 1.2, 0, 0, 0 }, { "so", 1, 0, 0, 0 }, { "but", 1.5, 0, 0, 0 },
	{ "what", 1.5, 0, 0, 0 }, { "when", 1.5, 0, 0, 0 }, { "can", 1.2, 0, 0, 0 },
	{ "can't", 1.5, 0, 0, 0 }, { "cant", 1, 0, 0, 0 }, { "will", 1.2, 0, 0, 0 },
	{ "would", 1.5, 0, 0, 0 }, { "don't", 1.5, 0, 0, 0 },
	{ "dont", 1.2, 0, 0, 0 }, { "do", .6, .3, .3, .3 }, { "does", 1.2, 0, 0, 0 },
	{ "did", 1.2, 0, 0, 0 }, { "didn't", 1.5, 0, 0, 0 }, { "get", 1.2, 0, 0, 0 },
	{ "got", 1.2, 0, 0, 0 }, { "from", 1.5, 0, 0, 0 }, { "all", 1, 0, 0, 0 },
	{ "they", 1.5, 0, 0, 0 }, { "we", 1.2, 0, 0, 0 }, { "our", 1.2, 0, 0, 0 },
	{ "us", 1, 0, 0, 0 }, { "he", 1, 0, 0, 0 }, { "she", 1.2, 0, 0, 0 },
	{ "his", 1.2, 0, 0, 0 }, { "her", 1.2, 0, 0, 0 }, { "an", 1, 0, 0, 0 },
	{ "if", 1, 0, 0, 0 }, { "or", 1, 0, 0, 0 }, { "about", 1.5, 0, 0, 0 },
	{ "there", 1.5, 0, 0, 0 }, { "their", 1.5, 0, 0, 0 },
	{ "how", 1.2, 0, 0, 0 }, { "why", 1.2, 0, 0, 0 }, { "who", 1.2, 0, 0, 0 },
	{ "one", 1, 0, 0, 0 }, { "out", 1, 0, 0, 0 }, { "up", 1, 0, 0, 0 },
	{ "now", 1, 0, 0, 0 }, { "today", 1.2, 0, 0, 0 }, { "thanks", 1.2, 0, 0, 0 },
	{ "thank", 1.5, 0, 0, 0 }, { "please", 1.5, 0, 0, 0 },
	{ "love", 1, 0, 0, 0 }, { "good", 1, 0, 0, 0 }, { "great", 1, 0, 0, 0 },
	{ "new", 1, 0, 0, 0 }, { "day", 1, 0, 0, 0 }, { "time", 1, 0, 0, 0 },
	{ "know", 1.2, 0, 0, 0 }, { "like", 1, 0, 0, 0 }, { "going", 1, 0, 0, 0 },
	{ "really", 1.2, 0, 0, 0 }, { "still", 1.2, 0, 0, 0 },
	{ "as", .8, 0, 0, 0 }, { "by", .6, .3, .3, 0 }, { "am", 1, 0, 0, 0 },
	{ "than", 1.2, 0, 0, 0 }, { "more", 1, 0, 0, 0 }, { "very", 1.2, 0, 0, 0 },
	{ "much", 1.2, 0, 0, 0 }, { "too", 1, 0, 0, 0 }, { "any", 1, 0, 0, 0 },
	{ "some", 1, 0, 0, 0 }, { "only", 1, 0, 0, 0 }, { "after", 1, 0, 0, 0 },
	{ "back", 1, 0, 0, 0 }, { "need", 1, 0, 0, 0 }, { "want", 1, 0, 0, 0 },
	{ "see", 1, 0, 0, 0 }, { "yes", 1, 0, 0, 0 }, { "tomorrow", 1.2, 0, 0, 0 },
	{ "tonight", 1.2, 0, 0, 0 }, { "night", 1, 0, 0, 0 },
	{ "best", 1, 0, 0, 0 }, { "which", 1.2, 0, 0, 0 },
	{ "could", 1.2, 0, 0, 0 }, { "should", 1.2, 0, 0, 0 },
	{ "here", 1, 0, 0, 0 }, { "where", 1.2, 0, 0, 0 }, { "them", 1.2, 0, 0, 0 },
	{ "then", 1, 0, 0, 0 }, { "flight", 1, 0, 0, 0 },
	{ "hours", 1, 0, 0, 0 }, { "customer", 1, 0, 0, 0 },
	{ "service", .6, 0, 0, 0 }, { "lol", .5, 0, 0, 0 }, { "don", .5, 0, 0, 0 },
	{ "won't", 1.5, 0, 0, 0 }, { "isn't", 1.5, 0, 0, 0 },
	{ "doesn't", 1.5, 0, 0, 0 }, { "i've", 1.5, 0, 0, 0 },
	{ "you're", 1.5, 0, 0, 0 }, { "that's", 1.5, 0, 0, 0 },
	{ "amp", .5, 0, 0, 0 }, { "since", 1, 0, 0, 0 }, { "because", 1.2, 0, 0, 0 },
	{ "again", 1, 0, 0, 0 }, { "never", 1, 0, 0, 0 }, { "every", 1, 0, 0, 0 },
	{ "sunday", 1, 0, 0, 0 }, { "friday", 1, 0, 0, 0 }, { "may", .6, 0, 0, 0 },
	/* Polish */
	{ "nie", 0, 1.2, 0, .8 }, { "sie", 0, 2, 0, 0 }, { "jest", 0, 1.5, 0, 0 },
	{ "ze", 0, .5, .5, .3 }, { "w", 0, 1.5, 0, 0 }, { "z", 0, .6, .5, .5 },
	{ "na", 0, .3, .3, .3 }, { "to", .2, .3, .3, .3 }, { "co", 0, .6, .6, .3 },
	{ "jak", 0, .6, .6, 0 }, { "ale", 0, .4, .4, .4 }, { "tak", 0, .4, .4, .4 },
	{ "juz", 0, 1.5, 0, 0 }, { "jestem", 0, 2, 0, 0 }, { "jestes", 0, 2, 0, 0 },
	{ "sa", 0, .6, 0, 1.2 }, { "byc", 0, 2, 0, 0 }, { "byl", 0, .5, .6, 0 },
	{ "byla", 0, .5, .6, 0 }, { "bylo", 0, .5, .6, 0 }, { "mnie", 0, 2, 0, 0 },
	{ "mi", 0, .4, .4, .3 }, { "ja", 0, .5, .4, .4 }, { "dla", 0, 1.5, 0, 0 },
	{ "przez", 0, 2, 0, 0 }, { "przy", 0, 1.5, 0, 0 }, { "czy", 0, 1.5, 0, 0 },
	{ "bo", 0, 1.2, 0, 0 }, { "gdy", 0, 1.5, 0, 0 }, { "kiedy", 0, 1.5, 0, 0 },
	{ "gdzie", 0, 2, 0, 0 }, { "jeszcze", 0, 2, 0, 0 }, { "jesli", 0, 2, 0, 0 },
	{ "tylko", 0, 2, 0, 0 }, { "bardzo", 0, 2, 0, 0 }, { "moze", 0, 1.2, 0, .6 },
	{ "teraz", 0, 1.5, 0, .8 }, { "tutaj", 0, 2, 0, 0 },
	{ "wszystko", 0, 2, 0, 0 }, { "nic", 0, .5, .5, 0 }, { "nikt", 0, 2, 0, 0 },
	{ "cos", 0, 1.2, 0, 0 }, { "ktory", 0, 1, 0, .8 }, { "ktora", 0, 1, 0, .8 },
	{ "ktore", 0, 1.5, 0, .5 }, { "tego", 0, 1.5, 0, 0 }, { "tej", 0, 1, 0, .6 },
	{ "jego", 0, 1.5, 0, 0 }, { "jej", 0, 1, 0, .5 }, { "ich", 0, 1.2, 0, 0 },
	{ "takze", 0, .8, .8, 0 }, { "tez", 0, 1.5, 0, 0 }, { "wiec", 0, 2, 0, 0 },
	{ "dzis", 0, 2, 0, 0 }, { "dzisiaj", 0, 2, 0, 0 }, { "jutro", 0, 1.5, 0, 0 },
	{ "prosze", 0, 2, 0, 0 }, { "dzieki", 0, 2, 0, 0 },
	{ "dziekuje", 0, 2, 0, 0 }, { "chyba", 0, 2, 0, 0 }, { "mozna", 0, 2, 0, 0 },
	{ "trzeba", 0, 2, 0, 0 }, { "nawet", 0, 2, 0, 0 }, { "znowu", 0, 2, 0, 0 },
	{ "zawsze", 0, 2, 0, 0 }, { "nigdy", 0, 2, 0, 0 }, { "oraz", 0, 2, 0, 0 },
	{ "lub", 0, 2, 0, 0 }, { "albo", 0, 1.5, 0, 0 }, { "jako", 0, .5, .5, 0 },
	{ "ani", 0, .5, .5, .3 }, { "jednak", 0, 1, .4, 0 }, { "ma", 0, .5, .4, .3 },
	{ "mam", 0, .5, .5, .5 }, { "mamy", 0, 1.5, 0, 0 }, { "macie", 0, 2, 0, 0 },
	{ "maja", 0, 1.2, 0, 0 }, { "bedzie", 0, 2, 0, 0 }, { "bede", 0, 2, 0, 0 },
	{ "polska", 0, 2, 0, 0 }, { "polski", 0, 2, 0, 0 }, { "pan", 0, .4, .4, 0 },
	{ "wy", 0, 1, 0, 0 }, { "nas", 0, .4, .4, .3 }, { "od", 0, .3, .3, .3 },
	{ "po", 0, .4, .4, .3 }, { "za", 0, .4, .4, .4 }, { "dzien", 0, 2, 0, 0 },
	{ "dobry", 0, .5, .5, 0 }, { "mowi", 0, 1.5, 0, 0 }, { "wiem", 0, 2, 0, 0 },
	{ "sobie", 0, 2, 0, 0 }, { "siebie", 0, 2, 0, 0 }, { "jakis", 0, 2, 0, 0 },
	{ "nadal", 0, 2, 0, 0 }, { "wciaz", 0, 2, 0, 0 }, { "dalej", 0, 1.5, 0, 0 },
	{ "twoj", 0, 2, 0, 0 }, { "moj", 0, 1, 0, 1 }, { "moja", 0, 1, .3, 1 },
	{ "mojego", 0, 2, 0, 0 }, { "ten", 0, .3, .3, .3 }, { "tym", 0, 1, .8, 0 },
	{ "kto", 0, 1, 0, 1.2 }, { "coraz", 0, 2, 0, 0 }, { "wlasnie", 0, 2, 0, 0 },
	{ "naprawde", 0, 2, 0, 0 }, { "jakie", 0, 1.5, 0, 0 },
	{ "lat", 0, .6, 0, 0 }, { "rt", 0, 0, 0, 0 }, { "ok", 0, 0, 0, 0 },
	{ "jakby", 0, 2, 0, 0 }, { "zeby", 0, 2, 0, 0 }, { "ktorzy", 0, 2, 0, 0 },
	{ "swoje", 0, 2, 0, 0 }, { "swoj", 0, 2, 0, 0 }, { "pod", 0, .5, .5, 0 },
	{ "nad", 0, .8, .5, 0 }, { "bez", 0, .4, .4, .4 }, { "tych", 0, 1.5, 0, 0 },
	{ "tu", 0, .5, .5, .5 },
	/* Czech */
	{ "je", 0, .2, 1, .8 }, { "jsem", 0, 0, 2, 0 }, { "jsi", 0, 0, 2, 0 },
	{ "jsou", 0, 0, 2, 0 }, { "jste", 0, 0, 2, 0 }, { "jsme", 0, 0, 2, 0 },
	{ "se", 0, 0, 1.2, .4 }, { "si", 0, 0, .8, .8 }, { "ne", 0, 0, 1, .5 },
	{ "neni", 0, 0, 2, 0 }, { "bude", 0, 0, 1, 1 }, { "v", 0, 0, 1.5, 1.5 },
	{ "ve", 0, 0, 1.5, .3 }, { "k", 0, 0, .8, .8 }, { "ke", 0, 0, 1.2, 0 },
	{ "s", 0, 0, .8, .8 }, { "pro", 0, 0, 2, 0 }, { "pri", 0, 0, 1.2, 1.2 },
	{ "pres", 0, 0, 1.5, 0 }, { "kdyz", 0, 0, 2, 0 }, { "proc", 0, 0, 2, 0 },
	{ "kde", 0, 0, 1.2, 1.2 }, { "kdo", 0, 0, 1.5, 0 }, { "coz", 0, 0, 2, 0 },
	{ "taky", 0, 0, 1.5, 0 }, { "take", 0, 0, 1, 0 }, { "uz", 0, 0, 1.5, 1.2 },
	{ "jeste", 0, 0, 2, 0 }, { "jen", 0, 0, 1.5, 0 }, { "jenom", 0, 0, 2, 0 },
	{ "jenze", 0, 0, 2, 0 }, { "moc", 0, .3, 1.2, 0 }, { "velmi", 0, 0, 1, 1.2 },
	{ "hodne", 0, 0, 1.5, 0 }, { "fakt", 0, .4, 1, 0 }, { "opravdu", 0, 0, 2, 0 },
	{ "proste", 0, .3, 1.5, 0 }, { "ted", 0, 0, 1.5, 0 }, { "tady", 0, 0, 2, 0 },
	{ "tam", 0, .4, .4, .4 }, { "ta", 0, .3, .3, .3 }, { "ty", 0, .3, .3, .3 },
	{ "ti", 0, 0, .5, .5 }, { "toho", 0, 0, 1.2, 1.2 }, { "tom", 0, 0, 1, 1 },
	{ "tomu", 0, 0, 1, 1 }, { "tento", 0, 0, 1.5, 1 }, { "tuto", 0, 0, 1.5, 0 },
	{ "ktery", 0, 0, 1.5, 0 }, { "ktera", 0, 0, 1.5, 0 }, { "ktere", 0, 0, 1.5, 0 },
	{ "mate", 0, 0, 1.5, 0 }, { "mame", 0, 0, 1.2, 1.2 }, { "mit", 0, 0, 1.5, 0 },
	{ "muzu", 0, 0, 2, 0 }, { "muze", 0, 0, 2, 0 }, { "muzete", 0, 0, 2, 0 },
	{ "chci", 0, 0, 2, 0 }, { "nevim", 0, 0, 2, 0 }, { "vim", 0, 0, 1.5, 0 },
	{ "dekuji", 0, 0, 2, 0 }, { "dekuju", 0, 0, 2, 0 }, { "diky", 0, 0, 2, 0 },
	{ "prosim", 0, 0, 1.5, 1.2 }, { "ahoj", 0, 0, 1, 1 }, { "nebo", 0, 0, 2, 0 },
	{ "vsak", 0, 0, 2, 0 }, { "aby", 0, .5, .5, .5 }, { "abych", 0, 0, 2, 0 },
	{ "bych", 0, 0, 2, 0 }, { "mne", 0, 0, 1, 0 }, { "vas", 0, 0, 1, .8 },
	{ "vam", 0, 0, 1.5, 1.2 }, { "nam", 0, .5, .8, .8 }, { "jejich", 0, 0, 2, 0 },
	{ "jeho", 0, 0, 1.5, 1.2 }, { "jeji", 0, 0, 2, 0 }, { "vsechno", 0, 0, 2, 0 },
	{ "vsichni", 0, 0, 2, 0 }, { "nikdo", 0, 0, 2, 0 }, { "nikdy", 0, 0, 1.5, 1.2 },
	{ "porad", 0, 0, 2, 0 }, { "stale", 0, 0, 1.2, 1.2 }, { "zase", 0, 0, 1.5, 0 },
	{ "dnes", 0, 0, 1.5, 1.2 }, { "zitra", 0, 0, 2, 0 }, { "vcera", 0, 0, 1.2, 1.2 },
	{ "hned", 0, 0, 1.5, .8 }, { "tedy", 0, 0, 1.5, 0 },
	{ "protoze", 0, 0, 2, 0 }, { "pokud", 0, 0, 2, 0 }, { "jestli", 0, 0, 2, 0 },
	{ "asi", 0, 0, 1.5, 0 }, { "pry", 0, 0, 2, 0 }, { "zdravim", 0, 0, 2, 0 },
	{ "uplne", 0, 0, 2, 0 }, { "treba", 0, 0, 1.5, 1.5 },
	{ "neco", 0, 0, 2, 0 }, { "nejak", 0, 0, 2, 0 },
	{ "mel", 0, 0, 1.5, 0 }, { "mela", 0, 0, 1.5, 0 },
	{ "den", 0, 0, 1, .8 },
	{ "vy", 0, 0, 1, 1 }, { "oni", 0, .3, .3, .3 },
	{ "zatim", 0, 0, 2, 0 }, { "vubec", 0, 0, 2, 0 }, { "tim", 0, 0, 1.2, 0 },
	{ "cely", 0, 0, 1.2, 0 }, { "celou", 0, 0, 2, 0 }, { "jiz", 0, 0, 1.5, 0 },
	{ "lidi", 0, 0, 1.5, 0 }, { "jiny", 0, 0, 1.2, 0 }, { "kdyby", 0, 0, 2, 0 },
	{ "mezi", 0, 0, 1, 1 }, { "nejsem", 0, 0, 2, 0 }, { "budu", 0, 0, 1.5, 1.2 },
	{ "tech", 0, 0, 1, 0 }, { "tyto", 0, 0, 1.5, 0 }, { "ho", 0, 0, .8, .8 },
	{ "mu", 0, 0, .8, .8 }, { "ji", 0, 0, .8, 0 }, { "jim", 0, 0, .8, .8 },
	/* shopping and delivery words, frequent in care traffic */
	{ "ano", 0, 0, 2, .8 }, { "vse", 0, 0, 1.5, 0 }, { "kvalita", 0, 0, 1, 1 },
	{ "vyrobek", 0, 0, 1.5, 0 }, { "zbozi", 0, 0, 1.5, 0 },
	{ "doprava", 0, .3, 1, .5 }, { "dodani", 0, 0, 1.5, 0 },
	{ "baleni", 0, 0, 1.5, 0 }, { "objednavka", 0, 0, 2, .5 },
	{ "objednavku", 0, 0, 2, .5 }, { "zasilka", 0, 0, 2, 0 },
	{ "zasilku", 0, 0, 2, 0 }, { "obchod", 0, 0, 1, 1 },
	{ "koupil", 0, 0, 1.5, 0 }, { "koupila", 0, 0, 1.5, 0 },
	{ "nakup", 0, 0, 1, .5 }, { "velikost", 0, 0, 1.5, 0 },
	{ "barva", 0, 0, 1.5, 0 }, { "cena", 0, .3, .4, .4 },
	{ "jakosc", 0, 2, 0, 0 }, { "towar", 0, 2, 0, 0 },
	{ "przesylka", 0, 2, 0, 0 }, { "przesylki", 0, 2, 0, 0 },
	{ "paczka", 0, 2, 0, 0 }, { "paczki", 0, 2, 0, 0 },
	{ "zamowienie", 0, 2, 0, 0 }, { "zamowienia", 0, 2, 0, 0 },
	{ "dostawa", 0, 2, 0, 0 }, { "sklep", 0, 2, 0, 0 },
	{ "kupilem", 0, 2, 0, 0 }, { "kupilam", 0, 2, 0, 0 },
	{ "rozmiar", 0, 2, 0, 0 }, { "kolor", 0, 1, 0, 0 },
	{ "delivery", 1.2, 0, 0, 0 }, { "order", 1, 0, 0, 0 },
	{ "parcel", 1.2, 0, 0, 0 }, { "package", 1, 0, 0, 0 },
	{ "product", 1, 0, 0, 0 }, { "quality", 1, 0, 0, 0 },
	{ "price", 1, 0, 0, 0 }, { "bought", 1.2, 0, 0, 0 },
	/* Slovak */
	{ "som", 0, 0, 0, 2 }, { "sme", 0, 0, 0, 2 }, { "ste", 0, 0, .4, 1.5 },
	{ "su", 0, 0, 0, 1.5 }, { "ako", 0, 0, 0, 2 }, { "alebo", 0, 0, 0, 2 },
	{ "aj", 0, 0, 0, 2 }, { "len", 0, 0, 0, 2 }, { "tiez", 0, 0, 0, 2 },
	{ "este", 0, 0, 0, 2 }, { "ked", 0, 0, 0, 2 }, { "lebo", 0, 0, 0, 2 },
	{ "preto", 0, 0, 0, 2 }, { "preco", 0, 0, 0, 2 }, { "teda", 0, 0, 0, 1 },
	{ "dakujem", 0, 0, 0, 2 }, { "pre", 0, 0, 0, 2 }, { "podla", 0, 0, 0, 2 },
	{ "bol", 0, 0, 0, 2 }, { "bola", 0, 0, 0, 2 }, { "bolo", 0, 0, 0, 2 },
	{ "chcem", 0, 0, 0, 2 }, { "viem", 0, 0, 0, 2 }, { "vsetko", 0, 0, 0, 2 },
	{ "nieco", 0, 0, 0, 2 }, { "niekto", 0, 0, 0, 2 }, { "zajtra", 0, 0, 0, 2 },
	{ "mat", 0, 0, 0, 1.2 }, { "nemam", 0, 0, .5, 1 },
	{ "ktori", 0, 0, 0, 2 }, { "vo", 0, 0, 0, 1.5 }, { "zo", 0, 0, 0, 1.5 },
	{ "takto", 0, 0, .5, 1.5 }, { "dobre", 0, .3, .3, .3 },
	{ "nieje", 0, 0, 0, 2 }, { "ludia", 0, 0, 0, 2 }, { "mozno", 0, 0, 0, 2 },
};

static int sorted;

static int
fw_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fw *)a)->w, ((const struct fw *)b)->w);
}

static void
sort_words(void)
{
	/* every word once: bsearch would return any of several */
	qsort(words, HARK_ARRAY_SIZE(words), sizeof(words[0]), fw_cmp);
	sorted = 1;
}

/* Letter clusters and word endings on the folded word. */
struct gram {
	const char *g;
	int where;		/* 0 anywhere, 1 word end, 2 word start */
	float en, pl, cs, sk;
};

static const struct gram grams[] = {
	{ "th", 0, 1, 0, 0, 0 }, { "wh", 2, 1.2, 0, 0, 0 },
	{ "sh", 0, .6, 0, 0, 0 }, { "ee", 0, .6, 0, 0, 0 },
	{ "oo", 0, .6, 0, 0, 0 }, { "ea", 0, .5, 0, 0, 0 },
	{ "ing", 1, 1.5, 0, 0, 0 }, { "tion", 0, 1, 0, 0, 0 },
	{ "ness", 1, 1, 0, 0, 0 }, { "ly", 1, .6, 0, 0, 0 },
	{ "ed", 1, .4, 0, 0, 0 }, { "ck", 0, .5, 0, 0, 0 },
	{ "ght", 0, 1, 0, 0, 0 }, { "ay", 1, .5, 0, 0, 0 },
	{ "q", 0, .3, 0, 0, 0 }, { "x", 0, .2, 0, 0, 0 },
	{ "w", 0, .3, .8, 0, 0 }, { "v", 0, .1, 0, .4, .4 },
	{ "sz", 0, 0, 1, 0, 0 }, { "cz", 0, 0, 1, 0, 0 },
	{ "rz", 0, 0, 1, 0, 0 }, { "dz", 0, 0, .5, 0, .3 },
	{ "ie", 0, .1, .4, 0, .4 }, { "ego", 1, 0, 1, 0, 0 },
	{ "emu", 1, 0, .5, .4, .2 }, { "osc", 0, 0, 1, 0, 0 },
	{ "ac", 1, 0, .5, 0, 0 }, { "ow", 1, .3, .5, 0, 0 },
	{ "ia", 0, .1, .4, 0, .3 }, { "ami", 1, 0, .4, .3, .3 },
	{ "eho", 1, 0, 0, 1, .4 }, { "ou", 1, .1, 0, 1, .3 },
	{ "uje", 1, 0, .3, .4, .4 }, { "ej", 1, 0, .3, .3, .4 },
	{ "ych", 1, 0, .3, .3, .2 }, { "ym", 1, 0, .3, .3, 0 },
	{ "ost", 1, 0, .2, .6, .6 }, { "ni", 1, 0, .2, .4, .2 },
	{ "nych", 1, 0, .3, .3, .2 }, { "iu", 0, 0, .4, 0, .2 },
	{ "ai", 0, .4, 0, 0, 0 }, { "au", 0, .2, 0, 0, 0 },
	{ "ph", 0, .8, 0, 0, 0 }, { "ce", 1, .3, .3, .2, 0 },
	{ "ove", 1, .2, 0, .4, .3 }, { "ovat", 0, 0, 0, .8, .6 },
	{ "owac", 0, 0, 1, 0, 0 }, { "em", 1, 0, .4, .3, .3 },
	{ "cie", 0, 0, .8, 0, .2 }, { "nie", 1, 0, .6, 0, .3 },
	{ "le", 1, .4, 0, .3, 0 }, { "es", 1, .4, 0, 0, 0 },
	{ "sk", 0, 0, .1, .2, .2 }, { "ij", 0, 0, 0, .2, 0 },
};

/* Diacritics: per code point, the languages that use it. */
static void
add_diacritics(struct hark_lang_stats *st, const char *raw, size_t len,
    double wt)
{
	size_t i = 0;

	while (i < len) {
		int32_t cp;

		if ((unsigned char)raw[i] < 0x80) {
			i++;
			continue;
		}
		i += hark_utf8_next(raw + i, len - i, &cp);
		switch (cp) {
		case 0x105: case 0x104: case 0x119: case 0x118:	/* ą ę */
		case 0x142: case 0x141: case 0x144: case 0x143:	/* ł ń */
		case 0x15b: case 0x15a: case 0x17a: case 0x179:	/* ś ź */
		case 0x17c: case 0x17b: case 0x107: case 0x106:	/* ż ć */
			st->score[HARK_LANG_PL] += 3 * wt;
			break;
		case 0xf3: case 0xd3:	/* ó */
			st->score[HARK_LANG_PL] += 2 * wt;
			st->score[HARK_LANG_CS] += .3 * wt;
			st->score[HARK_LANG_SK] += .5 * wt;
			break;
		case 0x11b: case 0x11a: case 0x159: case 0x158:	/* ě ř */
		case 0x16f: case 0x16e:	/* ů */
			st->score[HARK_LANG_CS] += 3 * wt;
			break;
		case 0xe4: case 0xc4: case 0xf4: case 0xd4:	/* ä ô */
		case 0x13e: case 0x13d: case 0x13a: case 0x139:	/* ľ ĺ */
		case 0x155: case 0x154:	/* ŕ */
			st->score[HARK_LANG_SK] += 3 * wt;
			break;
		case 0xe1: case 0xc1: case 0xe9: case 0xc9:	/* á é */
		case 0xed: case 0xcd: case 0xfd: case 0xdd:	/* í ý */
		case 0x10d: case 0x10c: case 0x161: case 0x160:	/* č š */
		case 0x17e: case 0x17d: case 0x165: case 0x164:	/* ž ť */
		case 0x10f: case 0x10e: case 0x148: case 0x147:	/* ď ň */
		case 0xfa: case 0xda:	/* ú */
			st->score[HARK_LANG_CS] += 1.3 * wt;
			st->score[HARK_LANG_SK] += 1 * wt;
			break;
		default:
			break;
		}
	}
}

static size_t gram_len[HARK_ARRAY_SIZE(grams)];

static int
has_gram(const char *w, size_t n, size_t gi)
{
	const struct gram *g = &grams[gi];
	size_t gl, i;
	char c0 = g->g[0];

	if (gram_len[gi] == 0)
		gram_len[gi] = strlen(g->g);
	gl = gram_len[gi];
	if (gl > n)
		return 0;
	if (g->where == 1)
		return n > gl && w[n - gl] == c0 &&
		    memcmp(w + n - gl, g->g, gl) == 0;
	if (g->where == 2)
		return w[0] == c0 && memcmp(w, g->g, gl) == 0;
	for (i = 0; i + gl <= n; i++)
		if (w[i] == c0 && (gl == 1 || memcmp(w + i, g->g, gl) == 0))
			return 1;
	return 0;
}

/*
 * The weight of this occurrence of the word: 1 the first three times,
 * then 1/k^2 the k-th time (the sum stays under 3.3 however long the
 * run).  The key is the folded word, or the word as
 * written when it has non-ASCII letters, so "dzięki" after "dzieki"
 * still brings its diacritics.
 */
static double
occurrence_weight(struct hark_lang_stats *st, const char *raw, size_t rawlen,
    const char *folded, size_t flen)
{
	const char *k = folded;
	size_t n = flen, i;
	uint32_t h = 2166136261u;

	for (i = 0; i < rawlen; i++)
		if ((unsigned char)raw[i] >= 0x80) {
			k = raw;
			n = rawlen;
			break;
		}
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	h |= 1;
	for (i = h % HARK_LANG_SEEN_SLOTS; st->seen[i] != 0;
	    i = (i + 1) % HARK_LANG_SEEN_SLOTS)
		if (st->seen[i] == h) {
			double k;

			if (st->count[i] < UINT32_MAX)
				st->count[i]++;
			k = st->count[i];
			return k <= 3 ? 1 : 1 / (k * k);
		}
	if (st->nseen < HARK_LANG_SEEN_MAX) {
		st->seen[i] = h;
		st->count[i] = 1;
		st->nseen++;
	}
	return 1;
}

void
hark_lang_add_word(struct hark_lang_stats *st, const char *raw,
    size_t rawlen, const char *folded, size_t flen)
{
	struct fw key, *hit;
	char tmp[32];
	size_t i;
	double wt;

	if (!sorted)
		sort_words();
	st->words++;
	if (flen == 0)
		return;
	wt = occurrence_weight(st, raw, rawlen, folded, flen);
	add_diacritics(st, raw, rawlen, wt);
	if (flen == 0 || flen >= sizeof(tmp))
		return;
	/* digits carry no language */
	if (folded[0] >= '0' && folded[0] <= '9')
		return;
	memcpy(tmp, folded, flen);
	tmp[flen] = '\0';
	key.w = tmp;
	hit = bsearch(&key, words, HARK_ARRAY_SIZE(words), sizeof(words[0]),
	    fw_cmp);
	if (hit != NULL) {
		st->score[HARK_LANG_EN] += hit->en * wt;
		st->score[HARK_LANG_PL] += hit->pl * wt;
		st->score[HARK_LANG_CS] += hit->cs * wt;
		st->score[HARK_LANG_SK] += hit->sk * wt;
	}
	for (i = 0; i < HARK_ARRAY_SIZE(grams); i++)
		if (has_gram(folded, flen, i)) {
			/* clusters are weaker evidence than whole words */
			st->score[HARK_LANG_EN] += grams[i].en * .5 * wt;
			st->score[HARK_LANG_PL] += grams[i].pl * .5 * wt;
			st->score[HARK_LANG_CS] += grams[i].cs * .5 * wt;
			st->score[HARK_LANG_SK] += grams[i].sk * .5 * wt;
		}
}

enum hark_lang
hark_lang_result(const struct hark_lang_stats *st, double *margin)
{
	int i, best = HARK_LANG_UNKNOWN;
	double b = 0, second = 0;

	for (i = HARK_LANG_EN; i < HARK_LANG_COUNT; i++) {
		if (st->score[i] > b) {
			second = b;
			b = st->score[i];
			best = i;
		} else if (st->score[i] > second)
			second = st->score[i];
	}
	if (b < .3)
		best = HARK_LANG_UNKNOWN;
	if (margin != NULL)
		*margin = best == HARK_LANG_UNKNOWN ? 0 : b - second;
	return (enum hark_lang)best;
}

enum hark_lang
hark_lang_detect(const char *text, size_t len, double *margin)
{
	struct hark_tokenizer t;
	struct hark_token tok;
	struct hark_lang_stats st = HARK_LANG_STATS_INIT;
	struct hark_buf b = HARK_BUF_INIT(4096);
	enum hark_lang r;

	hark_tok_init(&t, text, len);
	while (hark_tok_next(&t, &tok))
		if (tok.type == HARK_TOK_WORD) {
			hark_buf_reset(&b);
			if (hark_text_fold(text + tok.off, tok.len, &b) == 0)
				hark_lang_add_word(&st, text + tok.off, tok.len,
				    hark_buf_str(&b), b.len);
		}
	hark_buf_release(&b);
	r = hark_lang_result(&st, margin);
	return r;
}

const char *
hark_lang_code(enum hark_lang lang)
{
	switch (lang) {
	case HARK_LANG_EN: return "en";
	case HARK_LANG_PL: return "pl";
	case HARK_LANG_CS: return "cs";
	case HARK_LANG_SK: return "sk";
	default: return "und";
	}
}

enum hark_lang
hark_lang_from_code(const char *tag, size_t len)
{
	static const struct { const char *c; enum hark_lang l; } map[] = {
		{ "en", HARK_LANG_EN }, { "eng", HARK_LANG_EN },
		{ "pl", HARK_LANG_PL }, { "pol", HARK_LANG_PL },
		{ "cs", HARK_LANG_CS }, { "cz", HARK_LANG_CS },
		{ "ces", HARK_LANG_CS }, { "cze", HARK_LANG_CS },
		{ "sk", HARK_LANG_SK }, { "slk", HARK_LANG_SK },
		{ "slo", HARK_LANG_SK }
	};
	char low[4];
	size_t n, i;

	for (n = 0; n < len && tag[n] != '-' && tag[n] != '_'; n++)
		;
	if (n < 2 || n > 3)
		return HARK_LANG_UNKNOWN;
	for (i = 0; i < n; i++) {
		char c = tag[i];

		low[i] = c >= 'A' && c <= 'Z' ? c + 32 : c;
	}
	low[n] = '\0';
	for (i = 0; i < HARK_ARRAY_SIZE(map); i++)
		if (strcmp(map[i].c, low) == 0)
			return map[i].l;
	return HARK_LANG_UNKNOWN;
}
