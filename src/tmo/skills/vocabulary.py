"""The skills side's code lists: kinds of institution and of opportunity, what a person
offers (and the mode an opportunity asks for), the criteria of a match, and the limits of
the free fields."""

from __future__ import annotations

INSTITUTION_KINDS = ("enterprise", "university", "research_institute", "public_agency")
OPPORTUNITY_KINDS = ("job", "research", "mentoring", "investment")
# What a person offers; an opportunity's mode is one of these.
OFFERS = ("remote_mentoring", "short_visit", "joint_research", "investment", "return")
CONSENT = "domestic_institutions"  # tmo.registry.vocabulary.PURPOSES: being contacted

# The criteria of a match, in the order an explanation lists them.
CRITERIA = ("required_occupation", "preferred_occupation", "required_skills",
            "preferred_skills", "languages", "education", "field", "experience", "mode",
            "text")

MAX_SKILLS = 30
SKILL = 80  # characters of one skill label
MAX_LANGUAGES = 10
MAX_OCCUPATIONS = 10
DESCRIPTION = 4000
