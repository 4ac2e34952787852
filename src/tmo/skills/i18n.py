"""The skills side's own words in English, French and Spanish: the mails it puts in the
registry's outbox, the notes it attaches to answers, and the names of its codes.
`tests/skills/test_matching.py` checks every key is in every language."""

from __future__ import annotations

from tmo.registry.i18n import language

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "request_subject": "A domestic institution would like to contact you",
        "request_body": "{institution} would like to contact you about \"{opportunity}\". "
                        "Sign in to the registry to accept or refuse: until you accept, "
                        "they see neither your name nor your contact.",
        "verify_subject": "Verify your institution's e-mail",
        "verify_body": "Open this link to verify the address, then wait for the ministry to "
                       "verify your institution: {link}",
        "fallback": "title not in this table in {language}; English shown",
        "anonymised": "anonymised: no name, contact, exact age or city until the person "
                      "accepts a contact request",
        "no_data": "no data",
        "language_en": "English", "language_fr": "French", "language_es": "Spanish",
    },
    "fr": {
        "request_subject": "Une institution nationale souhaite vous contacter",
        "request_body": "{institution} souhaite vous contacter au sujet de « {opportunity} ». "
                        "Connectez-vous au registre pour accepter ou refuser : tant que vous "
                        "n’acceptez pas, elle ne voit ni votre nom ni vos coordonnées.",
        "verify_subject": "Vérifiez l’adresse électronique de votre institution",
        "verify_body": "Ouvrez ce lien pour vérifier l’adresse, puis attendez que le "
                       "ministère vérifie votre institution : {link}",
        "fallback": "intitulé absent de cette table en {language} ; intitulé anglais affiché",
        "anonymised": "anonymisé : ni nom, ni coordonnées, ni âge exact, ni ville tant que "
                      "la personne n’accepte pas une demande de contact",
        "no_data": "pas de données",
        "language_en": "anglais", "language_fr": "français", "language_es": "espagnol",
    },
    "es": {
        "request_subject": "Una institución nacional desea contactarle",
        "request_body": "{institution} desea contactarle acerca de «{opportunity}». Inicie "
                        "sesión en el registro para aceptar o rechazar: mientras no acepte, "
                        "no ve ni su nombre ni sus datos de contacto.",
        "verify_subject": "Verifique el correo electrónico de su institución",
        "verify_body": "Abra este enlace para verificar la dirección y espere a que el "
                       "ministerio verifique su institución: {link}",
        "fallback": "título ausente de esta tabla en {language}; se muestra el inglés",
        "anonymised": "anonimizado: sin nombre, contacto, edad exacta ni ciudad hasta que "
                      "la persona acepte una solicitud de contacto",
        "no_data": "sin datos",
        "language_en": "inglés", "language_fr": "francés", "language_es": "español",
    },
}


def t(lang: str, key: str, **values: object) -> str:
    return TEXT[language(lang)][key].format(**values)
