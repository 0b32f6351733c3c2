"""`voicecart new NAME`: a new skill package that runs, validates and passes its own test from the start.

NAME/skill.py                   the package and the skill definition (+ the Lambda handler)
NAME/NAME_handlers.py           the ask-sdk-core handlers
NAME/model/en-US/NAME.yaml      the interaction-model fragment (intents, slots, prompts as data)
NAME/build/models/en-US.json    the composed model (rebuild with `voicecart skill build NAME`)
NAME/skill.json                 the manifest for the Alexa developer console / `ask deploy`
NAME/tests/test_NAME.yaml       a conversation test (`voicecart test NAME/tests`)
NAME/README.md
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from skills.framework.package import PackageError

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:[ _-][a-z0-9]+)*$")


@dataclass(frozen=True)
class Names:
    """Every spelling of a skill's name the files need."""

    slug: str  # bean-box: the skill's name, its endpoint path
    module: str  # bean_box: folder and module prefix
    camel: str  # BeanBox: intent names
    spoken: str  # bean box: the invocation name
    title: str  # Bean Box: what people read


def names_for(name: str, invocation: str | None = None) -> Names:
    raw = name.strip().lower()
    if not _NAME.match(raw):
        raise PackageError(
            f"a skill name is letters and digits, words joined by '-', '_' or spaces, "
            f"starting with a letter: not {name!r}"
        )
    words = re.split(r"[ _-]", raw)
    spoken = (invocation or " ".join(words)).strip().lower()
    if not re.fullmatch(r"[a-z][a-z' ]*[a-z]", spoken) or len(spoken.split()) < 2:
        raise PackageError(f"an invocation name is two or more words of letters, e.g. 'bean box', not {spoken!r}")
    return Names(
        "-".join(words),
        "_".join(words),
        "".join(w.capitalize() for w in words),
        spoken,
        " ".join(w.capitalize() for w in spoken.split()),
    )


def _skill_py(n: Names, skill_id: str) -> str:
    return f'''"""The {n.title} skill: its package (handlers, model fragment, capabilities) and its definition.

Loaded by path (`voicecart test`, `voicecart skill build`, VOICECART_SKILLS) or as the Lambda entry
`skill.lambda_handler`; sibling modules are imported by plain name, as in a Lambda bundle.
"""

from pathlib import Path

from {n.module}_handlers import handlers

from skills.framework import ModelFragment, SkillDefinition, SkillPackage
from skills.framework.hosting import lambda_handler_for

HERE = Path(__file__).resolve().parent

PACKAGE = SkillPackage(
    "{n.slug}",
    handlers,
    model=ModelFragment(HERE / "model"),
    uses=frozenset({{"cart"}}),  # the shared capabilities the handlers may reach through ctx.backend
    description="{n.title}: what is in the household's cart",
)

SKILL = SkillDefinition(
    "{n.slug}",
    (PACKAGE,),
    skill_id="{skill_id}",  # the id the Alexa developer console gives your skill
    invocation_name="{n.spoken}",
    endpoint_path="/alexa/{n.slug}",
    manifest=HERE / "skill.json",
    welcome="Welcome to {n.title}. You can ask: how many things are in my cart? What would you like?",
    help="Ask me how many things are in your cart. What would you like to do?",
)

lambda_handler = lambda_handler_for(SKILL)
# For the simulator and the conversation tests, which send a test skill id of their own. Never deploy it.
simulator_handler = lambda_handler_for(SKILL, any_skill_id=True)
'''


def _handlers_py(n: Names) -> str:
    return f'''"""{n.title}'s request handlers (ask-sdk-core). Keep them thin: read slots, call the backend, speak."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skills.common import speech
from skills.common.context import SkillContext
from skills.common.identity import household_id
from skills.common.respond import ask

ANYTHING_ELSE = "Anything else?"


class CartCountHandler(AbstractRequestHandler):
    """How many things are in the household's cart: the same cart the web page and every skill share."""

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("{n.camel}CartCountIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        cart = self.ctx.backend.carts.get(household_id(handler_input))
        count = sum(line.quantity for line in cart.lines)
        if count == 0:
            return ask(handler_input, f"Your cart is empty. {{ANYTHING_ELSE}}", ANYTHING_ELSE)
        things = "thing" if count == 1 else "things"
        return ask(handler_input, f"You have {{speech.number(count)}} {{things}} in your cart, "
                                  f"{{speech.money(cart.totals.total_cents)}} in all. {{ANYTHING_ELSE}}",
                   ANYTHING_ELSE)


def handlers(ctx: SkillContext) -> list[AbstractRequestHandler]:
    return [CartCountHandler(ctx)]
'''


def _model_yaml(n: Names) -> str:
    return f"""# {n.title}'s intents (the intents/data schema; see docs/language.md). Slot types may be your own
# (a `types:` section) or the shared ones (ProductName, ButtonName, ChildName, ...).
intents:
  {n.camel}CartCountIntent:
    description: How many things are in the household's cart.
    samples:
      - how many things are in my cart
      - how many things are in the cart
      - how many things do i have in my cart
      - how many products are in my cart
      - how many products are in the cart
      - count my cart
      - count the cart
      - count what's in my cart
      - how full is my cart
      - how full is the cart
      - how big is my cart
      - is my cart empty
      - is the cart empty
      - is there anything in my cart
      - do i have anything in my cart
"""


