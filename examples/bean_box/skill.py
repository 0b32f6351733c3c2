"""The Bean Box skill: a coffee subscription on the shared voicecart backend."""

from pathlib import Path

from bean_box_handlers import handlers
from bean_box_subscriptions import Subscriptions

from skills.framework import ModelFragment, SkillDefinition, SkillPackage
from skills.framework.hosting import lambda_handler_for

HERE = Path(__file__).resolve().parent

PACKAGE = SkillPackage(
    "bean-box",
    handlers,
    model=ModelFragment(HERE / "model"),
    uses=frozenset({"cart", "orders", "purchase"}),
    use_cases={"subscriptions": Subscriptions},
    description="Bean Box: the household's usual coffee, every week",
)

SKILL = SkillDefinition(
    "bean-box",
    (PACKAGE,),
    skill_id="amzn1.ask.skill.bean-box",  # the id the Alexa developer console gives your skill
    invocation_name="bean box",
    endpoint_path="/alexa/bean-box",
    manifest=HERE / "skill.json",
    welcome="Welcome to Bean Box. You can say: send my usual, skip next week, or what's my next delivery.",
    help="Say send my usual for an extra delivery now, skip next week, what's my next delivery, "
    "or my usual is, and a coffee. What would you like?",
)

lambda_handler = lambda_handler_for(SKILL)
# For the simulator and the conversation tests, which send a test skill id of their own. Never deploy it.
simulator_handler = lambda_handler_for(SKILL, any_skill_id=True)
