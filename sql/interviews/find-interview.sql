SELECT * FROM interviews WHERE id = :interviewId
