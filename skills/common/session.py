"""What a conversation remembers between turns (Alexa session attributes, JSON-safe values only).

- the pending action a yes, a no, a code or a choice answers (`{"kind": ..., ...}`). It answers the
  question just asked and nothing later: a turn that neither sets it nor keeps it (a handler that asks the
  same question again calls `keep_pending`) lets it lapse, so a yes said after the talk moved on never
  places an order that was read back turns ago;
- the last product spoken about, which is what "it" and "that" mean;
- whether the last thing spoken about was a product or a button, so "make it three" changes the one meant.
"""

from __future__ import annotations

from typing import Any, cast

from ask_sdk_core.handler_input import HandlerInput

PENDING = "pending"
LAST_PRODUCT = "last_product"
ELICITING = "eliciting"
LAST_THING = "last_thing"  # "product" or "button"
_ANSWERED_THIS_TURN = "voicecart.pending_kept"  # a request attribute: gone with the request


def _attrs(handler_input: HandlerInput) -> dict[str, Any]:
    return cast(dict[str, Any], handler_input.attributes_manager.session_attributes)


def pending(handler_input: HandlerInput, kind: str | None = None) -> dict | None:
    """The pending action, or None; with `kind`, only a pending action of that kind."""
    action = _attrs(handler_input).get(PENDING)
    if not isinstance(action, dict):
        return None
    if kind is not None and action.get("kind") != kind:
        return None
    return action


def set_pending(handler_input: HandlerInput, kind: str, **data: Any) -> dict:
    action = {"kind": kind, **data}
    _attrs(handler_input)[PENDING] = action
    keep_pending(handler_input)
    return action


def keep_pending(handler_input: HandlerInput) -> None:
    """This turn asks the pending question again (a wrong code, "which one?"), so it stays open."""
    handler_input.attributes_manager.request_attributes[_ANSWERED_THIS_TURN] = True


def pending_kept(handler_input: HandlerInput) -> bool:
    """Whether this turn set or kept a pending question of its own."""
    return bool(handler_input.attributes_manager.request_attributes.get(_ANSWERED_THIS_TURN))


def end_of_turn(handler_input: HandlerInput, question: str | None, eliciting: dict | None = None) -> None:
    """After the handler: a pending action this turn did not set or keep lapses; one it did remembers the
    question asked (`question`, the reprompt) so help or a misheard answer can ask it again. `eliciting`
    is the slot this turn's answer asks for with Dialog.ElicitSlot ({"intent", "slots", "slot"}), kept
    for one turn for the same reason."""
    attrs = _attrs(handler_input)
    if eliciting and question:
        attrs[ELICITING] = {**eliciting, "question": question}
    else:
        attrs.pop(ELICITING, None)
    if not handler_input.attributes_manager.request_attributes.get(_DONE_THIS_TURN):
        attrs.pop(JUST_DONE, None)  # what the turn before did is not "that" any more
    action = attrs.get(PENDING)
    if action is None:
        return
    if not handler_input.attributes_manager.request_attributes.get(_ANSWERED_THIS_TURN):
        clear_pending(handler_input)
    elif isinstance(action, dict) and question:
        action["question"] = question


JUST_DONE = "just_done"  # {"kind", ...}: what the last turn did, for "cancel that" on the next turn only
ORDERED = "ordered"  # the kind for a turn that placed an order (by voice or a button press)
_DONE_THIS_TURN = "voicecart.done_this_turn"


ORDERS_PLACED = "orders_placed"  # the ids of the orders placed in this session, oldest first


def remember_done(handler_input: HandlerInput, kind: str, **data: Any) -> None:
    """What this turn did ("ordered", with the order's id): the next turn may refer to it as "that"."""
    attrs = _attrs(handler_input)
    attrs[JUST_DONE] = {"kind": kind, **data}
    handler_input.attributes_manager.request_attributes[_DONE_THIS_TURN] = True
    if kind == ORDERED and isinstance(data.get("order_id"), str):
        placed = [i for i in attrs.get(ORDERS_PLACED) or [] if isinstance(i, str)]
        attrs[ORDERS_PLACED] = (placed + [data["order_id"]])[-10:]


def orders_placed(handler_input: HandlerInput) -> list[str]:
    """The orders placed in this session (by a yes or a button press), so no answer claims none was."""
    return [i for i in _attrs(handler_input).get(ORDERS_PLACED) or [] if isinstance(i, str)]


def nothing_ordered(handler_input: HandlerInput) -> str:
    """ "nothing was ordered", or "nothing more was ordered" once this session placed an order: true either way."""
    return "nothing more was ordered" if orders_placed(handler_input) else "nothing was ordered"


def just_done(handler_input: HandlerInput, kind: str) -> dict | None:
    """What the turn before this one did, when it was `kind`."""
    done = _attrs(handler_input).get(JUST_DONE)
    return done if isinstance(done, dict) and done.get("kind") == kind else None


def eliciting(handler_input: HandlerInput) -> dict | None:
    """The slot the previous turn asked for ({"intent", "slots", "slot", "question"}), or None."""
    value = _attrs(handler_input).get(ELICITING)
    return value if isinstance(value, dict) and value.get("intent") and value.get("slot") else None


def pending_question(handler_input: HandlerInput) -> str | None:
    """The question the pending action waits on (already SSML-safe), or None."""
    action = pending(handler_input)
    question = action.get("question") if action else None
    return question if isinstance(question, str) and question else None


