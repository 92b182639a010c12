"""Writes of the data lifecycle: retention, anonymisation, rights, the DPO's register."""
