"""Text analysis: English normalisation, synonyms, broader terms and concept expansion.

How a text becomes terms (the same steps for requirements, capabilities and the lexicon, so the
three always agree):

1. Unicode NFKC, apostrophes dropped ("operator's" -> "operators"), split on anything that is
   not a letter or digit. Hyphens split words, so "counter-drone" is the two-word phrase
   "counter drone" and synonym groups can list it as a phrase.
2. Stopwords go. Acronyms written in capitals keep their form, losing a plural "s" ("IEDs" ->
   "ied", "UAS" -> "uas"), because the Snowball stemmer mangles them ("ieds" -> "i"). Single-word
   synonym members are protected the same way. Every other word is Snowball-English stemmed.
3. Single-word synonyms become their group's canonical term; one-letter and purely numeric
   words go, unless a synonym phrase uses them ("c" in "C-UAS").
4. Synonym phrases are matched longest first and replaced by the group's canonical term
   (phrases are keyed on canonical words, so "sea drone" also catches "sea UAS").

BM25 over the resulting terms lives in ``bm25.py``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise, repeat

import snowballstemmer

from .config import (
    CONCEPT_WEIGHT,
    DESCRIPTION_TERM_WEIGHT,
    DESCRIPTION_WEIGHT,
    KEYWORD_WEIGHT,
    NAME_WEIGHT,
    TITLE_WEIGHT,
)
from .lexicon import (
    DEFAULT_BROADER_TERMS,
    DEFAULT_CONCEPTS,
    ENGLISH_STOPWORDS,
    SUPPORT_KINDS,
)
from .types import CapabilityData

_WORD_RE = re.compile(r"[^\W_]+")
_APOSTROPHES_RE = re.compile(r"['\u2019\u2018`]")
# For ASCII text (nearly all of it) splitting on a translated copy gives the same words as
# _WORD_RE, several times faster: apostrophes vanish, every other non-alphanumeric is a gap.
# The translation runs on bytes: str.translate looks each character up in a dict, several
# times slower than bytes.translate's table.
_ASCII_GAPS = bytes(c if chr(c).isalnum() else ord(" ") for c in range(256))
_ASCII_APOSTROPHES = b"'`"
_SHORT_TEXT = 64
_ACRONYM_RE = re.compile(r"([A-Z0-9]*[A-Z][A-Z0-9]*)(s?)")
_ACRONYM_MAX = 5
_QUERY_CACHE_SIZE = 4096
_SHORT_CACHE_SIZE = 1 << 19

Token = tuple[str, str]  # (term, surface words as written)


@dataclass(frozen=True)
class Document:
    """A capability's text as BM25 sees it: pseudo-term-frequencies and a weighted length."""

    tf: Mapping[str, int]
    length: int
    support_kinds: frozenset[str] = frozenset()  # "spares", "training": named as such


@dataclass(frozen=True)
class QueryTerm:
    term: str
    weight: float
    literal: bool  # False when it came from the concept table
    surface: str


@dataclass(frozen=True)
class Query:
    """A requirement's text as a BM25 query."""

    terms: tuple[QueryTerm, ...]  # sorted by term: both scoring paths add in this order
    support_kinds: frozenset[str]  # kinds of support item the requirement asks for


