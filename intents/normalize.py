"""Words as the language layer compares them: tokens with offsets, match keys, fillers and phonetics.

Both sample utterances and what a person said go through the same functions, so a rule such as
"plurals match singulars" holds on both sides without special cases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# Words spoken before a request that carry no meaning for it ("um, alexa, can you add wipes").
FILLER_WORDS = frozenset(
    {"um", "umm", "uh", "uhh", "er", "erm", "hmm", "mm", "alexa", "please", "pls", "kindly", "also"}
    # Sighs and groans, which tired people open with ("ugh ok, back to sleep"): never a name or a value.
    | {"ugh", "ughh", "argh", "oof", "phew"}
    # Discourse particles, said after a clause in Singapore and Malaysian English ("add one pack wipes lah", "can,
    # confirm lor"): they soften or ask, and are never a name or a value. "ah" and "eh" end a turn so too (round
    # 18 heard "how much ah" as "I couldn't find ah"), but open one as interjections ("ah no, don't worry about
    # it"): they are trailing fillers below.
    | {"lah", "leh", "lor", "meh"}
    # The Filipino courtesy particles, said after a clause to whoever is spoken to ("log a diaper for maya po"):
    # "po" had been heard as "pee", and as a child called "po".
    | {"po", "opo"}
)
# Dropped only at the start, and only while something is left (so "okay" alone stays a yes).
LEADING_FILLERS: tuple[tuple[str, ...], ...] = (
    ("hey",),
    ("ok",),
    ("okay",),
    ("so",),
    ("well",),
    ("oh",),
    # An acknowledgement of the last answer before the next request ("lovely, i'd like to pay now").
    ("lovely",),
    ("great",),
    ("perfect",),
    ("wonderful",),
    ("alright",),
    ("all", "right"),
    ("cool",),
    ("nice", "one"),  # "nice one, thanks": well done, not a choice of the first option
    ("nice",),
    ("brilliant",),
    ("awesome",),
    ("excellent",),
    ("righto",),
    ("g'day",),  # Australian "hello"
    # Greetings and exclamations of other Englishes before the request: Irish, South African, New Zealand, Singapore.
    ("howya",),
    ("howzit",),
    ("kia", "ora"),
    ("eish",),
    ("wah",),
    ("aiyo",),
    ("aiyoh",),
    # "eh, hmm. and when will it reach here?": a hesitation before the request, as "hmm" is (it had been heard as a
    # child called "Eh" whose feed was asked about). Not "ah": "ah no" refuses.
    ("eh",),
    ("grand",),  # Irish and Scottish "good" ("grand. give it a press the now"), not a product called Grand
    ("fine",),  # "fine. she also had a bottle": the last answer accepted, not a child called Fine
    # An apology before the request, as polite people open ("i'm terribly sorry, what can you do?").
    ("sorry",),
    ("i", "am", "sorry"),
    ("i", "am", "so", "sorry"),
    ("i", "am", "very", "sorry"),
    ("i", "am", "terribly", "sorry"),
    ("i", "am", "awfully", "sorry"),
    ("excuse", "me"),
    ("and",),
    ("also",),
    ("now",),
    ("can", "you"),
    ("could", "you"),
    ("would", "you"),
    ("will", "you"),
    ("can", "i"),
    ("could", "i"),
    ("i", "want", "you", "to"),
    ("i", "would", "like", "you", "to"),
    ("i", "would", "like", "to"),
    ("i", "want", "to"),
    ("i", "wanna"),
    ("i", "need", "you", "to"),
    ("go", "ahead", "and"),
    ("let", "us"),
    ("i", "would", "like"),
)
TRAILING_FILLERS: tuple[tuple[str, ...], ...] = (
    # Relief, said after the news ("she's finally down, thank god").
    ("thank", "god"),
    ("thank", "goodness"),
    ("thank", "heavens"),
    ("thanks",),
    ("thank", "you"),
    # Particles that end a question or a request ("how much ah", "how much for the tide pods, eh").
    ("ah",),
    ("eh",),
    # Thanks at length, as polite people end ("yes, that would be lovely, thank you very much").
    ("thank", "you", "very", "much"),
    ("thank", "you", "so", "much"),
    ("thank", "you", "kindly"),
    ("thanks", "very", "much"),
    ("thanks", "so", "much"),
    ("thanks", "a", "lot"),
    ("for", "me"),
    ("now",),
    # Courtesy tails: the request is said in full before them ("add wipes if you don't mind", "throw one more on
    # top while you're at it"). Each asks nothing of its own.
    ("while", "you", "are", "at", "it"),
    ("if", "you", "do", "not", "mind"),
    ("if", "you", "can"),
    ("if", "you", "could"),
    ("if", "it", "is", "no", "trouble"),
    ("if", "you", "would", "be", "so", "kind"),
    ("if", "you", "would"),
    ("when", "you", "get", "a", "chance"),
    ("just", "in", "case"),  # "press it again just in case": the request said, then why
    # What a thing is said of, after its name: "those paper towels after all", "the diapers by themselves".
    ("after", "all"),
    ("by", "themselves"),
    ("by", "itself"),
    ("on", "their", "own"),
    ("on", "its", "own"),
    # Who is spoken to, as polite people end a request ("no thank you dear"); not "honey" or "love", which
    # name things people buy.
    ("dear",),
    ("darling",),
    ("sweetie",),
    ("sweetheart",),
)
# Cheap to skip when aligning: articles, possessives and glue words people add or drop freely.
SOFT_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "my",
        "our",
        "your",
        "some",
        "of",
        "'s",
        "s",
        "just",
        "really",
        "actually",
        "too",
        "right",
        "then",
        "to",
        "for",
        "me",
        "us",
        "please",
        "any",
        "more",
        "is",
        "are",
        "am",
    }
)

_CONTRACTIONS = {
    "what's": ("what", "is"),
    "where's": ("where", "is"),
    "when's": ("when", "is"),
    "how's": ("how", "is"),
    "who's": ("who", "is"),
    "that's": ("that", "is"),
    "there's": ("there", "is"),
    "it's": ("it", "is"),
    "she's": ("she", "is"),
    "he's": ("he", "is"),
    "let's": ("let", "us"),
    "here's": ("here", "is"),
    "i'm": ("i", "am"),
    "can't": ("can", "not"),
    "won't": ("will", "not"),
    "shan't": ("shall", "not"),
    "ain't": ("is", "not"),
    "o'clock": ("o'clock",),
    "y'all": ("you",),
    "gonna": ("going", "to"),
    "wanna": ("want", "to"),
    "gotta": ("got", "to"),
    # Recognisers often drop the apostrophe; these spellings are no other English word.
    "whats": ("what", "is"),
    "wheres": ("where", "is"),
    "whens": ("when", "is"),
    "hows": ("how", "is"),
    "thats": ("that", "is"),
    "theres": ("there", "is"),
    "heres": ("here", "is"),
    "shes": ("she", "is"),
    "hes": ("he", "is"),
    "im": ("i", "am"),
    "ive": ("i", "have"),
    "youre": ("you", "are"),
    "theyre": ("they", "are"),
    "dont": ("do", "not"),
    "doesnt": ("does", "not"),
    "didnt": ("did", "not"),
    "isnt": ("is", "not"),
    "wasnt": ("was", "not"),
    "arent": ("are", "not"),
    "cant": ("can", "not"),
    "couldnt": ("could", "not"),
    "wouldnt": ("would", "not"),
    "shouldnt": ("should", "not"),
    "havent": ("have", "not"),
    "hasnt": ("has", "not"),
}
# Regional spellings of common words, as people in Scotland and the Caribbean write them and as recognisers trained
# on them transcribe them: read as the words they are ("whit can ye dae" is "what can you do", "gi mi di run down fi
# today" is "give me the run down for today"). Only spellings that are no other English word a request would use.
_REGIONAL_SPELLINGS = {
    # Scots
    "oot": ("out",),
    "aboot": ("about",),
    "whit": ("what",),
    "dae": ("do",),
    "ye": ("you",),
    "tae": ("to",),
    "intae": ("into",),
    "noo": ("now",),
    "gonnae": ("going", "to"),
    "wantae": ("want", "to"),
    "cannae": ("can", "not"),
    "canna": ("can", "not"),
    "dinnae": ("do", "not"),
    "didnae": ("did", "not"),
    "isnae": ("is", "not"),
    "wisnae": ("was", "not"),
    "wouldnae": ("would", "not"),
    # Jamaican and other Caribbean English
    "mi": ("me",),
    "di": ("the",),
    "dis": ("this",),
    "dat": ("that",),
    "dem": ("them",),
    "ting": ("thing",),
    "fi": ("for",),
    "nuh": ("not",),
    "gi": ("give",),
    "wah": ("what",),
    "wha": ("what",),
    "weh": ("where",),
    "deh": ("there",),
    "wid": ("with",),
    "har": ("her",),
    "waan": ("want",),
    "cyaan": ("can", "not"),
    "haffi": ("have", "to"),
    "likkle": ("little",),
    "pickney": ("child",),
    "yuh": ("you",),
    "unu": ("you",),
    "sumting": ("something",),
    "nuff": ("enough",),
}
_CONTRACTIONS.update(_REGIONAL_SPELLINGS)
_SUFFIXES = {"n't": ("not",), "'ll": ("will",), "'re": ("are",), "'ve": ("have",), "'d": ("would",), "'m": ("am",)}

NUMBER_WORDS: dict[str, int] = {
    "zero": 0,
    "oh": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Words a recogniser writes for a number word it heard ("add tree packs", "for five six seven"); read as
# numbers only where a number is expected and something around them says it is one.
NUMBER_HOMOPHONES: dict[str, str] = {
    "to": "two",
    "too": "two",
    "for": "four",
    "fore": "four",
    "tree": "three",
    "ate": "eight",
    "won": "one",
    "sicks": "six",
    "nein": "nine",
}
# Common English homophones and near-homophones a recogniser writes for one another ("by" for "buy",
# "witch" for "which", "at" for "add"). A word is read as a partner only where a sample has the partner
# and a neighbouring word fits it, like any sound-alike; numbers are NUMBER_HOMOPHONES' business.
HOMOPHONE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("add", "ad", "at"),
    ("buy", "by", "bye"),
    ("read", "red", "reed"),
    ("right", "write", "rite", "wright"),
    ("new", "knew"),
    ("no", "know"),
    ("whole", "hole"),
    ("where", "wear", "ware"),
    ("there", "their"),
    ("weigh", "way"),
    ("weighs", "ways"),
    ("weight", "wait"),
    ("our", "hour"),
    ("some", "sum"),
    ("son", "sun"),
    ("so", "sew", "sow"),
    ("do", "due", "dew"),
    ("have", "half"),
    ("please", "pleas"),
    ("meet", "meat"),
    ("week", "weak"),
    ("piece", "peace"),
    ("flour", "flower"),
    ("in", "inn"),
    ("not", "knot"),
    ("nose", "knows"),
    ("weather", "whether"),
    ("which", "witch"),
    ("past", "passed"),
    ("through", "threw"),
    ("morning", "mourning"),
    ("roll", "role"),
    ("tide", "tied"),
    ("sell", "cell"),
    ("sale", "sail"),
    ("break", "brake"),
    ("here", "hear"),
    ("would", "wood"),
    ("be", "bee"),
    ("see", "sea"),
    ("made", "maid"),
    ("night", "knight"),
    ("high", "hi"),
    ("pour", "poor", "pore"),
    ("bear", "bare"),
    ("pair", "pear"),
    ("missed", "mist"),
    ("seen", "scene"),
    ("allowed", "aloud"),
    ("whine", "wine"),
    ("waste", "waist"),
    ("steal", "steel"),
    ("plain", "plane"),
    ("fair", "fare"),
    ("dear", "deer"),
    ("hair", "hare"),
    ("heal", "heel"),
    ("mail", "male"),
    ("need", "knead"),
    ("tail", "tale"),
    ("then", "than"),
    ("were", "we're"),
    ("your", "you're"),
    ("check", "cheque", "czech"),
    ("lose", "loose"),
)


def _homophone_partners() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in HOMOPHONE_GROUPS:
        keys = {key_of(w) for w in group}
        for k in keys:
            out.setdefault(k, set()).update(keys - {k})
    return {k: frozenset(v) for k, v in out.items()}


ORDINAL_WORDS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "last": -1,
    "forth": 4,  # how recognisers often write "fourth"
}

# Digit groups, clock times and decimals stay whole; words keep inner apostrophes ("o'clock", "maya's").
_TOKEN_RE = re.compile(r"\d{1,2}:\d{2}|\d+(?:\.\d+)?|[ap]\.m\.?|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# Sample utterances mark slots as {name}; they are kept as single placeholder tokens.
_SAMPLE_TOKEN_RE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|" + _TOKEN_RE.pattern, re.UNICODE)


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # lower-cased surface form after contraction expansion
    key: str  # the form compared: singular, number words as digits
    start: int  # offsets of the original characters this token came from
    end: int

    @property
    def is_slot(self) -> bool:
        return self.text.startswith("{")


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Café" and "cafe" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("’", "'")


def stem(word: str) -> str:
    """A light English singular: enough for "diapers"/"diaper", "boxes"/"box", "wipes"/"wipe"."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


