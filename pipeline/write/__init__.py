"""Stage 4: a Report → the supervision workbook, gap lists, bulletin, reminders; also the template."""
