"""`jiexiang classify …`: train, apply and evaluate the text classifier on the subdistrict's own history."""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jiexiang.cli.common import command
from jiexiang.core.errors import DomainError

if TYPE_CHECKING:
    from jiexiang.ingest.classifier import TextClassifier

classify_app = typer.Typer(
    help="诉求文本分类器：训练、预测、评估（可用本街道的历史数据重新训练）", no_args_is_help=True
)


def load_model(path: Path) -> TextClassifier:
    from jiexiang.ingest.classifier import TextClassifier  # scikit-learn: only when a model is used

    try:
        return TextClassifier.load(path)
    except (ValueError, EOFError, OSError) as exc:
        raise DomainError(f"无法读取模型文件 {path}：{exc}") from exc


def _labelled_table(data: Path, text_col: str, label_col: str | None) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV, after checking that the named columns exist."""
    from jiexiang.core.tables import read_csv_rows

    rows = read_csv_rows(data.read_bytes())
    if not rows:
        raise DomainError(f"文件 {data} 是空的")
    header = [h.strip() for h in rows[0]]
    for column in (text_col, label_col):
        if column is not None and column not in header:
            raise DomainError(f"文件中没有“{column}”列；现有列：{'、'.join(header)}")
    return header, [r for r in rows[1:] if any(cell.strip() for cell in r)]


def _column(header: list[str], rows: list[list[str]], name: str) -> list[str]:
    index = header.index(name)
    return [row[index] if index < len(row) else "" for row in rows]


def _labelled(data: Path, text_col: str, label_col: str) -> tuple[list[str], list[str]]:
    """The texts of a labelled CSV and their labels."""
    header, rows = _labelled_table(data, text_col, label_col)
    return _column(header, rows, text_col), _column(header, rows, label_col)


@command(classify_app, "train")
def train(
    data: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="带标注的 CSV")],
    text_col: Annotated[str, typer.Option(help="文本列名")],
    label_col: Annotated[str, typer.Option(help="类别列名")],
    model: Annotated[Path, typer.Option(help="输出的模型文件")],
    seed: Annotated[int, typer.Option(help="随机种子")] = 0,
) -> None:
    """用带标注的历史诉求训练分类模型。"""
    from jiexiang.ingest.classifier import TextClassifier

    texts, labels = _labelled(data, text_col, label_col)
    started = time.monotonic()
    try:
        trained = TextClassifier.train(texts, labels, seed=seed)
    except ValueError as exc:
        raise DomainError(f"无法训练：{exc}") from exc
    trained.save(model)
    typer.echo(
        f"已训练：{trained.samples} 条样本，{len(trained.labels)} 个类别，"
        f"用时 {time.monotonic() - started:.1f} 秒；模型保存到 {model}"
    )


@command(classify_app, "predict")
def predict(
    model: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="模型文件")],
    data: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="要分类的 CSV")],
    text_col: Annotated[str, typer.Option(help="文本列名")],
    out: Annotated[Path, typer.Option(help="输出 CSV（原样保留每一行，增加 predicted 和 confidence 两列）")],
) -> None:
    """给 CSV 中每一行预测类别。"""
    header, rows = _labelled_table(data, text_col, None)
    predictions = load_model(model).predict(_column(header, rows, text_col))
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*header, "predicted", "confidence"])
        for row, prediction in zip(rows, predictions, strict=True):
            padded = row + [""] * (len(header) - len(row))
            if prediction is None:
                writer.writerow([*padded, "", ""])
            else:
                writer.writerow([*padded, prediction.label, f"{prediction.confidence:.4f}"])
    typer.echo(f"已预测 {len(rows)} 行，结果写入 {out}")


@command(classify_app, "evaluate")
def evaluate(
    model: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="模型文件")],
    data: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="带标注的 CSV（不要用训练数据）")],
    text_col: Annotated[str, typer.Option(help="文本列名")],
    label_col: Annotated[str, typer.Option(help="类别列名")],
) -> None:
    """在带标注的数据上评估模型：准确率、宏平均 F1、各类别的精确率/召回率。"""
    from jiexiang.ingest.classifier import evaluate as evaluate_model

    texts, labels = _labelled(data, text_col, label_col)
    try:
        result = evaluate_model(load_model(model), texts, labels)
    except ValueError as exc:
        raise DomainError(f"无法评估：{exc}") from exc
    typer.echo(f"样本 {result.evaluated} 条（跳过空文本 {result.skipped_empty} 条）")
    typer.echo(f"accuracy 准确率 {result.accuracy:.4f}    macro-F1 宏平均F1 {result.macro_f1:.4f}")
    typer.echo(f"{'类别':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for item in result.per_class:
        typer.echo(f"{item.label:<16}{item.precision:>10.3f}{item.recall:>10.3f}{item.f1:>10.3f}{item.support:>10}")