def clear_pending(handler_input: HandlerInput) -> None:
    _attrs(handler_input).pop(PENDING, None)


def clear_open_questions(handler_input: HandlerInput) -> None:
    """Nothing waits for an answer any more: no pending action and no slot being asked for (after an error,
    when the end-of-turn bookkeeping does not run)."""
    clear_pending(handler_input)
    _attrs(handler_input).pop(ELICITING, None)


def last_product(handler_input: HandlerInput) -> str | None:
    value = _attrs(handler_input).get(LAST_PRODUCT)
    return value if isinstance(value, str) else None


def remember_product(handler_input: HandlerInput, product_id: str) -> None:
    _attrs(handler_input)[LAST_PRODUCT] = product_id
    remember_thing(handler_input, "product")


LAST_ADDED = "last_added"  # {"id", "quantity"}: what the last add put in, for "actually just two"


def remember_added(handler_input: HandlerInput, product_id: str, quantity: int) -> None:
    _attrs(handler_input)[LAST_ADDED] = {"id": product_id, "quantity": quantity}


def last_added(handler_input: HandlerInput) -> tuple[str, int] | None:
    """The product the last add put in the cart and how many it put there."""
    value = _attrs(handler_input).get(LAST_ADDED)
    if isinstance(value, dict) and isinstance(value.get("id"), str) and isinstance(value.get("quantity"), int):
        return value["id"], value["quantity"]
    return None


REMINDER = "reminder"  # the last thing after the reminders were read: "drop the vitamin one" is about them
LOG_ENTRY = "log entry"  # the last thing after a baby-log entry was written: "make it five" is about it


def remember_thing(handler_input: HandlerInput, kind: str) -> None:
    """The kind of thing ("product", "button") the conversation is about now."""
    _attrs(handler_input)[LAST_THING] = kind


def last_thing(handler_input: HandlerInput) -> str | None:
    value = _attrs(handler_input).get(LAST_THING)
    return value if isinstance(value, str) else None


def turn_number(handler_input: HandlerInput) -> int:
    """A counter of turns in this session: part of idempotency keys, so two orders in one session differ."""
    attrs = _attrs(handler_input)
    return int(attrs.get("turn", 0))


def next_turn(handler_input: HandlerInput) -> int:
    attrs = _attrs(handler_input)
    attrs["turn"] = int(attrs.get("turn", 0)) + 1
    return attrs["turn"]


ANSWERS = "answers"  # the last two answers, newest last: what "say that again" and "go back" replay
_REPLAYED = "voicecart.replayed"  # a request attribute: this turn replayed an answer, so it is not new
# A request attribute: this turn's answer only said it was not understood. "Pardon?" after it asks for the last
# answer that said something ("when did you say they'll come?" fell back; "pardon? say that once more").
_NOT_UNDERSTOOD = "voicecart.not_understood"


def not_understood(handler_input: HandlerInput) -> None:
    """This turn's answer says only that it was not understood: repeat and go back pass over it."""
    handler_input.attributes_manager.request_attributes[_NOT_UNDERSTOOD] = True


def remember_answer(handler_input: HandlerInput, speech: str, reprompt: str | None) -> None:
    """After a turn that kept the session open: its answer and the question it left open, for repeat and
    go back. A turn that replayed an answer is not remembered again, nor one that only said it did not
    understand."""
    request = handler_input.attributes_manager.request_attributes
    if request.get(_REPLAYED) or request.get(_NOT_UNDERSTOOD):
        return
    attrs = _attrs(handler_input)
    answer = {"speech": speech, "reprompt": reprompt, "pending": attrs.get(PENDING), "eliciting": attrs.get(ELICITING)}
    answers = [a for a in attrs.get(ANSWERS) or [] if isinstance(a, dict)]
    attrs[ANSWERS] = (answers + [answer])[-2:]


def answers(handler_input: HandlerInput) -> list[dict]:
    """The remembered answers, newest last (at most two)."""
    return [a for a in _attrs(handler_input).get(ANSWERS) or [] if isinstance(a, dict) and a.get("speech")]


def replay(handler_input: HandlerInput, answer: dict, *, drop_newest: bool = False) -> None:
    """Reopen what `answer` left open (its pending question, its slot being asked for), this turn."""
    attrs = _attrs(handler_input)
    handler_input.attributes_manager.request_attributes[_REPLAYED] = True
    if drop_newest:
        attrs[ANSWERS] = answers(handler_input)[:-1]
    if isinstance(answer.get("pending"), dict):
        attrs[PENDING] = answer["pending"]
        keep_pending(handler_input)
    else:
        attrs.pop(PENDING, None)


LAST_INTENT = "last_intent"  # the last request of the skill's own (not a built-in), for the fallback's example


def remember_intent(handler_input: HandlerInput, name: str | None) -> None:
    """Where the person is: the skill's own intent they last used; built-ins (yes, repeat, fallback) keep it."""
    if name and not name.startswith("AMAZON."):
        _attrs(handler_input)[LAST_INTENT] = name


def last_intent(handler_input: HandlerInput) -> str | None:
    name = _attrs(handler_input).get(LAST_INTENT)
    return name if isinstance(name, str) else None


def forget_answers(handler_input: HandlerInput) -> None:
    _attrs(handler_input).pop(ANSWERS, None)
