"""Indicators: their definitions, formulas, and the figures of one country or of every
country at once (maps), read from the store with their sources."""