# Words people use interchangeably in requests; both sides of every comparison use the first form.
# Of them, other names of the same thing, whatever the skill (a region's word, a plainer word): the sentence
# vectors read these as the first form too ("anything sitting in my trolley" is the cart). The verbs below mean
# one thing here but not in every skill ("record" a note is not "log" it), so the vectors read them as said.
SAME_THING_WORDS = {
    "basket": "cart",
    "trolley": "cart",
    "purchase": "buy",
    "nappy": "diaper",
    "nappie": "diaper",
    "parcel": "package",
    "shipment": "package",
    "kiddo": "baby",
    "infant": "baby",
    "bub": "baby",  # Australian
    "bubs": "baby",  # New Zealand and Australian
    "bubba": "baby",
    "bairn": "baby",  # Scottish
    "wean": "baby",  # Scottish ("the wean had her bottle")
    "pickney": "baby",  # Caribbean
    "okay": "ok",
}
EQUIVALENT_WORDS = {
    **SAME_THING_WORDS,
    # Request verbs and adverbs with one meaning here.
    "grab": "get",
    "fetch": "get",
    "begin": "start",
    "record": "log",
    "erase": "delete",
    "amend": "correct",
    "scrap": "cancel",
    "normally": "usually",
    "typically": "usually",
    "generally": "usually",
    "presently": "now",
    "which": "what",  # "which buttons do i have" / "what buttons do i have"
}


