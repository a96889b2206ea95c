"""Load and check the kit's datasets, and make the synthetic ones from a seed.

Each file in ``datasets/`` has a data card ``NAME.card.yaml`` beside it: source,
licence, how it was made (generator and seed), its SHA-256 and its fields
(type, unit, description). :func:`load` checks a file against its card.

Examples
--------
>>> from b4b_kit import datasets
>>> df = datasets.load("supplier_portfolio")
>>> len(df), df["supplier"].iloc[0]
(24, 'Northwind Instruments')
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import resources
from .errors import DatasetError

DATA_DIR = resources.datasets()

_DTYPES = {"text": "object", "number": "float64", "integer": "int64", "boolean": "bool"}


def checksum(path: str | Path) -> str:
    """SHA-256 of a file, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def card(name: str) -> dict:
    """The data card of a shipped dataset, as a dict."""
    import yaml

    path = DATA_DIR / f"{name}.card.yaml"
    if not path.is_file():
        known = sorted(p.name.removesuffix(".card.yaml") for p in DATA_DIR.glob("*.card.yaml"))
        raise DatasetError(f"unknown dataset {name!r}", where=str(DATA_DIR),
                           fix=f"Known datasets: {', '.join(known) or 'none'}.")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def schema(name: str):
    """The columns a file of this dataset must have, from its data card: one row per column.

    Returns
    -------
    pandas.DataFrame
        ``column``, ``type``, ``unit``, ``allowed`` (range, allowed values,
        and where a blank is accepted) and ``description``.

    Examples
    --------
    >>> s = schema("telco_customer_churn").set_index("column")
    >>> s.loc["Contract", "allowed"]
    'one of: Month-to-month | One year | Two year'
    >>> s.loc["TotalCharges", "allowed"]
    '0 to 10000000; blank only where tenure is 0 (read as 0)'
    """
    import pandas as pd

    rows = []
    for column, spec in card(name)["fields"].items():
        allowed = []
        if "range" in spec:
            allowed.append(" to ".join(str(int(x)) if float(x).is_integer() else f"{x:g}" for x in spec["range"]))
        if "values" in spec:
            allowed.append("one of: " + " | ".join(map(str, spec["values"])))
        if spec["type"] == "boolean":
            allowed.append("True or False")
        if "blank" in spec:
            when = " and ".join(f"{k} is {v}" for k, v in (spec["blank"].get("when") or {}).items())
            allowed.append(f"blank {'only where ' + when if when else 'allowed'} (read as {spec['blank']['becomes']})")
        rows.append({"column": column, "type": spec["type"], "unit": spec.get("unit", ""),
                     "allowed": "; ".join(allowed) or "any", "description": spec.get("description", "")})
    return pd.DataFrame(rows, columns=["column", "type", "unit", "allowed", "description"])


def path(name: str) -> Path:
    """Path of a shipped dataset file."""
    return DATA_DIR / card(name)["file"]


