-- Sign-up sheets: slots with a capacity, a FIFO waitlist, offers of freed seats.
-- The rows are the truth; scheduler jobs (opening, closing, offers running out) are rebuilt
-- from them. seq (AUTOINCREMENT) only grows: it is the order of arrival.

CREATE TABLE signup_sheets (
    id                 INTEGER PRIMARY KEY,
    guild_id           TEXT NOT NULL,
    title              TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    title_key          TEXT NOT NULL,  -- lower case without diacritics, for finding by title
    channel_id         TEXT NOT NULL,
    channel_name       TEXT NOT NULL,
    message_channel_id TEXT,  -- where the sheet was posted, for live updates
    message_id         TEXT,
    capacity           INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 500),
    max_per_person     INTEGER NOT NULL DEFAULT 1 CHECK (max_per_person >= 1),
    waitlist           INTEGER NOT NULL DEFAULT 1,
    approval           INTEGER NOT NULL DEFAULT 0,
    opens_at           TEXT,
    closes_at          TEXT,
    opened_shown       INTEGER NOT NULL DEFAULT 1,  -- 0 until the message shows it open
    status             TEXT NOT NULL DEFAULT 'open'
                       CHECK (status IN ('open', 'closed', 'deleted')),
    timezone           TEXT NOT NULL,
    created_by         TEXT NOT NULL,
    created_at         TEXT NOT NULL
);
-- A title names one live sheet per guild; deleted sheets free their title.
CREATE UNIQUE INDEX signup_sheets_title ON signup_sheets (guild_id, title_key)
    WHERE status != 'deleted';
CREATE INDEX signup_sheets_opening ON signup_sheets (opens_at)
    WHERE status = 'open' AND opened_shown = 0;
CREATE INDEX signup_sheets_closing ON signup_sheets (closes_at)
    WHERE status = 'open' AND closes_at IS NOT NULL;

CREATE TABLE signup_slots (
    sheet_id  INTEGER NOT NULL REFERENCES signup_sheets (id) ON DELETE CASCADE,
    number    INTEGER NOT NULL CHECK (number BETWEEN 1 AND 12),
    starts_at TEXT NOT NULL,
    topic     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sheet_id, number)
);

CREATE TABLE signup_entries (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    sheet_id         INTEGER NOT NULL,
    slot             INTEGER NOT NULL,
    user_id          TEXT NOT NULL,
    name             TEXT NOT NULL,  -- the display name when signing up
    status           TEXT NOT NULL
                     CHECK (status IN ('confirmed', 'waitlisted', 'offered', 'requested')),
    offer_expires_at TEXT,
    created_at       TEXT NOT NULL,
    FOREIGN KEY (sheet_id, slot) REFERENCES signup_slots (sheet_id, number) ON DELETE CASCADE,
    UNIQUE (sheet_id, slot, user_id)
);
CREATE INDEX signup_entries_queue ON signup_entries (sheet_id, slot, status, seq);
CREATE INDEX signup_entries_user ON signup_entries (user_id, sheet_id);
CREATE INDEX signup_entries_offers ON signup_entries (offer_expires_at)
    WHERE status = 'offered';
