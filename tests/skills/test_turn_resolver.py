"""Within one voice turn the same words scored the same way again are not scored again; the next turn scores
afresh, and outside a turn nothing is kept."""

from skills.common import context
from skills.common.context import SkillContext, _TurnResolver, begin_turn, end_turn


class CountingResolver:
    CLEAR_LEAD = 5.0

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def score(self, text, *, prior=None, restrict_to=None):  # noqa: ANN001, ANN201
        self.calls.append((text, prior, restrict_to))
        return object()


def test_a_turn_scores_the_same_words_the_same_way_once():
    real = CountingResolver()
    turn = _TurnResolver(real)  # type: ignore[arg-type]
    begin_turn()
    try:
        first = turn.score("paper towels")
        assert turn.score("paper towels") is first
        with_history = turn.score("paper towels", prior={"p1": 2})
        assert with_history is not first and turn.score("paper towels", prior={"p1": 2}) is with_history
        only = turn.score("paper towels", restrict_to=["p1", "p2"])
        assert turn.score("paper towels", restrict_to=iter(["p1", "p2"])) is only
        assert turn.score("paper towels", restrict_to=["p2"]) is not only
        assert turn.CLEAR_LEAD == 5.0  # everything else is the resolver's own
        assert len(real.calls) == 4
    finally:
        end_turn()
    begin_turn()  # the next turn
    try:
        turn.score("paper towels")
        assert len(real.calls) == 5
    finally:
        end_turn()
    turn.score("paper towels")
    turn.score("paper towels")
    assert len(real.calls) == 7  # outside a turn, nothing is kept


def test_the_context_hands_out_the_turns_resolver_only_during_a_turn():
    ctx = SkillContext.__new__(SkillContext)
    real = CountingResolver()
    ctx._current_resolver = lambda: real  # type: ignore[method-assign]
    assert ctx.resolver is real
    begin_turn()
    try:
        assert isinstance(ctx.resolver, _TurnResolver)
    finally:
        end_turn()
    assert context._turn.scores is None
