"""The data lifecycle: imports of past activity, retention, anonymisation, rights (RGPD),
archive and the DPO's register."""