def load(name: str, file: str | Path | None = None, *, verify: bool = True):
    """Read a dataset and check it against its card.

    Parameters
    ----------
    name : str
        The dataset's name, e.g. ``"supplier_portfolio"``; its card gives the fields.
    file : str or Path, optional
        Another file with the same fields (your own data). Default: the shipped file.
    verify : bool
        Check the shipped file's SHA-256 against the card.

    Raises
    ------
    DatasetError
        Missing file, wrong checksum, a missing column or a value of the wrong type,
        naming the file and the column.
    """
    import pandas as pd

    meta = card(name)
    target = Path(file) if file is not None else DATA_DIR / meta["file"]
    if not target.is_file():
        raise DatasetError("file not found", where=str(target),
                           fix=f"Check the path; the shipped {name!r} data is {DATA_DIR / meta['file']}.")
    if file is None and verify and checksum(target) != meta["sha256"]:
        raise DatasetError("the file does not match the SHA-256 on its data card", where=str(target),
                           fix=f"Restore it with 'git checkout {target.name}', or remake it with "
                               f"'b4b datasets make {name}'.")
    try:
        frame = pd.read_csv(target)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DatasetError(f"not a readable CSV ({str(exc).splitlines()[0]})", where=str(target),
                           fix="Save it as comma-separated UTF-8 text with a header row.") from None
    fields = meta["fields"]
    missing = [f for f in fields if f not in frame.columns]
    if missing:
        raise DatasetError(f"missing column(s) {', '.join(missing)}", where=str(target),
                           fix=f"The {name} data needs the columns {', '.join(fields)}.")
    for column, spec in fields.items():
        kind = spec["type"]
        series = frame[column]
        if "blank" in spec:
            series = _fill_blanks(frame, column, spec["blank"], target, numeric=kind in ("number", "integer"))
        if series.isna().any():
            row = int(series.isna().to_numpy().argmax())
            raise DatasetError(f"empty value in data row {row + 1}", where=f"{target}, column {column!r}",
                               fix="Fill in every value.")
        if kind == "boolean" and not pd.api.types.is_bool_dtype(series):
            raise DatasetError(f"expected True/False, found values like {series.iloc[0]!r}",
                               where=f"{target}, column {column!r}", fix="Write True or False.")
        if kind in ("number", "integer") and (
            not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
        ):
            bad = pd.to_numeric(series, errors="coerce").isna().to_numpy().argmax()
            raise DatasetError(f"expected a number, found {series.iloc[bad]!r} in data row {bad + 1}",
                               where=f"{target}, column {column!r}", fix="Write plain numbers.")
        if "values" in spec:
            outside = ~series.isin(spec["values"])
            if outside.any():
                row = int(outside.to_numpy().argmax())
                raise DatasetError(f"expected one of {', '.join(map(str, spec['values']))}, found "
                                   f"{series.iloc[row]!r} in data row {row + 1}", where=f"{target}, column {column!r}",
                                   fix="Use exactly these values (spelling and capitals matter).")
        if "range" in spec:
            lo, hi = spec["range"]
            outside = (series < lo) | (series > hi)
            if outside.any():
                row = int(outside.to_numpy().argmax())
                raise DatasetError(f"{series.iloc[row]} in data row {row + 1} is outside {lo}..{hi}",
                                   where=f"{target}, column {column!r}", fix=f"Keep values within {lo}..{hi}.")
        frame[column] = series.astype(_DTYPES[kind])
    return frame[list(fields)]


def _fill_blanks(frame, column: str, rule: dict, target: Path, numeric: bool):
    """A column with its blank cells replaced as its card's ``blank`` rule says.

    The rule ``{becomes: 0, when: {tenure: 0}}`` reads: a blank (empty or only
    spaces) becomes 0, and is allowed only in rows where ``tenure`` is 0; a
    blank anywhere else is an error naming the row.
    """
    import pandas as pd

    series = frame[column]
    blank = series.isna() | series.astype("string").str.strip().eq("").fillna(True)
    allowed = pd.Series(True, index=frame.index)
    for other, value in (rule.get("when") or {}).items():
        allowed &= pd.to_numeric(frame[other], errors="coerce").eq(value) if isinstance(value, (int, float)) \
            else frame[other].eq(value)
    wrong = blank & ~allowed
    if wrong.any():
        row = int(wrong.to_numpy().argmax())
        condition = " and ".join(f"{k} is {v}" for k, v in rule["when"].items())
        raise DatasetError(f"empty value in data row {row + 1}", where=f"{target}, column {column!r}",
                           fix=f"Fill it in; a blank is allowed only where {condition}.")
    filled = series.where(~blank, rule["becomes"])
    if not numeric:
        return filled
    try:
        return pd.to_numeric(filled)
    except (ValueError, TypeError):
        return filled  # the type check that follows names the first value that is not a number


def synthetic() -> list[str]:
    """Names of the datasets whose card names a generator (``made_by.function``)."""
    import yaml

    return sorted(p.name.removesuffix(".card.yaml") for p in DATA_DIR.glob("*.card.yaml")
                  if (yaml.safe_load(p.read_text(encoding="utf-8")).get("made_by") or {}).get("function"))


def make(name: str, destination: str | Path | None = None) -> Path:
    r"""Write a synthetic dataset with the generator and arguments (seed) named on its card.

    The card's ``made_by.function`` is a dotted path such as
    ``b4b_kit.supplier_levels.sample_data.make_supplier_portfolio``; CSV files are written with
    ``\n`` line ends so the bytes, and so the SHA-256, are the same everywhere.
    """
    import importlib

    meta = card(name)
    made = meta.get("made_by") or {}
    if not made.get("function"):
        raise DatasetError(f"{name!r} is not synthetic (its card names no made_by.function)",
                           fix=f"Synthetic datasets: {', '.join(synthetic())}.")
    module, _, func = made["function"].rpartition(".")
    frame = getattr(importlib.import_module(module), func)(**made.get("arguments", {}))
    target = Path(destination) if destination else DATA_DIR / meta["file"]
    if target.suffix == ".parquet":
        frame.to_parquet(target, index=False)
    else:
        frame.to_csv(target, index=False, lineterminator="\n")
    return target