class Analyser:
    """Turns text into terms for one set of synonym groups. Get one with ``analyser_for``."""

    def __init__(
        self,
        synonyms: Sequence[Sequence[str]],
        broader_terms: Sequence[tuple[str, str]] = DEFAULT_BROADER_TERMS,
        concepts: Sequence[tuple[Sequence[str], Sequence[str]]] = DEFAULT_CONCEPTS,
    ) -> None:
        # The Snowball stemmer keeps state while it works, so a thread must not share it mid-word.
        self._stem_lock = threading.Lock()
        self._stemmer = snowballstemmer.stemmer("english")
        self._forms: dict[str, str | None] = {}
        self._mapped: dict[str, str | None] = {}
        self._short_terms: dict[str, tuple[str, ...]] = {}
        self._protected = {
            words[0]
            for group in synonyms
            for member in group
            if len(words := words_of(member.lower())) == 1
        }
        self._single: dict[str, str] = {}
        self._phrases: dict[tuple[str, ...], str] = {}
        self._add_synonyms(synonyms)
        # Phrase lengths by first word, longest first: the only lengths worth trying there.
        lengths: dict[str, set[int]] = {}
        for phrase in self._phrases:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
        self._phrase_lengths = {w: sorted(ls, reverse=True) for w, ls in lengths.items()}
        self._phrase_starts = set(self._phrase_lengths)
        self._phrase_pairs = {phrase[:2] for phrase in self._phrases}
        self._phrase_words = {word for phrase in self._phrases for word in phrase}
        # Phrase words that are dropped when they stand alone: "c" outside "c uas".
        self._fragile = {word for word in self._phrase_words if not _keep(word)}
        # A staff synonym whose canonical term is itself too short or numeric ("5") is dropped
        # too, whichever path produced it.
        self._fragile |= {
            term for term in (*self._single.values(), *self._phrases.values()) if not _keep(term)
        }
        self._broader: dict[str, tuple[str, ...]] = {}
        for narrower, broader in broader_terms:
            narrow_terms = self.terms(narrower)
            if len(narrow_terms) == 1:
                self._broader[narrow_terms[0]] = tuple(self.terms(broader))
        self._concepts = tuple(
            (
                tuple(tuple(self.terms(trigger)) for trigger in triggers),
                tuple(token for product in products for token in self._product_tokens(product)),
            )
            for triggers, products in concepts
        )
        self.support_kinds = tuple(
            (kind, frozenset(t for term in terms for t in self.terms(term)))
            for kind, terms in SUPPORT_KINDS
        )
        self._query_cache: dict[tuple[str, str], Query] = {}

    def _product_tokens(self, product: str) -> list[Token]:
        # Reasons quote a one-term product as the lexicon writes it ("counter-uas"); a product
        # of several terms contributes each of them.
        tokens = self.analyse(product)
        if len(tokens) == 1:
            return [(tokens[0][0], product)]
        return tokens

    def _add_synonyms(self, synonyms: Sequence[Sequence[str]]) -> None:
        groups = [
            (member_forms, "_".join(member_forms[0]))
            for group in synonyms
            if (member_forms := [f for m in group if (f := self._member_forms(m))])
        ]
        # Single words first, so phrases can be keyed on single-word canonicals: then "sea drone"
        # also catches "sea UAS". The first group to claim a term keeps it, so overlapping staff
        # edits stay stable.
        for member_forms, canonical in groups:
            for forms in member_forms:
                if len(forms) == 1:
                    self._single.setdefault(forms[0], canonical)
        for member_forms, canonical in groups:
            for forms in member_forms:
                if len(forms) > 1:
                    key = tuple(self._single.get(f, f) for f in forms)
                    self._phrases.setdefault(key, canonical)

    def _member_forms(self, member: str) -> list[str]:
        return [f for w in words_of(member) if (f := self._form(w))]

    def _form(self, word: str) -> str | None:
        cached = self._forms.get(word, "")
        if cached != "":
            return cached
        form = self._normal_form(word)
        self._forms[word] = form
        return form

    def _normal_form(self, word: str) -> str | None:
        lower = word.lower()
        if lower in ENGLISH_STOPWORDS:
            return None
        acronym = _ACRONYM_RE.fullmatch(word)
        if acronym and len(acronym[1]) >= 2 and (acronym[2] or len(word) <= _ACRONYM_MAX):
            return acronym[1].lower()
        if lower in self._protected:
            return lower
        if lower.endswith("s") and lower[:-1] in self._protected:
            return lower[:-1]
        with self._stem_lock:
            return str(self._stemmer.stemWord(lower))

    def _mapped_form(self, word: str) -> str | None:
        """A word's single-word canonical, or None when the word is dropped.

        One-letter and numeric words go here, before phrase matching, unless a synonym phrase
        uses them ("c" in "C-UAS").
        """
        mapped = self._mapped.get(word, "")
        if mapped == "":
            form = self._form(word)
            if form is not None:
                form = self._single.get(form, form)
                if not _keep(form) and form not in self._phrase_words:
                    form = None
            mapped = self._mapped[word] = form
        return mapped

    def analyse(self, text: str) -> list[Token]:
        """Terms of ``text`` with the words that produced each, in order."""
        pairs = [(f, w) for w in words_of(text) if (f := self._mapped_form(w))]
        words = [w for _, w in pairs]
        return [
            (term, " ".join(words[start : start + length]))
            for term, start, length in self._spans([f for f, _ in pairs])
            if _keep(term)
        ]

    def terms(self, text: str) -> list[str]:
        """The terms of ``analyse`` without the words: the fast path used for indexing."""
        return list(self._field_terms(text))

    def _field_terms(self, text: str) -> list[str] | tuple[str, ...]:
        if len(text) > _SHORT_TEXT:
            return self._terms(text)
        # Keywords and names repeat across capabilities. The cache holds a whole large catalogue's
        # short texts: cleared any sooner, unique names would keep flushing out the keywords.
        cached = self._short_terms.get(text)
        if cached is None:
            if len(self._short_terms) >= _SHORT_CACHE_SIZE:
                self._short_terms.clear()
            cached = self._short_terms[text] = tuple(self._terms(text))
        return cached

    def _terms(self, text: str) -> list[str]:
        words = words_of(text)
        forms = list(map(self._mapped.get, words, repeat("")))
        if "" in forms:
            forms = [self._mapped_form(w) for w in words]
        present: list[str] = list(filter(None, forms))
        # A phrase needs its first two words side by side: checking the text's word pairs (in C)
        # rules out most texts that merely use a phrase's first word.
        if not self._phrase_starts.isdisjoint(present) and not self._phrase_pairs.isdisjoint(
            pairwise(present)
        ):
            present = self._merge_phrases(present)
        if self._fragile.isdisjoint(present):
            return present
        return [term for term in present if _keep(term)]

    def _merge_phrases(self, forms: list[str]) -> list[str]:
        # As _spans, but touching only the positions where a phrase could start.
        merged: list[str] = []
        done = 0
        starts = self._phrase_starts
        for i in [i for i, form in enumerate(forms) if form in starts]:
            if i < done:
                continue
            merged.extend(forms[done:i])
            length, term = self._longest_phrase_at(forms, i, default=forms[i])
            merged.append(term)
            done = i + length
        merged.extend(forms[done:])
        return merged

    def _spans(self, forms: list[str]) -> list[tuple[str, int, int]]:
        """(term, first form, number of forms): synonym phrases matched longest first."""
        spans = []
        i = 0
        while i < len(forms):
            length, term = 1, forms[i]
            if term in self._phrase_starts:
                length, term = self._longest_phrase_at(forms, i, default=term)
            spans.append((term, i, length))
            i += length
        return spans

    def _longest_phrase_at(self, forms: list[str], start: int, default: str) -> tuple[int, str]:
        available = len(forms) - start
        for length in self._phrase_lengths[forms[start]]:
            if length <= available:
                canonical = self._phrases.get(tuple(forms[start : start + length]))
                if canonical is not None:
                    return length, canonical
        return 1, default

    def document(self, name: str, description: str, keywords: Iterable[str]) -> Document:
        """A capability's name, description and keywords as one weighted bag of terms."""
        field_terms = self._field_terms
        name_terms = field_terms(name)
        # Integer field weights: repeating a field's terms counts them that many times.
        weighted = [*name_terms] * NAME_WEIGHT
        weighted += field_terms(description) * DESCRIPTION_WEIGHT
        for keyword in keywords:
            weighted += field_terms(keyword) * KEYWORD_WEIGHT
        tf = Counter(weighted)
        length = len(weighted)
        if not self._broader.keys().isdisjoint(tf):
            for narrower in sorted(self._broader.keys() & tf.keys()):
                for wider in self._broader[narrower]:
                    tf[wider] += tf[narrower]
                    length += tf[narrower]
        return Document(tf, length, self._kinds_in(name_terms))

    def _kinds_in(self, terms: Iterable[str]) -> frozenset[str]:
        return frozenset(k for k, words in self.support_kinds if not words.isdisjoint(terms))

    def capability_document(self, cap: CapabilityData) -> Document:
        return self.document(cap.name, cap.description, cap.keywords)

    def query(self, title: str, description: str) -> Query:
        """The requirement's terms (title counts more) plus concept terms."""
        key = (title, description)
        cached = self._query_cache.get(key)
        if cached is not None:
            return cached
        title_tokens = self.analyse(title)
        description_tokens = self.analyse(description)
        literal: dict[str, QueryTerm] = {}
        for tokens, weight in (
            (title_tokens, TITLE_WEIGHT),
            (description_tokens, DESCRIPTION_TERM_WEIGHT),
        ):
            for term, surface in tokens:
                literal.setdefault(term, QueryTerm(term, weight, True, surface))
        expanded: dict[str, QueryTerm] = {}
        for term, surface in self._concept_terms([t for t, _ in title_tokens + description_tokens]):
            if term not in literal:
                expanded.setdefault(term, QueryTerm(term, CONCEPT_WEIGHT, False, surface))
        terms = tuple(sorted([*literal.values(), *expanded.values()], key=lambda q: q.term))
        query = Query(terms, self._kinds_in(list(literal)))
        if len(self._query_cache) >= _QUERY_CACHE_SIZE:
            self._query_cache.clear()
        self._query_cache[key] = query
        return query

    def _concept_terms(self, terms: list[str]) -> list[Token]:
        positions: dict[str, list[int]] = {}
        for i, term in enumerate(terms):
            positions.setdefault(term, []).append(i)
        found: list[Token] = []
        for triggers, products in self._concepts:
            if any(_occurs(trigger, positions) for trigger in triggers):
                found.extend(products)
        return found