def key_of(word: str) -> str:
    if word in NUMBER_WORDS and word != "oh":
        return str(NUMBER_WORDS[word])
    stemmed = stem(word)
    if stemmed != word and 2 <= NUMBER_WORDS.get(stemmed, 0) <= 12:
        # A number said in the plural names things of that number: "the size fours" are size 4, "stage twos" stage 2.
        # Not "ones" ("the blue ones" points back), nor large numbers ("hundreds of wipes" is no count).
        return str(NUMBER_WORDS[stemmed])
    return EQUIVALENT_WORDS.get(stemmed, stemmed)


HOMOPHONES: dict[str, frozenset[str]] = _homophone_partners()  # key → the keys of its partners

# Irregular past forms people use in requests ("what have i bought", "she ate", "he slept").
IRREGULAR_VERBS = {
    "bought": "buy",
    "brought": "bring",
    "ate": "eat",
    "eaten": "eat",
    "drank": "drink",
    "drunk": "drink",
    "fed": "feed",
    "slept": "sleep",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "had": "have",
    "woke": "wake",
    "woken": "wake",
    "went": "go",
    "gone": "go",
    "got": "get",
    "gotten": "get",
    "made": "make",
    "said": "say",
    "ran": "run",
    "fell": "fall",
    "fallen": "fall",
    "threw": "throw",
    "thrown": "throw",
    "sent": "send",
    "paid": "pay",
    "told": "tell",
    "found": "find",
    "forgot": "forget",
    "forgotten": "forget",
    "kept": "keep",
    "began": "begin",
    "begun": "begin",
    "did": "do",
    "done": "do",
    "wrote": "write",
    "written": "write",
    "chose": "choose",
    "chosen": "choose",
}


