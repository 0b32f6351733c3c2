"""How a turn is put, read off the order of its words: whether it asks or requests, a condition before a question,
a reason after a request, where its written sentences and clauses end. Rules of grammar that hold for every
interaction model; `nlu.NluEngine.parse` decides with them which part of a turn is the request."""

from __future__ import annotations

import re
from collections.abc import Sequence

from intents.confidence import is_question
from intents.normalize import Token, clean, tokenize
from intents.parse_result import NluResult

_ASKING_SUBJECTS = frozenset({"i", "we", "you", "she", "he", "they"})  # not "it": "do it" requests
_ASKED_ABOUT = frozenset({"she", "he", "they"})  # someone else, after "can": a question about them


def asks(words: list[str]) -> bool:
    """Whether the turn asks rather than requests: a question word first ("did i add ..."), or "do" or "have"
    before who is asked about ("do we have wipes in the cart", "have i ordered ..."). "How about the second
    one" proposes; "do it" and "have two added" request. (A written question mark says nothing: "could you
    add wipes?" is a request, and speech has none.)"""
    if is_question(words):
        return words[1:2] != ["about"] and not says_what_it_is(words)
    if len(words) > 1 and words[0] in ("can", "could", "may") and words[1] in _ASKED_ABOUT:
        # "Can she have advil" asks whether; "can i add wipes" and "can we get diapers" ask for something.
        return True
    if len(words) > 2 and words[0] in _TELLING and words[1] == "me" and words[2] in _TOLD_ABOUT:
        # An indirect question: "remind me what i usually get" asks for it, and sets no reminder.
        return True
    if _asks_indirectly(words) or _asks_in_place(words):
        return True
    return len(words) > 1 and words[0] in ("do", "have") and words[1] in _ASKING_SUBJECTS


# What a question asks for, where many speakers say it: in the place of the answer ("she slept how long", "the box
# of wipes costs how much", "the order comes when"), as in Singapore, Indian and much spoken English everywhere.
_IN_PLACE = ("how long", "how much", "how many", "how old", "what time", "what day", "which day", "when", "where")
# After the question word only a few words that make no clause of their own ("just now", "ah", "already").
_CLAUSE_WORDS = _ASKING_SUBJECTS | {"it", "is", "was", "are", "were", "did", "does", "do", "will", "can", "should"}


def _asks_in_place(words: list[str]) -> bool:
    """A question word said where its answer goes, near the end, after a statement's first words; not the start of
    a clause of its own ("i know how long she slept" and "tell me when it ships" say a clause after it)."""
    said = " ".join(words)
    for phrase in _IN_PLACE:
        at = f" {said} ".rfind(f" {phrase} ")
        if at < 0:
            continue
        before = said[:at].split()
        after = said[at + len(phrase) :].split()
        # "when" and "where" open clauses of time and place ("ping me when boarding starts"): in place, they end the
        # turn but for a word ("it comes when ah").
        most = 1 if phrase in ("when", "where") else 3
        if len(before) >= 2 and len(after) <= most and not _CLAUSE_WORDS.intersection(after):
            return True
    return False


def says_what_it_is(words: list[str]) -> bool:
    """A statement that opens with a question word, English's pseudo-cleft: the word, then who speaks or is spoken
    of, a verb, and later "is" or "was" ("what i meant was she had a wet one", "what we need is more wipes",
    "what she had was formula"). A question puts a verb before the subject ("what did i order", "what is in my
    cart"). A rule of grammar, not of any phrase: it reads the order of the words only."""
    return (
        len(words) > 3
        and words[0] in _CLEFT_OPENERS
        and words[1] in _ASKING_SUBJECTS
        and any(w in ("is", "was") for w in words[3:])
    )


_CLEFT_OPENERS = frozenset({"what", "where", "when", "how", "who"})


def asks_for_an_offer(words: list[str]) -> bool:
    """A question about what the listener has or knows, or about what there is: an indirect request, as "can you"
    is ("do you know any jokes about animals", "do you have a golden available", "is there a show about sourdough
    baking", "are there any chargers in sacramento", "got any coupons"), or whether an act may still be done ("is it
    too late to cancel the order"). Such a question asks to be offered the
    thing, so a skill's finding, telling or playing intents answer it, though none of their samples is a question.
    Not a question about the speaker's own things ("is there milk on my list", "is there anything in my cart"):
    that checks what is there, and must never write. A rule of grammar (indirect speech acts), not of any phrase:
    it reads the first words and the possessives only."""
    if _OWN.intersection(words):
        return False
    if words[:2] in (["is", "there"], ["are", "there"], ["got", "any"]):
        return True
    if _asks_whether_it_can_be_done(words):
        return True
    return len(words) > 3 and tuple(words[:3]) in _OFFER_ASKED and words[3] in _OFFERED


