"""What a unique-constraint violation raises, for the SQL repositories SQLite and PostgreSQL share.

The PostgreSQL adapter adds its driver's error when it is imported, so the repositories serve both stores
unchanged; they read `sql_errors.INTEGRITY_ERRORS` at the moment they catch, never a copy of it."""

from __future__ import annotations

import sqlite3

INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)
