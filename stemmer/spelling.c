/*
 * spelling.c - folds British spellings to American ones before stemming.
 *
 * Machine-translated news mixes "Defence" and "Defense" in one paragraph, so
 * the pipeline folds every word to one spelling; documents and queries go
 * through the same fold, so either spelling finds both. Each rule is a
 * suffix pattern guarded by a minimum root length and an exceptions list,
 * because the patterns also match words that are not British variants
 * (tour, premise, promise, flour). Over-folding a word that has no variant is
 * harmless for matching (both sides fold alike); folding two distinct words
 * together is not, and that is what the exceptions prevent.
 */
#include "qt.h"

#include <string.h>

typedef struct {
    const char *from, *to;
} pair_t;

/* Whole words with no productive pattern. */
static const pair_t exact_words[] = {
    {"grey", "gray"},
    {"greys", "grays"},
    {"judgement", "judgment"},
    {"judgements", "judgments"},
    {"acknowledgement", "acknowledgment"},
    {"acknowledgements", "acknowledgments"},
    {"ageing", "aging"},
    {"plough", "plow"},
    {"sceptic", "skeptic"},
    {"sceptics", "skeptics"},
    {"sceptical", "skeptical"},
    {"scepticism", "skepticism"},
    {"aluminium", "aluminum"},
    {"mould", "mold"},
    {"cheque", "check"},
    {"cheques", "checks"},
    {"manoeuvre", "maneuver"},
    {"manoeuvres", "maneuvers"},
    {"manoeuvred", "maneuvered"},
    {"foetus", "fetus"},
    {"paediatric", "pediatric"},
    {"encyclopaedia", "encyclopedia"},
    {"anaesthesia", "anesthesia"},
    {"haemorrhage", "hemorrhage"},
    {"oestrogen", "estrogen"},
    {"whilst", "while"},
    {"amongst", "among"},
    {"kerb", "curb"},
};

/* Roots spelt -re in Britain and -er in America (centre, centres, centred,
 * centring); matched at the end of a word so kilometre and epicentre fold too. */
static const char *const re_roots[] = {
    "centr",  "theatr", "metr",    "litr",     "fibr",       "calibr", "sombr",
    "spectr", "lustr",  "meagr",   "sabr",     "mitr",       "ochr",   "sceptr",
    "goitr",  "philtr", "accoutr", "saltpetr", "reconnoitr",
};

/* Words ending in -our that are not British -or words. Roots of four letters
 * or fewer (our, four, hour, your, tour, pour, sour, dour) are skipped by the
 * minimum root length instead. */
static const char *const our_exceptions[] = {
    "flour", "scour", "devour", "detour", "contour", "amour", "velour", "paramour", "troubadour",
};
static const char *const our_suffixes[] = {
    "",    "s",    "ed",  "ing", "able", "ably", "ite",  "ites", "er",    "ers",
    "ful", "less", "ism", "ist", "ists", "al",   "ally", "ous",  "ously", "y",
};

/* Words ending in -ise that are spelt -ise in America too (root + "ise"). */
static const char *const ise_exceptions[] = {
    "advise",     "comprise",  "compromise", "despise",   "devise",      "disguise", "enterprise",
    "exercise",   "franchise", "improvise",  "incise",    "merchandise", "premise",  "revise",
    "supervise",  "surmise",   "surprise",   "televise",  "precise",     "concise",  "paradise",
    "expertise",  "promise",   "praise",     "cruise",    "bruise",      "treatise", "demise",
    "circumcise", "excise",    "chemise",    "mortise",   "tortoise",    "porpoise", "turquoise",
    "reprise",    "appraise",  "chastise",   "advertise", "valise",      "anise",    "apprise",
    "uprise",     "sunrise",   "guise",      "noise",     "poise",       "raise",    "arise",
    "braise",     "stepwise",
};
static const char *const ise_suffixes[] = {
    "e", "es", "ed", "ing", "ation", "ations", "ational", "er", "ers", "able",
};

static const char *const yse_suffixes[] = {"e", "es", "ed", "ing", "er", "ers"};

