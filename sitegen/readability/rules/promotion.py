"""PR001: promotional or coercive wording."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import NamedTuple

from sitegen.readability.model import FindingSeverity
from sitegen.readability.rules.context import Context, Hit, quote


class _Promo(NamedTuple):
    pattern: re.Pattern[str]
    advice: str
    check: Callable[[str, re.Match[str]], bool] | None = None
    #: lower-case ASCII text every match contains one of (``_PROMO_HINTS``), () = no filter
    hints: tuple[str, ...] = ()


_DOUBT = re.compile(
    r"\b(?:if|whether|how|no|not|never|cannot|can't|without|check|test|tested|testing|"
    r"find\s+out|learn|see|unknown|si|cómo|sin|comprobar|saber)\b",
    re.I,
)
_TESTED = re.compile(
    r"\b(?:being\s+tested|investigational|experimental|stud(?:y|ies|ied)|trial|research|"
    r"en\s+estudio|experimental|en\s+investigaci[oó]n|investigacional|se\s+est[aá]\s+probando|"
    r"estudio|ensayo)\b",
    re.I,
)
_PAYMENT = re.compile(
    r"\b(?:pay|paid|payment|payments|money|cash|compensat\w*|reimburs\w*|earn|gift\s+card|"
    r"voucher|pago|pagos|pagar|pagamos|dinero|compensaci[oó]n|reembols\w*)\b|[$£€]",
    re.I,
)
_CLAIM_BEFORE = re.compile(
    r"\b(?:is|are|be|been|was|were|very|completely|totally|perfectly|entirely|absolutely|"
    r"proven|always|100\s?%|es|son|totalmente|completamente|absolutamente|muy)\s+$",
    re.I,
)


_HEDGE = re.compile(r"\b(?:most|usually|generally|mostly|normally|la\s+mayor[ií]a)\b", re.I)


_CLAIM_AFTER = re.compile(
    r"\s+(?:and\s+effective|treatment|medicine|drug|for\s+(?:you|everyone)|y\s+eficaz|"
    r"para\s+todos)\b",
    re.I,
)


def _not_doubted(sentence: str, m: re.Match[str]) -> bool:
    before = sentence[: m.start()].split()[-8:]
    return not _DOUBT.search(" ".join(before)) and not _HEDGE.search(sentence)


def _safe_claim(sentence: str, m: re.Match[str]) -> bool:
    before = sentence[: m.start()]
    after = sentence[m.end() :]
    claim = bool(_CLAIM_BEFORE.search(before)) or bool(_CLAIM_AFTER.match(after))
    return claim and _not_doubted(sentence, m)


def _new_without_testing(sentence: str, m: re.Match[str]) -> bool:
    return not _TESTED.search(sentence)


def _not_negated(sentence: str, m: re.Match[str]) -> bool:
    before = " ".join(sentence[: m.start()].split()[-3:])
    return not re.search(r"\b(?:no|not|cannot|can't|without|never|sin)\b", before, re.I)


def _payment(sentence: str, m: re.Match[str]) -> bool:
    return bool(_PAYMENT.search(sentence))


def _rx(p: str) -> re.Pattern[str]:
    return re.compile(p, re.I)


_PROMO = {
    "en": (
        _Promo(_rx(r"\b(?:complete(?:ly)?|total(?:ly)?|perfect(?:ly)?|absolutely|100\s?%)\s+safe\b"),
               "do not promise safety; describe the known risks", _not_doubted),
        _Promo(_rx(r"(?<![\w-])safe\b(?![-\w])"), "do not promise safety; describe the known risks",
               _safe_claim),
        _Promo(_rx(r"\bcur(?:e|es|ed)\b"), "do not promise a cure", _not_doubted),
        _Promo(_rx(r"\bbreakthroughs?\b(?!\s+(?:pain|bleeding|infections?|seizures?|cancer|"
                   r"disease|symptoms?))"), "describe the study neutrally"),
        _Promo(_rx(r"\bmiracles?\b|\bmiraculous\b|\bwonder\s+drugs?\b"),
               "describe the study neutrally"),
        _Promo(_rx(r"\bguarantee[ds]?\b"), "do not promise results", _not_negated),
        _Promo(_rx(r"\bproven\b"), "say what is known and what is not", _not_negated),
        _Promo(_rx(r"\b(?:revolutionary|groundbreaking|cutting[- ]edge|life[- ]changing)\b"),
               "describe the study neutrally"),
        _Promo(_rx(r"\bfree\s+(?:treatment|medicines?|medications?|drugs?|care|therapy)\b"),
               'say what it costs you, e.g. "the study medicine costs you nothing"'),
        _Promo(_rx(r"\bnew\s+(?:treatments?|drugs?|medicines?|medications?|therap(?:y|ies))\b"),
               'say it is being tested, e.g. "a study medicine"', _new_without_testing),
        _Promo(_rx(r"\bact\s+now\b|\bdon't\s+miss\b|\blimited\s+places\b"),
               "do not pressure people to join"),
        _Promo(_rx(r"!"), "state payment plainly, without an exclamation mark", _payment),
    ),
    "es": (
        _Promo(_rx(r"\b(?:totalmente|completamente|absolutamente|100\s?%)\s+segur[oa]s?\b"),
               "no prometa seguridad; describa los riesgos conocidos", _not_doubted),
        _Promo(_rx(r"\bcura(?:r|rá|rán|n)?\b"), "no prometa una cura", _not_doubted),
        _Promo(_rx(r"\bmilagros?\b|\bmilagros[oa]s?\b"), "describa el estudio de forma neutral"),
        _Promo(_rx(r"\bgarantiza(?:d[oa]s?|r)?\b|\bgarant[ií]as?\b"), "no prometa resultados",
               _not_negated),
        _Promo(_rx(r"\bgratis\b|\b(?:tratamiento|medicamento|medicina)s?\s+gratuit[oa]s?\b"),
               'diga lo que le cuesta, p. ej. "no le cuesta nada"'),
        _Promo(_rx(r"\b(?:tratamiento|medicamento|f[aá]rmaco|terapia)s?\s+nuev[oa]s?\b|"
                   r"\bnuev[oa]s?\s+(?:tratamiento|medicamento|f[aá]rmaco|terapia)s?\b"),
               'diga que se está probando, p. ej. "un medicamento en estudio"',
               _new_without_testing),
        _Promo(_rx(r"\brevolucionari[oa]s?\b"), "describa el estudio de forma neutral"),
        _Promo(_rx(r"\bact[uú]e\s+(?:ahora|ya)\b"), "no presione para participar"),
        _Promo(_rx(r"[!¡]"), "indique el pago sin signos de exclamación", _payment),
    ),
}  # fmt: skip


#: Per ``_PROMO`` entry, text one of which every match contains (case-insensitively): a
#: sentence (or page) without any of them is not searched with that pattern.
_PROMO_HINTS = {
    "en": (("safe",), ("safe",), ("cur",), ("breakthrough",), ("mirac", "wonder"),
           ("guarantee",), ("proven",), ("revolutionary", "groundbreaking", "cutting", "life"),
           ("free",), ("new",), ("act", "don't", "limited"), ("!",)),
    "es": (("segur",), ("cura",), ("milagro",), ("garant",), ("gratis", "gratuit"), ("nuev",),
           ("revolucionari",), ("act",), ("!", "¡")),
}  # fmt: skip
_PROMO = {
    lang: tuple(p._replace(hints=h) for p, h in zip(table, _PROMO_HINTS[lang], strict=True))
    for lang, table in _PROMO.items()
}


def promotional(ctx: Context) -> list[Hit]:
    """PR001: promotional or coercive wording (cure, breakthrough, miracle, guaranteed, proven,
    "safe" as a claim, "free treatment", "new treatment" outside a testing context, "act now",
    "!" about payment)."""
    severity: FindingSeverity = "error" if ctx.settings.block_on_promotional else "warning"
    table = _PROMO.get(ctx.lang, _PROMO["en"])
    sentences = ctx.prose.sentences
    out: list[Hit] = []
    # each pattern runs only on the sentences that contain one of its hints (table order kept)
    always = {k for k, p in enumerate(table) if not p.hints}
    todo: dict[int, set[int]] = {}
    page, bases = ctx.page_text
    folded = ctx.folded_page
    if len(folded) != len(page):  # cannot happen (only U+0130 lower-cases to two characters)
        always = set(range(len(table)))
    else:
        starts = [bases[s.block] + s.start for s in sentences]
        ends = [bases[s.block] + s.end for s in sentences]
        for k, promo in enumerate(table):
            for hint in promo.hints:
                at = folded.find(hint)
                while at >= 0:
                    i = bisect_right(starts, at) - 1
                    if i >= 0 and at + len(hint) <= ends[i]:  # inside sentence i
                        todo.setdefault(i, set()).add(k)
                    at = folded.find(hint, at + 1)
    for i in range(len(sentences)) if always else sorted(todo):
        s = sentences[i]
        run = todo.get(i, always)
        taken: list[tuple[int, int]] = []
        for k in sorted(run | always):
            promo = table[k]
            for m in promo.pattern.finditer(s.text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                if promo.check is not None and not promo.check(s.text, m):
                    continue
                taken.append(m.span())
                text = m.group()
                msg = f"promotional wording {quote(text)}: {promo.advice}"
                out.append(Hit(s.block, s.start + m.start(), s.start + m.end(), "promotional",
                               "PR001", severity, msg, "", "", text.lower()))  # fmt: skip
    return out
