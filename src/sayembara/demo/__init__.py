"""The demo data: the seed competitions at telling moments of their life."""
