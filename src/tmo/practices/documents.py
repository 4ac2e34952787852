"""The documents the curated practices cite: the public record of IOM's International
Dialogue on Migration 2010, "Migration and Social Change" (file names as in
`../shared/seeds/`, titles as its README gives them)."""

from __future__ import annotations

DOCUMENTS: dict[str, str] = {
    "000_1fb4bd01747371e4.txt": "IOM, IDM 2010: final report of the workshop \"Migration and "
                                "Transnationalism: Opportunities and Challenges\" (Geneva, "
                                "9-10 March 2010)",
    "001_53b5d978e395c1d4.txt": "IOM, IDM 2010: slides of the workshop \"Migration and "
                                "Transnationalism: Opportunities and Challenges\"",
    "002_4fef76185f2ada1b.txt": "IOM, IDM 2010: summary of conclusions presented to the 99th "
                                "IOM Council",
    "003_dccb40292c78ccfa.txt": "IOM, IDM 2010: final report of the workshop \"Societies and "
                                "Identities: The Multifaceted Impact of Migration\" (19-20 "
                                "July 2010)",
    "004_811a4fe321dedeee.txt": "IOM, IDM 2010: slides presented to the 99th IOM Council",
}


def title(document: str) -> str:
    """The document's title; a submitted practice's own source is shown as given."""
    return DOCUMENTS.get(document, document)
