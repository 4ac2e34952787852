"""Skilled diaspora and domestic institutions (issue #18; docs/skills.md): the taxonomies
(ISCO-08, ISCED 2011 levels and ISCED-F 2013 broad fields, CEFR levels), skills profiles
held in the diaspora registry's database, institutions and their opportunities, explainable
matching both ways, contact requests with double opt-in, and suppressed aggregates of the
diaspora's skills. Built on the registry (its accounts, roles, consent and audit)."""
