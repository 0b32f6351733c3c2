"""The store contract: every test in this folder runs against each store the backend supports."""

from store_fixtures import dynamo_server, postgres_database, store_url  # noqa: F401
