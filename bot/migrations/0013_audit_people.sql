-- Audit details name people by id ("user:<@discord:42>") and show their name when read, so
-- forgetting one person rewrites exactly their id and nobody else's entry (issue 16).
-- Entries written before named people ("user:@Anna"): where the whole option value is the
-- name of exactly one known person, it becomes that person's id ("@Karta" is never "@Kar",
-- "@Anna Nowak" never "@Anna"). A name two people share, or that nobody has any more, stays
-- as written. Only the options that ever held a person: user and initiator.

CREATE TEMP TABLE audit_named AS
WITH candidates AS (
    SELECT a.id AS id, u.user_id AS user_id, u.display_name AS name, o.opt AS opt,
           ' ' || a.details || ' ' AS padded,
           ' ' || o.opt || ':@' || u.display_name || ' ' AS needle
    FROM audit_log a
    JOIN users u ON u.display_name != ''
    JOIN (SELECT 'user' AS opt UNION ALL SELECT 'initiator') o
    WHERE instr(a.details, ':@') > 0
      AND u.display_name NOT IN (
          SELECT display_name FROM users GROUP BY display_name HAVING count(*) > 1
      )
),
found AS (
    SELECT *, substr(padded, instr(padded, needle) + length(needle)) AS rest
    FROM candidates
    WHERE instr(padded, needle) > 0
)
SELECT id, user_id, name, opt FROM found
-- After the name: the end, or the next option ("role:…"), not more of a longer name.
WHERE rest = '' OR (rest GLOB '[a-z]*:*' AND instr(rest, ':') < instr(rest || ' ', ' '));

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
