"""Stage 2: inbox files → typed records and data problems (never raises for file content)."""
