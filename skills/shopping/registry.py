"""The shopping handlers, in the order they are tried: answers to an open question first."""

from __future__ import annotations

from skills.common.context import SkillContext


def shopping_handlers(ctx: SkillContext) -> list:
    from skills.shopping import dialog
    from skills.shopping import intent_handlers as handlers

    return [
        dialog.YesHandler(ctx),
        dialog.NoHandler(ctx),
        dialog.CancelWordToCancellationHandler(),
        dialog.CancelJustOrderedHandler(ctx),
        dialog.AnotherOfTheSameHandler(ctx),
        dialog.ChooseOptionHandler(ctx),
        dialog.PurchaseCodeHandler(ctx),
        dialog.ReadBackCountHandler(ctx),
        handlers.AddToCartHandler(ctx),
        handlers.UpdateQuantityHandler(ctx),
        handlers.CartQuantityInButtonWordsHandler(ctx),
        handlers.RemoveFromCartHandler(ctx),
        handlers.CorrectAddedCountHandler(ctx),
        handlers.UndoAddHandler(ctx),
        handlers.ReplaceProductHandler(ctx),
        handlers.ReadCartHandler(ctx),
        handlers.PriceQueryHandler(ctx),
        handlers.ClearCartHandler(ctx),
        handlers.CheckoutHandler(ctx),
        handlers.ReorderHandler(ctx),
        handlers.BuyItAgainHandler(ctx),
        handlers.OrderStatusHandler(ctx),
        handlers.CancelOrderHandler(ctx),
        dialog.ProductNamedHandler(ctx),
        dialog.StrayCodeHandler(),
    ]