def _manifest(n: Names) -> dict:
    return {
        "manifest": {
            "manifestVersion": "1.0",
            "publishingInformation": {
                "locales": {
                    "en-US": {
                        "name": n.title,
                        "summary": f"{n.title} on the voicecart household account.",
                        "description": f"{n.title} answers questions about your household's voicecart cart.",
                        "examplePhrases": [
                            f"Alexa, open {n.spoken}",
                            f"Alexa, ask {n.spoken} how many things are in my cart",
                        ],
                        "keywords": ["shopping", "cart"],
                    }
                },
                "isAvailableWorldwide": False,
                "distributionCountries": ["US"],
                "distributionMode": "PUBLIC",
                "category": "SHOPPING",
                "testingInstructions": "Link the demo household, then ask how many things are in the cart.",
            },
            "privacyAndCompliance": {
                "allowsPurchases": False,
                "usesPersonalInfo": False,
                "isChildDirected": False,
                "isExportCompliant": True,
                "containsAds": False,
                "locales": {"en-US": {"privacyPolicyUrl": "https://example.com/privacy"}},
            },
            "apis": {
                "custom": {
                    "endpoint": {"uri": f"https://skills.example.com/alexa/{n.slug}", "sslCertificateType": "Wildcard"}
                }
            },
        }
    }


def _conversation(n: Names) -> str:
    return f"""# Runs with `voicecart test tests/` from the skill's folder (store: --store or VOICECART_STORE).
name: {n.title} counts the cart
skill: ../skill.py:simulator_handler
model: ../build/models/en-US.json
steps:
  - say: alexa, open {n.spoken}
    expect: {{request: LaunchRequest, speech: "Welcome to {n.title}", session_ended: false}}
  - say: how many things are in my cart
    expect:
      intent: {n.camel}CartCountIntent
      speech_matches: "^(Your cart is empty|You have [a-z -]+ things? in your cart)"
  - say: help
    expect: {{speech: "how many things are in your cart"}}
  - say: stop
    expect: {{session_ended: true}}
"""


def _readme(n: Names) -> str:
    return f"""# {n.title}

A voicecart skill package made with `voicecart new`: it runs on the shared order backend (catalog, carts,
orders, households) with the same identity, persistence and purchase rules as the voicecart skill.

| file | what it is |
| --- | --- |
| `skill.py` | `PACKAGE` (handlers, model, capabilities), `SKILL` (invocation, skill id, endpoint), `lambda_handler` |
| `{n.module}_handlers.py` | the ask-sdk-core handlers |
| `model/en-US/{n.module}.yaml` | the interaction-model fragment |
| `build/models/en-US.json` | the composed model: rebuild after editing the fragment |
| `skill.json` | the manifest |
| `tests/test_{n.module}.yaml` | a conversation test |

May import: `skills.framework`, `skills.common`, `reorder` (errors, domain), ask-sdk.

```console
$ voicecart skill build .                  # check conflicts, write build/models/<locale>.json
$ voicecart model validate --model build/models/en-US.json --manifest skill.json
$ voicecart test tests/                    # the conversation test, in process
$ voicecart sim --skill skill.py:simulator_handler --model build/models/en-US.json
$ VOICECART_SKILLS=$PWD voicecart serve    # beside voicecart, at POST /alexa/{n.slug}
$ voicecart skill package . out/ --endpoint https://your.host/alexa/{n.slug}   # then: cd out && ask deploy
```

See docs/framework.md and docs/tutorial.md.
"""


def scaffold(
    parent: Path, name: str, *, invocation: str | None = None, skill_id: str | None = None, force: bool = False
) -> list[Path]:
    """Write a new skill package under `parent`; returns the files written. Refuses to overwrite a
    non-empty folder unless `force`."""
    n = names_for(name, invocation)
    skill_id = skill_id or f"amzn1.ask.skill.{n.slug}"
    if not skill_id.startswith("amzn1.ask.skill."):
        raise PackageError(f"a skill id starts with amzn1.ask.skill., not {skill_id!r}")
    root = Path(parent) / n.module
    if root.exists() and any(root.iterdir()) and not force:
        raise PackageError(f"{root} already exists and is not empty (use --force to write over it)")
    files = {
        root / "skill.py": _skill_py(n, skill_id),
        root / f"{n.module}_handlers.py": _handlers_py(n),
        root / "model" / "en-US" / f"{n.module}.yaml": _model_yaml(n),
        root / "skill.json": json.dumps(_manifest(n), indent=2) + "\n",
        root / "tests" / f"test_{n.module}.yaml": _conversation(n),
        root / "README.md": _readme(n),
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    from skills.framework.build import write_models
    from skills.framework.hosting import load_definition

    return [*files, *write_models(load_definition(str(root)), root / "build" / "models")]