@lru_cache(maxsize=65_536)
def lemma(key: str) -> str:
    """A rough shared root for inflections: "pumping"/"pumped"/"pump", "changed"/"change", "napping"/"nap"."""
    if key in IRREGULAR_VERBS:
        return lemma(IRREGULAR_VERBS[key])
    if not key.isalpha() or len(key) <= 3:
        return key
    for suffix in ("ing", "ed"):
        if key.endswith(suffix) and len(key) - len(suffix) >= 3:
            key = key[: -len(suffix)]
            if len(key) >= 3 and key[-1] == key[-2] and key[-1] not in "ls":
                key = key[:-1]
            break
    return key[:-1] if key.endswith("e") and len(key) > 3 else key


def _expand(word: str) -> tuple[str, ...]:
    if word in _CONTRACTIONS:
        return _CONTRACTIONS[word]
    for suffix, tail in _SUFFIXES.items():
        if word.endswith(suffix) and len(word) > len(suffix):
            return (word[: -len(suffix)], *tail)
    if word.endswith("'s") and len(word) > 2:
        return (word[:-2], "'s")
    return (word,)


@lru_cache(maxsize=262_144)
def _analyse(raw: str) -> tuple[tuple[str, str, int], ...]:
    """The tokens one written word becomes: (text, key, characters cut from its end), cached per word."""
    word = fold(raw)
    if word.startswith(("a.m", "p.m")):
        word = word[0] + "m"
    parts = _expand(word)
    if len(parts) == 2 and parts[1] == "'s":
        # "maya's": the name ends before the apostrophe, so a slot value is "maya", not "maya's".
        return ((parts[0], key_of(parts[0]), 2), ("'s", "'s", -2))
    return tuple((part, key_of(part), 0) for part in parts)


def tokenize(text: str, *, sample: bool = False) -> list[Token]:
    """Split into tokens that remember where they came from in `text`."""
    pattern = _SAMPLE_TOKEN_RE if sample else _TOKEN_RE
    tokens: list[Token] = []
    for match in pattern.finditer(text):
        raw = match.group(0)
        start, end = match.start(), match.end()
        if raw.startswith("{"):
            tokens.append(Token(raw, raw, start, end))
            continue
        for part, key, cut in _analyse(raw):
            if cut > 0:
                tokens.append(Token(part, key, start, end - cut))
            elif cut < 0:
                tokens.append(Token(part, key, end + cut, end))
            else:
                tokens.append(Token(part, key, start, end))
    return tokens


