-- Audit details name people by id ("user:<@discord:42>") and show their name when read, so
-- forgetting one person rewrites exactly their id and nobody else's entry (issue 16).
-- Entries written before named people ("user:@Anna"): where the whole option value is the
-- name of exactly one known person, it becomes that person's id ("@Karta" is never "@Kar",
-- "@Anna Nowak" never "@Anna"). A name two people share, or that nobody has any more, stays
-- as written. Only the options that ever held a person: user and initiator.

CREATE TEMP TABLE audit_named AS
WITH RECURSIVE
-- What follows "user:@" (or "initiator:@") in each entry, up to its end.
tails AS (
    SELECT a.id AS id, o.opt AS opt,
           substr(
               ' ' || a.details || ' ',
               instr(' ' || a.details || ' ', ' ' || o.opt || ':@') + length(o.opt) + 3
           ) AS tail
    FROM audit_log a
    JOIN (SELECT 'user' AS opt UNION ALL SELECT 'initiator') o
    WHERE instr(' ' || a.details, ' ' || o.opt || ':@') > 0
),
-- Every place a name could end: before each space of the tail.
cuts (id, opt, tail, k) AS (
    SELECT id, opt, tail, instr(tail, ' ') FROM tails
    UNION ALL
    SELECT id, opt, tail, k + instr(substr(tail, k + 1), ' ') FROM cuts
    WHERE instr(substr(tail, k + 1), ' ') > 0
),
found AS (
    SELECT id, opt, substr(tail, 1, k - 1) AS name, substr(tail, k + 1) AS rest FROM cuts
)
SELECT f.id AS id, u.user_id AS user_id, f.name AS name, f.opt AS opt
FROM found f
-- Only names exactly one person has.
JOIN (
    SELECT display_name, min(user_id) AS user_id FROM users
    GROUP BY display_name HAVING count(*) = 1
) u ON u.display_name = f.name
WHERE f.name != ''
  -- After the name: the end, or the next option ("role:…"), not more of a longer name.
  AND (f.rest = '' OR (f.rest GLOB '[a-z]*:*' AND instr(f.rest, ':') < instr(f.rest || ' ', ' ')));

CREATE INDEX temp.audit_named_id ON audit_named (id);

UPDATE audit_log
SET details = (
    SELECT trim(
        replace(
            ' ' || audit_log.details || ' ',
            ' ' || n.opt || ':@' || n.name || ' ',
            ' ' || n.opt || ':<@' || n.user_id || '> '
        ),
        ' '
    )
    FROM audit_named n
    WHERE n.id = audit_log.id
    ORDER BY length(n.name) DESC
    LIMIT 1
)
WHERE id IN (SELECT id FROM audit_named);

DROP TABLE audit_named;
