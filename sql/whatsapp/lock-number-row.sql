-- Locks a number. FOR UPDATE conflicts with the FOR KEY SHARE lock an insert takes on the row it
-- references: no bot, conversation or broadcast is added under the number until commit (while
-- it is deactivated, or deleted with everything under it).
SELECT n.* FROM whatsapp_numbers AS n WHERE n.id = :numberId FOR UPDATE
