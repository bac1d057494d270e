"""Stage 3: records → each unit's submission, facts, gaps (rules R1–R8) and one Report. Pure."""
