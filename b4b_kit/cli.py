"""The ``b4b`` command.

Examples
--------
::

    b4b frameworks list
    b4b frameworks show supplier_levels
    b4b frameworks show path/to/mine.yaml
    b4b cases list
    b4b cases show goldilocks_portfolio
    b4b run goldilocks_portfolio -p threshold 0.6 --out build/x
    b4b rerun build/x/goldilocks_portfolio.results.json
    b4b sweep goldilocks_portfolio --grid grid.yaml --out build/sweep1
    b4b results build/sweep1
    b4b datasets check
    b4b benchmarks
    b4b init my-course [--instructor]
    b4b lab my-course
"""

from __future__ import annotations

import argparse
import sys

from .errors import B4BError

EXIT_BAD_INPUT = 2
EXIT_RUN_FAILED = 1


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def _frameworks_list(args) -> int:
    from . import frameworks

    rows = []
    for name in frameworks.names():
        fw = frameworks.get(name)
        rows.append([fw.id, fw.kind, len(fw.groups), len(fw.elements), fw.name])
    print(_table(rows, ["id", "kind", "levels/areas", "elements", "name"]))
    return 0


def _frameworks_show(args) -> int:
    import textwrap

    from . import frameworks

    fw = frameworks.get(args.name)
    star = lambda record: f" {frameworks.model.OWN_READING_MARK}" if record.own_reading else ""  # noqa: E731
    print(f"{fw.name}  ({fw.id}, {fw.kind})\nSource: {fw.source}\n")
    print(textwrap.fill(fw.summary, 88) + "\n")
    rows = []
    for g in fw.groups:
        label = g.number if fw.kind == "levels" else g.id
        names = "; ".join(el.name + star(el) for el in g.elements)
        rows.append([label, g.name + star(g), len(g.elements), names])
    print(_table(rows, ["level" if fw.kind == "levels" else "area", "name", "elements", "element names"]))
    for name, items in fw.lists.items():
        print(f"\n{name}: " + "; ".join(it.name + star(it) for it in items))
    if any(record.own_reading for _, record in fw.records()):
        print("\n* the kit's own reading: the sources do not say this (or not in full); "
              "'--sources' gives each reason")
    if args.sources:
        print("\nWhere each entry comes from:")
        for path, record in fw.records():
            name = getattr(record, "name", None) or getattr(record, "text", None) or record.statement
            print(f"  {path}  {textwrap.shorten(name, 60)}{star(record)}\n      {frameworks.provenance(record)}")
    return 0


def _cases_list(args) -> int:
    from .workflows import cases

    if args.names:
        print("\n".join(cases.names()))
        return 0
    print(_table([[name, cases.framework_of(name)] for name in cases.names()], ["case study", "framework"]))
    return 0


def _cases_show(args) -> int:
    from .workflows import cases

    rows = [[p.name, p.type, repr(p.default), p.allowed, p.help] for p in cases.parameters(args.case).values()]
    print(_table(rows, ["parameter", "type", "default", "allowed", "help"]))
    for name, data in cases.data_files(args.case).items():
        print(f"\nYour own file for '{name}' (-p {name} FILE): a CSV with a header row and these columns "
              f"(data card {data['card'].name}); extra columns are ignored.")
        print(_table(data["columns"].values.tolist(), list(data["columns"].columns)))
    return 0


def _run(args) -> int:
    from .workflows import cases

    params = dict(args.param or [])
    cases.check(args.case, params)  # fail before any kernel starts
    print(f"running {args.case} ...", file=sys.stderr)
    result = cases.run(args.case, params, out=args.out, timeout=args.timeout)
    rec = result.record
    if result.ok:
        print(f"ok in {rec['duration_s']} s: {result.notebook}")
        print(f"results: {result.results}")
        beside = {c["figure"]: cases.published_text(c) for c in rec.get("evidence", [])}
        for k, v in rec["figures"].items():
            print(f"  {k}: {v}" + (f"  [{beside[k]}]" if k in beside else ""))
        return 0
    err = rec["error"] or {}
    where = f"cell {err['cell_index']}" if err.get("cell_index") is not None else "the kernel"
    print(f"error: {args.case} failed in {where}: {err.get('name')}: {err.get('message')}. "
          f"The output up to that point is kept in {result.notebook}; the record is {result.results}.",
          file=sys.stderr)
    return EXIT_RUN_FAILED


def _rerun(args) -> int:
    from .workflows import cases

    params = dict(args.param or [])
    print(f"running the case of {args.record} again ...", file=sys.stderr)
    report = cases.rerun(args.record, out=args.out, params=params, timeout=args.timeout, tolerance=args.tolerance)
    print("\n".join(report.lines()))
    return 0 if report.identical else EXIT_RUN_FAILED


