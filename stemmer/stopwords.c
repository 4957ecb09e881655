/*
 * stopwords.c - the function words a query need not search for: English,
 * and the other languages whose articles Quire stems (Russian, French,
 * German, Spanish, Italian, Portuguese, Dutch, Arabic).
 *
 * Every word is indexed, so phrases ("Group of Friends in Defense of the
 * Charter") and names with "of" in them keep working; this list only tells
 * the query builder which loose words of a question ("which countries signed
 * the letter") carry no topic. It holds articles, pronouns, auxiliaries, the
 * commonest prepositions and conjunctions and the question words, and leaves
 * out words that carry meaning in this kind of news: "against", "over",
 * "under", "may" (the month), "will" (political will), "us" (the country
 * typed in lower case). The other lists are the same kind of words -
 * articles, pronouns, auxiliaries, prepositions, conjunctions - written
 * for Quire, shorter than Snowball's. Entries are folded spellings
 * (qt_tokenize's norm: é -> e, ё -> е, ü -> u, Arabic teh marbuta -> heh),
 * kept in byte order for bsearch; a test checks both.
 */
#include "qt.h"

#include <stdlib.h>
#include <string.h>

static const char *const words[] = {
    "a",       "about",      "above",     "after",   "again",   "all",      "also",   "am",
    "an",      "and",        "any",       "are",     "as",      "at",       "be",     "because",
    "been",    "before",     "being",     "below",   "between", "both",     "but",    "by",
    "can",     "could",      "did",       "do",      "does",    "doing",    "during", "each",
    "few",     "for",        "from",      "had",     "has",     "have",     "having", "he",
    "her",     "here",       "hers",      "herself", "him",     "himself",  "his",    "how",
    "i",       "if",         "in",        "into",    "is",      "it",       "its",    "itself",
    "me",      "might",      "more",      "most",    "must",    "my",       "myself", "no",
    "nor",     "not",        "of",        "on",      "once",    "only",     "or",     "other",
    "our",     "ours",       "ourselves", "own",     "same",    "shall",    "she",    "should",
    "so",      "some",       "such",      "than",    "that",    "the",      "their",  "theirs",
    "them",    "themselves", "then",      "there",   "these",   "they",     "this",   "those",
    "through", "to",         "too",       "very",    "was",     "we",       "were",   "what",
    "when",    "where",      "which",     "while",   "who",     "whom",     "whose",  "why",
    "with",    "would",      "you",       "your",    "yours",   "yourself",
};

#define NWORDS (sizeof words / sizeof *words)

static const char *const words_ar[] = {
    "اذا", "الا",  "التي", "الذي", "الذين", "اللذين", "الي",   "ام",  "اما",  "ان",  "انا",  "انت",
    "انه", "انها", "او",   "اي",   "ايضا",  "بعد",    "بل",    "به",  "بها",  "بين", "تكون", "تلك",
    "ثم",  "حتي",  "حيث",  "ذلك",  "علي",   "عليه",   "عليها", "عن",  "عند",  "غير", "فقط",  "في",
    "فيه", "فيها", "قبل",  "قد",   "كان",   "كانت",   "كذلك",  "كل",  "كما",  "لا",  "لقد",  "لكن",
    "لم",  "لن",   "له",   "لها",  "ما",    "مثل",    "مع",    "من",  "منذ",  "نحن", "هذا",  "هذه",
    "هل",  "هم",   "هما",  "هو",   "هي",    "وفي",    "وقد",   "ولا", "يكون",
};

static const char *const words_de[] = {
    "aber",   "alle",  "allem",  "allen",   "aller",   "alles",    "als",     "also",    "am",
    "an",     "ander", "andere", "anderem", "anderen", "anderer",  "anderes", "auch",    "auf",
    "aus",    "bei",   "bin",    "bis",     "bist",    "da",       "damit",   "dann",    "das",
    "dass",   "dein",  "deine",  "dem",     "den",     "der",      "des",     "dich",    "die",
    "dir",    "doch",  "dort",   "du",      "durch",   "ein",      "eine",    "einem",   "einen",
    "einer",  "eines", "er",     "es",      "etwas",   "euch",     "euer",    "fur",     "hab",
    "habe",   "haben", "hat",    "hatte",   "hatten",  "hier",     "hin",     "hinter",  "ich",
    "ihm",    "ihn",   "ihnen",  "ihr",     "ihre",    "ihrem",    "ihren",   "ihrer",   "ihres",
    "im",     "in",    "indem",  "ins",     "ist",     "jede",     "jedem",   "jeden",   "jeder",
    "jedes",  "jene",  "jetzt",  "kann",    "kein",    "keine",    "konnen",  "man",     "manche",
    "mein",   "meine", "mich",   "mir",     "mit",     "muss",     "nach",    "nicht",   "nichts",
    "noch",   "nun",   "nur",    "ob",      "oder",    "ohne",     "sehr",    "sein",    "seine",
    "selbst", "sich",  "sie",    "sind",    "so",      "solche",   "soll",    "sondern", "sonst",
    "uber",   "um",    "und",    "uns",     "unser",   "unter",    "vom",     "von",     "vor",
    "war",    "waren", "warst",  "was",     "weil",    "welche",   "wenn",    "wer",     "werde",
    "werden", "wie",   "wieder", "will",    "wir",     "wird",     "wo",      "wollen",  "wurde",
    "wurden", "zu",    "zum",    "zur",     "zwar",    "zwischen",
};

