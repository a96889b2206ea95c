"""Argument checks the models share: each returns the clean value or raises one :class:`B4BError`.

Every model checks its inputs the same few ways: a number (perhaps whole,
perhaps in a range), a share from 0 to 1, one of a few named options, a
framework given as an object, an id or a path. Writing each check once keeps
the messages alike across the kit: what was wrong, where, and how to fix it.

Examples
--------
>>> number(0.3, "churn", low=0, high=1)
0.3
>>> number(-2, "customers", low=1, integer=True, example=1000)
Traceback (most recent call last):
...
b4b_kit.errors.B4BError: customers: -2 is below 1. Give a whole number of at least 1, e.g. 1000.
>>> choice("staged", "rule", ("staged", "continuous"))
'staged'
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from pathlib import Path

from .errors import B4BError


def _num(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _span(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"from {_num(low)} to {_num(high)}"
    if low is not None:
        return f"of at least {_num(low)}"
    if high is not None:
        return f"of at most {_num(high)}"
    return ""


def number(value: object, where: str, *, low: float | None = None, high: float | None = None,
           integer: bool = False, of: str | None = None, example: object = None,
           fix: str | None = None) -> float | int:
    """A finite number (``integer=True``: a whole number), optionally within ``low..high``.

    Parameters
    ----------
    value : object
        What the caller passed; booleans are refused (``True`` is not a count).
    where : str
        The parameter or field, as the message should name it.
    low, high : float, optional
        Inclusive bounds.
    integer : bool
        Ask for a whole number; the result is then an ``int``.
    of : str, optional
        What is counted or measured, for the message ("years" gives "a whole number of years").
    example : object, optional
        A good value, shown in the fix.
    fix : str, optional
        A fix of your own instead of the generated one.

    Returns
    -------
    float or int

    Examples
    --------
    >>> number(3, "years", low=1, high=50, integer=True, of="years")
    3
    >>> number("abc", "kpi_fee")
    Traceback (most recent call last):
    ...
    b4b_kit.errors.B4BError: kpi_fee: expected a number, got 'abc'. Give a number.
    """
    kind = ("a whole number" if integer else "a number") + (f" of {of}" if of else "")
    span = _span(low, high)
    wanted = f"{kind} {span}".strip()
    fix = fix or f"Give {wanted}" + (f", e.g. {example}." if example is not None else ".")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral if integer else numbers.Real):
        raise B4BError(f"expected {wanted}, got {value!r}", where=where, fix=fix)
    if not math.isfinite(float(value)):
        raise B4BError(f"{value!r} is not a finite number", where=where, fix=fix)
    if low is not None and high is not None and not low <= value <= high:
        raise B4BError(f"{value!r} is outside {_num(low)}..{_num(high)}", where=where, fix=fix)
    if low is not None and value < low:
        raise B4BError(f"{value!r} is below {_num(low)}", where=where, fix=fix)
    if high is not None and value > high:
        raise B4BError(f"{value!r} is above {_num(high)}", where=where, fix=fix)
    return int(value) if integer else float(value)


def share(value: object, where: str, *, above_zero: bool = False, example: object = None) -> float:
    """A share from 0 to 1 (``above_zero=True``: above 0 and up to 1).

    Examples
    --------
    >>> share(0.25, "churn")
    0.25
    >>> share(0, "full_adoption", above_zero=True)
    Traceback (most recent call last):
    ...
    b4b_kit.errors.B4BError: full_adoption: expected a share above 0 and up to 1, got 0. Pass e.g. full_adoption=0.8.
    """
    fix = f"Pass e.g. {where}={0.8 if example is None else example}."
    span = "above 0 and up to 1" if above_zero else "from 0 to 1"
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)) \
            or not (0 < value <= 1 if above_zero else 0 <= value <= 1):
        raise B4BError(f"expected a share {span}, got {value!r}", where=where, fix=fix)
    return float(value)


def choice(value: object, where: str, options: Sequence[str], *, what: str | None = None) -> str:
    """One of a few named options.

    Examples
    --------
    >>> choice("mixed", "rule", ("staged", "continuous"), what="scoring rule")
    Traceback (most recent call last):
    ...
    b4b_kit.errors.B4BError: rule: unknown scoring rule 'mixed'. Use one of staged, continuous.
    """
    if not isinstance(value, str) or value not in options:
        raise B4BError(f"unknown {what or where} {value!r}", where=where, fix=f"Use one of {', '.join(options)}.")
    return value


def framework(value, default: str | None = None):
    """A :class:`~b4b_kit.frameworks.Framework` from an object, a built-in id or a path to a file.

    A path is read afresh on every call, so edits to your own file take effect at once.

    Examples
    --------
    >>> framework("supplier_levels").id
    'supplier_levels'
    >>> framework(None, default="sales_motions").id
    'sales_motions'
    """
    from .frameworks import Framework, get, load

    if value is None and default is not None:
        return get(default)
    if isinstance(value, Framework):
        return value
    if isinstance(value, Path) or (isinstance(value, str) and (value.endswith((".yaml", ".yml")) or "/" in value)):
        return load(value)
    if isinstance(value, str):
        return get(value)
    raise B4BError(f"expected a Framework, a framework id or a file path, got {type(value).__name__}",
                   where="parameter 'framework'", fix="Pass e.g. framework='services_portfolio' or a .yaml path.")
