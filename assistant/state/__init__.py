"""State kept in a SQL database (SQLite by default, PostgreSQL in production)."""
