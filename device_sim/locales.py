"""The device's own language per locale: how people open and ask skills, and what the speaker itself says.

Every locale Alexa supports for custom skills is here: ar-SA, de-DE, en-AU, en-CA, en-GB, en-IN, en-US,
es-ES, es-MX, es-US, fr-CA, fr-FR, hi-IN, it-IT, ja-JP, nl-NL, pt-BR. Launch and one-shot phrases follow
Amazon's published invocation phrases for each language ("öffne …", "ouvre …", "demande à … de …",
"…を開いて", "… खोलो"); `{name}` stands for the invocation name, `{rest}` for what is passed to the skill.
Phrases of English are accepted in every locale too (people in hi-IN say "open …"), after the locale's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SUPPORTED_LOCALES = (
    "ar-SA",
    "de-DE",
    "en-AU",
    "en-CA",
    "en-GB",
    "en-IN",
    "en-US",
    "es-ES",
    "es-MX",
    "es-US",
    "fr-CA",
    "fr-FR",
    "hi-IN",
    "it-IT",
    "ja-JP",
    "nl-NL",
    "pt-BR",
)


@dataclass(frozen=True)
class DeviceLanguage:
    launch: tuple[str, ...]  # patterns that open a skill
    one_shot: tuple[str, ...]  # patterns that pass {rest} to a skill
    problem: str  # the skill's response was unusable
    not_understood: str
    no_notifications: str
    one_notification: str
    many_notifications: str  # {count}
    notification_from: str  # {source} {text}
    time: str  # {time} {date}, strftime-formatted by the device
    time_format: str = "%H:%M"
    date_format: str = "%d.%m."
    exit_words: frozenset[str] = field(default_factory=frozenset)
    read_notifications: frozenset[str] = field(default_factory=frozenset)
    time_questions: frozenset[str] = field(default_factory=frozenset)


ENGLISH = DeviceLanguage(
    launch=(
        r"(?:open|launch|start|begin|load|run|use|talk to|play)\s+(?:the\s+)?{name}(?:\s+skill)?",
        r"(?:ask|tell)\s+{name}",
    ),
    one_shot=(
        r"(?:open|launch|start|begin|load|run|use|talk to|play)\s+{name}\s+and\s+{rest}",
        r"(?:ask|tell)\s+{name}(?:\s+(?:to|for|about|if|whether|that|and))?\s+{rest}",
        r"{rest}\s+(?:using|with|from|on)\s+{name}",
    ),
    problem="There was a problem with the requested skill's response",
    not_understood="Sorry, I don't know that.",
    no_notifications="You have no new notifications.",
    one_notification="You have one new notification.",
    many_notifications="You have {count} new notifications.",
    notification_from="From {source}: {text}",
    time="It's {time} on {date}.",
    time_format="%-I:%M %p",
    date_format="%A, %B %-d",
    exit_words=frozenset({"exit", "quit", "alexa exit", "alexa quit"}),
    read_notifications=frozenset(
        {
            "read my notifications",
            "what are my notifications",
            "what did i miss",
            "read notifications",
            "any notifications",
            "do i have any notifications",
            "what are my new notifications",
        }
    ),
    time_questions=frozenset({"what time is it", "what's the time"}),
)

LANGUAGES: dict[str, DeviceLanguage] = {
    "en": ENGLISH,
    "de": DeviceLanguage(
        launch=(
            r"(?:öffne|oeffne|starte|start|spiele|spiel|aktiviere)\s+(?:den\s+|die\s+|das\s+)?{name}",
            r"{name}\s+(?:öffnen|starten)",
        ),
        one_shot=(
            r"(?:frage|frag|bitte|sage|sag)\s+{name}(?:\s+(?:nach|ob|wie|was|um|dass))?\s+{rest}",
            r"(?:öffne|starte)\s+{name}\s+und\s+{rest}",
            r"{rest}\s+(?:mit|von|über)\s+{name}",
        ),
        problem="Bei der Antwort des angeforderten Skills ist ein Problem aufgetreten.",
        not_understood="Das weiß ich leider nicht.",
        no_notifications="Du hast keine neuen Benachrichtigungen.",
        one_notification="Du hast eine neue Benachrichtigung.",
        many_notifications="Du hast {count} neue Benachrichtigungen.",
        notification_from="Von {source}: {text}",
        time="Es ist {time} Uhr.",
        exit_words=frozenset({"beenden", "alexa beenden"}),
        read_notifications=frozenset(
            {"lies meine benachrichtigungen vor", "was habe ich verpasst", "welche benachrichtigungen habe ich"}
        ),
        time_questions=frozenset({"wie spät ist es", "wie viel uhr ist es"}),
    ),
    "fr": DeviceLanguage(
        launch=(r"(?:ouvre|ouvrir|lance|lancer|démarre|demarre|joue)\s+(?:le\s+|la\s+|l')?{name}",),
        one_shot=(
            r"(?:demande|dis)\s+(?:à|a)\s+{name}(?:\s+(?:de|d'|si|que|qu'))?\s*{rest}",
            r"(?:ouvre|lance)\s+{name}\s+et\s+{rest}",
            r"{rest}\s+(?:avec|sur)\s+{name}",
        ),
        problem="Il y a eu un problème avec la réponse de la skill demandée.",
        not_understood="Désolée, je ne sais pas.",
        no_notifications="Vous n'avez aucune nouvelle notification.",
        one_notification="Vous avez une nouvelle notification.",
        many_notifications="Vous avez {count} nouvelles notifications.",
        notification_from="De {source} : {text}",
        time="Il est {time}.",
        exit_words=frozenset({"quitter", "quitte", "sortir"}),
        read_notifications=frozenset(
            {"lis mes notifications", "quelles sont mes notifications", "qu'est-ce que j'ai manqué"}
        ),
        time_questions=frozenset({"quelle heure est-il", "il est quelle heure"}),
    ),
    "es": DeviceLanguage(
        launch=(r"(?:abre|abrir|inicia|iniciar|lanza|empieza|juega)\s+(?:el\s+|la\s+)?{name}",),
        one_shot=(
            r"(?:pide|pregunta|dile|pídele|preguntale|pregúntale)\s+(?:a\s+|al\s+)?{name}"
            r"(?:\s+(?:que|si|por|sobre))?\s+{rest}",
            r"(?:abre|inicia)\s+{name}\s+y\s+{rest}",
            r"{rest}\s+(?:con|en|usando)\s+{name}",
        ),
        problem="Hubo un problema con la respuesta de la skill solicitada.",
        not_understood="Lo siento, no lo sé.",
        no_notifications="No tienes notificaciones nuevas.",
        one_notification="Tienes una notificación nueva.",
        many_notifications="Tienes {count} notificaciones nuevas.",
        notification_from="De {source}: {text}",
        time="Son las {time}.",
        exit_words=frozenset({"salir", "sal"}),
        read_notifications=frozenset({"lee mis notificaciones", "qué me he perdido", "que me he perdido"}),
        time_questions=frozenset({"qué hora es", "que hora es"}),
    ),
    "it": DeviceLanguage(
        launch=(r"(?:apri|avvia|lancia|inizia|gioca\s+(?:a|con))\s+{name}",),
        one_shot=(
            r"(?:chiedi|domanda|di'|dì|di)\s+(?:a\s+|ad\s+|al\s+)?{name}(?:\s+(?:di|se|che|per))?\s+{rest}",
            r"(?:apri|avvia)\s+{name}\s+e\s+{rest}",
            r"{rest}\s+(?:con|su)\s+{name}",
        ),
        problem="Si è verificato un problema con la risposta della skill richiesta.",
        not_understood="Mi dispiace, non lo so.",
        no_notifications="Non hai nuove notifiche.",
        one_notification="Hai una nuova notifica.",
        many_notifications="Hai {count} nuove notifiche.",
        notification_from="Da {source}: {text}",
        time="Sono le {time}.",
        exit_words=frozenset({"esci", "basta"}),
        read_notifications=frozenset({"leggi le mie notifiche", "cosa mi sono perso"}),
        time_questions=frozenset({"che ore sono", "che ora è"}),
    ),
    "pt": DeviceLanguage(
        launch=(r"(?:abra|abre|abrir|inicie|inicia|iniciar|comece|jogue)\s+(?:o\s+|a\s+)?{name}",),
        one_shot=(
            r"(?:peça|peca|pede|pergunte|pergunta|diga|fala)\s+(?:para\s+|pro\s+|pra\s+|ao\s+|à\s+|a\s+)?"
            r"(?:o\s+|a\s+)?{name}(?:\s+(?:para|pra|que|se|sobre))?\s+{rest}",
            r"(?:abra|abre|inicie)\s+(?:o\s+|a\s+)?{name}\s+e\s+{rest}",
            r"{rest}\s+(?:com|no|na|usando)\s+{name}",
        ),
        problem="Houve um problema com a resposta da skill solicitada.",
        not_understood="Desculpe, não sei.",
        no_notifications="Você não tem novas notificações.",
        one_notification="Você tem uma nova notificação.",
        many_notifications="Você tem {count} novas notificações.",
        notification_from="De {source}: {text}",
        time="São {time}.",
        exit_words=frozenset({"sair", "sai"}),
        read_notifications=frozenset({"leia minhas notificações", "o que eu perdi"}),
        time_questions=frozenset({"que horas são"}),
    ),
    "ja": DeviceLanguage(
        launch=(r"{name}\s*(?:を|)\s*(?:開いて|ひらいて|開く|起動して|スタートして|始めて|はじめて|つないで)",),
        one_shot=(r"{name}\s*(?:で|に|を使って)\s*{rest}", r"{name}\s*を開いて\s*{rest}"),
        problem="要求されたスキルの応答に問題があります。",
        not_understood="すみません、よくわかりません。",
        no_notifications="新しいお知らせはありません。",
        one_notification="新しいお知らせが1件あります。",
        many_notifications="新しいお知らせが{count}件あります。",
        notification_from="{source}から: {text}",
        time="{time}です。",
        exit_words=frozenset({"終了", "終わり", "やめて"}),
        read_notifications=frozenset({"お知らせを読んで", "通知を読んで"}),
        time_questions=frozenset({"今何時", "いま何時"}),
    ),
    "hi": DeviceLanguage(
        launch=(r"{name}\s+(?:खोलो|खोलें|खोलिए|शुरू\s+करो|शुरू\s+करें|चलाओ|open\s+karo|kholo)",),
        one_shot=(
            r"{name}\s+(?:से|को)\s+(?:पूछो|बोलो|कहो)\s+{rest}",
            r"{name}\s+(?:से|को)\s+{rest}\s+(?:पूछो|बोलो|कहो)",
            r"{name}\s+(?:se|ko)\s+(?:pucho|bolo)\s+{rest}",
        ),
        problem="अनुरोधित skill के जवाब में कोई समस्या थी।",
        not_understood="माफ़ कीजिए, मुझे यह नहीं पता।",
        no_notifications="आपके लिए कोई नई सूचना नहीं है।",
        one_notification="आपके लिए एक नई सूचना है।",
        many_notifications="आपके लिए {count} नई सूचनाएं हैं।",
        notification_from="{source} से: {text}",
        time="अभी {time} बजे हैं।",
        exit_words=frozenset({"बंद करो", "exit"}),
        read_notifications=frozenset({"मेरी सूचनाएं पढ़ो"}),
        time_questions=frozenset({"कितने बजे हैं", "समय क्या है"}),
    ),
    "nl": DeviceLanguage(
        launch=(r"(?:open|start|begin|speel)\s+{name}",),
        one_shot=(
            r"(?:vraag|zeg)\s+(?:aan\s+)?{name}(?:\s+(?:om|of|wat|naar))?\s+{rest}",
            r"(?:open|start)\s+{name}\s+en\s+{rest}",
        ),
        problem="Er is een probleem met het antwoord van de gevraagde skill.",
        not_understood="Sorry, dat weet ik niet.",
        no_notifications="Je hebt geen nieuwe meldingen.",
        one_notification="Je hebt één nieuwe melding.",
        many_notifications="Je hebt {count} nieuwe meldingen.",
        notification_from="Van {source}: {text}",
        time="Het is {time}.",
        exit_words=frozenset({"stoppen", "afsluiten"}),
        read_notifications=frozenset({"lees mijn meldingen voor"}),
        time_questions=frozenset({"hoe laat is het"}),
    ),
    "ar": DeviceLanguage(
        launch=(r"(?:افتح|افتحي|شغل|شغّل|ابدأ)\s+{name}",),
        one_shot=(r"(?:اسأل|اطلب\s+من|قل\s+ل)\s*{name}\s+{rest}",),
        problem="حدثت مشكلة في استجابة المهارة المطلوبة.",
        not_understood="عذرًا، لا أعرف ذلك.",
        no_notifications="ليس لديك إشعارات جديدة.",
        one_notification="لديك إشعار جديد واحد.",
        many_notifications="لديك {count} إشعارات جديدة.",
        notification_from="من {source}: {text}",
        time="الساعة الآن {time}.",
        exit_words=frozenset({"خروج"}),
        read_notifications=frozenset({"اقرأ إشعاراتي"}),
        time_questions=frozenset({"كم الساعة"}),
    ),
}


def language_for(locale: str) -> DeviceLanguage:
    """The device language of a locale ("de-DE" -> German); English for a locale Alexa does not support."""
    return LANGUAGES.get(locale.split("-")[0].lower(), ENGLISH)


def is_supported(locale: str) -> bool:
    return locale in SUPPORTED_LOCALES
