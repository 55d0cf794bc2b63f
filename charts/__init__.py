"""The chart library: Plotly figures, their text alternatives and the theme, shared by the dashboard and the
reports (below both, above the metric layer)."""