def _asks_whether_it_can_be_done(words: list[str]) -> bool:
    """ "Is it too late to cancel the order", "is it possible to move it", "would it be ok to add wipes": a question
    whether an act may be done asks for it."""
    for opener in _WHETHER_IT_CAN:
        n = len(opener)
        if tuple(words[:n]) == opener and len(words) > n + 1:
            rest = words[n:]
            if rest[:2] == ["too", "late"]:
                rest = rest[2:]
            elif rest[0] in _POSSIBLE:
                rest = rest[1:]
            else:
                continue
            return rest[:1] == ["to"]
    return False


_WHETHER_IT_CAN = (("is", "it"), ("would", "it", "be"), ("will", "it", "be"))
_POSSIBLE = frozenset({"possible", "ok", "okay", "alright", "fine"})


# "Do you know" before what is known, not whether something is ("do you know if the wipes came" asks whether).
_OFFER_ASKED = frozenset({("do", "you", "have"), ("do", "you", "know"), ("have", "you", "got"), ("do", "you", "got")})
_OFFERED = frozenset({"a", "an", "any", "anything", "some", "something", "one"})
_OWN = frozenset({"my", "our", "mine", "ours"})


def _asks_indirectly(words: list[str]) -> bool:
    """A question put politely: a verb of asking or knowing, then a question word ("may i ask what a single
    package costs", "i'd like to know how much they are", "do you know if the wipes came"). Not "let me know when
    it ships", which asks to be told later, nor "i wonder if you could put wipes in the basket", which asks for
    them."""
    for i, word in enumerate(words[:6]):
        if word in _KNOWING and i + 1 < len(words) and words[i + 1] in _ASKED_WHAT:
            if i > 0 and words[i - 1] == "me":
                return False
            return tuple(words[i + 2 : i + 4]) not in _POLITE_ASKING
    return False


_TELLING = frozenset({"tell", "remind", "show"})
_KNOWING = frozenset({"ask", "know", "wonder", "wondering", "wondered"})
_ASKED_WHAT = frozenset({"what", "when", "where", "which", "who", "why", "how", "if", "whether"})
# "I wonder if you could …" asks the listener to act, and "I was wondering if I could cancel …" asks leave to act:
# both are requests.
_POLITE_ASKING = frozenset(("you", verb) for verb in ("could", "can", "would", "will", "might")) | frozenset(
    (who, verb) for who in ("i", "we") for verb in ("could", "can", "might", "may")
)
# Not "when": "remind me when it's time to feed her" asks for a reminder.
_TOLD_ABOUT = frozenset({"what", "which", "who", "where", "how"})


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def written_sentences(text: str) -> list[str]:
    """The turn's written sentences (one for speech, which has no sentence ends)."""
    return [part for part in SENTENCE_END.split(text) if part.strip()]


# The wake word opening a written sentence after the first: what the speaker said before it was said to someone else
# ("No, no candy, mijo. Alexa, remind me in forty-five minutes to take the beans off the stove.").
_WAKE_WORD_AFTER_A_SENTENCE = re.compile(r"[.!?]\s+alexa\b[\s,.!?]*(?=\w)", re.IGNORECASE)


def after_the_wake_word(text: str) -> str | None:
    """What is said to the speaker where the wake word opens a later sentence (the last such), or None: a parent
    talks to a child, then turns to the speaker and says its name. At the start of a turn the wake word is only a
    filler, and said inside a sentence ("thanks alexa, bye") it opens nothing."""
    ends = [found.end() for found in _WAKE_WORD_AFTER_A_SENTENCE.finditer(text)]
    if not ends:
        return None
    rest = text[ends[-1] :].strip()
    return rest if len(rest.split()) >= 2 else None


_REASON_WORDS = re.compile(r"\s(because|cause|before|since)\s", re.IGNORECASE)


# Words said before an "if" that opens the turn ("wait, if i clear it, ...", "so if i press it again, ...").
_BEFORE_IF = frozenset({"wait", "hmm", "hm", "um", "uh", "so", "and", "but", "oh", "ok", "okay", "well", "just"})
# The words that open a clause supposing something or setting a time for it: what follows is not asked for.
_SUPPOSING = r"(?:if|before|after|once|unless|in case)"
_IF_CLAUSE = re.compile(
    r"^\W*((?:\w+\W+){0,3}?)" + _SUPPOSING + r"\b([^,;]*?)(?:,|\bthen\b)\s*(.+)$", re.IGNORECASE | re.DOTALL
)


