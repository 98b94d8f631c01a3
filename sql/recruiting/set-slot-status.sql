UPDATE slots SET status = :status, updated_at = now() WHERE id = :slotId RETURNING *