static const char *const words_es[] = {
    "a",     "al",       "algo",   "algunas", "algunos", "ante",    "antes",   "como",  "con",
    "cual",  "cuando",   "de",     "del",     "desde",   "donde",   "durante", "e",     "el",
    "ella",  "ellas",    "ellos",  "en",      "entre",   "era",     "eran",    "es",    "esa",
    "esas",  "ese",      "eso",    "esos",    "esta",    "estaba",  "estado",  "estan", "estar",
    "estas", "este",     "esto",   "estos",   "fue",     "fueron",  "ha",      "habia", "han",
    "hasta", "hay",      "la",     "las",     "le",      "les",     "lo",      "los",   "mas",
    "me",    "mi",       "mis",    "mucho",   "muchos",  "muy",     "nada",    "ni",    "no",
    "nos",   "nosotros", "o",      "otra",    "otras",   "otro",    "otros",   "para",  "pero",
    "poco",  "por",      "porque", "que",     "quien",   "quienes", "se",      "sea",   "ser",
    "si",    "sin",      "sobre",  "son",     "su",      "sus",     "tambien", "tanto", "te",
    "tiene", "tienen",   "todo",   "todos",   "tu",      "un",      "una",     "uno",   "unos",
    "y",     "ya",       "yo",
};

static const char *const words_fr[] = {
    "ainsi",   "au",    "aussi", "aux",   "avait", "avec",  "c",     "ce",    "ceci", "cela",
    "celle",   "celui", "ces",   "cet",   "cette", "ceux",  "chez",  "comme", "d",    "dans",
    "de",      "des",   "dont",  "du",    "elle",  "elles", "en",    "entre", "est",  "et",
    "etaient", "etait", "ete",   "eux",   "il",    "ils",   "j",     "je",    "l",    "la",
    "le",      "les",   "leur",  "leurs", "lui",   "m",     "ma",    "mais",  "me",   "mes",
    "moi",     "mon",   "n",     "ne",    "ni",    "nos",   "notre", "nous",  "on",   "ont",
    "ou",      "par",   "pas",   "plus",  "pour",  "qu",    "que",   "qui",   "s",    "sa",
    "sans",    "se",    "sera",  "ses",   "son",   "sont",  "sous",  "sur",   "t",    "ta",
    "te",      "tes",   "toi",   "ton",   "tres",  "tu",    "un",    "une",   "vers", "vos",
    "votre",   "vous",  "y",
};

static const char *const words_it[] = {
    "a",      "ad",     "agli",   "ai",    "al",     "alla",   "alle",   "allo",   "anche",
    "che",    "chi",    "ci",     "come",  "con",    "cui",    "da",     "dagli",  "dai",
    "dal",    "dalla",  "dalle",  "dallo", "degli",  "dei",    "del",    "della",  "delle",
    "dello",  "di",     "e",      "ed",    "era",    "erano",  "essere", "fra",    "gli",
    "ha",     "hanno",  "i",      "il",    "in",     "la",     "le",     "lo",     "loro",
    "ma",     "ne",     "negli",  "nei",   "nel",    "nella",  "nelle",  "nello",  "non",
    "o",      "per",    "piu",    "quale", "quando", "quella", "quelle", "quello", "questa",
    "queste", "questi", "questo", "se",    "si",     "sia",    "sono",   "su",     "sugli",
    "sui",    "sul",    "sulla",  "sulle", "sullo",  "tra",    "un",     "una",    "uno",
};

static const char *const words_nl[] = {
    "aan",    "al",    "alles",  "als",    "altijd", "andere", "ben",   "bij",   "daar",
    "dan",    "dat",   "de",     "der",    "deze",   "die",    "dit",   "doch",  "doen",
    "door",   "dus",   "een",    "eens",   "en",     "er",     "ge",    "geen",  "geweest",
    "haar",   "had",   "heb",    "hebben", "heeft",  "hem",    "het",   "hier",  "hij",
    "hoe",    "hun",   "iemand", "iets",   "ik",     "in",     "is",    "ja",    "je",
    "kan",    "kon",   "kunnen", "maar",   "me",     "meer",   "men",   "met",   "mij",
    "mijn",   "moet",  "na",     "naar",   "niet",   "niets",  "nog",   "nu",    "of",
    "om",     "omdat", "onder",  "ons",    "ook",    "op",     "over",  "reeds", "te",
    "tegen",  "toch",  "toen",   "tot",    "u",      "uit",    "uw",    "van",   "veel",
    "voor",   "want",  "waren",  "was",    "wat",    "werd",   "wezen", "wie",   "wil",
    "worden", "wordt", "zal",    "ze",     "zelf",   "zich",   "zij",   "zijn",  "zo",
    "zonder", "zou",
};

