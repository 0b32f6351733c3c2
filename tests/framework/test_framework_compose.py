"""Composing skills from packages: the shipped skill goes through the framework, conflicts are reported with
the packages named, and a package's handlers only reach the capabilities it declares."""

from __future__ import annotations

from pathlib import Path

import pytest

from skills.framework import ModelFragment, PackageError, SkillDefinition, SkillPackage
from skills.framework.scoped import CapabilityNotDeclared


def _fragment(root: Path, name: str, text: str) -> ModelFragment:
    folder = root / name / "en-US"
    folder.mkdir(parents=True)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return ModelFragment(root / name)


def _skill(*packages: SkillPackage, name: str = "tester") -> SkillDefinition:
    return SkillDefinition(name, packages, skill_id=f"amzn1.ask.skill.{name}", invocation_name="test shop")


def _samples(*lines: str) -> str:
    return "".join(f"      - {line}\n" for line in lines)


def test_the_voicecart_skill_is_composed_from_its_declared_packages():
    from intents.model import load_model
    from skills.app import voicecart_definition

    definition = voicecart_definition()
    assert [p.name for p in definition.packages] == ["skills.shopping", "skills.buttons", "skills.babycare"]
    assert {p.name: sorted(p.uses) for p in definition.packages}["skills.buttons"] == ["buttons", "cart", "purchase"]
    composed = definition.model("en-US")["interactionModel"]
    shipped = load_model("en-US")["interactionModel"]

    def by_name(items: list[dict]) -> list[dict]:
        return sorted(items, key=lambda item: item["name"])

    assert composed["languageModel"]["invocationName"] == "voice cart"
    assert by_name(composed["languageModel"]["intents"]) == by_name(shipped["languageModel"]["intents"])
    assert by_name(composed["languageModel"]["types"]) == by_name(shipped["languageModel"]["types"])
    assert by_name(composed["dialog"]["intents"]) == by_name(shipped["dialog"]["intents"])


def test_build_skill_goes_through_the_framework(backend, monkeypatch):
    import skills.framework.compose as compose
    from skills.app import build_skill

    seen = []
    real = compose.build_skill
    monkeypatch.setattr(
        compose, "build_skill", lambda definition, *a, **kw: seen.append(definition) or real(definition, *a, **kw)
    )
    build_skill(backend, modules=("skills.buttons",))
    assert [p.name for p in seen[0].packages] == ["skills.buttons"]


def test_a_sample_claimed_by_two_intents_names_both_packages(tmp_path):
    one = _fragment(tmp_path, "one", "intents:\n  StatusIntent:\n    samples:\n" + _samples("where is my coffee"))
    two = _fragment(tmp_path, "two", "intents:\n  TrackIntent:\n    samples:\n" + _samples("Where is  my coffee"))
    with pytest.raises(PackageError) as caught:
        _skill(SkillPackage("one", list, model=one), SkillPackage("two", list, model=two)).model()
    assert caught.value.problems == [
        "sample 'Where is  my coffee' of TrackIntent (package 'two') is also a sample of StatusIntent (package 'one')"
    ]


def test_slot_samples_compare_by_type(tmp_path):
    one = _fragment(
        tmp_path,
        "one",
        "intents:\n  BuyIntent:\n    slots:\n      product: {type: ProductName}\n"
        "    samples:\n" + _samples("get {product}"),
    )
    two = _fragment(
        tmp_path,
        "two",
        "intents:\n  FetchIntent:\n    slots:\n      item: {type: ProductName}\n"
        "    samples:\n" + _samples("get {item}"),
    )
    with pytest.raises(PackageError, match="sample 'get {item}' of FetchIntent"):
        _skill(SkillPackage("one", list, model=one), SkillPackage("two", list, model=two)).model()


def test_one_intent_defined_differently_by_two_packages(tmp_path):
    one = _fragment(tmp_path, "one", "intents:\n  BrewIntent:\n    samples:\n" + _samples("brew"))
    two = _fragment(tmp_path, "two", "intents:\n  BrewIntent:\n    samples:\n" + _samples("brew now"))
    with pytest.raises(PackageError, match="intent BrewIntent is defined differently by packages 'one' and 'two'"):
        _skill(SkillPackage("one", list, model=one), SkillPackage("two", list, model=two)).model()


