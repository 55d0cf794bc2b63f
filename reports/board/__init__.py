"""The board pack: KPIs, trend, reach, outcomes, courses, quality and highlights as PDF or PPTX."""
