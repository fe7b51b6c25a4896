from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiexiang.cli import app
from jiexiang.demo.messages import labelled_messages
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.ingest.classifier import TextClassifier, classify_by_keywords, evaluate, normalise_text

PLACES = ["光明胡同12号", "力学胡同3号院", "西交民巷5号", "东斜街甲7号", "府右街22号", "织女桥东河沿8号"]


@pytest.fixture(scope="module")
def data() -> list[tuple[str, str]]:
    return list(labelled_messages(random.Random(1), PLACES, 1200))


@pytest.fixture(scope="module")
def model(data: list[tuple[str, str]]) -> TextClassifier:
    texts, labels = zip(*data[:1000], strict=True)
    return TextClassifier.train(list(texts), list(labels), seed=0)


def test_normalisation_folds_width_case_and_numbers() -> None:
    assert normalise_text("  ＡＢＣ  光明胡同１２号  13812345678 ") == "abc 光明胡同0号 0"


def test_it_learns_the_categories_of_unseen_messages(model: TextClassifier, data: list[tuple[str, str]]) -> None:
    texts, labels = zip(*data[1000:], strict=True)
    result = evaluate(model, list(texts), list(labels))
    assert result.accuracy > 0.9 and result.macro_f1 > 0.85
    prediction = model.predict(["安福胡同9号的井盖丢了，半夜很危险"])[0]
    assert prediction is not None and prediction.label == "0117" and 0 < prediction.confidence <= 1


def test_empty_texts_get_no_prediction(model: TextClassifier) -> None:
    assert model.predict(["", "   "]) == [None, None]


def test_save_and_load_give_the_same_predictions(model: TextClassifier, tmp_path: Path) -> None:
    model.save(tmp_path / "m.joblib")
    loaded = TextClassifier.load(tmp_path / "m.joblib")
    sample = ["光明胡同路灯不亮", "有人占道经营"]
    assert loaded.predict(sample) == model.predict(sample) and loaded.labels == model.labels


def test_training_needs_two_labels() -> None:
    with pytest.raises(ValueError, match="two different labels"):
        TextClassifier.train(["a", "b"], ["x", "x"])


def test_evaluation_by_hand_on_four_messages(model: TextClassifier) -> None:
    texts = ["光明胡同的路灯不亮了", "光明胡同有人违建加盖", "西交民巷积水很深", "府右街井盖丢了"]
    result = evaluate(model, texts, ["0114", "1301", "1401", "1101"])  # the last label is wrong on purpose
    assert result.accuracy == pytest.approx(0.75)
    by_label = {c.label: c for c in result.per_class}
    assert by_label["1101"].recall == 0 and by_label["0117"].precision == 0 and by_label["0114"].f1 == 1


def test_keyword_rules_prefer_the_longest_match() -> None:
    rules = load_taxonomy().keyword_rules()
    assert classify_by_keywords("楼下垃圾桶满了好几天", rules) == "1104"  # "垃圾桶满" beats "垃圾"
    assert classify_by_keywords("门口有垃圾", rules) == "1103"
    assert classify_by_keywords("今天天气不错", rules) is None


def test_classify_cli_train_predict_evaluate(tmp_path: Path, data: list[tuple[str, str]]) -> None:
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    for path, rows in ((train, data[:800]), (test, data[800:900])):
        with path.open("w", encoding="gbk", newline="") as handle:  # a GBK file, as Excel saves it
            writer = csv.writer(handle)
            writer.writerow(["工单编号", "诉求内容", "类别"])
            writer.writerows([f"GD{i}", text, label] for i, (text, label) in enumerate(rows))
            writer.writerow(["GD-empty", "", ""])
    runner = CliRunner()
    model_path = tmp_path / "model.joblib"
    trained = runner.invoke(
        app,
        [
            "classify",
            "train",
            "--data",
            str(train),
            "--text-col",
            "诉求内容",
            "--label-col",
            "类别",
            "--model",
            str(model_path),
        ],
    )
    assert trained.exit_code == 0, trained.output
    out = tmp_path / "out.csv"
    predicted = runner.invoke(
        app,
        [
            "classify",
            "predict",
            "--model",
            str(model_path),
            "--data",
            str(test),
            "--text-col",
            "诉求内容",
            "--out",
            str(out),
        ],
    )
    assert predicted.exit_code == 0, predicted.output
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["工单编号", "诉求内容", "类别", "predicted", "confidence"]
    assert [r[0] for r in rows[1:]] == [f"GD{i}" for i in range(100)] + ["GD-empty"]  # every row, in order
    assert rows[-1][3:] == ["", ""] and sum(r[2] == r[3] for r in rows[1:-1]) > 90
    evaluated = runner.invoke(
        app,
        [
            "classify",
            "evaluate",
            "--model",
            str(model_path),
            "--data",
            str(test),
            "--text-col",
            "诉求内容",
            "--label-col",
            "类别",
        ],
    )
    assert evaluated.exit_code == 0 and "macro-F1" in evaluated.output
    missing = runner.invoke(
        app,
        [
            "classify",
            "train",
            "--data",
            str(train),
            "--text-col",
            "内容",
            "--label-col",
            "类别",
            "--model",
            str(model_path),
        ],
    )
    assert missing.exit_code == 1 and "没有“内容”列" in missing.output