def _strip_phrases(tokens: list[Token], phrases: Sequence[tuple[str, ...]], *, leading: bool) -> list[Token]:
    changed = True
    while changed and tokens:
        changed = False
        for phrase in phrases:
            n = len(phrase)
            if len(tokens) < n:
                continue
            part = tokens[:n] if leading else tokens[-n:]
            if len(tokens) == n:
                if n > 1 and tuple(t.text for t in part) == phrase:
                    return tokens  # the phrase is all that was said ("nice one"): kept whole, as said
                continue
            if tuple(t.text for t in part) == phrase:
                tokens = tokens[n:] if leading else tokens[:-n]
                changed = True
                break
    return tokens


def only_an_opening(text: str) -> bool:
    """Whether a sentence is nothing but a one-word opening ("grand.", "lovely.", "okay."): said before the
    request, it acknowledges the last answer and asks nothing of its own."""
    words = [t.text for t in tokenize(text) if t.text not in FILLER_WORDS]
    return len(words) == 1 and (words[0],) in LEADING_FILLERS


# "Uh-huh" (yes) and "uh-uh" (no) are words of their own, written in two parts: their "uh" is no filler.
_UH_WORDS = frozenset({"huh", "uh"})


def clean(tokens: list[Token]) -> list[Token]:
    """Drop fillers anywhere, and polite openings and closings around the request."""
    kept = [
        t
        for i, t in enumerate(tokens)
        if t.text not in FILLER_WORDS
        or (t.text == "uh" and i + 1 < len(tokens) and tokens[i + 1].text in _UH_WORDS)
        or (t.text == "uh" and i > 0 and tokens[i - 1].text == "uh")
    ] or tokens
    kept = _wee_as_small(_back_is_ago(_as_well_is_too(kept)))
    kept = _hedges_dropped(kept)
    kept = _strip_phrases(kept, LEADING_FILLERS, leading=True)
    kept = _reported_request(kept)
    return _strip_phrases(kept, TRAILING_FILLERS, leading=False)


# A request passed on from someone else opens with who asked for it: "my sister said to reorder maya's diapers",
# "mrs carter asked me to order the formula again", "mum wants me to add wipes". What follows the "to" is the
# request, as if said alone: the framing is no part of any sample, of any model.
_REPORTED_BY = frozenset(
    {
        ("said",),
        ("says",),
        ("asked", "me"),
        ("asked", "us"),
        ("told", "me"),
        ("told", "us"),
        ("wants", "me"),
        ("wanted", "me"),
        ("needs", "me"),
        ("would", "like", "me"),
    }
)
_REPORTER_WORDS = 4  # "my sister", "mrs carter", "the nanny", "alex's mum": who asked is said in a few words


def _reported_request(tokens: list[Token]) -> list[Token]:
    """The tokens from the request on, where the turn opens with who asked for it (`_REPORTED_BY`)."""
    for start in range(1, min(_REPORTER_WORDS, len(tokens)) + 1):
        for verb in _REPORTED_BY:
            end = start + len(verb)
            if (
                end + 2 < len(tokens)
                and tuple(t.text for t in tokens[start:end]) == verb
                and tokens[end].text == "to"
                and not any(t.text in _NOT_A_REPORTER for t in tokens[:start])
            ):
                return tokens[end + 1 :]
    return tokens


# Words that show the opening is itself a request or a question, not who passed one on: "remind me what the doctor
# said to do", "note that she said to", "did he say to".
_NOT_A_REPORTER = frozenset({"what", "that", "did", "remind", "note", "log", "write", "tell", "if", "when", "how"})


# Hedges said inside a request, as fillers are: "i kind of need wipes", "the angel soft kind of toilet paper",
# "she sort of ate". Never a value's words, and never a request's.
_HEDGES = frozenset({("kind", "of"), ("sort", "of"), ("kinda",), ("sorta",)})


# Words after which "like" before a number hedges it, as "about" would: "remind me in like thirty minutes", "it was
# like two ounces". After a subject or "would" it is the verb ("i'd like two packs"), and stays.
_BEFORE_A_HEDGED_NUMBER = frozenset({"in", "for", "at", "around", "about", "after", "was", "is", "were", "of"})


