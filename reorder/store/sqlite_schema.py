"""Versioned schema migrations for the SQLite store. Append new steps; never edit a released one."""

MIGRATIONS: list[str] = [
    # 1: catalog, households, identities, tokens, carts, orders, history, outbox
    """
    CREATE TABLE products (
        id TEXT PRIMARY KEY,
        brand TEXT NOT NULL,
        line TEXT NOT NULL,
        kind TEXT NOT NULL,
        category TEXT NOT NULL,
        variant TEXT NOT NULL,
        pack_count INTEGER NOT NULL,
        unit TEXT NOT NULL,
        price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
        synonyms TEXT NOT NULL,
        water_oz_per_scoop REAL,
        weight_min_lb REAL,
        weight_max_lb REAL,
        discontinued INTEGER NOT NULL DEFAULT 0,
        extra TEXT NOT NULL DEFAULT '{}',
        search_text TEXT NOT NULL
    );
    CREATE TABLE households (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        timezone TEXT NOT NULL,
        address_label TEXT NOT NULL,
        member_pricing INTEGER NOT NULL,
        member_discount_pct INTEGER NOT NULL,
        purchase_code_hash TEXT,
        spending_limit_cents INTEGER,
        preferred_delivery_day INTEGER,
        is_demo INTEGER NOT NULL DEFAULT 0,
        failed_code_attempts INTEGER NOT NULL DEFAULT 0,
        purchasing_locked_until TEXT
    );
    CREATE TABLE members (
        id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('adult', 'child')),
        birth_date TEXT,
        position INTEGER NOT NULL
    );
    CREATE INDEX members_household ON members(household_id);
    CREATE TABLE identities (
        kind TEXT NOT NULL,
        external_id TEXT NOT NULL,
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        member_id TEXT REFERENCES members(id) ON DELETE SET NULL,
        PRIMARY KEY (kind, external_id)
    );
    CREATE TABLE tokens (
        token_hash TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        device_id TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE cart_lines (
        id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        product_id TEXT NOT NULL REFERENCES products(id),
        quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
        added_by TEXT,
        channel TEXT NOT NULL,
        added_at TEXT NOT NULL,
        UNIQUE (household_id, product_id)
    );
    CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        channel TEXT NOT NULL,
        member_id TEXT,
        subtotal_cents INTEGER NOT NULL,
        savings_cents INTEGER NOT NULL,
        placed_at TEXT NOT NULL,
        estimated_delivery TEXT NOT NULL,
        idempotency_key TEXT,
        button_id TEXT,
        next_transition_at TEXT,
        UNIQUE (household_id, idempotency_key)
    );
    CREATE INDEX orders_household_placed ON orders(household_id, placed_at DESC);
    CREATE INDEX orders_due ON orders(next_transition_at) WHERE next_transition_at IS NOT NULL;
    CREATE TABLE order_lines (
        order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        product_id TEXT NOT NULL,
        name TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity >= 1),
        unit_price_cents INTEGER NOT NULL,
        PRIMARY KEY (order_id, position)
    );
    CREATE INDEX order_lines_product ON order_lines(product_id);
    CREATE TABLE order_history (
        order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        status TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (order_id, seq)
    );
    CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        order_id TEXT,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at TEXT NOT NULL,
        delivered_at TEXT
    );
    CREATE INDEX outbox_pending ON outbox(household_id, created_at) WHERE delivered_at IS NULL;
    """,
    # 2: skill persistent attributes (the ask-sdk persistence adapter keeps them next to the orders)
    """
    CREATE TABLE skill_attributes (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 3: virtual buttons, their presses, the one-order-in-flight claim, smart devices' supply slots
    """
    CREATE TABLE buttons (
        id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        product_id TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
        allow_multiple INTEGER NOT NULL DEFAULT 0,
        daily_cap INTEGER,
        device_id TEXT,
        created_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE UNIQUE INDEX buttons_live_name ON buttons(household_id, name_key) WHERE deleted_at IS NULL;
    CREATE TABLE button_inflight (
        button_id TEXT PRIMARY KEY REFERENCES buttons(id) ON DELETE CASCADE,
        order_id TEXT NOT NULL,
        claimed_at TEXT NOT NULL
    );
    CREATE TABLE button_presses (
        id TEXT PRIMARY KEY,
        button_id TEXT NOT NULL REFERENCES buttons(id) ON DELETE CASCADE,
        household_id TEXT NOT NULL,
        at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('ordered', 'already_in_progress', 'blocked', 'error')),
        channel TEXT NOT NULL,
        order_id TEXT,
        reason TEXT,
        message TEXT NOT NULL DEFAULT '',
        member_id TEXT,
        device_id TEXT,
        idempotency_key TEXT,
        UNIQUE (button_id, idempotency_key)
    );
    CREATE INDEX button_presses_at ON button_presses(button_id, at);
    CREATE INDEX orders_button ON orders(button_id) WHERE button_id IS NOT NULL;
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        model TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE device_slots (
        device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        slot TEXT NOT NULL,
        button_id TEXT NOT NULL REFERENCES buttons(id),
        capacity REAL NOT NULL,
        threshold REAL NOT NULL,
        remaining REAL,
        status_at TEXT,
        PRIMARY KEY (device_id, slot)
    );
    """,
    # 4: the baby log (soft-deleted entries keep who logged what) and named routines
    """
    CREATE TABLE baby_events (
        id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        child_id TEXT REFERENCES members(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        logged_at TEXT NOT NULL,
        logged_by TEXT,
        channel TEXT NOT NULL,
        data TEXT NOT NULL,
        duplicate_of TEXT,
        deleted_at TEXT
    );
    CREATE INDEX baby_events_child_at ON baby_events(household_id, child_id, kind, at);
    CREATE INDEX baby_events_logged ON baby_events(household_id, logged_at);
    CREATE TABLE routines (
        id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        steps TEXT NOT NULL,
        child_id TEXT REFERENCES members(id) ON DELETE SET NULL,
        schedule_time TEXT,
        created_at TEXT NOT NULL,
        last_run_at TEXT,
        UNIQUE (household_id, name_key)
    );
    """,
    # 5: the baby log and routines keep no foreign key to members: a household rewrites its member rows on
    # every settings change, and a cascade from there would erase the children's log
    """
    CREATE TABLE baby_events_v5 (
        id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        child_id TEXT,
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        logged_at TEXT NOT NULL,
        logged_by TEXT,
        channel TEXT NOT NULL,
        data TEXT NOT NULL,
        duplicate_of TEXT,
        deleted_at TEXT
    );
    INSERT INTO baby_events_v5 (id, household_id, child_id, kind, at, logged_at, logged_by, channel, data,
                                duplicate_of, deleted_at)
        SELECT id, household_id, child_id, kind, at, logged_at, logged_by, channel, data, duplicate_of, deleted_at
        FROM baby_events;
    DROP TABLE baby_events;
    ALTER TABLE baby_events_v5 RENAME TO baby_events;
    CREATE INDEX baby_events_child_at ON baby_events(household_id, child_id, kind, at);
    CREATE INDEX baby_events_logged ON baby_events(household_id, logged_at);
    CREATE TABLE routines_v5 (
        id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        steps TEXT NOT NULL,
        child_id TEXT,
        schedule_time TEXT,
        created_at TEXT NOT NULL,
        last_run_at TEXT,
        UNIQUE (household_id, name_key)
    );
    INSERT INTO routines_v5 (id, household_id, name, name_key, steps, child_id, schedule_time, created_at,
                             last_run_at)
        SELECT id, household_id, name, name_key, steps, child_id, schedule_time, created_at, last_run_at
        FROM routines;
    DROP TABLE routines;
    ALTER TABLE routines_v5 RENAME TO routines;
    """,
    # 6: request ids already answered, so a replayed Alexa request is refused by every worker and host
    """
    CREATE TABLE seen_requests (
        request_id TEXT PRIMARY KEY,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX seen_requests_expiry ON seen_requests(expires_at);
    """,
    # 7: a per-household write sequence for the baby log, so "undo that" finds the newest entry on every SQL
    # store (entries written before this migration keep 0 and fall back to their times)
    """
    ALTER TABLE baby_events ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX baby_events_seq ON baby_events(household_id, seq);
    """,
    # 8: "where's my order" and "cancel my order" read a household's orders on their way and first check for
    # status changes due; both were scans of the household's whole order history. Members in order without
    # a sort: every use case reads them with the household.
    """
    CREATE INDEX orders_household_due ON orders(household_id, next_transition_at)
        WHERE next_transition_at IS NOT NULL;
    CREATE INDEX orders_household_open ON orders(household_id, placed_at DESC, id DESC)
        WHERE status IN ('placed', 'shipped', 'out_for_delivery');
    DROP INDEX members_household;
    CREATE INDEX members_household_position ON members(household_id, position);
    """,
    # 9: what each household has bought, kept as orders are placed and cancelled: the resolver's prior and
    # "buy it again" read it on voice turns, and grouping the whole order history each time grew with it
    """
    CREATE TABLE purchase_stats (
        household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        product_id TEXT NOT NULL,
        times_ordered INTEGER NOT NULL,
        total_quantity INTEGER NOT NULL,
        last_quantity INTEGER NOT NULL,
        last_ordered_at TEXT NOT NULL,
        PRIMARY KEY (household_id, product_id)
    );
    CREATE INDEX orders_household_bought ON orders(household_id, placed_at DESC)
        WHERE status != 'cancelled';
    INSERT INTO purchase_stats (household_id, product_id, times_ordered, total_quantity, last_quantity,
                                last_ordered_at)
    SELECT o.household_id, l.product_id, count(DISTINCT o.id), sum(l.quantity),
           (SELECT l2.quantity FROM order_lines l2 JOIN orders o2 ON o2.id = l2.order_id
             WHERE o2.household_id = o.household_id AND l2.product_id = l.product_id AND o2.status != 'cancelled'
             ORDER BY o2.placed_at DESC, l2.position DESC LIMIT 1),
           max(o.placed_at)
    FROM order_lines l JOIN orders o ON o.id = l.order_id
    WHERE o.status != 'cancelled'
    GROUP BY o.household_id, l.product_id;
    """,
    # 10: what an order with an idempotency key was asked for (a digest), so the same key sent with another
    # request is refused instead of answered with the first order
    """
    ALTER TABLE orders ADD COLUMN request_digest TEXT;
    """,
]
