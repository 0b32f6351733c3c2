"""Launch and one-shot phrases in every locale Alexa supports for custom skills; the device's own words."""

from __future__ import annotations

import pytest
import sim_skills

from device_sim import Device, DeviceProfile, SkillEndpoint
from device_sim.locales import SUPPORTED_LOCALES, language_for
from device_sim.nlu import sample_nlu
from device_sim.wake import LAUNCH, ONE_SHOT, hear

NAMES = ["tea timer", "天気", "मौसम", "الطقس"]

# (launch, one-shot, what the skill gets) per language, as people say them to an Echo.
PHRASES = {
    "ar": ("افتح الطقس", "اسأل الطقس عن الغد", "عن الغد"),
    "de": ("alexa, öffne tea timer", "alexa, frage tea timer nach grünem tee", "grünem tee"),
    "en": ("alexa, open tea timer", "alexa, ask tea timer to brew green", "brew green"),
    "es": ("alexa, abre tea timer", "alexa, pide a tea timer que prepare té verde", "prepare té verde"),
    "fr": ("alexa, ouvre tea timer", "alexa, demande à tea timer de préparer du thé vert", "préparer du thé vert"),
    "hi": ("alexa, मौसम खोलो", "alexa, मौसम से पूछो कल कैसा रहेगा", "कल कैसा रहेगा"),
    "it": ("alexa, apri tea timer", "alexa, chiedi a tea timer di preparare il tè", "preparare il tè"),
    "ja": ("アレクサ、天気を開いて", "アレクサ、天気で明日の天気を教えて", "明日の天気を教えて"),
    "nl": ("alexa, open tea timer", "alexa, vraag tea timer om groene thee", "groene thee"),
    "pt": ("alexa, abra o tea timer", "alexa, peça para o tea timer preparar chá verde", "preparar chá verde"),
}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_launch_and_one_shot_phrases_in_every_supported_locale(locale):
    launch, one_shot, rest = PHRASES[locale.split("-")[0]]
    opened = hear(launch, NAMES, locale)
    asked = hear(one_shot, NAMES, locale)
    assert opened.kind == LAUNCH and opened.invocation in NAMES
    assert asked.kind == ONE_SHOT and asked.text == rest


@pytest.mark.parametrize("said", ["alexa, starte tea timer", "alexa, tea timer öffnen", "alexa, open tea timer"])
def test_german_speakers_open_skills_several_ways(said):
    assert hear(said, NAMES, "de-DE").kind == LAUNCH


def test_english_phrases_are_not_launches_in_other_words():
    assert hear("alexa, ouvre tea timer", NAMES, "en-US").kind == "name_free"
    assert hear("alexa, brew green using tea timer", NAMES, "en-GB").text == "brew green"


def test_the_devices_own_replies_are_in_its_locale():
    with Device(
        SkillEndpoint.of(sim_skills.hello_skill(), sim_skills.HELLO_MODEL),
        nlu_factory=sample_nlu,
        profile=DeviceProfile(locale="fr-FR"),
    ) as device:
        assert device.say("alexa, quel est le sens de la vie").speech == "Désolée, je ne sais pas."
        assert device.say("alexa, lis mes notifications").speech == "Vous n'avez aucune nouvelle notification."
        device.notify("Votre commande est partie.")
        assert device.say("alexa, lis mes notifications").speech == (
            "Vous avez une nouvelle notification. De voicecart : Votre commande est partie."
        )
        assert device.say("alexa, quelle heure est-il").speech.startswith("Il est ")


def test_a_broken_skill_is_announced_in_the_locale():
    def broken(event, context):
        raise RuntimeError("boom")

    with Device(
        SkillEndpoint.of(broken, sim_skills.HELLO_MODEL),
        nlu_factory=sample_nlu,
        cloud=False,
        profile=DeviceProfile(locale="de-DE"),
    ) as device:
        turn = device.say("alexa, öffne hello world")
    assert turn.speech == "Bei der Antwort des angeforderten Skills ist ein Problem aufgetreten."
    assert "RuntimeError: boom" in turn.error


def test_every_supported_locale_has_its_own_device_words():
    for locale in SUPPORTED_LOCALES:
        language = language_for(locale)
        assert language.problem and language.not_understood and language.launch
    assert language_for("ja-JP").not_understood != language_for("en-US").not_understood
