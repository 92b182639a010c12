"""Referrals (saisines): the unit's side, the worker's side, intake into a file, feedback,
notifications, auto-saisines and weekly summaries."""
