"""Stage 1: campaign.yaml → a frozen Campaign and its Roster (who owes what)."""
