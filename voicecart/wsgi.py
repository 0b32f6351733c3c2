"""The WSGI entry point for production servers such as gunicorn, configured by environment variables.

    gunicorn 'voicecart.wsgi:create()' --workers 4 --bind 127.0.0.1:8080

VOICECART_STORE (store URL), VOICECART_VERIFY ("0" turns Alexa request verification off — never in
production), VOICECART_TRUST_CA (the directory of a local test CA also trusted) or VOICECART_TRUST_LOCAL_CA
("1" also trusts the simulator's signing CA), VOICECART_SKILL_IDS
(comma-separated skill ids this endpoint serves). `voicecart serve --workers N` sets them for you.
"""

from __future__ import annotations

import os

from flask import Flask


def create() -> Flask:
    from reorder.bootstrap import open_backend
    from voicecart.server import build_server_app
    from voicecart.trust_config import trust_ca_directory

    # The parent process has loaded the catalog and the demo household already; workers only open the store.
    backend = open_backend(os.environ.get("VOICECART_STORE") or None, seed=False)
    return build_server_app(
        backend,
        verify=os.environ.get("VOICECART_VERIFY", "1") != "0",
        trust_ca=trust_ca_directory(os.environ.get("VOICECART_TRUST_CA") or None,
                                    os.environ.get("VOICECART_TRUST_LOCAL_CA") == "1"),
        skill_ids=[s for s in os.environ.get("VOICECART_SKILL_IDS", "").split(",") if s],
    )
