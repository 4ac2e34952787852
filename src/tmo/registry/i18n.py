"""The registry's words in English, French and Spanish: form labels, field errors, the
verification e-mail. `tests/registry/test_i18n.py` checks every key is in every language."""

from __future__ import annotations

LANGUAGES = ("en", "fr", "es")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Register with your country's missions abroad",
        "intro": "Your consulate uses this to reach you in a crisis and, if you agree, "
                 "to count its citizens abroad. There is no question on immigration status.",
        "name": "Full name", "email": "E-mail", "password": "Password (12 characters or more)",
        "residence": "Country of residence", "mission": "Mission (embassy or consulate)",
        "birth_year": "Year of birth", "sex": "Sex", "city": "City",
        "education": "Education (ISCED 2011 level)", "occupation": "Occupation (ISCO-08 code)",
        "languages": "Languages (ISO 639-1 codes, comma-separated)",
        "departure_year": "Year of departure", "intentions": "Intentions",
        "intends_return": "return", "intends_invest": "invest",
        "intends_mentor": "mentor", "intends_vote": "vote from abroad",
        "consents": "I agree to (each optional, withdrawable at any time)",
        "crisis_contact": "consular contact in a crisis", "statistics": "statistics",
        "domestic_institutions": "being contacted by domestic institutions",
        "news": "news", "optional": "optional", "required": "required",
        "submit": "Register", "sign_in": "Sign in", "sign_out": "Sign out",
        "save": "Save", "export": "Export my data (JSON)", "delete": "Delete everything",
        "withdraw": "Withdraw", "grant": "Agree",
        "registered": "Registered. We sent a link to your e-mail: open it to verify the "
                      "address, then sign in.",
        "verified": "Your e-mail is verified. You can sign in now.",
        "deleted": "Everything held about you has been deleted.",
        "my_data": "My registration", "female": "female", "male": "male", "other": "other",
        "not_stated": "not stated",
        "err_required": "this field is required",
        "err_too_long": "at most {n} characters",
        "err_too_short": "at least {n} characters",
        "err_type": "expected {kind}",
        "err_email": "not an e-mail address",
        "err_email_taken": "this e-mail is already registered",
        "err_country": "{value} is not a country served by a mission of this registry",
        "err_mission": "this mission does not serve the country of residence",
        "err_code": "{value} is not a valid code",
        "err_year": "a year from {low} to {high}",
        "err_departure": "the year of departure is before the year of birth",
        "err_unknown": "unknown field",
        "err_control": "control characters are not allowed",
        "mail_subject": "Verify your registration",
        "mail_body": "Open this link to verify your e-mail address (valid 48 hours):\n{link}\n"
                     "If you did not register, ignore this message.",
        "link_title": "Sign in with a link by e-mail",
        "link_intro": "We send a sign-in link to your address if it has a verified account. "
                      "It works once, for 15 minutes.",
        "link_send": "Send me a link", "link_sent": "If this address has a verified "
        "account, a sign-in link is on its way. It works once, for 15 minutes.",
        "link_open": "Sign in to the registry", "link_confirm": "Open the registry with this "
        "link (it then stops working).",
        "link_subject": "Your sign-in link",
        "link_body": "Open this link to sign in to the registry (once, within 15 minutes):\n"
                     "{link}\nIf you did not ask for it, ignore this message.",
        "link_instead": "No password? Sign in with a link by e-mail",
        "synthetic": "SYNTHETIC",
    },
    "fr": {
        "title": "Inscrivez-vous auprès des missions de votre pays à l’étranger",
        "intro": "Votre consulat s’en sert pour vous joindre en cas de crise et, si vous "
                 "l’acceptez, pour dénombrer ses ressortissants à l’étranger. Aucune question "
                 "ne porte sur le statut migratoire.",
        "name": "Nom complet", "email": "Courriel",
        "password": "Mot de passe (12 caractères ou plus)",
        "residence": "Pays de résidence", "mission": "Mission (ambassade ou consulat)",
        "birth_year": "Année de naissance", "sex": "Sexe", "city": "Ville",
        "education": "Niveau d’études (CITE 2011)", "occupation": "Profession (code CITP-08)",
        "languages": "Langues (codes ISO 639-1, séparés par des virgules)",
        "departure_year": "Année de départ", "intentions": "Intentions",
        "intends_return": "retour", "intends_invest": "investir",
        "intends_mentor": "parrainer", "intends_vote": "voter depuis l’étranger",
        "consents": "J’accepte (chaque point facultatif, révocable à tout moment)",
        "crisis_contact": "contact consulaire en cas de crise", "statistics": "statistiques",
        "domestic_institutions": "être contacté par des institutions nationales",
        "news": "actualités", "optional": "facultatif", "required": "obligatoire",
        "submit": "S’inscrire", "sign_in": "Se connecter", "sign_out": "Se déconnecter",
        "save": "Enregistrer", "export": "Exporter mes données (JSON)",
        "delete": "Tout supprimer", "withdraw": "Retirer", "grant": "Accepter",
        "registered": "Inscription reçue. Un lien a été envoyé à votre courriel : "
                      "ouvrez-le pour vérifier l’adresse, puis connectez-vous.",
        "verified": "Votre courriel est vérifié. Vous pouvez vous connecter.",
        "deleted": "Toutes les données vous concernant ont été supprimées.",
        "my_data": "Mon inscription", "female": "femme", "male": "homme", "other": "autre",
        "not_stated": "non déclaré",
        "err_required": "ce champ est obligatoire",
        "err_too_long": "{n} caractères au plus",
        "err_too_short": "{n} caractères au moins",
        "err_type": "{kind} attendu",
        "err_email": "ce n’est pas une adresse électronique",
        "err_email_taken": "ce courriel est déjà inscrit",
        "err_country": "{value} n’est pas un pays desservi par une mission de ce registre",
        "err_mission": "cette mission ne dessert pas le pays de résidence",
        "err_code": "{value} n’est pas un code valide",
        "err_year": "une année de {low} à {high}",
        "err_departure": "l’année de départ précède l’année de naissance",
        "err_unknown": "champ inconnu",
        "err_control": "les caractères de contrôle ne sont pas admis",
        "mail_subject": "Vérifiez votre inscription",
        "mail_body": "Ouvrez ce lien pour vérifier votre adresse (valable 48 heures) :\n"
                     "{link}\nSi vous ne vous êtes pas inscrit, ignorez ce message.",
        "link_title": "Se connecter avec un lien par courriel",
        "link_intro": "Nous envoyons un lien de connexion à votre adresse si elle a un compte "
                      "vérifié. Il fonctionne une fois, pendant 15 minutes.",
        "link_send": "M'envoyer un lien", "link_sent": "Si cette adresse a un compte "
        "vérifié, un lien de connexion est en route. Il fonctionne une fois, pendant 15 "
        "minutes.",
        "link_open": "Se connecter au registre", "link_confirm": "Ouvrir le registre avec "
        "ce lien (il ne fonctionnera plus ensuite).",
        "link_subject": "Votre lien de connexion",
        "link_body": "Ouvrez ce lien pour vous connecter au registre (une fois, dans les 15 "
                     "minutes) :\n{link}\nSi vous ne l'avez pas demandé, ignorez ce message.",
        "link_instead": "Pas de mot de passe ? Connectez-vous avec un lien par courriel",
        "synthetic": "SYNTHÉTIQUE",
    },
    "es": {
        "title": "Inscríbase en las misiones de su país en el exterior",
        "intro": "Su consulado lo usa para contactarle en una crisis y, si usted lo acepta, "
                 "para contar a sus ciudadanos en el exterior. No hay ninguna pregunta sobre "
                 "la situación migratoria.",
        "name": "Nombre completo", "email": "Correo electrónico",
        "password": "Contraseña (12 caracteres o más)",
        "residence": "País de residencia", "mission": "Misión (embajada o consulado)",
        "birth_year": "Año de nacimiento", "sex": "Sexo", "city": "Ciudad",
        "education": "Nivel educativo (CINE 2011)", "occupation": "Ocupación (código CIUO-08)",
        "languages": "Idiomas (códigos ISO 639-1, separados por comas)",
        "departure_year": "Año de salida", "intentions": "Intenciones",
        "intends_return": "regresar", "intends_invest": "invertir",
        "intends_mentor": "ser mentor", "intends_vote": "votar desde el exterior",
        "consents": "Acepto (cada punto es opcional y revocable en cualquier momento)",
        "crisis_contact": "contacto consular en una crisis", "statistics": "estadísticas",
        "domestic_institutions": "ser contactado por instituciones nacionales",
        "news": "noticias", "optional": "opcional", "required": "obligatorio",
        "submit": "Inscribirse", "sign_in": "Iniciar sesión", "sign_out": "Cerrar sesión",
        "save": "Guardar", "export": "Exportar mis datos (JSON)",
        "delete": "Borrar todo", "withdraw": "Retirar", "grant": "Aceptar",
        "registered": "Inscripción recibida. Enviamos un enlace a su correo: ábralo para "
                      "verificar la dirección y luego inicie sesión.",
        "verified": "Su correo está verificado. Ya puede iniciar sesión.",
        "deleted": "Se ha borrado todo lo que se guardaba sobre usted.",
        "my_data": "Mi inscripción", "female": "mujer", "male": "hombre", "other": "otro",
        "not_stated": "no declarado",
        "err_required": "este campo es obligatorio",
        "err_too_long": "{n} caracteres como máximo",
        "err_too_short": "{n} caracteres como mínimo",
        "err_type": "se esperaba {kind}",
        "err_email": "no es una dirección de correo",
        "err_email_taken": "este correo ya está inscrito",
        "err_country": "{value} no es un país atendido por una misión de este registro",
        "err_mission": "esta misión no atiende el país de residencia",
        "err_code": "{value} no es un código válido",
        "err_year": "un año de {low} a {high}",
        "err_departure": "el año de salida es anterior al año de nacimiento",
        "err_unknown": "campo desconocido",
        "err_control": "no se admiten caracteres de control",
        "mail_subject": "Verifique su inscripción",
        "mail_body": "Abra este enlace para verificar su dirección (válido 48 horas):\n"
                     "{link}\nSi usted no se inscribió, ignore este mensaje.",
        "link_title": "Iniciar sesión con un enlace por correo",
        "link_intro": "Enviamos un enlace de inicio de sesión a su dirección si tiene una "
                      "cuenta verificada. Funciona una vez, durante 15 minutos.",
        "link_send": "Enviarme un enlace", "link_sent": "Si esta dirección tiene una cuenta "
        "verificada, un enlace de inicio de sesión va en camino. Funciona una vez, durante "
        "15 minutos.",
        "link_open": "Entrar en el registro", "link_confirm": "Abrir el registro con este "
        "enlace (después dejará de funcionar).",
        "link_subject": "Su enlace de inicio de sesión",
        "link_body": "Abra este enlace para iniciar sesión en el registro (una vez, en 15 "
                     "minutos):\n{link}\nSi no lo pidió, ignore este mensaje.",
        "link_instead": "¿Sin contraseña? Inicie sesión con un enlace por correo",
        "synthetic": "SINTÉTICO",
    },
}

KINDS = {"en": {"integer": "a whole number", "text": "text", "boolean": "true or false",
                "list": "a list"},
         "fr": {"integer": "un nombre entier", "text": "du texte", "boolean": "vrai ou faux",
                "list": "une liste"},
         "es": {"integer": "un número entero", "text": "texto", "boolean": "verdadero o falso",
                "list": "una lista"}}


def language(wanted: str | None) -> str:
    """`wanted` if the registry speaks it, else English."""
    return wanted if wanted in LANGUAGES else "en"


def t(lang: str, key: str, **values: object) -> str:
    return TEXT[language(lang)][key].format(**values)
