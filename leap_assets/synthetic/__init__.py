"""A seeded synthetic university written in the landing formats of sources.md (`leap generate`)."""

from leap_assets.synthetic.generate import GenerationSummary, generate

__all__ = ["GenerationSummary", "generate"]
