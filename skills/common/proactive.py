"""Order status changes sent to Alexa's Proactive Events API (the `AMAZON.OrderStatus.Updated` event that
skill.json publishes), from the outbox that records each change in the same transaction.

The skill's Login-with-Amazon client credentials buy a token (scope `alexa::proactive_events`, through
ask-sdk's LWA client); each order notification of a household whose Alexa users are known (the identity
interceptor notes every user that speaks for a household) is sent as a Unicast event to each of them and
then marked delivered. A failed send leaves the notification in the outbox,
so the next round of the scheduler retries it; the API's 4xx answers for one event (a user who turned the
notifications off) are logged and the notification marked delivered, since repeating them cannot help.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from reorder.services.backend import Backend
from reorder.store.base import Notification

log = logging.getLogger("skills.proactive")

EVENT_NAME = "AMAZON.OrderStatus.Updated"
# Outbox kinds → the schema's statuses. A cancellation has no status in the schema, so it is not sent.
STATUSES = {
    "order_placed": "ORDER_RECEIVED",
    "order_shipped": "ORDER_SHIPPED",
    "order_out_for_delivery": "ORDER_OUT_FOR_DELIVERY",
    "order_delivered": "ORDER_DELIVERED",
}
SELLER = "voicecart"
EXPIRY = timedelta(hours=23)  # the API accepts 5 minutes to 24 hours
BATCH = 500


def order_status_event(notification: Notification, user_id: str, now: datetime, locale: str = "en-US") -> dict:
    """The API's request body for one outbox notification."""
    return {
        "timestamp": _iso(now),
        "referenceId": notification.id,  # the API drops a second event with the same reference id
        "expiryTime": _iso(now + EXPIRY),
        "event": {
            "name": EVENT_NAME,
            "payload": {
                "state": {"status": STATUSES[notification.kind]},
                "order": {"seller": {"name": "localizedattribute:sellerName"}},
            },
        },
        "localizedAttributes": [{"locale": locale, "sellerName": SELLER}],
        "relevantAudience": {"type": "Unicast", "payload": {"user": user_id}},
    }


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.00Z")


class ProactiveEventSender:
    def __init__(
        self,
        backend: Backend,
        *,
        client_id: str,
        client_secret: str,
        api_url: str = "https://api.amazonalexa.com",
        lwa_url: str = "https://api.amazon.com",
        stage: str = "development",
        client: Any = None,
    ) -> None:
        self.backend = backend
        self.stage = stage
        self.client = client or self._client(client_id, client_secret, api_url, lwa_url)

    @staticmethod
    def _client(client_id: str, client_secret: str, api_url: str, lwa_url: str) -> Any:
        from ask_sdk_core.api_client import DefaultApiClient
        from ask_sdk_core.serialize import DefaultSerializer
        from ask_sdk_model.services import ApiConfiguration, AuthenticationConfiguration
        from ask_sdk_model.services.lwa import LwaClient
        from ask_sdk_model.services.proactive_events import ProactiveEventsServiceClient

        serializer, http = DefaultSerializer(), DefaultApiClient()
        auth = AuthenticationConfiguration(client_id=client_id, client_secret=client_secret)
        lwa = LwaClient(ApiConfiguration(serializer=serializer, api_client=http, api_endpoint=lwa_url), auth)
        return ProactiveEventsServiceClient(
            ApiConfiguration(serializer=serializer, api_client=http, api_endpoint=api_url), auth, lwa_client=lwa
        )

    def deliver_pending(self, now: datetime | None = None) -> int:
        """Send every pending order notification whose household has a known Alexa user; returns how many
        were sent. Raises after marking what was sent when the API or LWA fails, so the round reports it."""
        from ask_sdk_model.services import ServiceException
        from ask_sdk_model.services.proactive_events import SkillStage

        now = now or self.backend.clock.now()
        stage = SkillStage.LIVE if self.stage == "live" else SkillStage.DEVELOPMENT
        pending = [n for n in self.backend.notifications.pending(limit=BATCH) if n.kind in STATUSES]
        users: dict[str, list[str]] = {}
        done: list[str] = []
        try:
            for notification in pending:
                if notification.household_id not in users:
                    users[notification.household_id] = self.backend.households.alexa_users(notification.household_id)
                for user_id in users[notification.household_id]:
                    try:
                        self.client.create_proactive_event(order_status_event(notification, user_id, now), stage)
                    except ServiceException as exc:
                        if exc.status_code in (429,) or exc.status_code >= 500 or exc.status_code in (401, 403):
                            raise  # the service or our credentials: try again next round
                        log.warning(
                            "the Proactive Events API refused notification %s: %s %s",
                            notification.id,
                            exc.status_code,
                            exc,
                            extra={"household": notification.household_id},
                        )
                if users[notification.household_id]:
                    done.append(notification.id)
        finally:
            if done:
                self.backend.notifications.mark_delivered(done)
        return len(done)
