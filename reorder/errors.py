"""Errors the order backend raises. Every one carries a stable code and a message a person can read.

Channels translate them: the REST API into a status and a JSON body, the skills into speech.
"""

from __future__ import annotations


class BackendError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"error": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class NotFound(BackendError):
    code = "not_found"
    http_status = 404


class UnknownProduct(NotFound):
    code = "unknown_product"


class InvalidInput(BackendError):
    code = "invalid_input"
    http_status = 422


class InvalidQuantity(InvalidInput):
    code = "invalid_quantity"


class EmptyCart(BackendError):
    code = "empty_cart"
    http_status = 409


class ProductUnavailable(BackendError):
    code = "product_unavailable"
    http_status = 409


class SpendingLimitExceeded(BackendError):
    code = "spending_limit_exceeded"
    http_status = 409


class NotCancellable(BackendError):
    code = "not_cancellable"
    http_status = 409


class PurchaseNotAllowed(BackendError):
    """A child's profile, or a member who may not buy: the item may go to the cart instead."""

    code = "purchase_not_allowed"
    http_status = 403


class PurchaseCodeRequired(BackendError):
    code = "purchase_code_required"
    http_status = 403


class WrongPurchaseCode(BackendError):
    code = "wrong_purchase_code"
    http_status = 403


class PurchasingLocked(BackendError):
    code = "purchasing_locked"
    http_status = 423


class Unauthorized(BackendError):
    code = "unauthorized"
    http_status = 401


class Conflict(BackendError):
    code = "conflict"
    http_status = 409


class StoreUnavailable(BackendError):
    """The store could not be reached or opened; names what failed."""

    code = "store_unavailable"
    http_status = 503
