"""The `jiexiang` command line: one module per command group (see each for its commands)."""

from __future__ import annotations

import logging
import sys

import typer

from jiexiang.cli import serve
from jiexiang.cli.accounts import open311_app, units_app, users_app
from jiexiang.cli.analytics import analytics_app
from jiexiang.cli.calendar import calendar_app
from jiexiang.cli.classify import classify_app
from jiexiang.cli.db import db_app
from jiexiang.cli.hotline import hotline_app
from jiexiang.cli.jobs import jobs_app
from jiexiang.cli.report import report_app
from jiexiang.cli.secrets import secrets_app
from jiexiang.cli.transfer import export_app, import_app
from jiexiang.cli.workers import simulate_app, workers_app

app = typer.Typer(help="街巷 Jiexiang — 街道背街小巷治理平台", no_args_is_help=True, add_completion=False)
for group, name in (
    (db_app, "db"),
    (import_app, "import"),
    (export_app, "export"),
    (users_app, "users"),
    (units_app, "units"),
    (jobs_app, "jobs"),
    (classify_app, "classify"),
    (analytics_app, "analytics"),
    (calendar_app, "calendar"),
    (secrets_app, "secrets"),
    (report_app, "report"),
    (hotline_app, "hotline"),
    (open311_app, "open311"),
    (workers_app, "workers"),
    (simulate_app, "simulate"),
):
    app.add_typer(group, name=name)
app.command()(serve.serve)
app.command()(serve.demo)


def main() -> None:  # pragma: no cover - console entry point
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    app()
