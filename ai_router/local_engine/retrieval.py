"""TF-IDF retrieval in pure Python: small corpora (a creator's examples and knowledge items)
built per request in microseconds, so no index is kept between calls."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ai_router.text import STOPWORDS_BY_LANGUAGE, words

ALL_STOPWORDS = frozenset().union(*STOPWORDS_BY_LANGUAGE.values())


def content_terms(text: str) -> list[str]:
    """Words that carry meaning: no stop words, no one-letter tokens, light plural folding."""
    terms = []
    for word in words(text):
        if len(word) < 2 or word in ALL_STOPWORDS:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        terms.append(word)
    return terms


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    length = math.sqrt(sum(weight * weight for weight in vector.values()))
    if not length:
        return vector
    return {term: weight / length for term, weight in vector.items()}


@dataclass(frozen=True, slots=True)
class RetrievalIndex:
    vectors: tuple[dict[str, float], ...]
    inverse_document_frequency: dict[str, float]

    @classmethod
    def build(cls, documents: Sequence[str]) -> RetrievalIndex:
        term_lists = [content_terms(document) for document in documents]
        document_frequency: Counter[str] = Counter()
        for terms in term_lists:
            document_frequency.update(set(terms))
        count = len(documents)
        inverse = {
            term: math.log((1 + count) / (1 + frequency)) + 1.0
            for term, frequency in document_frequency.items()
        }
        vectors = tuple(
            _normalised(
                {term: frequency * inverse[term] for term, frequency in Counter(terms).items()}
            )
            for terms in term_lists
        )
        return cls(vectors=vectors, inverse_document_frequency=inverse)

    def rank(
        self, query: str, *, limit: int, minimum_score: float = 0.0
    ) -> list[tuple[int, float]]:
        """Document positions by cosine similarity to the query, best first (ties by position)."""
        frequencies = Counter(content_terms(query))
        query_vector = _normalised(
            {
                term: frequency * self.inverse_document_frequency[term]
                for term, frequency in frequencies.items()
                if term in self.inverse_document_frequency
            }
        )
        if not query_vector:
            return []
        scored = []
        for position, vector in enumerate(self.vectors):
            score = sum(weight * vector.get(term, 0.0) for term, weight in query_vector.items())
            if score > minimum_score:
                scored.append((position, score))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:limit]
