"""Helpers shared by the test areas: hand-made raw layers and marts, sign-in, breaks, read-back."""
