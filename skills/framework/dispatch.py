"""Finding the handler for a request without asking every handler.

ask-sdk asks each registered handler in turn whether it can handle the request; a skill composed of
several capabilities has dozens, and most answer one intent each. A handler may declare `intent_names`
(the intents it answers; it promises `can_handle` is false for every other request). This request
mapper asks only the handlers that declared the request's intent, plus every handler that declared
nothing, still in registration order, so the first handler that can handle a request wins as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import IntentRequest
from ask_sdk_runtime.dispatch_components.request_components import (
    GenericRequestHandlerChain,
    GenericRequestMapper,
)


def declared_intents(handler: object) -> frozenset[str] | None:
    names = getattr(handler, "intent_names", None)
    return None if names is None else frozenset(names)


class IntentIndexedRequestMapper(GenericRequestMapper):
    def __init__(self, request_handler_chains: Iterable[GenericRequestHandlerChain]) -> None:
        super().__init__(list(request_handler_chains))
        chains = self.request_handler_chains
        declared = [declared_intents(chain.request_handler) for chain in chains]
        self._undeclared = [chain for chain, names in zip(chains, declared, strict=True) if names is None]
        every_name = set().union(*(names for names in declared if names is not None))
        self._by_intent = {
            name: [chain for chain, names in zip(chains, declared, strict=True) if names is None or name in names]
            for name in every_name
        }

    def get_request_handler_chain(  # type: ignore[override]  # ask-sdk types the input generically
        self, handler_input: HandlerInput
    ) -> GenericRequestHandlerChain | None:
        request = handler_input.request_envelope.request
        if isinstance(request, IntentRequest) and request.intent is not None:
            chains = self._by_intent.get(request.intent.name or "", self._undeclared)
        else:
            chains = self._undeclared
        for chain in chains:
            if chain.request_handler.can_handle(handler_input):
                return chain
        return None


class IndexedSkillBuilder(CustomSkillBuilder):
    """CustomSkillBuilder whose skills find handlers through IntentIndexedRequestMapper."""

    @property
    def skill_configuration(self):  # noqa: ANN201 - ask-sdk's SkillConfiguration
        config = super().skill_configuration
        chains = [chain for mapper in config.request_mappers for chain in mapper.request_handler_chains]
        config.request_mappers = [IntentIndexedRequestMapper(chains)]
        return config
