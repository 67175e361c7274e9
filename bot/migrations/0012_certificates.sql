-- Certificates already sent, so asking again sends only to those who newly qualify.
CREATE TABLE learning_certificates (
    program_id  INTEGER NOT NULL REFERENCES learning_programs (id),
    user_id     TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    PRIMARY KEY (program_id, user_id)
);