def _sweep(args) -> int:
    from .workflows import sweep

    plan = sweep.grid(args.grid, args.case)  # the whole grid is checked before anything runs
    try:
        # a bar in a terminal, one line per finished run in a log, nothing with --quiet
        table = sweep.sweep(args.case, plan, args.out, workers=args.workers, timeout=args.timeout,
                            dask=args.dask, shared_fs=args.shared_fs, progress="quiet" if args.quiet else "auto")
    except KeyboardInterrupt:
        print(f"interrupted: finished runs are kept in {args.out}; run the same command again to resume.",
              file=sys.stderr)
        return 130
    if args.quiet:  # the one summary a script's log keeps
        print(f"{len(table)} runs: " + ", ".join(f"{n} {s}" for s, n in table["status"].value_counts().items()))
    print(f"registry: {args.out}/results.csv and results.parquet")
    return 0 if (table["status"] == "ok").all() else EXIT_RUN_FAILED


def _results(args) -> int:
    import pandas as pd

    from .workflows import sweep

    table = sweep.results(args.dir)
    if table.empty:
        print(f"no runs recorded in {args.dir}")
        return 0
    keep = ["run_id", "status", "duration_s"] + [c for c in table.columns if c.startswith(("param.", "figure."))]
    keep += ["error"] if table["error"].notna().any() else []
    with pd.option_context("display.max_columns", None, "display.width", 200, "display.max_colwidth", 60):
        print(table[keep].to_string(index=False))
    return 0


def _serve(args) -> int:
    from .workflows import serve

    serve.serve(port=args.port, ip=args.ip, preheat=not args.no_preheat, class_size=args.class_size,
                lessons=args.lesson or (), max_viewers=args.max_viewers)  # becomes Voila; returns only on error
    return 0


def _doctor(args) -> int:
    from .workflows import doctor

    checks = doctor.run_checks()
    print(doctor.report(checks))
    return 0 if all(c.ok for c in checks) else EXIT_RUN_FAILED


def _exercises_release(args) -> int:
    from .workflows import grading

    for path in grading.release(args.src, args.dst):
        print(f"released {path}")
    return 0


def _exercises_grade(args) -> int:
    from .workflows import grading
    from .workflows.sandbox import Limits

    limits = Limits.parse(args.limit or [])
    # a bar in a terminal, one line per submission in a log, nothing with --quiet
    table = grading.grade(args.submissions, args.out, timeout=args.timeout, keys=args.keys, source=args.source,
                          workers=args.workers, regrade=args.regrade, limits=limits,
                          progress="quiet" if args.quiet else "auto",
                          on_note=lambda text: print(f"warning: {text}", file=sys.stderr, flush=True))
    print(f"gradebook: {args.out} ({len(table)} rows)")
    return 0


def _exercises_keys(args) -> int:
    from .workflows import grading

    problems = grading.write_keys(args.src, args.out)
    for set_id, found in problems.items():
        print(f"{set_id}: " + ("; ".join(found) if found else "ok"))
    print(f"keys: {args.out} (keep it from students)")
    return 0


def _report(args) -> int:
    from .workflows import report

    index = report.build(args.dir)
    print(f"report: {index}")
    print(f"comparison notebook: {index.with_name('compare.ipynb')}")
    return 0


def _datasets_check(args) -> int:
    from . import datasets

    for card in sorted(datasets.DATA_DIR.glob("*.card.yaml")):
        name = card.name.removesuffix(".card.yaml")
        frame = datasets.load(name)
        print(f"{name}: ok ({len(frame)} rows, sha256 matches its card)")
    return 0


def _datasets_make(args) -> int:
    from . import datasets

    print(datasets.make(args.name, args.to))
    return 0


def _benchmarks(args) -> int:
    import textwrap

    from . import evidence

    found = evidence.load(args.file) if args.file else evidence.benchmarks()
    if args.id:
        found = [b for b in found if b.id == args.id]
        if not found:
            raise evidence.BenchmarkError(f"unknown benchmark {args.id!r}", where="--id",
                                          fix="Run 'b4b benchmarks' for the ids.")
    rows = [[b.id, b.published, b.unit, b.reading,
             ", ".join(f"{u.case}.{u.figure}" for u in b.compared_with) or "-"] for b in found]
    print(_table(rows, ["benchmark", "published", "unit", "reading", "compared with"]))
    def wrap(text: str, lead: str) -> str:
        return textwrap.fill(text, 100, initial_indent=lead, subsequent_indent="    ", break_on_hyphens=False,
                             break_long_words=False)

    sources: dict[tuple[str, str], list[str]] = {}
    for b in found:  # one entry per source and population: several figures often share them
        sources.setdefault((b.citation, f"{b.population}; {b.period}."), []).append(b.id)
    print("\nSources")
    for (citation, population), ids in sources.items():
        print(wrap(f"{', '.join(ids)}: {citation}", "  "))
        print(wrap(population, "    "))
    for b in found if args.id else ():
        for label, text in (("measured", b.measured), ("reading", b.reading_note), ("tolerance", b.tolerance_note),
                            ("in the kit", b.kit_use)):
            if text:
                print(wrap(f"{label}: {text}", "  "))
        for band in b.bands:
            print(f"    {band.label}: {b._show(band.value)}{' %' if b.is_share else ''}")
    return 0


