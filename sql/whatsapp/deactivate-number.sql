-- Deactivation, the alternative seed 003 recommends for a number in use: nothing is deleted.
WITH num AS (
    UPDATE whatsapp_numbers SET is_active = false, updated_at = now()
    WHERE id = :numberId AND is_active
    RETURNING id
),
bot AS (
    UPDATE bots SET is_active = false
    WHERE whatsapp_number_id = :numberId AND is_active
    RETURNING id
)
SELECT (SELECT count(*) FROM num)::int AS numbers, (SELECT count(*) FROM bot)::int AS bots
