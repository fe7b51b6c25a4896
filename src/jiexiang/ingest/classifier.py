"""A trainable Chinese text classifier for report categories, and keyword rules as its fallback.

Character n-grams (1–3) weighted by TF-IDF feed a multinomial logistic regression: no word segmentation
and no downloaded model are needed, it trains on tens of thousands of messages in seconds on a CPU, and
its probabilities give an honest confidence. A subdistrict retrains it on its own labelled history.
Pure library: texts in, labels out; no database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.pipeline import Pipeline

FORMAT_VERSION = 1
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Full-width to half-width, lower case, digit runs to one "0" (numbers are house numbers and phones,
    not evidence of a category), collapsed spaces."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _SPACE.sub(" ", _DIGITS.sub("0", text)).strip()


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float


@dataclass
class TextClassifier:
    pipeline: Pipeline
    labels: list[str]
    trained_at: datetime
    samples: int
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        seed: int = 0,
        regularisation: float = 10.0,
        min_df: int = 2,
    ) -> TextClassifier:
        """Fit on labelled texts.

        Parameters
        ----------
        texts, labels : sequences of equal length
            Message texts and their category labels (codes or names; kept as given).
        seed : int
            Random state of the solver, for reproducible models.
        regularisation : float
            Inverse regularisation strength ``C`` of the logistic regression.
        min_df : int
            Ignore character n-grams seen in fewer documents (lowered automatically for tiny sets).
        """
        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        pairs = [(normalise_text(t), str(lab).strip()) for t, lab in zip(texts, labels, strict=True)]
        pairs = [(t, lab) for t, lab in pairs if t and lab]
        classes = sorted({lab for _, lab in pairs})
        if len(classes) < 2:
            raise ValueError("at least two different labels with text are needed to train")
        pipeline = Pipeline(
            [
                (
                    "tfidf",
                    TfidfVectorizer(
                        analyzer="char_wb",
                        ngram_range=(1, 3),
                        min_df=min(min_df, max(1, len(pairs) // 50)),
                        sublinear_tf=True,
                        max_features=300_000,
                        dtype=np.float32,
                    ),
                ),
                ("model", LogisticRegression(C=regularisation, max_iter=2000, random_state=seed)),
            ]
        )
        pipeline.fit([t for t, _ in pairs], [lab for _, lab in pairs])
        return cls(
            pipeline=pipeline,
            labels=[str(c) for c in pipeline.classes_],
            trained_at=datetime.now(UTC),
            samples=len(pairs),
            meta={"sklearn": sklearn.__version__, "seed": seed, "C": regularisation},
        )

    def predict(self, texts: Sequence[str]) -> list[Prediction | None]:
        """The most probable label and its probability per text; None for an empty text."""
        cleaned = [normalise_text(t) for t in texts]
        results: list[Prediction | None] = [None] * len(cleaned)
        indices = [i for i, t in enumerate(cleaned) if t]
        if not indices:
            return results
        probabilities = self.pipeline.predict_proba([cleaned[i] for i in indices])
        best = probabilities.argmax(axis=1)
        for row, i in enumerate(indices):
            results[i] = Prediction(self.labels[int(best[row])], float(probabilities[row, best[row]]))
        return results

    def save(self, path: Path) -> None:
        payload = {
            "format": FORMAT_VERSION,
            "pipeline": self.pipeline,
            "labels": self.labels,
            "trained_at": self.trained_at.isoformat(),
            "samples": self.samples,
            "meta": self.meta,
        }
        joblib.dump(payload, path, compress=3)

    @classmethod
    def load(cls, path: Path) -> TextClassifier:
        """Load a model saved by `save`. Model files are code (pickle): load only ones you made."""
        payload = joblib.load(path)
        if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
            raise ValueError(f"{path} is not a Jiexiang classifier model (format {FORMAT_VERSION})")
        return cls(
            pipeline=payload["pipeline"],
            labels=list(payload["labels"]),
            trained_at=datetime.fromisoformat(payload["trained_at"]),
            samples=int(payload["samples"]),
            meta=dict(payload["meta"]),
        )


@dataclass(frozen=True)
class ClassReport:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    accuracy: float
    macro_f1: float
    per_class: list[ClassReport]
    evaluated: int
    skipped_empty: int


def evaluate(model: TextClassifier, texts: Sequence[str], labels: Sequence[str]) -> Evaluation:
    """Accuracy, macro-F1 and a per-class table on labelled texts (empty texts are counted and skipped)."""
    predictions = model.predict(texts)
    truth, guess = [], []
    for prediction, label in zip(predictions, labels, strict=True):
        if prediction is not None and str(label).strip():
            truth.append(str(label).strip())
            guess.append(prediction.label)
    if not truth:
        raise ValueError("no labelled, non-empty texts to evaluate")
    classes = sorted(set(truth) | set(guess))
    precision, recall, f1, support = precision_recall_fscore_support(truth, guess, labels=classes, zero_division=0)
    per_class = [
        ClassReport(label, float(p), float(r), float(f), int(s))
        for label, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
    ]
    return Evaluation(
        accuracy=float(accuracy_score(truth, guess)),
        macro_f1=float(f1_score(truth, guess, labels=sorted(set(truth)), average="macro", zero_division=0)),
        per_class=per_class,
        evaluated=len(truth),
        skipped_empty=len(predictions) - len(truth),
    )


def classify_by_keywords(text: str, rules: Sequence[tuple[str, str]]) -> str | None:
    """The label of the longest keyword found in the text (rules come longest first), or None."""
    cleaned = normalise_text(text)
    for keyword, label in rules:
        if keyword in cleaned:
            return label
    return None
