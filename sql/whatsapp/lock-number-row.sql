-- Locks a number (FOR UPDATE also holds back inserts of its bots while it is deactivated).
SELECT n.* FROM whatsapp_numbers AS n WHERE n.id = :numberId FOR UPDATE
