"""The archive's schema, as an ordered list of migrations.

The version applied is kept in ``PRAGMA user_version``. A migration is never edited once released:
add a new one at the end. Each runs in its own transaction.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "files, documents, fields, dates, sources, paragraphs with FTS5, notes, entities",
        """
        CREATE TABLE blobs (
            sha256  TEXT PRIMARY KEY,
            size    INTEGER NOT NULL,
            content BLOB NOT NULL
        );
        CREATE TABLE files (
            id          INTEGER PRIMARY KEY,
            path        TEXT NOT NULL UNIQUE,
            source      TEXT NOT NULL,
            sha256      TEXT NOT NULL,
            size        INTEGER NOT NULL,
            format      TEXT,
            encoding    TEXT,
            status      TEXT NOT NULL CHECK (status IN ('document', 'skipped', 'failed')),
            reason      TEXT,
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX files_sha256 ON files(sha256);
        CREATE TABLE documents (
            id         INTEGER PRIMARY KEY,
            file_id    INTEGER NOT NULL UNIQUE REFERENCES files(id),
            title      TEXT,
            language   TEXT,
            genre      TEXT,
            genre_json TEXT,
            text       TEXT NOT NULL,
            written_earliest TEXT,
            written_latest   TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE document_fields (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            n           INTEGER NOT NULL,
            name        TEXT NOT NULL,
            value       TEXT NOT NULL,
            start       INTEGER NOT NULL,
            "end"       INTEGER NOT NULL,
            value_start INTEGER NOT NULL,
            value_end   INTEGER NOT NULL,
            PRIMARY KEY (document_id, n)
        ) WITHOUT ROWID;
        CREATE TABLE document_authors (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            n           INTEGER NOT NULL,
            as_written  TEXT NOT NULL,
            name        TEXT NOT NULL,
            entity_key  TEXT,
            start       INTEGER NOT NULL,
            "end"       INTEGER NOT NULL,
            method      TEXT NOT NULL,
            confidence  REAL NOT NULL,
            PRIMARY KEY (document_id, n)
        ) WITHOUT ROWID;
        CREATE INDEX document_authors_entity ON document_authors(entity_key);
        CREATE TABLE document_dates (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            role        TEXT NOT NULL,
            text        TEXT NOT NULL,
            edtf        TEXT,
            earliest    TEXT,
            latest      TEXT,
            calendar    TEXT,
            julian      TEXT,
            precision   TEXT,
            approximate INTEGER NOT NULL DEFAULT 0,
            uncertain   INTEGER NOT NULL DEFAULT 0,
            supplied    INTEGER NOT NULL DEFAULT 0,
            qualifier   TEXT,
            error       TEXT,
            field       TEXT NOT NULL,
            start       INTEGER NOT NULL,
            "end"       INTEGER NOT NULL,
            method      TEXT NOT NULL,
            PRIMARY KEY (document_id, role)
        ) WITHOUT ROWID;
        CREATE TABLE document_sources (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            text        TEXT NOT NULL,
            periodical  TEXT,
            volume      TEXT,
            number      TEXT,
            pages       TEXT,
            rest        TEXT,
            start       INTEGER NOT NULL,
            "end"       INTEGER NOT NULL
        );
        CREATE INDEX document_sources_periodical ON document_sources(periodical);
        CREATE TABLE paragraphs (
            id          INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            n           INTEGER NOT NULL,
            text        TEXT NOT NULL,
            start       INTEGER NOT NULL,
            "end"       INTEGER NOT NULL,
            UNIQUE (document_id, n)
        );
        CREATE VIRTUAL TABLE paragraphs_fts USING fts5(
            text, content='paragraphs', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER paragraphs_ai AFTER INSERT ON paragraphs BEGIN
            INSERT INTO paragraphs_fts(rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER paragraphs_ad AFTER DELETE ON paragraphs BEGIN
            INSERT INTO paragraphs_fts(paragraphs_fts, rowid, text)
            VALUES ('delete', old.id, old.text);
        END;
        CREATE TABLE notes (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            n           INTEGER NOT NULL,
            kind        TEXT NOT NULL,
            label       TEXT,
            text        TEXT NOT NULL,
            start       INTEGER NOT NULL,
            "end"       INTEGER NOT NULL,
            PRIMARY KEY (document_id, n)
        ) WITHOUT ROWID;
        CREATE TABLE entities (
            id      INTEGER PRIMARY KEY,
            key     TEXT NOT NULL UNIQUE,
            kind    TEXT NOT NULL,
            name    TEXT NOT NULL,
            data    TEXT NOT NULL,
            origin  TEXT NOT NULL
        );
        """,
    ),
    (
        "search: full-text index over titles, kept in step with documents",
        """
        CREATE VIRTUAL TABLE titles_fts USING fts5(
            title, content='documents', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER documents_title_ai AFTER INSERT ON documents BEGIN
            INSERT INTO titles_fts(rowid, title) VALUES (new.id, new.title);
        END;
        CREATE TRIGGER documents_title_ad AFTER DELETE ON documents BEGIN
            INSERT INTO titles_fts(titles_fts, rowid, title) VALUES ('delete', old.id, old.title);
        END;
        CREATE TRIGGER documents_title_au AFTER UPDATE OF title ON documents BEGIN
            INSERT INTO titles_fts(titles_fts, rowid, title) VALUES ('delete', old.id, old.title);
            INSERT INTO titles_fts(rowid, title) VALUES (new.id, new.title);
        END;
        INSERT INTO titles_fts(titles_fts) VALUES ('rebuild');
        """,
    ),
    (
        "HTML pages: a document's canonical URL, a note's anchor in its page",
        """
        ALTER TABLE documents ADD COLUMN url TEXT;
        CREATE INDEX documents_url ON documents(url);
        ALTER TABLE notes ADD COLUMN anchor TEXT;
        """,
    ),
    (
        "editors: users, API tokens, sessions (digests only)",
        """
        CREATE TABLE users (
            id            INTEGER PRIMARY KEY,
            name          TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            created_at    TEXT NOT NULL
        );
        CREATE TABLE api_tokens (
            digest     TEXT PRIMARY KEY,
            user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            label      TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
            digest     TEXT PRIMARY KEY,
            user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            csrf       TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX documents_written ON documents(written_earliest);
        """,
    ),
    (
        "findings of the checks, and editors' decisions on them (kept across re-ingest)",
        """
        CREATE TABLE findings (
            id          INTEGER PRIMARY KEY,
            key         TEXT NOT NULL,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            rule        TEXT NOT NULL,
            severity    TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
            message     TEXT NOT NULL,
            evidence    TEXT NOT NULL,
            suggestion  TEXT,
            checked_at  TEXT NOT NULL,
            UNIQUE (document_id, key)
        );
        CREATE INDEX findings_rule ON findings(rule, severity);
        CREATE INDEX findings_key ON findings(key);
        CREATE TABLE finding_decisions (
            key        TEXT PRIMARY KEY,
            rule       TEXT NOT NULL,
            path       TEXT NOT NULL,
            decision   TEXT NOT NULL CHECK (decision IN ('accepted', 'dismissed')),
            field      TEXT,
            old        TEXT,
            value      TEXT,
            evidence   TEXT NOT NULL,
            message    TEXT NOT NULL,
            note       TEXT,
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL
        );
        CREATE INDEX finding_decisions_path ON finding_decisions(path);
        """,
    ),
    (
        "letters: the letter a document is, the letters it lists or mentions, their parties",
        """
        CREATE TABLE letters (
            id          INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            n           INTEGER NOT NULL,
            role        TEXT NOT NULL CHECK (role IN ('self', 'listed', 'mentioned')),
            key         TEXT,
            url         TEXT,
            source      TEXT,
            source_id   TEXT,
            source_type TEXT,
            method      TEXT NOT NULL,
            confidence  REAL NOT NULL,
            evidence_text  TEXT,
            evidence_start INTEGER,
            evidence_end   INTEGER,
            sent_earliest  TEXT,
            sent_latest    TEXT,
            UNIQUE (document_id, n)
        );
        CREATE INDEX letters_sent ON letters(sent_earliest, sent_latest);
        CREATE TABLE letter_parties (
            letter_id  INTEGER NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
            role       TEXT NOT NULL
                       CHECK (role IN ('sender', 'recipient', 'sent_place', 'received_place',
                                       'carrier')),
            n          INTEGER NOT NULL,
            name       TEXT NOT NULL,
            refs       TEXT NOT NULL DEFAULT '',
            entity_key TEXT,
            cert       TEXT,
            method     TEXT NOT NULL,
            confidence REAL NOT NULL,
            evidence_text  TEXT,
            evidence_start INTEGER,
            evidence_end   INTEGER,
            PRIMARY KEY (letter_id, role, n)
        ) WITHOUT ROWID;
        CREATE INDEX letter_parties_entity ON letter_parties(entity_key);
        CREATE INDEX letter_parties_name ON letter_parties(name);
        CREATE TABLE letter_dates (
            letter_id  INTEGER NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
            action     TEXT NOT NULL CHECK (action IN ('sent', 'received')),
            as_written TEXT NOT NULL,
            attrs      TEXT NOT NULL DEFAULT '{}',
            edtf       TEXT,
            earliest   TEXT,
            latest     TEXT,
            calendar   TEXT NOT NULL,
            julian     TEXT,
            error      TEXT,
            note       TEXT,
            cert       TEXT,
            method     TEXT NOT NULL,
            confidence REAL NOT NULL,
            evidence_text  TEXT,
            evidence_start INTEGER,
            evidence_end   INTEGER,
            PRIMARY KEY (letter_id, action)
        ) WITHOUT ROWID;
        """,
    ),
    (
        "mentions of entities in documents; human corrections to entities, kept apart",
        """
        CREATE TABLE mentions (
            id            INTEGER PRIMARY KEY,
            document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            entity_key    TEXT,
            kind          TEXT NOT NULL,
            "text"        TEXT NOT NULL,
            start         INTEGER,
            "end"         INTEGER,
            paragraph     INTEGER,
            field         TEXT,
            passage_start INTEGER NOT NULL,
            passage_end   INTEGER NOT NULL,
            method        TEXT NOT NULL,
            confidence    REAL NOT NULL,
            candidates    TEXT,
            corrected     INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX mentions_document ON mentions(document_id);
        CREATE INDEX mentions_entity ON mentions(entity_key);
        CREATE INDEX entities_kind ON entities(kind);
        ALTER TABLE entities ADD COLUMN merged_into TEXT;
        CREATE TABLE entity_corrections (
            id         INTEGER PRIMARY KEY,
            op         TEXT NOT NULL CHECK (op IN ('merge', 'split', 'relink', 'variant')),
            data       TEXT NOT NULL,
            author     TEXT,
            created_at TEXT NOT NULL
        );
        """,
    ),
    (
        "reading room: covering indexes for co-mentions (network, entity pages)",
        """
        CREATE INDEX mentions_entity_document ON mentions(entity_key, document_id, kind);
        CREATE INDEX mentions_document_entity ON mentions(document_id, entity_key, kind);
        """,
    ),
    (
        "search: stored embeddings of documents and their paragraphs, dropped when text changes",
        """
        CREATE TABLE document_vectors (
            id          INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
            model       TEXT NOT NULL,
            dims        INTEGER NOT NULL,
            vector      BLOB NOT NULL,
            paragraphs  BLOB NOT NULL
        );
        CREATE TRIGGER paragraphs_vectors_ad AFTER DELETE ON paragraphs BEGIN
            DELETE FROM document_vectors WHERE document_id = old.document_id;
        END;
        """,
    ),
    (
        "search: when documents last changed, indexed (a derived full-text index checks it)",
        """
        CREATE INDEX documents_updated ON documents(updated_at);
        """,
    ),
    (
        "ingest: drop two mention indexes that the covering ones already serve (faster writes)",
        """
        DROP INDEX mentions_document;
        DROP INDEX mentions_entity;
        """,
    ),
    (
        "ingest: paragraphs enter the full-text index once per transaction, not by trigger",
        """
        DROP TRIGGER paragraphs_ai;
        """,
    ),
    (
        "reading room: each paragraph's stable anchor, computed once at ingest",
        """
        ALTER TABLE paragraphs ADD COLUMN anchor TEXT;
        """,
    ),
    (
        "search: a log of the documents whose indexed content changed (derived indexes catch up)",
        """
        CREATE TABLE index_changes (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL
        );
        CREATE TRIGGER documents_changes_ai AFTER INSERT ON documents BEGIN
            INSERT INTO index_changes (document_id) VALUES (new.id);
        END;
        CREATE TRIGGER documents_changes_au AFTER UPDATE ON documents BEGIN
            INSERT INTO index_changes (document_id) VALUES (new.id);
        END;
        CREATE TRIGGER documents_changes_ad AFTER DELETE ON documents BEGIN
            INSERT INTO index_changes (document_id) VALUES (old.id);
        END;
        -- a document's mentions are replaced together: the store logs the document once then
        -- (EntitiesMixin._insert_mentions); a relink or merge moves mentions one by one
        CREATE TRIGGER mentions_changes_au AFTER UPDATE OF entity_key, kind ON mentions BEGIN
            INSERT INTO index_changes (document_id) VALUES (new.document_id);
        END;
        CREATE TRIGGER entities_changes_au AFTER UPDATE OF merged_into, kind, key ON entities
        BEGIN
            INSERT INTO index_changes (document_id)
            SELECT DISTINCT document_id FROM mentions WHERE entity_key IN (old.key, new.key);
        END;
        """,
    ),
    (
        "search: PostgreSQL logs changed documents too (SQLite's triggers are migration 14)",
        """
        -- nothing to do on SQLite; on PostgreSQL (store/pg_migrations.py) the triggers that
        -- fill index_changes, so that meaning-based search notices changes there as well
        SELECT 1;
        """,
    ),
    (
        "search: PostgreSQL indexes FTS5's own tokens (the same concordance on both backends)",
        """
        -- nothing to do on SQLite; on PostgreSQL (store/pg_migrations.py) the paragraphs' and
        -- titles' tsvectors are no longer generated by the server's text search but written
        -- by the store with FTS5's terms and positions (store/fts5_text.py)
        SELECT 1;
        """,
    ),
    (
        "search: PostgreSQL keeps a paragraph's tsvector in its row, compressed with lz4",
        """
        -- nothing to do on SQLite; on PostgreSQL (store/pg_migrations.py) ranking reads every
        -- matching paragraph's tsvector, and one stored out of line costs a TOAST look-up
        SELECT 1;
        """,
    ),
]
