"""The shared purchase capability: every skill that places orders by voice does it through this dialog.

The read-back, the yes, the purchase code with its lockout, the child profile and the spending limit are
the shopping skill's (`skills.shopping.ordering`) and the backend's (`reorder.services.purchase_policy`);
a package declaring `uses={"purchase"}` gets them unchanged:

    from skills.framework.purchase import propose_order
    return propose_order(ctx, handler_input, [(product_id, 2)], preface="Your usual.")

and the framework adds the handlers that answer that read-back (yes, no, the code) and the
PurchaseCodeIntent to the skill, once, whichever packages ask for it.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skills.common.context import SkillContext
from skills.framework.package import ModelFragment, SkillPackage

PACKAGE_NAME = "voicecart.purchase"


def propose_order(
    ctx: SkillContext, handler_input: HandlerInput, lines: list[tuple[str, int]] | None, *, preface: str = ""
) -> Response:
    """Read back an order of `lines` (None: the household's cart) and wait for a yes; nothing is ordered
    until the yes (and the code, when the household has one). A child's profile gets the items in the cart."""
    from skills.shopping import ordering

    return ordering.propose(ctx, handler_input, lines, preface=preface)


def purchase_handlers(ctx: SkillContext) -> list[AbstractRequestHandler]:
    """Yes, no and the code, taken only while an order read-back or code question is open."""
    from skills.shopping import dialog, ordering

    class ConfirmOrderYes(dialog.YesHandler):
        kinds = (ordering.CONFIRM, ordering.CODE)

    class ConfirmOrderNo(dialog.NoHandler):
        kinds = (ordering.CONFIRM, ordering.CODE)

    return [ConfirmOrderYes(ctx), ConfirmOrderNo(ctx), dialog.PurchaseCodeHandler(ctx), dialog.StrayCodeHandler()]


def purchase_package() -> SkillPackage:
    from intents.source import DATA_DIR

    return SkillPackage(
        PACKAGE_NAME,
        purchase_handlers,
        model=ModelFragment(DATA_DIR, files=("shopping.yaml",), intents=("PurchaseCodeIntent",)),
        uses=frozenset({"purchase", "cart"}),  # a child's order waits in the cart for a grown-up
        description="the read-back, yes/no and purchase-code dialog of voice purchases",
    )
