"""Fact-based public debate (issue #22, docs/factcards.md): fact cards read from the store,
a claim checker and a terminology checker, in English, French and Spanish."""
