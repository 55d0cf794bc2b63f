"""The monthly routine in the browser (issue 15): upload, what changed, build and publish, schedules, trace.

`register_routine` (called by dashboard/app.py) adds the upload and download routes and the
callbacks of the Deliveries and Schedules pages and of the trace view.
"""
