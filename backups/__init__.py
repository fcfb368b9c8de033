"""Backups of the portal's database and their restore, on SQLite and PostgreSQL alike.

No models: the commands ``backup`` and ``restore`` use each engine's own tools.
"""
