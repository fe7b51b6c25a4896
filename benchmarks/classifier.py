"""Training time and held-out scores of the report classifier on 10,000 synthetic messages.

    .venv/bin/python -m benchmarks.classifier [--count N]

The messages come from `demo.messages` templates, so the scores say the pipeline works, not how well it
will do on a subdistrict's real, messier history: evaluate on your own data with `jiexiang classify evaluate`.
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from jiexiang.demo.geography import alley_names
from jiexiang.demo.messages import labelled_messages
from jiexiang.ingest.classifier import TextClassifier, evaluate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(0)
    places = [f"{name}{rng.randint(1, 80)}号" for name in alley_names(rng, 92)]
    data = list(labelled_messages(rng, places, int(args.count * 1.25)))
    train, test = data[: args.count], data[args.count :]
    started = time.perf_counter()
    model = TextClassifier.train([t for t, _ in train], [lab for _, lab in train])
    trained = time.perf_counter() - started
    started = time.perf_counter()
    result = evaluate(model, [t for t, _ in test], [lab for _, lab in test])
    predicted = time.perf_counter() - started
    print(f"train on {len(train):,} messages, {len(model.labels)} categories: {trained:.1f} s")
    print(
        f"predict {len(test):,} held-out messages: {predicted:.2f} s; accuracy {result.accuracy:.3f}, "
        f"macro-F1 {result.macro_f1:.3f}"
    )
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
