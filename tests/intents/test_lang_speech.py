from intents.speech import escape_ssml


def test_markup_is_spoken_not_interpreted():
    assert escape_ssml('<speak>Tom & "Jerry"</speak>') == "&lt;speak&gt;Tom &amp; &quot;Jerry&quot;&lt;/speak&gt;"
    assert escape_ssml("it's\x00 fine") == "it&apos;s fine"
    assert escape_ssml("") == ""
