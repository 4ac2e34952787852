"""The words of the pension page in English, French and Spanish: labels, and the sentences
that explain each state's result from its figures (the detailed steps stay in English)."""

from __future__ import annotations

from tmo.pensions.calculate import StateResult
from tmo.pensions.formulas import money

LANGS = ("en", "fr", "es")

WORDS: dict[str, dict[str, str]] = {
    "title": {"en": "Pensions across CARICOM: move, don't lose",
              "fr": "Retraites dans la CARICOM : bouger sans perdre",
              "es": "Pensiones en la CARICOM: moverse sin perder"},
    "intro": {"en": "Enter the weeks of contributions you paid in each state. The calculator "
                    "adds them up under the CARICOM Agreement on Social Security (1996) and "
                    "shows what each state would pay, and why.",
              "fr": "Indiquez les semaines de cotisation versées dans chaque État. Le "
                    "calculateur les additionne selon l'Accord de la CARICOM sur la sécurité "
                    "sociale (1996) et montre ce que chaque État verserait, et pourquoi.",
              "es": "Indique las semanas de cotización pagadas en cada Estado. La calculadora "
                    "las suma según el Acuerdo de la CARICOM sobre Seguridad Social (1996) y "
                    "muestra lo que pagaría cada Estado, y por qué."},
    "disclaimer": {"en": "An estimate from published rules, not legal advice: the national "
                         "insurance boards' records and rules decide.",
                   "fr": "Une estimation fondée sur des règles publiées, pas un conseil "
                         "juridique : les dossiers et règles des caisses nationales font foi.",
                   "es": "Una estimación basada en normas publicadas, no un asesoramiento "
                         "jurídico: deciden los registros y normas de las cajas nacionales."},
    "state": {"en": "State", "fr": "État", "es": "Estado"},
    "weeks": {"en": "Weeks of contributions", "fr": "Semaines de cotisation",
              "es": "Semanas de cotización"},
    "earnings": {"en": "Average insurable earnings (a week)",
                 "fr": "Gains assurables moyens (par semaine)",
                 "es": "Ingresos asegurables medios (por semana)"},
    "period": {"en": "Period", "fr": "Période", "es": "Período"},
    "none": {"en": "(none)", "fr": "(aucun)", "es": "(ninguno)"},
    "basic": {"en": "Trinidad and Tobago: basic pension of your wage class (a week)",
              "fr": "Trinité-et-Tobago : pension de base de votre classe de salaire "
                    "(par semaine)",
              "es": "Trinidad y Tabago: pensión básica de su clase salarial (por semana)"},
    "claim": {"en": "Date the pension would start", "fr": "Date de début de la pension",
              "es": "Fecha de inicio de la pensión"},
    "compute": {"en": "Calculate", "fr": "Calculer", "es": "Calcular"},
    "result": {"en": "Result", "fr": "Résultat", "es": "Resultado"},
    "total": {"en": "In all", "fr": "Au total", "es": "En total"},
    "steps": {"en": "Every step, with the rule it applies (in English)",
              "fr": "Chaque étape, avec la règle appliquée (en anglais)",
              "es": "Cada paso, con la norma que aplica (en inglés)"},
    "whatif": {"en": "What if", "fr": "Et si", "es": "Y si"},
    "sources": {"en": "Sources", "fr": "Sources", "es": "Fuentes"},
    "error": {"en": "Please check the form", "fr": "Veuillez vérifier le formulaire",
              "es": "Revise el formulario"},
    "language": {"en": "Language", "fr": "Langue", "es": "Idioma"},
    "own": {"en": "{state}: your {weeks} weeks here",
            "fr": "{state} : vos {weeks} semaines dans cet État",
            "es": "{state}: sus {weeks} semanas en este Estado"},
    "alone_yes": {"en": "are enough on their own (the minimum is {min} weeks).",
                  "fr": "suffisent à elles seules (le minimum est de {min} semaines).",
                  "es": "bastan por sí solas (el mínimo es de {min} semanas)."},
    "alone_no": {"en": "are not enough on their own (the minimum is {min} weeks).",
                 "fr": "ne suffisent pas à elles seules (le minimum est de {min} semaines).",
                 "es": "no bastan por sí solas (el mínimo es de {min} semanas)."},
    "together": {"en": "With the weeks of the other states, {total} weeks count: the "
                       "pension as if all were completed here would be {theo}; this state "
                       "pays its share, {own} of {total} weeks: {pro}.",
                 "fr": "Avec les semaines des autres États, {total} semaines comptent : la "
                       "pension, comme si toutes avaient été accomplies ici, serait de "
                       "{theo} ; cet État verse sa part, {own} sur {total} semaines : {pro}.",
                 "es": "Con las semanas de los demás Estados cuentan {total} semanas: la "
                       "pensión, como si todas se hubieran cumplido aquí, sería de {theo}; "
                       "este Estado paga su parte, {own} de {total} semanas: {pro}."},
    "not_even": {"en": "Even with the other states' weeks ({total}), the minimum is not met.",
                 "fr": "Même avec les semaines des autres États ({total}), le minimum "
                       "n'est pas atteint.",
                 "es": "Ni con las semanas de los demás Estados ({total}) se alcanza el "
                       "mínimo."},
    "paid": {"en": "Paid: {amount}.", "fr": "Versé : {amount}.", "es": "Pagado: {amount}."},
    "open": {"en": "Both a national pension ({ind}) and the share ({pro}) exist; which one is "
                   "paid is not confirmed in the Agreement's text seen.",
             "fr": "Une pension nationale ({ind}) et la part ({pro}) existent ; laquelle est "
                   "versée n'est pas confirmé dans le texte de l'Accord consulté.",
             "es": "Existen una pensión nacional ({ind}) y la parte ({pro}); cuál se paga no "
                   "está confirmado en el texto del Acuerdo consultado."},
    "nothing": {"en": "Nothing is paid: {why}.", "fr": "Rien n'est versé : {why}.",
                "es": "No se paga nada: {why}."},
    "missing": {"en": "give the earnings of this state", "fr": "indiquez les gains de cet État",
                "es": "indique los ingresos de este Estado"},
    "no_rules": {"en": "its weeks count for the other states; its own pension is not "
                       "computed (no rules in tmo)",
                 "fr": "ses semaines comptent pour les autres États ; sa propre pension n'est "
                       "pas calculée (pas de règles dans tmo)",
                 "es": "sus semanas cuentan para los demás Estados; su propia pensión no se "
                       "calcula (sin normas en tmo)"},
    "stayed": {"en": "had you stayed in {state}", "fr": "si vous étiez resté·e en {state}",
               "es": "si se hubiera quedado en {state}"},
    "more": {"en": "one more year in {state}", "fr": "une année de plus en {state}",
             "es": "un año más en {state}"},
    "missing_input": {"en": "input missing", "fr": "donnée manquante", "es": "falta un dato"},
    "as_entered": {"en": "as entered", "fr": "tel que saisi", "es": "tal como se ingresó"},
}

