"""Reports built from the metric API: the fund's indicator workbook and the board pack."""
