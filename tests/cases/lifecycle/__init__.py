"""Tests of the data lifecycle: imports, retention, anonymisation, rights."""
