"""StudyCoach runtime core: settings, bot class, database, scheduling."""
