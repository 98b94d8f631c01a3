-- The numbers a support user may mean by a reference: its id (when one is given), the phone number
-- exactly, or the same digits written differently (+7 900 123-45-67 = 79001234567).
SELECT n.id, n.phone_number, n.display_name, n.is_active,
       CASE WHEN n.phone_number = :ref THEN 'phone'
            WHEN n.id = CAST(:refId AS integer) THEN 'id'
            ELSE 'digits' END AS matched_by
FROM whatsapp_numbers AS n
WHERE n.phone_number = :ref
   OR n.id = CAST(:refId AS integer)
   OR (CAST(:refDigits AS text) <> '' AND regexp_replace(n.phone_number, '[^0-9]', '', 'g') = :refDigits)
ORDER BY n.id