static const char *const words_pt[] = {
    "a",     "ao",    "aos",    "as",     "ate",   "com",  "como",  "da",   "das",   "de",
    "dela",  "dele",  "deles",  "do",     "dos",   "e",    "ela",   "elas", "ele",   "eles",
    "em",    "entre", "era",    "essa",   "essas", "esse", "esses", "esta", "estas", "este",
    "estes", "eu",    "foi",    "foram",  "ha",    "isso", "ja",    "lhe",  "mais",  "mas",
    "me",    "mesmo", "meu",    "minha",  "muito", "na",   "nao",   "nas",  "nem",   "no",
    "nos",   "num",   "numa",   "o",      "os",    "ou",   "para",  "pela", "pelas", "pelo",
    "pelos", "por",   "quando", "que",    "quem",  "se",   "sem",   "ser",  "seu",   "seus",
    "so",    "sua",   "suas",   "tambem", "te",    "tem",  "um",    "uma",  "voce",
};

static const char *const words_ru[] = {
    "а",        "без",     "более",   "больше",  "будет",   "будто",   "бы",      "был",
    "была",     "были",    "было",    "быть",    "в",       "вам",     "вас",     "ведь",
    "во",       "вот",     "все",     "всегда",  "всего",   "всех",    "всю",     "вы",
    "где",      "да",      "даже",    "два",     "для",     "до",      "другой",  "его",
    "ее",       "ей",      "ему",     "если",    "есть",    "еще",     "ж",       "же",
    "за",       "зачем",   "здесь",   "и",       "из",      "или",     "им",      "иногда",
    "их",       "к",       "как",     "какая",   "какой",   "когда",   "конечно", "которая",
    "которого", "которое", "которой", "котором", "которую", "которые", "который", "которых",
    "кто",      "куда",    "ли",      "между",   "меня",    "мне",     "может",   "можно",
    "мой",      "моя",     "мы",      "на",      "над",     "надо",    "нас",     "не",
    "него",     "нее",     "ней",     "нет",     "ни",      "нибудь",  "ним",     "них",
    "но",       "ну",      "о",       "об",      "он",      "она",     "они",     "опять",
    "от",       "перед",   "по",      "под",     "после",   "потом",   "потому",  "почти",
    "при",      "про",     "раз",     "разве",   "с",       "сам",     "свою",    "себе",
    "себя",     "сейчас",  "со",      "совсем",  "так",     "также",   "такой",   "там",
    "тебя",     "тем",     "теперь",  "то",      "тогда",   "того",    "тоже",    "только",
    "том",      "тот",     "тут",     "ты",      "у",       "уж",      "уже",     "хоть",
    "чего",     "чем",     "через",   "что",     "чтоб",    "чтобы",   "чуть",    "эти",
    "это",      "этого",   "этой",    "этом",    "этот",    "эту",     "я",
};

#define LIST(code)                                                                                 \
    {                                                                                              \
#code, words_##code, sizeof words_##code / sizeof *words_##code                            \
    }

static const struct {
    const char *code;
    const char *const *words;
    size_t n;
} lists[] = {{"en", words, NWORDS},
             LIST(ar),
             LIST(de),
             LIST(es),
             LIST(fr),
             LIST(it),
             LIST(nl),
             LIST(pt),
             LIST(ru)};
#define NLISTS (sizeof lists / sizeof *lists)

typedef struct {
    const char *s;
    size_t n;
} word_key_t;

static int cmp_key(const void *k, const void *e)
{
    const word_key_t *a = k;
    const char *b = *(const char *const *)e;
    const size_t bn = strlen(b);
    const int c = memcmp(a->s, b, a->n < bn ? a->n : bn);
    return c ? c : (a->n > bn) - (a->n < bn);
}

/* The list of language code (NULL, "": English), or -1. */
static int list_of(const char *code)
{
    if (!code || !code[0]) return 0;
    for (size_t i = 0; i < NLISTS; i++)
        if (!strcmp(lists[i].code, code)) return (int)i;
    return -1;
}

int qt_stopword_in(const char *code, const char *norm, size_t len)
{
    const int l = list_of(code);
    const word_key_t k = {norm, len};
    return l >= 0 &&
           bsearch(&k, lists[l].words, lists[l].n, sizeof *lists[l].words, cmp_key) != NULL;
}

int qt_stopword(const char *norm, size_t len)
{
    return qt_stopword_in(NULL, norm, len);
}

size_t qt_stopword_count_in(const char *code)
{
    const int l = list_of(code);
    return l >= 0 ? lists[l].n : 0;
}

const char *qt_stopword_at_in(const char *code, size_t i)
{
    const int l = list_of(code);
    return l >= 0 && i < lists[l].n ? lists[l].words[i] : NULL;
}

size_t qt_stopword_count(void)
{
    return NWORDS;
}

const char *qt_stopword_at(size_t i)
{
    return qt_stopword_at_in(NULL, i);
}