def test_shared_purchase_intent_is_added_once_and_types_come_from_the_library(tmp_path):
    fragment = _fragment(
        tmp_path,
        "buyer",
        "intents:\n  BuyIntent:\n    slots:\n      product: {type: ProductName}\n"
        "    samples:\n" + _samples("buy {product}", "get me {product}"),
    )
    skill = _skill(
        SkillPackage("buyer", list, model=fragment, uses={"purchase"}), SkillPackage("other", list, uses={"purchase"})
    )
    language = skill.model()["interactionModel"]["languageModel"]
    names = [i["name"] for i in language["intents"]]
    assert names.count("PurchaseCodeIntent") == 1 and "BuyIntent" in names and "AMAZON.StopIntent" in names
    assert [t["name"] for t in language["types"]] == ["ProductName"]  # only the library types it uses


def test_an_undefined_slot_type_and_a_redefined_library_type(tmp_path):
    fragment = _fragment(
        tmp_path,
        "odd",
        "intents:\n  OddIntent:\n    slots:\n      roast: {type: RoastLevel}\n"
        "    samples:\n" + _samples("a {roast} one") + "types:\n  ChildName:\n    values: [{value: pup}]\n",
    )
    with pytest.raises(PackageError) as caught:
        _skill(SkillPackage("odd", list, model=fragment)).model()
    problems = "\n".join(caught.value.problems)
    assert "slot type RoastLevel (used by package 'odd') is defined nowhere" in problems
    assert "type ChildName of package 'odd' redefines the shared slot type" in problems


def test_a_broken_fragment_is_reported_with_its_package(tmp_path):
    fragment = _fragment(tmp_path, "broken", "intents:\n  Bad Intent: {}\n")
    with pytest.raises(PackageError, match="package 'broken': broken.yaml"):
        _skill(SkillPackage("broken", list, model=fragment)).model()


@pytest.mark.parametrize("uses", [{"coffee"}, {"cart", "teleport"}])
def test_unknown_capabilities_are_refused(uses):
    with pytest.raises(PackageError, match="unknown capabilities"):
        SkillPackage("x", list, uses=uses)


def test_definitions_check_names_ids_and_paths():
    with pytest.raises(PackageError) as caught:
        SkillDefinition("Bean Box", (), skill_id="bean", endpoint_path="alexa")
    assert len(caught.value.problems) == 3


def test_handlers_reach_only_declared_capabilities(backend, household):
    from skills.common.context import SkillContext
    from skills.framework.compose import package_contexts

    seen = {}

    def grab(ctx):
        seen["ctx"] = ctx
        return []

    skill = _skill(SkillPackage("cart-only", grab, uses={"cart"}))
    [(_, ctx)] = package_contexts(skill, SkillContext(backend))
    assert ctx.backend.carts.get(household.id).lines == ()
    assert ctx.backend.catalog.count() > 0
    with pytest.raises(CapabilityNotDeclared, match="does not declare 'buttons'"):
        ctx.backend.buttons.list(household.id)
    with pytest.raises(CapabilityNotDeclared, match="'orders' or 'purchase'"):
        ctx.backend.orders.recent(household.id)


def test_skill_attributes_are_kept_per_skill(backend):
    from skills.framework.compose import SkillAttributesAdapter

    class Envelope:
        class context:  # noqa: N801 - the shape of ask-sdk's RequestEnvelope
            class system:  # noqa: N801
                class user:  # noqa: N801
                    user_id = "amzn1.ask.account.someone"

    bean, other = (SkillAttributesAdapter(backend.store, backend.clock, n) for n in ("bean-box", "tea-time"))
    bean.save_attributes(Envelope, {"visits": 3})
    assert bean.get_attributes(Envelope) == {"visits": 3}
    assert other.get_attributes(Envelope) == {}


def test_a_brand_package_joins_the_voicecart_skill(backend_demo, bean_box):
    """One skill, one model: voicecart's packages and Bean Box's, answering both kinds of request."""
    from device_sim.device import Device
    from device_sim.skill_loader import SkillEndpoint
    from skills.app import SKILL_ID, voicecart_definition
    from skills.framework.compose import build_skill

    joined = SkillDefinition("voicecart", (*voicecart_definition().packages, *bean_box.packages), skill_id=SKILL_ID)
    model = joined.model()
    names = [i["name"] for i in model["interactionModel"]["languageModel"]["intents"]]
    assert {"ReorderIntent", "SendUsualIntent"} <= set(names) and names.count("PurchaseCodeIntent") == 1
    endpoint = SkillEndpoint.of(build_skill(joined, backend_demo), model, application_id=SKILL_ID)
    with Device(endpoint, clock=backend_demo.clock, cloud=False) as echo:
        assert "Should I place the order?" in echo.say("alexa, ask voice cart to reorder paper towels").speech
        assert echo.say("no").speech.startswith("Okay, I won't order it.")
        assert "Your usual is now" in echo.say("my usual is two bags of pike place roast whole bean").speech
        assert "Your usual. Your order: two bags" in echo.say("send my usual").speech
