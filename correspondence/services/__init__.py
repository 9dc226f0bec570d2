"""Writes: sending letters, chasing, drafting, filing what arrives and what people decide about
it. Each module's docstring states its failure modes."""
