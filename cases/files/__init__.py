"""Files: beneficiaries, cases (accompagnements), actes, orientations, anonymous contacts."""
