"""Backend subcommands of `voicecart`: serve, token, household, catalog."""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

from intents.command_error import CommandError


def _backend(args: argparse.Namespace, *, seed: bool = True):
    from reorder.bootstrap import open_backend
    from reorder.errors import BackendError

    try:
        return open_backend(args.store, seed=seed)
    except BackendError as exc:
        raise CommandError(exc.message) from exc


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="run the web service: REST API, skill endpoint at /alexa, web page",
        description="Serve the REST API (/api), the OpenAPI document (/openapi.json) and, when the skills "
        "are installed, the Alexa skill endpoint (POST /alexa) with request verification on.",
    )
    serve.add_argument("--host", default=None, help="interface to listen on (env VOICECART_HOST; default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (env VOICECART_PORT; default 8080)")
    serve.add_argument(
        "--no-verify",
        action="store_true",
        help="turn Alexa request verification OFF (local experiments only; never in production)",
    )
    trust = serve.add_mutually_exclusive_group()
    trust.add_argument(
        "--trust-local-ca",
        action="store_true",
        help="also accept requests signed by the simulator's local test CA (never in production)",
    )
    trust.add_argument(
        "--trust-ca",
        metavar="DIR",
        default=os.environ.get("VOICECART_TRUST_CA") or None,
        help="also accept requests signed by the local test CA kept in DIR (its root.pem and "
        "echo.api/ chains; env VOICECART_TRUST_CA; never in production)",
    )
    serve.add_argument(
        "--skill-id",
        action="append",
        default=[],
        metavar="ID",
        help="accept requests for this skill id (repeatable; default: the voicecart skill's)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="gunicorn worker processes (env VOICECART_WORKERS; default one per CPU core)",
    )
    access = serve.add_mutually_exclusive_group()
    access.add_argument(
        "--access-log",
        action="store_true",
        help="add gunicorn's access log (env VOICECART_ACCESS_LOG=1; off by default: the app logs every request)",
    )
    access.add_argument("--no-access-log", action="store_true", help="no gunicorn access log (the default)")
    serve.add_argument(
        "--replay-guard",
        choices=("host", "store", "process"),
        default=None,
        help="where answered request ids are kept (env VOICECART_REPLAY_GUARD; default host: shared by this "
        "host's workers; store: by every host on the order store; process: one worker only)",
    )
    serve.add_argument(
        "--no-scheduler",
        action="store_true",
        help="do not run due routines and fulfilment in the server (env VOICECART_SCHEDULER=0); "
        "run `voicecart routines run-due` from cron instead",
    )
    serve.add_argument(
        "--dev",
        action="store_true",
        help="development only: Werkzeug's single-process server, reloading on code changes",
    )
    serve.set_defaults(handler=cmd_serve)

    token = subparsers.add_parser(
        "token",
        help="issue, list and revoke API tokens",
        description="Issue a bearer token for the REST API, scoped to one household (`voicecart token --household "
        "demo` or `voicecart token issue --household demo`), list a household's tokens, or revoke one.",
    )
    token.add_argument("--household", metavar="NAME", help="the household's name, e.g. demo")
    token.add_argument("--label", default="cli", help="a note to recognise the token by")
    token.set_defaults(handler=cmd_token)
    tsub = token.add_subparsers(dest="token_command", metavar="ACTION")
    issue = tsub.add_parser("issue", help="print a new household token (the default action)")
    issue.add_argument("--household", required=True, metavar="NAME", help="the household's name, e.g. demo")
    issue.add_argument("--label", default="cli", help="a note to recognise the token by")
    issue.set_defaults(handler=cmd_token)
    tlist = tsub.add_parser("list", help="list a household's tokens: id, kind, label, created (never the secret)")
    tlist.add_argument("--household", required=True, metavar="NAME")
    tlist.set_defaults(handler=cmd_token_list)
    revoke = tsub.add_parser("revoke", help="revoke a token by the id `token list` shows; it stops working at once")
    revoke.add_argument("token_id", metavar="ID", help="the token's id (at least its first 6 characters)")
    revoke.add_argument("--household", required=True, metavar="NAME")
    revoke.set_defaults(handler=cmd_token_revoke)

    household = subparsers.add_parser("household", help="create and list households")
    hsub = household.add_subparsers(dest="household_command", metavar="ACTION")
    create = hsub.add_parser("create", help="create a household")
    create.add_argument("name")
    create.add_argument("--adult", action="append", default=[], metavar="NAME", help="an adult member (repeatable)")
    create.add_argument("--child", action="append", default=[], metavar="NAME", help="a child (repeatable)")
    create.add_argument("--timezone", default="America/New_York")
    create.add_argument("--member-pricing", action="store_true", help="members save a percentage on every order")
    create.add_argument("--spending-limit", type=float, metavar="DOLLARS", help="per-order spending limit")
    create.add_argument("--purchase-code", metavar="DIGITS", help="4-digit code asked before voice purchases")
    create.set_defaults(handler=cmd_household_create)
    listing = hsub.add_parser("list", help="list households")
    listing.set_defaults(handler=cmd_household_list)
    household.set_defaults(handler=lambda args: household.print_help())

    store = subparsers.add_parser("store", help="prepare and check the store named by --store")
    ssub = store.add_subparsers(dest="store_command", metavar="ACTION")
    init = ssub.add_parser(
        "init",
        help="create the table (DynamoDB) or schema (SQL), load the catalog and the demo household into an empty store",
    )
    init.add_argument("--no-demo", action="store_true", help="do not create the demo household")
    init.set_defaults(handler=cmd_store_init)
    check = ssub.add_parser("check", help="say whether the store is reachable and what it holds")
    check.set_defaults(handler=cmd_store_check)
    store.set_defaults(handler=lambda args: store.print_help())

    catalog = subparsers.add_parser("catalog", help="import, search and generate catalogs")
    csub = catalog.add_subparsers(dest="catalog_command", metavar="ACTION")
    imp = csub.add_parser("import", help="load products from a CSV or JSON file (same ids are updated)")
    imp.add_argument("file")
    imp.add_argument(
        "--rebuild-index",
        action="store_true",
        help="rebuild the product index even when the file changes no product name (only prices or stock)",
    )
    imp.set_defaults(handler=cmd_catalog_import)
    search = csub.add_parser("search", help="search the catalog")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=10)
    search.set_defaults(handler=cmd_catalog_search)
    gen = csub.add_parser("generate", help="write a large synthetic catalog (for benchmarks) to a file")
    gen.add_argument("count", type=int)
    gen.add_argument("out", help="output file, .json or .csv")
    gen.add_argument("--seed", type=int, default=0)
    gen.set_defaults(handler=cmd_catalog_generate)
    catalog.set_defaults(handler=lambda args: catalog.print_help())