def _hedges_dropped(tokens: list[Token]) -> list[Token]:
    """The tokens without hedges, where words are left on both sides ("what kind" alone stays as said)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        if (
            tokens[i].text == "like"
            and out
            and out[-1].text in _BEFORE_A_HEDGED_NUMBER
            and i + 1 < len(tokens)
            and (tokens[i + 1].text in NUMBER_WORDS or tokens[i + 1].text[:1].isdigit())
        ):
            i += 1
            continue
        pair = tuple(t.text for t in tokens[i : i + 2])
        width = 2 if pair in _HEDGES else 1 if (tokens[i].text,) in _HEDGES else 0
        if width and out and i + width < len(tokens):
            i += width
            continue
        out.append(tokens[i])
        i += 1
    return out


# Units of time a "back" after says "ago": "she got up ten minutes back", "a couple of hours back" (Indian and much
# Irish and British English). Elsewhere "back" keeps its own sense ("put it back", "back down", "my back").
_TIME_UNITS = frozenset(
    {"second", "seconds", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "day", "days", "week"}
    | {"weeks", "month", "months"}
)


def _back_is_ago(tokens: list[Token]) -> list[Token]:
    return [
        Token("ago", "ago", t.start, t.end) if t.text == "back" and i > 0 and tokens[i - 1].text in _TIME_UNITS else t
        for i, t in enumerate(tokens)
    ]


# "Wee" is urine to an English parent ("she did a wee") and small to a Scottish one ("a wee bottle at half five", "a
# wee nap"): before a thing's name it is the size, which a diaper's kind never is. Before a diaper, a conjunction or
# nothing at all it stays as said. A rule for one word, because the two Englishes share it and no sample can tell
# them apart: "she had a wee bottle" had logged a wet diaper beside the feed.
_WEE_STAYS_BEFORE = frozenset(
    {"diaper", "diapers", "nappy", "nappies", "one", "ones", "and", "or", "too", "then", "in", "on", "at", "just"}
    | {"earlier", "again", "now", "today", "this", "while", "before", "after", "when", "as", "so", "but", "there"}
)


def _wee_as_small(tokens: list[Token]) -> list[Token]:
    return [
        Token("little", "little", t.start, t.end)
        if t.text == "wee"
        and i + 1 < len(tokens)
        and tokens[i + 1].text.isalpha()
        and tokens[i + 1].text not in _WEE_STAYS_BEFORE
        and tokens[i + 1].start - t.end <= 1  # a written pause after it ends what it is: "just wee, for jack"
        else t
        for i, t in enumerate(tokens)
    ]


def _as_well_is_too(tokens: list[Token]) -> list[Token]:
    """ "As well" (not "as well as", which is "and") is "too", one soft word: "we're out of paper towels as well,
    add those" names paper towels, not a product called "paper towels as well"."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if (
            t.text == "as"
            and i + 1 < len(tokens)
            and tokens[i + 1].text == "well"
            and not (i + 2 < len(tokens) and tokens[i + 2].text == "as")
        ):
            out.append(Token("too", "too", t.start, tokens[i + 1].end))
            i += 2
            continue
        out.append(t)
        i += 1
    return out


# What people say between a slip and its repair ("two packs, no wait, three packs"): the interregnum of a
# self-repair. Longest first, so "no wait" is not read as "wait".
REPAIR_MARKERS: tuple[tuple[str, ...], ...] = (
    ("no", "sorry", "i", "mean"),
    ("no", "sorry", "i", "meant"),
    ("no", "wait"),
    ("wait", "no"),
    ("no", "sorry"),
    ("sorry", "i", "mean"),
    ("sorry", "i", "meant"),
    ("no", "i", "mean"),
    ("no", "i", "meant"),
    ("i", "mean"),
    ("i", "meant"),
    ("or", "rather"),
    ("actually", "no"),
    ("oops",),
    # Alone only between a slip and a repair that lines up with it ("three packs sorry four"): a "sorry" that
    # opens a turn or asks to hear again has nothing before it to repair.
    ("sorry",),
    # Alone only before a repair that opens with its own words ("one box, no, make that two boxes"): a plain "no"
    # answers or refuses.
    ("no",),
)
_NEEDS_A_LEAD = frozenset({("no",)})


# Words that may open the repair itself, before what replaces the slip ("no wait, make that three packs").
REPAIR_LEADS: tuple[tuple[str, ...], ...] = (
    ("make", "that"),
    ("make", "it"),
    ("change", "that", "to"),
    ("change", "it", "to"),
    ("just",),  # "three packs, oh no sorry, just two": the repair is "two"
    ("only",),
)


def _same_kind(a: Token, b: Token) -> bool:
    return a.key == b.key or (a.key.isdigit() and b.key.isdigit())


def _a_count(before: list[Token], j: int, repair: list[Token]) -> bool:
    """ "A pack" repaired by "two packs": "a" or "an" is a count of one where the repair names the same thing with a
    number ("put a pack of paper towels in as well, sorry, two packs")."""
    return (
        before[j].text in ("a", "an")
        and repair[0].key.isdigit()
        and j + 1 < len(before)
        and len(repair) > 1
        and before[j + 1].key == repair[1].key
    )


