from store_fixtures import dynamo_server, postgres_database, store_url  # noqa: F401
