"""The tutoring classes store no file: the roster's workbook is generated on request by ``views.roster_export``,
for the hosting chair and aid staff only."""