/* Verbs whose final l doubles in Britain (travelled) but not in America. */
static const char *const ll_roots[] = {
    "travel",  "cancel",  "label",  "model",   "signal",  "fuel",  "level",  "channel",
    "counsel", "marshal", "total",  "equal",   "dial",    "duel",  "jewel",  "tunnel",
    "quarrel", "rival",   "panel",  "pencil",  "shovel",  "libel", "marvel", "funnel",
    "grovel",  "unravel", "refuel", "initial", "snorkel", "yodel", "enamel", "bevel",
};
static const char *const ll_suffixes[] = {"ed", "ing", "er", "ers", "or", "ors", "ous"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int ends_with(const char *w, size_t len, const char *suf, size_t slen)
{
    return len >= slen && memcmp(w + len - slen, suf, slen) == 0;
}

static int in_list(const char *w, size_t len, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strlen(list[i]) == len && memcmp(list[i], w, len) == 0) return 1;
    }
    return 0;
}

/* Replaces w[at .. at+old_len) with rep (rep_len bytes) when it fits in cap.
 * Returns 1 (the rule applied) either way, so a word that matched a rule but
 * did not fit is left alone rather than handed to a later rule. */
static int splice(char *w, size_t *len, size_t cap, size_t at, size_t old_len, const char *rep,
                  size_t rep_len)
{
    if (*len - old_len + rep_len > cap) return 1;
    memmove(w + at + rep_len, w + at + old_len, *len - at - old_len);
    memcpy(w + at, rep, rep_len);
    *len = *len - old_len + rep_len;
    return 1;
}

static int fold_exact(char *w, size_t *len, size_t cap)
{
    for (size_t i = 0; i < COUNT(exact_words); i++) {
        if (strlen(exact_words[i].from) == *len && memcmp(w, exact_words[i].from, *len) == 0)
            return splice(w, len, cap, 0, *len, exact_words[i].to, strlen(exact_words[i].to));
    }
    return 0;
}

/* defence, offence, licence, pretence (+s) -> -ense. */
static int fold_ence(char *w, size_t *len, size_t cap)
{
    static const char *const roots[] = {"defence", "offence", "licence", "pretence"};
    (void)cap;
    for (size_t i = 0; i < COUNT(roots); i++) {
        const size_t rl = strlen(roots[i]);
        const size_t base = ends_with(w, *len, "s", 1) ? *len - 1 : *len;
        if (ends_with(w, base, roots[i], rl)) {
            w[base - 2] = 's';
            return 1;
        }
    }
    return 0;
}

/* programme(s) -> program(s); catalogue(s) and the other -logue -> -log(s). */
static int fold_drop_tail(char *w, size_t *len, size_t cap)
{
    static const char *const tails[] = {"programme", "logue"};
    const size_t base = ends_with(w, *len, "s", 1) ? *len - 1 : *len;
    for (size_t i = 0; i < COUNT(tails); i++) {
        const size_t tl = strlen(tails[i]);
        if (base > tl && ends_with(w, base, tails[i], tl))
            return splice(w, len, cap, base - 2, 2, "", 0);
        if (base == tl && i == 0 && memcmp(w, tails[i], tl) == 0)
            return splice(w, len, cap, base - 2, 2, "", 0);
    }
    return 0;
}

/* centre/centres/centred/centring -> center/centers/centered/centering. */
static int fold_re(char *w, size_t *len, size_t cap)
{
    static const char *const sufs[] = {"e", "es", "ed", "ing"};
    static const char *const us[] = {"er", "ers", "ered", "ering"};
    for (size_t s = 0; s < COUNT(sufs); s++) {
        const size_t sl = strlen(sufs[s]);
        if (*len <= sl || !ends_with(w, *len, sufs[s], sl)) continue;
        for (size_t r = 0; r < COUNT(re_roots); r++) {
            const size_t rl = strlen(re_roots[r]);
            if (!ends_with(w, *len - sl, re_roots[r], rl)) continue;
            /* "centr" + suffix: replace the root's final 'r' and the suffix. */
            return splice(w, len, cap, *len - sl - 1, sl + 1, us[s], strlen(us[s]));
        }
    }
    return 0;
}

