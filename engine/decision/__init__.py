"""Deciding: the rule language and its engines, screening, scoring, selection, sweeps and the shortlist."""
