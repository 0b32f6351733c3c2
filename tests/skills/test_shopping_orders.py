"""Ordering conversations: read-back and a yes, reorder, buy it again, status, cancel, and the trust rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shop_support import cart_of, orders_of

from reorder.demo import DEMO_CHILD_PERSON_ID
from reorder.domain.model import OrderStatus


def _placed_now(shop, household_id, clock):
    return [o for o in orders_of(shop, household_id) if o.placed_at == clock.now()]


def test_checkout_reads_back_and_orders_only_after_yes(echo, shop, demo, clock):
    echo.say("add two packs of bounty paper towels to my cart")
    turn = echo.say("check out")
    assert turn.intent == "CheckoutIntent"
    assert "Your order: two packs of Bounty" in turn.speech
    assert "The total is" in turn.speech and "member savings" in turn.speech
    assert "It would arrive Wednesday." in turn.speech  # two days after a Monday: the weekday says it
    assert turn.card and "Arrives: Wednesday, November 4" in turn.card.get("content", turn.card.get("text", ""))
    assert turn.speech.endswith("Should I place the order?")
    assert _placed_now(shop, demo.id, clock) == []
    turn = echo.say("yes")
    assert turn.speech.startswith("Done. I ordered two packs of Bounty")
    assert turn.card and turn.card.get("title") == "Order placed"
    placed = _placed_now(shop, demo.id, clock)
    assert len(placed) == 1 and placed[0].channel == "voice" and placed[0].idempotency_key
    assert [ln.quantity for ln in placed[0].lines] == [2]
    assert cart_of(shop, demo.id) == {}


def test_no_means_nothing_is_ordered(echo, shop, demo, clock):
    echo.say("add bounty paper towels to my cart")
    echo.say("check out")
    turn = echo.say("no")
    assert "Nothing was ordered" in turn.speech
    assert _placed_now(shop, demo.id, clock) == []
    assert cart_of(shop, demo.id)


def test_a_yes_after_the_talk_moved_on_orders_nothing(echo, shop, demo, clock):
    echo.say("add two packs of bounty paper towels to my cart")
    echo.say("check out")
    assert echo.say("add a pack of pampers wipes").intent == "AddToCartIntent"  # the talk moved on
    turn = echo.say("yes")  # not an answer to the read-back of two turns ago
    assert "nothing was ordered" in turn.speech and not turn.session_ended
    assert _placed_now(shop, demo.id, clock) == []
    assert cart_of(shop, demo.id)


def test_a_question_during_the_read_back_is_answered_and_the_read_back_asked_again(echo, shop, demo, clock):
    echo.say("add two packs of bounty paper towels to my cart")
    echo.say("check out")
    turn = echo.say("wait, how much are the bounty paper towels?")
    assert turn.intent == "PriceQueryIntent" and "dollars" in turn.speech
    question = turn.reprompt  # the read-back's question, in full: what a yes would buy
    assert question.startswith("Should I order two packs of Bounty")
    # Said again after the answer, in full where the answer leaves room for it, else in short (forty words at most).
    assert turn.speech.endswith(question.split("?")[0] + "?") or turn.speech.endswith("Still go ahead?")
    assert len(turn.speech.split()) <= 40
    assert _placed_now(shop, demo.id, clock) == []
    turn = echo.say("where's my order")  # a second question: still answered, still asked again
    assert turn.intent == "OrderStatusIntent" and turn.reprompt == question and len(turn.speech.split()) <= 40
    assert _placed_now(shop, demo.id, clock) == []
    turn = echo.say("okay, yes")  # the yes answers the question just asked
    assert turn.speech.startswith("Done. I ordered two packs of Bounty"), turn.speech
    assert len(_placed_now(shop, demo.id, clock)) == 1


def test_a_question_about_what_would_happen_changes_nothing(echo, shop, demo):
    echo.say("add two packs of bounty paper towels to my cart")
    turn = echo.say("if i clear it, does that cancel my orders too?")
    assert turn.intent == "AMAZON.FallbackIntent"
    assert cart_of(shop, demo.id)


def test_plain_consent_in_words_no_sample_says_places_the_order(echo, shop, demo, clock):
    # The read-back is asked in plain speech, so the device expects no intent: the yes is heard on its own.
    for yes, product in (("mm-hm, that's fine", "bounty paper towels"), ("aye, go on", "pampers wipes")):
        echo.say(f"add {product} to my cart")
        echo.say("check out")
        turn = echo.say(yes)
        assert turn.intent == "AMAZON.YesIntent" and turn.speech.startswith("Done. I ordered"), (yes, turn.speech)
        clock.advance(timedelta(minutes=5))
    placed = len(orders_of(shop, demo.id))
    assert placed >= 2
    # The same words with no question open order nothing.
    turn = echo.say("mm-hm, that's fine")
    assert "no question waiting for a yes" in turn.speech and len(orders_of(shop, demo.id)) == placed, turn.speech


def test_help_or_a_misheard_answer_asks_the_order_question_again(echo, shop, demo, clock):
    echo.say("add two packs of bounty paper towels to my cart")
    echo.say("check out")
    helped = echo.say("help")
    assert helped.intent == "AMAZON.HelpIntent"
    assert "Should I order two packs of Bounty" in helped.speech and helped.speech.endswith("Please say yes or no.")
    misheard = echo.say("bring me the moon")
    assert misheard.intent == "AMAZON.FallbackIntent"
    assert misheard.speech.startswith("Sorry, I didn't get that. Should I order two packs of Bounty")
    assert _placed_now(shop, demo.id, clock) == []
    assert echo.say("yes").speech.startswith("Done. I ordered two packs of Bounty")
    assert len(_placed_now(shop, demo.id, clock)) == 1


def test_a_no_to_anything_else_ends_the_conversation(echo):
    echo.say("add bounty paper towels to my cart")
    turn = echo.say("no")
    assert turn.session_ended and "Goodbye" in turn.speech


def test_stop_during_read_back_orders_nothing(echo, shop, demo, clock):
    echo.say("add bounty paper towels to my cart")
    echo.say("check out")
    turn = echo.say("stop")
    assert turn.session_ended and "nothing was ordered" in turn.speech.lower()
    assert _placed_now(shop, demo.id, clock) == []


def test_checkout_with_empty_cart(echo):
    turn = echo.say("check out")
    assert "Your cart is empty" in turn.speech and not turn.session_ended


def test_reorder_a_product_from_history(echo, shop, demo, clock):
    turn = echo.say("reorder paper towels")
    assert turn.intent == "ReorderIntent"
    assert "Your order: one pack of Bounty" in turn.speech  # the paper towels they buy, last quantity
    turn = echo.say("yes")
    placed = _placed_now(shop, demo.id, clock)
    assert len(placed) == 1 and placed[0].lines[0].product_id.startswith("bounty")
    assert "Done." in turn.speech


def test_reorder_alone_offers_the_usuals(echo, shop, demo, clock):
    usuals = shop.orders.buy_it_again(demo.id, limit=3)
    turn = echo.say("reorder")
    assert turn.intent == "ReorderIntent"
    assert "first" in turn.speech and "second" in turn.speech
    assert "Which one should I reorder" in turn.speech
    turn = echo.say("the second one")
    assert turn.speech.startswith("Your order: ")
    echo.say("yes")
    placed = _placed_now(shop, demo.id, clock)
    assert [ln.product_id for ln in placed[0].lines] == [usuals[1].product.id]


def test_a_product_named_as_a_correction_to_which_one_to_reorder_is_reordered(echo, shop, demo, clock):
    # Round 18: "reorder the wives" was misheard; to "which one should I reorder?" the person said "no, I said
    # wipes", and wipes had gone into the cart, so the yes they gave next placed nothing.
    turn = echo.say("reorder the wives")
    assert "Which one should I reorder" in turn.speech, turn.speech
    turn = echo.say("no, I said wipes")
    assert turn.speech.startswith("Your order: ") and "wipes" in turn.speech, turn.speech
    assert not shop.carts.get(demo.id).lines
    assert "I ordered" in echo.say("yes").speech
    [placed] = _placed_now(shop, demo.id, clock)
    assert "wipes" in shop.catalog.get(placed.lines[0].product_id).spoken_name.lower()


def test_reorder_them_with_nothing_spoken_about_offers_the_usuals(echo, shop, demo, clock):
    turn = echo.say("would you ever reorder them for me?")
    assert turn.intent == "ReorderIntent", turn
    assert turn.speech.startswith("You usually buy") and "couldn't find" not in turn.speech, turn.speech
    assert _placed_now(shop, demo.id, clock) == []


def test_buy_it_again_lists_what_they_buy(echo, shop, demo):
    usuals = shop.orders.buy_it_again(demo.id, limit=3)
    turn = echo.say("buy it again")
    assert turn.intent == "BuyItAgainIntent"
    assert usuals[0].product.spoken_name.split(",")[0] in turn.speech


def test_order_status_follows_fulfilment(echo, shop, demo, clock):
    echo.say("reorder paper towels")
    echo.say("yes")
    turn = echo.say("where's my order")
    assert turn.intent == "OrderStatusIntent"
    assert "is placed and arrives Wednesday, November 4th" in turn.speech
    clock.advance(timedelta(days=1))
    turn = echo.say("where's my order")
    assert "has shipped" in turn.speech
    clock.advance(timedelta(days=3))
    turn = echo.say("where's my order")
    assert "Nothing is on its way" in turn.speech and "was delivered" in turn.speech


def test_the_parcel_or_the_delivery_is_the_order_itself_not_a_product(echo, shop, demo, clock):
    echo.say("reorder paper towels")
    echo.say("yes")
    for said in ("and might you tell me when the parcel is expected to arrive", "when is my delivery coming"):
        turn = echo.say(said)
        assert turn.intent == "OrderStatusIntent", said
        assert "arrives Wednesday, November 4th" in turn.speech, turn.speech
        assert "I don't see any orders" not in turn.speech


@pytest.mark.parametrize(
    "said",
    [
        "any chance it'll turn up before the weekend?",
        "will my order arrive by friday",
        "is it coming before the weekend",
    ],
)
def test_will_it_arrive_by_a_day_is_answered_with_the_day_it_arrives(echo, shop, demo, clock, said):
    # "Any chance it'll turn up before the weekend?" had been asked back as a cancel ("Should I cancel your order…?").
    echo.say("reorder paper towels")
    echo.say("yes")
    turn = echo.say(said)
    assert turn.intent == "OrderStatusIntent", turn.intent
    assert "arrives Wednesday, November 4th" in turn.speech and "cancel" not in turn.speech.lower(), turn.speech
    assert len(_placed_now(shop, demo.id, clock)) == 1  # the one order, nothing cancelled or placed again


def test_make_it_two_packs_at_the_read_back_changes_the_cart_not_a_button(echo, shop, demo, clock):
    # The words are a button's too ("make it two packs" after a button); with none spoken about, the cart's.
    echo.say("add bounty paper towels to my cart")
    echo.say("check out")
    turn = echo.say("no, make it two packs")
    assert "button" not in turn.speech and "two packs of Bounty" in turn.speech, turn.speech
    assert _placed_now(shop, demo.id, clock) == []
    assert list(cart_of(shop, demo.id).values()) == [2]
    # The order is read back again with the new count, and the yes places it.
    assert turn.speech.startswith("Your order: two packs of Bounty") and turn.speech.endswith(
        "Should I place the order?"
    )
    assert echo.say("yes").speech.startswith("Done. I ordered two packs of Bounty")
    assert [ln.quantity for ln in _placed_now(shop, demo.id, clock)[0].lines] == [2]


def test_a_new_count_for_a_reorder_read_back_changes_the_order_not_the_cart(echo, shop, demo, clock):
    # "Make it two packs" had said the diapers "isn't in your cart", and the yes after it placed nothing.
    turn = echo.say("reorder diapers")
    assert turn.speech.startswith("Your order: one pack of Pampers Swaddlers")
    turn = echo.say("make it two packs")
    assert turn.speech.startswith("Your order: two packs of Pampers Swaddlers"), turn.speech
    assert cart_of(shop, demo.id) == {} and _placed_now(shop, demo.id, clock) == []
    assert echo.say("yes").speech.startswith("Done. I ordered two packs of Pampers Swaddlers")
    assert [ln.quantity for ln in _placed_now(shop, demo.id, clock)[0].lines] == [2]


def test_a_new_count_for_one_of_several_items_asks_which(echo, shop, demo, clock):
    echo.say("add diapers and wipes to my cart")
    echo.say("check out")
    turn = echo.say("make it two")
    assert "Which item should be two?" in turn.speech, turn.speech
    turn = echo.say("make the wipes three")
    assert "three packs of Pampers wipes" in turn.speech and turn.speech.endswith("Should I place the order?")
    assert sorted(cart_of(shop, demo.id).values()) == [1, 3] and _placed_now(shop, demo.id, clock) == []


def test_cancel_the_latest_order_after_a_yes(echo, shop, demo, clock):
    echo.say("reorder paper towels")
    echo.say("yes")
    turn = echo.say("cancel my order")
    assert turn.intent == "CancelOrderIntent" and "Should I cancel your order of one pack of Bounty" in turn.speech
    turn = echo.say("yes")
    assert "I cancelled your order" in turn.speech
    assert _placed_now(shop, demo.id, clock)[0].status is OrderStatus.CANCELLED
    turn = echo.say("cancel my order")
    assert "no order" in turn.speech.lower() and "can still be cancelled" in turn.speech


def test_cancel_the_named_order_and_say_no(echo, shop, demo, clock):
    echo.say("reorder paper towels")
    echo.say("yes")
    echo.say("reorder toilet paper")
    echo.say("yes")
    turn = echo.say("cancel the paper towels order")
    assert "Bounty" in turn.speech and "Charmin" not in turn.speech
    turn = echo.say("no")
    assert "stays as it is" in turn.speech
    assert all(o.status is OrderStatus.PLACED for o in _placed_now(shop, demo.id, clock))


def test_purchase_code_right(echo, shop, demo, clock):
    shop.households.update_settings(demo.id, purchase_code="4321")
    echo.say("reorder paper towels")
    turn = echo.say("yes")
    assert "purchase code" in turn.speech
    assert _placed_now(shop, demo.id, clock) == []
    turn = echo.say("my code is four three two one")
    assert turn.speech.startswith("Done."), turn.speech
    assert len(_placed_now(shop, demo.id, clock)) == 1


def test_wrong_codes_lock_voice_purchasing(echo, shop, demo, clock):
    shop.households.update_settings(demo.id, purchase_code="4321")
    echo.say("reorder paper towels")
    echo.say("yes")
    turn = echo.say("my code is one two three four")
    assert "not right" in turn.speech and "2 more tries" in turn.speech
    turn = echo.say("my code is one one one one")
    assert "1 more try" in turn.speech
    turn = echo.say("my code is two two two two")
    assert "locked for 15 minutes" in turn.speech and "Nothing was ordered" in turn.speech
    # Even the right code is refused while locked, and the read-back is not offered.
    turn = echo.say("reorder paper towels")
    assert "locked" in turn.speech
    assert _placed_now(shop, demo.id, clock) == []
    clock.advance(timedelta(minutes=16))
    echo.say("reorder paper towels")
    echo.say("yes")
    turn = echo.say("my code is four three two one")
    assert turn.speech.startswith("Done.")


def test_child_profile_cannot_order(speaker, shop, demo, clock):
    device = speaker(person_id=DEMO_CHILD_PERSON_ID)
    device.say("alexa, open voice cart")
    turn = device.say("reorder paper towels")
    assert "Maya's profile can't place orders" in turn.speech
    assert "for a grown-up to check out" in turn.speech
    assert _placed_now(shop, demo.id, clock) == []
    assert any(pid.startswith("bounty") for pid in cart_of(shop, demo.id))
    turn = device.say("check out")
    assert "can't place orders" in turn.speech
    assert _placed_now(shop, demo.id, clock) == []


def test_spending_limit_holds(echo, shop, demo, clock):
    shop.households.update_settings(demo.id, spending_limit_cents=30_00)
    echo.say("add three packs of bounty paper towels to my cart")
    turn = echo.say("check out")
    assert "over your household's limit of 30 dollars" in turn.speech
    turn = echo.say("yes")  # nothing is pending: a stray yes orders nothing
    assert _placed_now(shop, demo.id, clock) == []


def test_scratch_that_during_a_read_back_orders_nothing_and_asks_again(echo, shop, demo, clock):
    echo.say("add two packs of bounty paper towels to my cart")
    echo.say("check out")
    turn = echo.say("scratch that")  # once heard as a weak "that's right"
    # Never a yes: either a cancel (as "cancel that"), or not understood and the question asked again.
    assert turn.intent in ("AMAZON.FallbackIntent", "AMAZON.CancelIntent")
    assert _placed_now(shop, demo.id, clock) == []
    if turn.intent == "AMAZON.FallbackIntent":
        assert turn.speech.startswith("Sorry, I didn't get that. Should I order two packs of Bounty")
        assert "Nothing was ordered" in echo.say("no").speech
    else:
        assert "nothing was ordered" in turn.speech.lower()
    assert _placed_now(shop, demo.id, clock) == []


def test_yes_to_would_you_like_to_check_out_reads_the_order_back_first(echo, shop, demo, clock):
    echo.say("add two packs of bounty paper towels to my cart")
    assert echo.say("what's in my cart").speech.endswith("Would you like to check out?")
    turn = echo.say("yes")
    assert "Your order: two packs of Bounty" in turn.speech and turn.speech.endswith("Should I place the order?")
    assert _placed_now(shop, demo.id, clock) == []  # the read-back still needs its own yes
    assert echo.say("yes").speech.startswith("Done. I ordered two packs of Bounty")
    assert len(_placed_now(shop, demo.id, clock)) == 1


def test_no_to_would_you_like_to_check_out_keeps_the_cart(echo, shop, demo, clock):
    echo.say("add bounty paper towels to my cart")
    echo.say("what's in my cart")
    assert "your cart stays as it is" in echo.say("no").speech
    assert _placed_now(shop, demo.id, clock) == [] and cart_of(shop, demo.id)


def test_a_childs_profile_is_not_offered_a_check_out(speaker, shop, demo, clock):
    child = speaker(person_id=DEMO_CHILD_PERSON_ID)
    child.say("add bounty paper towels to my cart")
    turn = child.say("what's in my cart")
    assert "waiting for a grown-up to check out" in turn.speech and "Would you like" not in turn.speech
    assert "nothing was ordered" in child.say("yes").speech
    assert _placed_now(shop, demo.id, clock) == []


def test_a_number_said_to_the_read_back_asks_it_again(echo, shop, demo, clock):
    echo.say("reorder paper towels")
    turn = echo.say("two")  # heard as "the second one", which answers nothing here
    assert turn.intent == "ChooseOptionIntent"
    assert turn.speech.startswith("Sorry, I didn't get that. Should I order one pack of Bounty")
    assert "Nothing was ordered" in echo.say("no").speech
    assert _placed_now(shop, demo.id, clock) == []


def test_reorder_two_things_reads_both_back_and_orders_both_on_one_yes(echo, shop, demo, clock):
    turn = echo.say("reorder wipes and paper towels")
    assert turn.intent == "ReorderIntent"
    assert "wipes" in turn.speech and "paper towels" in turn.speech, turn.speech
    assert turn.speech.endswith("Should I place the order?")
    assert _placed_now(shop, demo.id, clock) == []
    echo.say("yes")
    [order] = _placed_now(shop, demo.id, clock)
    kinds = {shop.catalog.cached_many([ln.product_id])[ln.product_id].kind for ln in order.lines}
    assert kinds == {"wipes", "paper towels"}


def test_reorder_two_things_when_one_was_never_bought_says_so_in_the_read_back(echo, shop, demo, clock):
    turn = echo.say("reorder diapers and lego")
    assert "couldn't find lego in your past orders" in turn.speech, turn.speech
    assert "diapers" in turn.speech and turn.speech.endswith("Should I place the order?")
    echo.say("no")
    assert _placed_now(shop, demo.id, clock) == []


def test_when_it_would_arrive_is_answered_for_the_cart_before_ordering(echo, shop, demo, clock):
    echo.say("add two packs of bounty paper towels to my cart")
    turn = echo.say("and if i order now, when does it show up")  # "it": the paper towels just added
    assert turn.intent == "OrderStatusIntent"
    assert "Ordered now, it would arrive" in turn.speech, turn.speech
    turn = echo.say("when would my stuff come if i ordered today")  # nothing named: the cart
    assert "Ordered now, what's in your cart would arrive" in turn.speech, turn.speech
    assert not _placed_now(shop, demo.id, clock)  # questions: nothing ordered


def test_buy_it_after_adding_checks_out_what_was_added(echo, shop, demo, clock):
    echo.say("pop a pack of wipes in my cart please")
    turn = echo.say("go ahead and buy it")
    assert "Should I place the order" in turn.speech
    assert len(cart_of(shop, demo.id)) == 1  # the read-back added nothing
    assert "Done" in echo.say("yes").speech
    placed = _placed_now(shop, demo.id, clock)
    assert len(placed) == 1 and "wipes" in placed[0].lines[0].name.lower()


def test_a_checkout_with_an_empty_cart_offers_what_was_just_spoken_about(echo, shop, demo, clock):
    echo.say("how much are the bounty paper towels")
    turn = echo.say("place the order")
    assert "Your order: one pack of Bounty" in turn.speech and "Should I place the order" in turn.speech
    assert _placed_now(shop, demo.id, clock) == []  # nothing without a yes
    echo.say("yes")
    assert len(_placed_now(shop, demo.id, clock)) == 1


def test_a_request_naming_something_else_during_the_read_back_is_that_request(echo, shop, demo, clock):
    echo.say("add two packs of bounty paper towels to my cart")
    echo.say("check out")
    turn = echo.say("add a pack of pampers wipes")
    assert turn.intent == "AddToCartIntent" and "wipes" in turn.speech.lower()
    assert _placed_now(shop, demo.id, clock) == []


def test_a_person_spoken_of_is_never_the_product_of_a_cancel(echo, shop, demo, clock):
    # Round 19: "my wife just texted, she already grabbed some. can you scrap that order?" looked for an order of
    # "wife" (the recogniser's nearest product to it is wipes) and cancelled nothing.
    echo.say("reorder diapers")
    echo.say("yes")
    [placed] = _placed_now(shop, demo.id, clock)
    turn = echo.say("oh shoot, my wife just texted, she already grabbed some. can you scrap that order?")
    assert "Should I cancel your order" in turn.speech, turn.speech
    assert "cancelled" in echo.say("yeah, please do").speech