def self_repaired(tokens: list[Token], kinds: Callable[[str], frozenset[str]] | None = None) -> list[Token]:
    """A slip repaired in the same breath, read as the person meant it: "add two packs of paper towels no wait
    three packs to my cart" is "add three packs of paper towels to my cart".

    The repair starts at the latest word before the marker that its first word lines up with. Where that is a
    number for a number, the words it goes on to match are replaced and the rest of the sentence continues;
    where it is the same word, the person started over from there ("add the one, i mean, the big one"). A
    marker that nothing before it lines up with ("i mean, add wipes") is left as it was said.

    With `kinds` (the slot types whose listed values have a word), a value for a value lines up too: "add
    bounty, i mean viva paper towels" is "add viva paper towels": the repair's words of that type replace as
    many words of the run of that type the slip ends in, from its start ("add bounty paper towels, i mean
    viva" is "add viva paper towels").
    """
    for at in range(1, len(tokens)):
        for marker in REPAIR_MARKERS:
            n = len(marker)
            if tuple(t.text for t in tokens[at : at + n]) != marker:
                continue
            before, repair = tokens[:at], tokens[at + n :]
            if marker in _NEEDS_A_LEAD and not any(
                len(repair) > len(lead) and tuple(t.text for t in repair[: len(lead)]) == lead for lead in REPAIR_LEADS
            ):
                continue
            named = _slip_named(before, repair)
            if named is not None:
                return self_repaired(named, kinds)
            for lead in REPAIR_LEADS:  # "no wait, make that three": the repair is "three"
                if len(repair) > len(lead) and tuple(t.text for t in repair[: len(lead)]) == lead:
                    repair = repair[len(lead) :]
                    break
            if not repair:
                return tokens
            start = next(
                (
                    j
                    for j in range(len(before) - 1, -1, -1)
                    if _same_kind(before[j], repair[0]) or _a_count(before, j, repair)
                ),
                None,
            )
            if start is None and kinds is not None:
                fixed = _value_for_value(before, repair, kinds)
                if fixed is not None:
                    return self_repaired(fixed, kinds)
            if start is None:
                return tokens
            if before[start].key != repair[0].key:
                # A number for a number: the words the repair goes on to match are replaced, and the rest of
                # the sentence stays ("two packs of paper towels, no wait, three packs" keeps "of paper towels").
                width = 1
                while (
                    width < len(repair)
                    and start + width < len(before)
                    and _same_kind(before[start + width], repair[width])
                ):
                    width += 1
                fixed = before[:start] + repair[:width] + before[start + width :] + repair[width:]
            else:
                # The same word again: the person started over from it ("the one, i mean, the big one").
                fixed = before[:start] + repair
            return self_repaired(fixed, kinds)  # a second slip in the same sentence
    return tokens


def contrast_dropped(tokens: list[Token], kinds: Callable[[str], frozenset[str]] | None = None) -> list[Token]:
    """A value set against the one not meant, at the end of a turn: "that was at six not seven", "it was dirty
    not wet", "four ounces, not three ounces". English's contrastive negation says the value meant first, the
    reverse of a self-repair, so the words from "not" on are dropped: they name the value to replace, and read
    as a value they would fill a slot with it. Only where the words after "not" are a value of the same kind as
    the word before it (a number for a number, a listed value for one of its type) and at most the words of a
    value, so "she's not hungry" or "four ounces not bad at all" stay as said."""
    for i in range(len(tokens) - 2, 0, -1):
        if tokens[i].text != "not":
            continue
        tail = tokens[i + 1 :]
        if len(tail) > 3:
            break

        def alike(a: Token, b: Token) -> frozenset[str] | None:
            """The kinds two words share as values (digits share "number"), None when they share none."""
            if a.key.isdigit() and b.key.isdigit():
                return frozenset({"number"})
            shared = kinds(a.key) & kinds(b.key) if kinds is not None else frozenset()
            return shared or None

        a, b = tokens[i - 1], tail[0]
        shared = alike(a, b) if a.key != b.key else None
        if shared is not None:
            said_before = {t.key for t in tokens[:i]}
            if all(
                t.key.isdigit() or (kinds is not None and kinds(t.key) & shared) or t.key in said_before for t in tail
            ):
                return tokens[:i]
        # A value of several words against another ("two cups, not two liters"): word for word of a kind, not
        # the same value again.
        before = tokens[i - len(tail) : i]
        if (
            len(before) == len(tail)
            and [t.key for t in before] != [t.key for t in tail]
            and all(x.key == y.key or alike(x, y) is not None for x, y in zip(before, tail, strict=True))
        ):
            return tokens[:i]
    return tokens


