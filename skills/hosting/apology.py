"""What the customer hears when the skill itself fails: a short spoken apology, never silence or a
server error (Alexa would otherwise say the skill did not respond)."""

from __future__ import annotations

from typing import Any

from ask_sdk_model import Response, ResponseEnvelope
from ask_sdk_model.ui import SsmlOutputSpeech

# By language, so a German or French customer is not apologised to in English.
APOLOGIES = {
    "en": "Sorry, something went wrong on my side. Nothing was ordered. Please try again in a moment.",
    "de": "Entschuldigung, bei mir ist etwas schiefgelaufen. Es wurde nichts bestellt. "
    "Bitte versuche es gleich noch einmal.",
    "fr": "Désolé, un problème est survenu de mon côté. Rien n'a été commandé. Réessaie dans un instant.",
    "es": "Lo siento, algo ha fallado por mi parte. No se ha pedido nada. Inténtalo de nuevo en un momento.",
}


def apology_text(locale: str | None) -> str:
    language = (locale or "en").split("-")[0].lower()
    return APOLOGIES.get(language, APOLOGIES["en"])


def apology_envelope(envelope: Any = None) -> ResponseEnvelope:
    locale = getattr(getattr(envelope, "request", None), "locale", None)
    text = apology_text(locale if isinstance(locale, str) else None)
    return ResponseEnvelope(
        version="1.0",
        response=Response(output_speech=SsmlOutputSpeech(ssml=f"<speak>{text}</speak>"), should_end_session=True),
    )
