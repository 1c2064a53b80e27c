"""``kronika ingest``: local (in process or ``--workers N``), ``--scheduler`` or ``--dask`` on a cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

import typer


def register(app: typer.Typer, err, _say: Callable, _print_problem: Callable, _use_register: Callable,
             register_help: str) -> None:
    """Add the ingest command to the ``kronika`` app (with the CLI's own console and helpers)."""
    @app.command()
    def ingest(
        paths: list[str] = typer.Argument(..., help="Files, directories or - (standard input)."),
        db: Path = typer.Option(Path("kronika.duckdb"), "--db", help="DuckDB file."),
        workers: int = typer.Option(0, "--workers", help="Extract in N worker processes (each loads the model once)."),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Extract on a running Dask scheduler."),
        dask: Optional[str] = typer.Option(None, "--dask", help="Read and extract on this Dask scheduler "
                                           "(tcp://HOST:8786); needs --parquet."),
        parquet: Optional[Path] = typer.Option(None, "--parquet", help="Shared folder where --dask workers write "
                                               "Parquet by month."),
        batch_size: int = typer.Option(20, "--batch-size", help="Articles per transaction."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar (problem lines and the summary still print)."),
        register_file: Optional[list[Path]] = typer.Option(None, "--register-file", help=register_help),
    ) -> None:
        """Store articles, their events and provenance in DuckDB (idempotent)."""
        _use_register(register_file)
        if dask and not parquet:
            _say("error: --dask needs --parquet DIR (a folder every worker and this machine can use)", "red")
            raise typer.Exit(2)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from .ingest import ingest as run_ingest

        progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                            console=err, disable=quiet or not err.is_terminal, transient=True)
        from .store import StoreBusy

        task = progress.add_task("ingest", total=None, rate="")

        def advance(_a, _n) -> None:
            progress.advance(task)
            speed = progress.tasks[task].speed
            progress.update(task, rate=f"{speed:.1f} articles/s" if speed else "")

        try:
            with progress:
                rep = run_ingest(
                    paths, db=db, workers=workers, batch_size=batch_size, scheduler=scheduler, dask=dask,
                    parquet=parquet,
                    on_problem=_print_problem,
                    on_article=advance,
                    total_hint=lambda n: progress.update(task, total=n),
                    on_stage=lambda text: progress.update(task, description=text),
                )
        except StoreBusy as exc:  # another process kept the file locked; nothing half-written
            _say(f"error: {exc}; run the same command again to finish", "red")
            raise typer.Exit(3)
        # exit code: 0 when nothing failed, 1 when some input failed (the others are stored),
        # 3 when the database stayed locked
        _say(f"{db}: {rep.summary()}")
        raise typer.Exit(0 if rep.ok else 1)