def _slip_named(before: list[Token], repair: list[Token]) -> list[Token] | None:
    """A repair that names its slip first: "put wipes in the cart, no wait, not wipes, diapers" is "put diapers
    in the cart". The words after "not" are the slip, said as before; what follows them (after "but" or
    "rather", if said) takes their place. None when the repair does not open so."""
    if len(repair) < 3 or repair[0].text != "not":
        return None
    for width in range(len(repair) - 2, 0, -1):
        slip = [t.key for t in repair[1 : 1 + width]]
        rest = repair[1 + width :]
        if rest and rest[0].text in ("but", "rather", "instead"):
            rest = rest[1:]
        if not rest:
            continue
        for start in range(len(before) - width, -1, -1):
            if [t.key for t in before[start : start + width]] == slip:
                return before[:start] + rest + before[start + width :]
    return None


def _value_for_value(
    before: list[Token], repair: list[Token], kinds: Callable[[str], frozenset[str]]
) -> list[Token] | None:
    """The slip's value replaced by the repair's, when the repair opens with a word of a type whose words end
    the slip; None when they do not line up."""
    wanted = kinds(repair[0].key)
    if not wanted or not before or before[-1].key.isdigit():
        return None
    shared = kinds(before[-1].key) & wanted
    if not shared:
        return None
    start = len(before) - 1
    while start > 0 and not before[start - 1].key.isdigit() and kinds(before[start - 1].key) & shared:
        start -= 1
    slip = before[start:]
    said = 0  # the repair's own value words, the rest of it goes on after them
    while said < len(repair) and not repair[said].key.isdigit() and kinds(repair[said].key) & shared:
        said += 1
    # The repair's words replace as many of the slip's from its start; the slip's other words stay: "huggies
    # wipes, no wait, pampers" is "pampers wipes", "bounty paper towels, i mean viva" is "viva paper towels".
    return before[:start] + repair[:said] + slip[said:] + repair[said:]


def normalize_phrase(text: str) -> str:
    """The key form of a whole phrase: "Pampers Swaddlers, size three" → "pamper swaddler size 3"."""
    return " ".join(t.key for t in tokenize(text))


_VOWELS = frozenset("aeiouy")
_PHONETIC_RULES = (
    ("ph", "f"),
    ("ck", "k"),
    ("sch", "sk"),
    ("tch", "ch"),
    ("wh", "w"),
    ("gh", ""),
    ("kn", "n"),
    ("wr", "r"),
    ("dg", "j"),
    ("qu", "kw"),
    ("x", "ks"),
    ("q", "k"),
    ("z", "s"),
    ("v", "f"),
    ("ce", "se"),
    ("ci", "si"),
    ("cy", "sy"),  # a soft c: "place"/"plays", "cancel"/"can sell"
)


@lru_cache(maxsize=65_536)
def sound_shape(word: str) -> str:
    """A finer sound key that keeps where the vowels are: consonant sounds as `phonetic` reads them, each
    run of vowels as "V", a silent final e dropped. "write"/"right" share one ("rVt"); "set"/"soothie"
    ("sVt"/"sVthV") and "me"/"mam" ("mV"/"mVm") do not, though `phonetic` gives each pair one key.

    `phonetic` is coarse on purpose, for slips inside longer words; a whole word heard as another needs
    the same syllables too.
    """
    if not word or not word.isalpha():
        return word
    w = word.lower()
    for a, b in _PHONETIC_RULES:
        w = w.replace(a, b)
    if len(w) > 2 and w.endswith("e") and w[-2] not in _VOWELS:
        w = w[:-1]
    out: list[str] = []
    for at, ch in enumerate(w):
        if ch in _VOWELS:
            ch = "V"
        elif ch in "hw" and at:
            continue
        elif ch == "c":
            ch = "k"
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=262_144)
def phonetic(word: str) -> str:
    """A small sound-alike key for ASR slips: "pampers"/"pampurs", "huggies"/"hugies" share a key.

    Keeps the first letter, maps look-alike spellings to one sound, drops later vowels and
    collapses doubled letters; numbers pass through unchanged.
    """
    if not word or not word.isalpha():
        return word
    w = word.lower()
    for a, b in _PHONETIC_RULES:
        w = w.replace(a, b)
    if not w:
        return word.lower()  # a word of silent letters alone ("gh", a water hardness a model may list) keys as spelt
    out = [w[0]]
    for ch in w[1:]:
        if ch in _VOWELS or ch in "hw":
            continue
        if ch == "c":
            ch = "k"
        if out[-1] != ch:
            out.append(ch)
    return "".join(out)
