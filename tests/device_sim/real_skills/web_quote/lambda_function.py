"""Reads the quote of the day from a web service, through whichever HTTP client HTTP_CLIENT names: real skills
use requests, urllib.request, http.client, urllib3, httpx or aiohttp, and the simulator must answer each."""

import asyncio
import http.client
import json
import logging
import os
import urllib.parse
import urllib.request

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type

logger = logging.getLogger(__name__)
QUOTE_URL = os.environ.get("QUOTE_URL", "https://api.quotes.example/v1/today")


def fetch_requests(url):
    import requests

    reply = requests.get(url, timeout=3)
    reply.raise_for_status()
    return reply.json()


def fetch_urllib(url):
    with urllib.request.urlopen(url, timeout=3) as reply:
        return json.loads(reply.read())


def fetch_http_client(url):
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=3)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path)
        reply = connection.getresponse()
        return json.loads(reply.read())
    finally:
        connection.close()


def fetch_urllib3(url):
    import urllib3

    reply = urllib3.PoolManager().request("GET", url, timeout=3.0, retries=False)
    return json.loads(reply.data)


def fetch_httpx(url):
    import httpx

    with httpx.Client(timeout=3) as client:
        return client.get(url).raise_for_status().json()


def fetch_aiohttp(url):
    import aiohttp

    async def fetch():
        async with aiohttp.ClientSession() as session:
            async with session.get(url) as reply:
                return await reply.json()

    return asyncio.run(fetch())


CLIENTS = {
    "requests": fetch_requests,
    "urllib": fetch_urllib,
    "http.client": fetch_http_client,
    "urllib3": fetch_urllib3,
    "httpx": fetch_httpx,
    "aiohttp": fetch_aiohttp,
}


class QuoteHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        fetch = CLIENTS[os.environ.get("HTTP_CLIENT", "requests")]
        quote = fetch(QUOTE_URL + "?lang=en")
        return (
            handler_input.response_builder.speak(f"Today's quote: {quote['text']}")
            .set_should_end_session(True)
            .response
        )


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        logger.error(exception, exc_info=True)
        return handler_input.response_builder.speak("The quote service is not answering.").response


sb = SkillBuilder()
sb.add_request_handler(QuoteHandler())
sb.add_exception_handler(CatchAllExceptionHandler())
lambda_handler = sb.lambda_handler()
