"""MkDocs plugin that embeds Tune or Build calculators and data/ figures in pages."""
