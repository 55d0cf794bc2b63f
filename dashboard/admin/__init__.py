"""The Administration page's account management (issue 12): its layout and callbacks, and its texts.

`register_account_callbacks` (called by dashboard/app.py) adds the callbacks; the page module
dashboard/pages/admin.py draws the section with `accounts_section`.
"""