def _occurs(trigger: tuple[str, ...], positions: Mapping[str, list[int]]) -> bool:
    # Several words trigger when they all occur within a short window, in any order, so that
    # "the grid is down" and "grid down" both count.
    if not trigger or any(term not in positions for term in trigger):
        return False
    window = len(trigger) + 1
    return any(
        all(any(abs(p - start) <= window for p in positions[term]) for term in trigger[1:])
        for start in positions[trigger[0]]
    )


def _keep(term: str) -> bool:
    return len(term) > 1 and not term.isdigit()


def words_of(text: str) -> list[str]:
    """The words of a text: NFKC, apostrophes dropped, split on anything not a letter or digit."""
    if not text:
        return []
    if text.isascii():
        return text.encode().translate(_ASCII_GAPS, _ASCII_APOSTROPHES).decode().split()
    return _WORD_RE.findall(_APOSTROPHES_RE.sub("", unicodedata.normalize("NFKC", text)))


_ANALYSERS: dict[tuple[tuple[str, ...], ...], Analyser] = {}
_ANALYSERS_LOCK = threading.Lock()


def analyser_for(synonyms: tuple[tuple[str, ...], ...]) -> Analyser:
    """The shared analyser for a synonym set (building one costs a few milliseconds)."""
    with _ANALYSERS_LOCK:
        analyser = _ANALYSERS.get(synonyms)
        if analyser is None:
            if len(_ANALYSERS) >= 8:
                _ANALYSERS.clear()
            analyser = _ANALYSERS[synonyms] = Analyser(synonyms)
        return analyser