def question_after_a_condition(text: str) -> int | None:
    """Where the question begins in a turn that opens with a condition or a time and asks about it ("if i press it
    again now, will it order another one", "before i press anything, what will that button send me"): the clause
    after the comma (or "then"), where it asks; None otherwise. "if
    you could add wipes, that would be lovely" asks nothing, and "could you add wipes, if it's no trouble" opens
    with the request."""
    found = _IF_CLAUSE.match(text)
    if found is None:
        return None
    before = [t.text for t in tokenize(found.group(1))]
    if any(w not in _BEFORE_IF for w in before) or len(found.group(2).split()) < 2:
        return None
    words = [t.text for t in clean(tokenize(found.group(3)))]
    # Speech has no question mark: after a condition, a verb before its subject asks ("will it order another
    # one", "does that cancel it"), except a request put to the listener ("could you add wipes").
    inverted = len(words) > 1 and words[0] in _ASKING_VERBS and words[1] not in ("you", "u", "ya")
    return found.start(3) if (asks(words) or inverted) and len(words) >= 2 else None


_ASKING_VERBS = frozenset({"will", "would", "does", "do", "did", "is", "are", "was", "has", "have", "can", "could"})


def reason_at(text: str) -> int | None:
    """Where a reason or a time said after a request begins ("… before he eats anything else"): at least two words
    of request before it and two of reason after, else None."""
    found = _REASON_WORDS.search(text)
    if found is None or len(text[: found.start()].split()) < 2 or len(text[found.end() :].split()) < 2:
        return None
    return found.start()


def cut_across_sentences(text: str, value: str) -> bool:
    """Whether a slot's value runs across a written sentence end and stops inside the next sentence ("… on her
    phone. cancel all my" of "… cancel all my reminders"): no value a person says, so the whole turn's reading is
    unsure and its sentences are read as a turn that falls back. A value of whole sentences (a note: "she smiled at
    me. her mother will want to know.") stays."""
    if not SENTENCE_END.search(value):
        return False
    at = text.lower().find(value.lower())
    if at < 0:
        return False
    rest = text[at + len(value) :]
    return bool(rest.strip()) and not re.match(r"\s*[.!?]", rest)


CLAUSE_END = re.compile(r"(?<=[.!?,;])\s+")


_DETERMINERS = frozenset({"the", "a", "an", "my", "our", "her", "his", "that", "this", "those", "these"})


def _valued_words(result: NluResult) -> int:
    """How many words the reading's slot values hold."""
    return sum(len(str(slot.value).split()) for slot in result.slots.values() if slot.value is not None)


def names_a_thing(part: str, result: NluResult) -> bool:
    """Whether a sentence only names a thing: its values, and at most one word more besides determiners ("the paper
    towels button.", "the huggies ones."). It asks for nothing by itself."""
    words = [t.text for t in clean(tokenize(part)) if t.text not in _DETERMINERS]
    valued = _valued_words(result)
    return bool(words) and valued > 0 and len(words) <= valued + 1


def value_alone(part: str, result: NluResult) -> bool:
    """Whether every word of a clause went into the values of its reading ("diapers," read as a choice)."""
    words = [t.text for t in clean(tokenize(part))]
    return bool(words) and _valued_words(result) >= len(words)


ASIDE_WORDS = 3  # "oh", "dear", "a bit slower", "it doesn't matter"; "the box came damaged" says more
_WH_WORDS = frozenset({"what", "when", "where", "which", "who", "why", "how"})
_CLAUSE_LINKS = frozenset({"so", "but", "and"})


# "What i would like (is …)", "what we need": "what" and who wants it, then the wanting, is the first half of a
# statement of what is wanted (a pseudo-cleft), not a question, which would put a verb before who ("what do we need").
_WANTING = frozenset({"want", "wants", "wanted", "need", "needs", "needed", "like"})


def _says_what_is_wanted(words: list[str]) -> bool:
    return (
        len(words) > 2 and words[0] == "what" and words[1] in _ASKING_SUBJECTS and any(w in _WANTING for w in words[2:])
    )


def asks_after_a_clause(tokens: Sequence[Token], text: str) -> bool:
    """A question after a first clause: "she weighs eighteen pounds, so how many milliliters of tylenol is
    safe" asks, and logs no weight. The question starts with a wh-word (not "is": "she ate and is asleep"
    states) after "so", "but", "and" or a written comma or full stop."""
    for i in range(1, len(tokens) - 1):
        if tokens[i].text not in _WH_WORDS or _says_what_is_wanted([t.text for t in tokens[i : i + 5]]):
            continue
        between = text[tokens[i - 1].end : tokens[i].start]
        if tokens[i - 1].text in _CLAUSE_LINKS or any(mark in between for mark in ",.;?"):
            return True
    return False
