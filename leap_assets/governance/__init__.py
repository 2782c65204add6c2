"""Governance: the source registry, the transparency page and the annual review pack."""