/* colour, honoured, favourite, behavioural -> -or-. */
static int fold_our(char *w, size_t *len, size_t cap)
{
    for (size_t s = 0; s < COUNT(our_suffixes); s++) {
        const size_t sl = strlen(our_suffixes[s]);
        if (*len < 3 + sl || !ends_with(w, *len, our_suffixes[s], sl)) continue;
        const size_t root_len = *len - sl; /* the root ends in "our" */
        if (root_len < 5 || !ends_with(w, root_len, "our", 3)) continue;
        if (in_list(w, root_len, our_exceptions, COUNT(our_exceptions))) return 1;
        return splice(w, len, cap, root_len - 2, 1, "", 0); /* drop the 'u' */
    }
    return 0;
}

/* analyse, paralysed -> -yz-; organise, organisation, recognised -> -iz-. */
static int fold_ise_yse(char *w, size_t *len, size_t cap)
{
    char probe[QT_MAX_TERM + 8];
    (void)cap;
    for (size_t s = 0; s < COUNT(yse_suffixes); s++) {
        const size_t sl = strlen(yse_suffixes[s]);
        if (*len >= 4 + sl && ends_with(w, *len, yse_suffixes[s], sl) &&
            ends_with(w, *len - sl, "lys", 3)) {
            w[*len - sl - 1] = 'z';
            return 1;
        }
    }
    for (size_t s = 0; s < COUNT(ise_suffixes); s++) {
        const size_t sl = strlen(ise_suffixes[s]);
        if (*len < 2 + sl || !ends_with(w, *len, ise_suffixes[s], sl)) continue;
        if (!ends_with(w, *len - sl, "is", 2)) continue;
        const size_t root_len = *len - sl - 2;
        if (root_len < 3 || w[root_len - 1] == 'w') return 1; /* rise, likewise */
        if (root_len + 3 > sizeof probe) return 1;
        memcpy(probe, w, root_len);
        memcpy(probe + root_len, "ise", 3);
        if (in_list(probe, root_len + 3, ise_exceptions, COUNT(ise_exceptions))) return 1;
        w[root_len + 1] = 'z';
        return 1;
    }
    return 0;
}

/* travelled, modelling, jeweller -> traveled, modeling, jeweler. */
static int fold_ll(char *w, size_t *len, size_t cap)
{
    for (size_t s = 0; s < COUNT(ll_suffixes); s++) {
        const size_t sl = strlen(ll_suffixes[s]);
        if (*len < sl + 2 || !ends_with(w, *len, ll_suffixes[s], sl)) continue;
        const size_t stem_len = *len - sl; /* ends in "ll" */
        if (!ends_with(w, stem_len, "ll", 2)) continue;
        for (size_t r = 0; r < COUNT(ll_roots); r++) {
            if (ends_with(w, stem_len - 1, ll_roots[r], strlen(ll_roots[r])))
                return splice(w, len, cap, stem_len - 1, 1, "", 0);
        }
    }
    return 0;
}

static int contains(const char *w, size_t len, const char *sub, size_t n)
{
    for (size_t i = 0; i + n <= len; i++)
        if (w[i] == sub[0] && memcmp(w + i, sub, n) == 0) return 1;
    return 0;
}

size_t qt_spelling_us(char *word, size_t len, size_t cap)
{
    if (len < 4) return len;
    /* Cheap gates first: most words can match no rule at all. */
    if (len <= 16 && fold_exact(word, &len, cap)) return len;
    const char last = word[len - 1];
    if ((last == 'e' || last == 's') && contains(word, len, "enc", 3) && fold_ence(word, &len, cap))
        return len;
    if ((last == 'e' || last == 's') && fold_drop_tail(word, &len, cap)) return len;
    if ((last == 'e' || last == 's' || last == 'd' || last == 'g') && contains(word, len, "r", 1) &&
        fold_re(word, &len, cap))
        return len;
    if (contains(word, len, "our", 3) && fold_our(word, &len, cap)) return len;
    if ((contains(word, len, "is", 2) || contains(word, len, "lys", 3)) &&
        fold_ise_yse(word, &len, cap))
        return len;
    if (contains(word, len, "ll", 2)) fold_ll(word, &len, cap);
    return len;
}
