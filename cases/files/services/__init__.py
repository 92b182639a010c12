"""Writes of the files: beneficiaries, cases, actes, orientations, anonymous contacts."""