def serve_settings(args: argparse.Namespace):  # noqa: ANN201 - voicecart.settings.Settings
    """The environment's settings with this command line's options on top."""
    from dataclasses import replace

    from voicecart.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise CommandError(str(exc)) from exc
    if args.workers is not None and args.workers < 1:
        raise CommandError("--workers must be at least 1")
    if args.port is not None and not 1 <= args.port <= 65535:
        raise CommandError(f"--port must be between 1 and 65535, not {args.port}")
    changes: dict[str, Any] = {"verify": settings.verify and not args.no_verify}
    for name in ("host", "port", "workers"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    if args.skill_id:
        changes["skill_ids"] = tuple(args.skill_id)
    if args.no_access_log:
        changes["access_log"] = False
    if args.access_log:
        changes["access_log"] = True
    if args.replay_guard:
        changes["replay_guard"] = args.replay_guard
    if args.no_scheduler:
        changes["scheduler"] = False
    if getattr(args, "log_level", None):
        changes["log_level"] = args.log_level
    return replace(settings, **changes)


def cmd_serve(args: argparse.Namespace) -> int:
    from skills.framework import PackageError
    from skills.hosting.local_trust import LocalTrustError
    from voicecart.replay_guard import replay_store_for
    from voicecart.server import build_server_app
    from voicecart.settings import SettingsError
    from voicecart.trust_config import trust_ca_directory

    settings = serve_settings(args)
    backend = _backend(args)  # the store is checked and seeded once, here, before any worker starts
    trust_ca = None if not settings.verify else trust_ca_directory(args.trust_ca, args.trust_local_ca)
    try:
        # Built here even though gunicorn's workers build their own, so a skill that cannot load
        # (VOICECART_SKILLS) or two skills that collide stop the start with one clear message.
        app = build_server_app(
            backend,
            verify=settings.verify,
            trust_ca=trust_ca,
            skill_ids=list(settings.skill_ids),
            replay_store=replay_store_for(settings, backend),
        )
    except PackageError as exc:
        raise CommandError(f"cannot serve these skills: {exc}") from exc
    except LocalTrustError as exc:
        raise CommandError(f"--trust-ca: {exc}") from exc
    except SettingsError as exc:
        raise CommandError(str(exc)) from exc
    from dataclasses import replace

    # The workers get the CA directory resolved here; --trust-local-ca is not passed on as such.
    settings = replace(settings, store=backend.store.url, trust_ca=trust_ca, trust_local_ca=False)
    # Tried before anything is announced: a port in use or a wrong address is one line, not a promise.
    # (Not in the child that --dev's reloader starts: the watching parent already holds the port for it.)
    if os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        _check_port_free(settings.host, settings.port)
    if args.dev:
        return _serve_dev(app, backend, settings)
    return _serve_with_gunicorn(settings)


def _serve_dev(app, backend, settings) -> int:  # noqa: ANN001
    import os

    from voicecart.due_work import build_scheduler

    print(
        f"voicecart: DEVELOPMENT server on http://{settings.host}:{settings.port} (store: {settings.store}); "
        "reloads on code changes. Use `voicecart serve` without --dev in production.",
        file=sys.stderr,
    )
    # With the reloader, this process only watches files; the child it starts (WERKZEUG_RUN_MAIN) serves.
    if settings.scheduler and os.environ.get("WERKZEUG_RUN_MAIN") == "true":
        build_scheduler(backend, interval=settings.scheduler_interval).start()
    app.run(host=settings.host, port=settings.port, threaded=True, use_reloader=True)
    return 0


def _check_port_free(host: str, port: int) -> None:
    import socket

    try:
        with socket.create_server((host, port)):
            pass
    except (OSError, OverflowError) as exc:
        raise CommandError(f"cannot listen on {host}:{port}: {getattr(exc, 'strerror', None) or exc}") from exc


def _serve_with_gunicorn(settings) -> int:  # noqa: ANN001 - voicecart.settings.Settings
    import os

    env = {**os.environ, **settings.to_env()}
    print(
        f"voicecart: serving on http://{settings.host}:{settings.port} with {settings.worker_count()} gunicorn "
        f"workers (store: {settings.store})",
        file=sys.stderr,
    )
    sys.stderr.flush()
    argv = [sys.executable, "-m", "gunicorn", "-c", "python:voicecart.gunicorn_conf", "voicecart.wsgi:create()"]
    os.execve(sys.executable, argv, env)
    return 0  # not reached: the process is now gunicorn


def cmd_store_init(args: argparse.Namespace) -> int:
    from reorder.errors import BackendError
    from reorder.store import default_store_url

    url = args.store or default_store_url()
    if url.startswith("dynamodb:"):
        from reorder.store.dynamodb import DynamoStore

        try:
            created = DynamoStore(url).create_table()
        except Exception as exc:  # boto3 raises many kinds; all mean the same to the user here
            raise CommandError(f"Cannot create the DynamoDB table for {url}: {exc}") from exc
        print(("created" if created else "found") + f" table {url}", file=sys.stderr)
    from reorder.bootstrap import open_backend

    try:
        backend = open_backend(url, seed=False)
        if backend.catalog.count() == 0:
            from reorder.catalog import load_default_catalog

            backend.catalog.load(load_default_catalog())
        if not args.no_demo:
            from reorder.demo import ensure_demo_household

            ensure_demo_household(backend)
    except BackendError as exc:
        raise CommandError(exc.message) from exc
    print(f"store ready: {url} ({backend.catalog.count()} products, {len(backend.households.list())} households)")
    return 0


def cmd_store_check(args: argparse.Namespace) -> int:
    backend = _backend(args, seed=False)
    print(
        f"{backend.store.url}: reachable; {backend.catalog.count()} products, "
        f"{len(backend.households.list())} households"
    )
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from reorder.errors import BackendError

    if not args.household:
        raise CommandError("name the household: voicecart token --household demo (or: token list / revoke)")
    backend = _backend(args)
    try:
        household = backend.households.by_name(args.household)
        print(backend.households.issue_token(household.id, args.label))
    except BackendError as exc:
        raise CommandError(exc.message) from exc
    return 0


def cmd_token_list(args: argparse.Namespace) -> int:
    from reorder.errors import BackendError

    backend = _backend(args)
    try:
        household = backend.households.by_name(args.household)
        records = backend.households.tokens(household.id)
        devices = {d.id: d.name for d in backend.devices.list(household.id)}
    except BackendError as exc:
        raise CommandError(exc.message) from exc
    if not records:
        print(f"{household.name} has no tokens", file=sys.stderr)
    for record in records:
        kind = f"device {devices.get(record.device_id, record.device_id)}" if record.device_id else "household"
        print(f"{record.id}\t{kind}\t{record.label}\t{record.created_at.isoformat(timespec='seconds')}")
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    from reorder.errors import BackendError

    backend = _backend(args)
    try:
        household = backend.households.by_name(args.household)
        record = backend.households.revoke_token(household.id, args.token_id)
    except BackendError as exc:
        raise CommandError(exc.message) from exc
    print(f"revoked {record.id} ({record.label}) of {household.name}")
    return 0


def cmd_household_create(args: argparse.Namespace) -> int:
    from reorder.errors import BackendError

    backend = _backend(args)
    members = [(n, "adult") for n in args.adult] + [(n, "child") for n in args.child]
    try:
        household = backend.households.create(
            args.name,
            members=members,
            timezone=args.timezone,
            member_pricing=args.member_pricing,
            spending_limit_cents=round(args.spending_limit * 100) if args.spending_limit else None,
            purchase_code=args.purchase_code,
        )
    except BackendError as exc:
        raise CommandError(exc.message) from exc
    print(f"created household {household.name} ({household.id})")
    return 0


def cmd_household_list(args: argparse.Namespace) -> int:
    for h in _backend(args).households.list():
        people = ", ".join(f"{m.name} ({m.role.value})" for m in h.members)
        print(f"{h.name}\t{h.id}\t{h.timezone}\t{people}{'  [demo]' if h.is_demo else ''}")
    return 0


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from reorder.catalog import CatalogError, load_catalog_file

    try:
        products = load_catalog_file(args.file)
    except (CatalogError, OSError) as exc:
        raise CommandError(str(exc)) from exc
    from intents.resolver_files import changes_index, current_index, folder_for_store, shared_catalog_resolver
    from voicecart.progress import progress

    backend = _backend(args, seed=False)
    folder = folder_for_store(backend.store)
    # Read before loading: after it, the store holds the new names and nothing is left to compare with.
    rebuild = folder is not None and (
        args.rebuild_index or current_index(folder) is None or changes_index(backend.catalog, products)
    )
    count = backend.catalog.load(progress(products, total=len(products), desc="importing"))
    print(f"imported {count} products from {args.file}")
    if folder is not None and rebuild:
        # Running servers map the new generation at their next product question; no restart.
        start = time.perf_counter()
        shared_catalog_resolver(backend.catalog, folder).rebuild()
        print(f"product index rebuilt in {time.perf_counter() - start:.1f} s ({folder})")
    elif folder is not None:
        print(f"product index unchanged: no product name, pack size or availability changed ({folder})")
    return 0


def cmd_catalog_search(args: argparse.Namespace) -> int:
    for p in _backend(args).catalog.search(args.query, args.limit):
        print(f"{p.id}\t{p.name}\t${p.price_cents / 100:.2f}")
    return 0


def cmd_catalog_generate(args: argparse.Namespace) -> int:
    from reorder.catalog import synthetic_catalog, write_catalog_file

    if not 1 <= args.count <= 1_000_000:
        raise CommandError("count must be between 1 and 1,000,000")
    write_catalog_file(synthetic_catalog(args.count, args.seed), args.out)
    print(f"wrote {args.count} products to {args.out}", file=sys.stderr)
    return 0
