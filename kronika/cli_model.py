"""The trigger-model command of ``kronika``: train (a thin layer over kronika.training)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer, out, err) -> None:
    """Add ``kronika train`` to the ``kronika`` app."""

    @app.command()
    def train(
        gold: list[Path] = typer.Argument(..., help="Gold JSON Lines (GUIDELINES.md) to learn from."),
        lang: str = typer.Option("fr", "--lang", help="Language of the model (articles of other languages are skipped)."),
        folds: int = typer.Option(5, "--folds", min=1, help="Cross-validation folds first (1: none)."),
        c: float = typer.Option(0.5, "--c", min=1e-4, help="Inverse regularisation strength of the logistic model."),
        out_stem: Optional[Path] = typer.Option(None, "--out", help="Model path without suffix (default: the shipped "
                                                                     "kronika/models/trigger-<lang>)."),
        as_json: bool = typer.Option(False, "--json", help="Print the cross-validation report as JSON."),
    ) -> None:
        """Train the trigger model on annotated articles and save its weights.

        With --folds K > 1 each fold is first extracted by a model trained on the others
        (reports of one story stay in one fold) and the whole set is scored; then the model
        is trained on everything."""
        from .training import train as run

        for p in gold:
            if not p.is_file():
                err.print(f"error: {p}: no such file", markup=False, highlight=False)
                raise typer.Exit(2)

        def log(line: str) -> None:
            err.print(line, markup=False, highlight=False)

        from .evaluate_en import gold_kind

        if lang == "en" and all(gold_kind(p) != "articles" for p in gold):
            # the English sentence sets: development part cross-validated, held-out part measured
            from .training_en import train_sentences

            _, figures = train_sentences(gold, out=out_stem, k=folds, c=c, log=log)
            if as_json:
                sys.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
            return
        _, report = run(gold, out=out_stem, k=folds, c=c, lang=lang, log=log)
        if report is not None and as_json:
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