NAMES = {"BRB": {"en": "Barbados", "fr": "Barbade", "es": "Barbados"},
         "TTO": {"en": "Trinidad and Tobago", "fr": "Trinité-et-Tobago",
                 "es": "Trinidad y Tabago"},
         "GUY": {"en": "Guyana", "fr": "Guyana", "es": "Guyana"},
         "JAM": {"en": "Jamaica", "fr": "Jamaïque", "es": "Jamaica"}}


def word(key: str, lang: str, **fields: object) -> str:
    return WORDS[key][lang].format(**fields)


def name(iso3: str, lang: str) -> str:
    return NAMES.get(iso3, {}).get(lang, iso3)


def _weeks(value: object) -> str:
    number = float(str(value)) if not isinstance(value, int | float) else float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


def explain(state: StateResult, lang: str, minimum: object) -> list[str]:
    """The state's result in three or four sentences of `lang`."""
    own = _weeks(state.own_units)
    if state.paid_as == "not_computed":
        return [f"{name(state.country, lang)}: {word('no_rules', lang)}."]
    lines = [word("own", lang, state=name(state.country, lang), weeks=own) + " " + word(
        "alone_yes" if state.qualifies_alone else "alone_no", lang, min=_weeks(minimum))]
    total = _weeks(state.total_units)
    cur = state.currency
    if state.qualifies_totalised and state.theoretical is not None and state.pro_rata is not None:
        lines.append(word("together", lang, total=total, own=own,
                          theo=f"{money(state.theoretical)} {cur}",
                          pro=f"{money(state.pro_rata)} {cur}"))
    elif state.qualifies_totalised is False:
        lines.append(word("not_even", lang, total=total))
    if state.paid is not None:
        lines.append(word("paid", lang, amount=f"{money(state.paid)} {cur}"))
    elif state.paid_range is not None and state.independent is not None \
            and state.pro_rata is not None:
        lines.append(word("open", lang, ind=f"{money(state.independent)} {cur}",
                          pro=f"{money(state.pro_rata)} {cur}"))
    else:
        why = word("missing", lang) if state.missing else state.reason
        lines.append(word("nothing", lang, why=why))
    return lines