def _init(args) -> int:
    from .workflows import course

    print(course.summary(course.init(args.dir, instructor=args.instructor, sources=args.sources)))
    return 0


def _lab(args) -> int:
    from .workflows import lab_settings

    extra = [a for a in args.jupyter_args if a != "--"]
    lab_settings.lab(args.dir, *extra)  # becomes jupyter lab; returns only on error
    return 0




def build_parser() -> argparse.ArgumentParser:
    """The ``b4b`` command line: one subcommand per workflow, each calling the library."""
    parser = argparse.ArgumentParser(prog="b4b", description="b4b-kit: frameworks, assessments and case studies.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    fw = sub.add_parser("frameworks", help="list or show the frameworks").add_subparsers(dest="action", required=True)
    fw.add_parser("list", help="every framework with its level/element counts").set_defaults(func=_frameworks_list)
    show = fw.add_parser("show", help="one framework's levels or areas as a table")
    show.add_argument("name", help="a framework id (see 'b4b frameworks list') or a path to a .yaml file")
    show.add_argument("--sources", action="store_true",
                      help="also list every entry with its source passage, or the reason for the kit's own reading")
    show.set_defaults(func=_frameworks_show)

    cs = sub.add_parser("cases", help="list case studies or show their parameters").add_subparsers(
        dest="action", required=True)
    cl = cs.add_parser("list", help="the case studies and the framework each belongs to")
    cl.add_argument("--names", action="store_true", help="only the names, one per line (for scripts)")
    cl.set_defaults(func=_cases_list)
    cshow = cs.add_parser("show", help="a case study's parameters")
    cshow.add_argument("case")
    cshow.set_defaults(func=_cases_show)

    run = sub.add_parser("run", help="run a case study with papermill")
    run.add_argument("case", help="a case study name (see 'b4b cases list') or a notebook path")
    run.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                     help="set a parameter (repeatable)")
    run.add_argument("--out", default="build", help="output folder (default: build)")
    run.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default: 600)")
    run.set_defaults(func=_run)

    rr = sub.add_parser("rerun", help="run a results record's case again with its parameters; report what changed")
    rr.add_argument("record", help="a <case>.results.json written by 'b4b run' or a sweep")
    rr.add_argument("--out", default=None, help="where the new run goes (default: rerun/ beside the record)")
    rr.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                    help="pass this value instead of the recorded one, e.g. a data file's path here (repeatable)")
    rr.add_argument("--tolerance", type=float, default=0.0,
                    help="largest difference between two numbers that counts as the same (default: 0)")
    rr.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default: 600)")
    rr.set_defaults(func=_rerun)

    sw = sub.add_parser("sweep", help="run a case study over a grid of parameters, in parallel, resumably")
    sw.add_argument("case", help="a case study name or notebook path")
    sw.add_argument("--grid", required=True, help="YAML file with 'grid:' (cartesian) and/or 'runs:' (list)")
    sw.add_argument("--out", required=True, help="sweep folder; the same folder again resumes")
    sw.add_argument("--workers", type=int, default=None, help="parallel runs (default: one per core, plus one)")
    sw.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default: 600)")
    sw.add_argument("--dask", default=None, metavar="ADDRESS",
                    help="run on Dask: 'local' for a LocalCluster, or tcp://HOST:PORT of a scheduler")
    sw.add_argument("--shared-fs", action="store_true",
                    help="with --dask: the workers write into --out themselves (a file system they share); "
                         "by default they send results back through Dask")
    sw.add_argument("--quiet", action="store_true",
                    help="no progress bar or per-run lines; only the counts and the registry at the end (scripts, CI)")
    sw.set_defaults(func=_sweep)

    res = sub.add_parser("results", help="print the registry of a sweep folder")
    res.add_argument("dir")
    res.set_defaults(func=_results)

    rep = sub.add_parser("report", help="self-contained HTML report and comparison notebook of a sweep")
    rep.add_argument("dir", help="a sweep folder")
    rep.set_defaults(func=_report)

    srv = sub.add_parser("serve", help="serve the lessons and case studies as Voila dashboards")
    srv.add_argument("--port", type=int, default=None, help="port (default 8866, from notebooks/voila.json)")
    srv.add_argument("--ip", default=None, help="address to bind (default 127.0.0.1)")
    srv.add_argument("--no-preheat", action="store_true", help="start a kernel per page view instead of ahead")
    srv.add_argument("--class-size", type=int, default=None, metavar="N",
                     help="serve a class: N viewers of a lesson arriving together each get a kernel at once")
    srv.add_argument("--lesson", action="append", metavar="NAME",
                     help="with --class-size: a lesson the class opens, e.g. 01 (repeatable; default: every lesson)")
    srv.add_argument("--max-viewers", type=int, default=None, metavar="M",
                     help="with --class-size: at most M viewers (default: as many as the memory holds)")
    srv.set_defaults(func=_serve)

    sub.add_parser("doctor", help="check this environment and say what to fix").set_defaults(func=_doctor)

    ex = sub.add_parser("exercises", help="release student versions, write answer keys, grade submissions")
    ex = ex.add_subparsers(dest="action", required=True)
    rel = ex.add_parser("release", help="write student versions (solutions stripped) of exercise sources")
    rel.add_argument("src", help="a source notebook or a folder of them (e.g. exercises/source)")
    rel.add_argument("dst", help="where the student versions go (e.g. exercises)")
    rel.set_defaults(func=_exercises_release)
    gr = ex.add_parser("grade", help="grade submissions, each in its own sandbox, into a gradebook")
    gr.add_argument("submissions", help="folder of submissions: STUDENT/NOTEBOOK.ipynb or flat .ipynb files")
    gr.add_argument("--out", default="gradebook.csv", help="gradebook CSV (default: gradebook.csv)")
    gr.add_argument("--timeout", type=float, default=None, help="seconds allowed per cell (default: 60)")
    gr.add_argument("--keys", default=None, help="answer keys written by `b4b exercises keys` (else the banks)")
    gr.add_argument("--source", default=None, help="exercise sources whose locked cells are checked "
                                                   "(default: the kit's; a keys file carries its own)")
    gr.add_argument("--workers", type=int, default=None, help="submissions graded at once (default: cores + 1)")
    gr.add_argument("--regrade", action="store_true", help="grade again what the gradebook already has")
    gr.add_argument("--quiet", action="store_true", help="no progress bar or per-submission lines (scripts, CI)")
    gr.add_argument("--limit", action="append", metavar="NAME=VALUE",
                    help="change a limit: memory=2GiB, cpu=300, processes=256, file_size=64MiB, output=1MiB, "
                         "cell_time=60, wall=600, notebook=32MiB, cells=2000 (repeatable)")
    gr.set_defaults(func=_exercises_grade)
    keys = ex.add_parser("keys", help="write the answer keys of exercise sources, for grading with --keys")
    keys.add_argument("src", help="a source notebook or a folder of them (e.g. exercises/source)")
    keys.add_argument("--out", default="keys.yaml", help="keys file (default: keys.yaml); keep it from students")
    keys.set_defaults(func=_exercises_keys)

    ds = sub.add_parser("datasets", help="check or remake datasets").add_subparsers(dest="action", required=True)
    ds.add_parser("check", help="check every dataset against its data card").set_defaults(func=_datasets_check)
    mk = ds.add_parser("make", help="remake a synthetic dataset from its generator and seed")
    mk.add_argument("name")
    mk.add_argument("--to", default=None, help="write here instead of datasets/")
    mk.set_defaults(func=_datasets_make)

    bm = sub.add_parser("benchmarks", help="published figures the case studies are set against, with citations")
    bm.add_argument("--id", default=None, help="show one benchmark in full (what was measured, notes, use)")
    bm.add_argument("--file", default=None, help="check and list your own benchmarks file instead")
    bm.set_defaults(func=_benchmarks)

    ini = sub.add_parser("init", help="write a course folder: lessons, exercises, case studies, datasets, README")
    ini.add_argument("dir", help="the course folder (made if missing; run again to add what is missing)")
    ini.add_argument("--instructor", action="store_true", help="also the exercise sources and a grading how-to")
    ini.add_argument("--sources", default=None, metavar="DIR",
                     help="the exercise sources to copy (default: those of the source checkout; a wheel has none)")
    ini.set_defaults(func=_init)

    lab = sub.add_parser("lab", help="jupyter lab on a course folder, with the folder's own settings")
    lab.add_argument("dir", nargs="?", default=".", help="the course folder (default: this folder)")
    lab.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="passed on to jupyter lab, e.g. --port=8899")
    lab.set_defaults(func=_lab)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``b4b``; returns the exit code (0 ok, 1 a run failed, 2 bad input)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except B4BError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into head: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # e.g. an output folder that cannot be written
        target = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {target}{exc.strerror or exc}. Check the path and its permissions.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
