"""Exercise checks: immediate feedback that explains *why*, hints on request, never a traceback.

A question bank is a YAML file in ``b4b_kit/exercise_data/``. Answer keys are
stored as SHA-256 digests, and the explanation shown for a right answer is
sealed with a key derived from that answer, so neither the student notebook nor
the installed package holds a readable key; wrong
answers are explained from the framework data (what a level needs, what an
offer includes) or from notes the instructor wrote for common mistakes.

Examples
--------
>>> ex = load("01_supplier_levels")
>>> ex.check("q1", 4).correct
False
>>> print(ex.check("q1", "four").message)
q1 expects a level number from 1 to 4, like 2; you gave the text 'four'.
"""

from __future__ import annotations

import hashlib
import html
import math
import numbers
from dataclasses import dataclass
from functools import cache

from .. import resources
from ..errors import B4BError
from ..frameworks import get

DATA_DIR = resources.exercise_banks()


def _normalise(kind: str, answer: object, decimals: int = 0) -> str:
    if kind == "number":
        return f"{round(float(answer), decimals):.{decimals}f}"
    if kind == "level":
        return str(int(answer))
    return str(answer).strip().lower()


def answer_hash(bank: str, question: str, kind: str, answer: object, decimals: int = 0) -> str:
    """The digest stored as ``answer_sha256`` for a question (for instructors writing a bank).

    Examples
    --------
    >>> answer_hash("01_supplier_levels", "q1", "level", 2)[:12]
    '0cf29b3e880f'
    """
    text = f"{bank}:{question}:{_normalise(kind, answer, decimals)}"
    return hashlib.sha256(text.encode()).hexdigest()


def _keystream(seed: str, n: int) -> bytes:
    out = b""
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}#{counter}".encode()).digest()
        counter += 1
    return out[:n]


def seal(bank: str, question: str, kind: str, answer: object, text: str, decimals: int = 0) -> str:
    """Encrypt an explanation with a key only the right answer gives (for instructors writing a bank)."""
    import base64

    data = text.encode()
    key = _keystream(f"{bank}:{question}:{_normalise(kind, answer, decimals)}:explanation", len(data))
    return base64.b64encode(bytes(a ^ b for a, b in zip(data, key))).decode()


def _unseal(bank: str, question: str, normalised: str, sealed: str) -> str:
    import base64

    data = base64.b64decode(sealed)
    key = _keystream(f"{bank}:{question}:{normalised}:explanation", len(data))
    return bytes(a ^ b for a, b in zip(data, key)).decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Feedback:
    """The result of a check; shows itself as a coloured note in Jupyter.

    ``correct`` is None when the answer could not be judged (missing, or of the wrong type).
    """

    question: str
    correct: bool | None
    message: str
    bank: str = ""

    def __repr__(self) -> str:
        mark = {True: "Correct", False: "Not quite", None: "Check your answer"}[self.correct]
        return f"{mark} — {self.message}" if self.correct is not None else self.message

    def _repr_html_(self) -> str:
        colour = {True: "#e6f4ea", False: "#fdecea", None: "#fff8e1"}[self.correct]
        mark = {True: "✔ Correct", False: "✘ Not quite", None: "…"}[self.correct]
        # JupyterLab and Voila typeset HTML outputs with MathJax, which reads the text between two `$` as
        # a formula ("$5M ... $8M"); it never pairs them across elements, so each dollar gets its own.
        message = html.escape(self.message).replace("$", "<span>$</span>")
        return (f"<div class='b4b-feedback' style='background:{colour};padding:.5em 1em;border-radius:4px'>"
                f"<b>{self.question}: {mark}</b><br>{message}</div>")


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"{value!r}, of type {type(value).__name__}"


@dataclass(frozen=True)
class ExerciseSet:
    """A bank of questions with :meth:`check` and :meth:`hint`."""

    id: str
    framework: str
    questions: dict

    def _question(self, qid: str) -> dict | None:
        return self.questions.get(qid)

    def check(self, question: str, answer: object) -> Feedback:
        """Judge an answer and explain a wrong one. Never raises for a student's input."""
        import dataclasses

        return dataclasses.replace(self._check(question, answer), bank=self.id)

    def _check(self, question: str, answer: object) -> Feedback:
        q = self._question(question)
        if q is None:
            return Feedback(str(question), None,
                            f"There is no question {question!r} here; the questions are {', '.join(self.questions)}.")
        if answer is None or answer is Ellipsis:
            return Feedback(question, None,
                            "Not answered yet: replace the None (or ...) with your answer and run the cell again.")
        kind = q["kind"]
        problem = _type_problem(q, answer)
        if problem:
            return Feedback(question, None, f"{question} expects {problem}; you gave {_describe(answer)}.")
        if kind == "level" and isinstance(answer, str):
            answer = int(answer.lower().replace("level", "").strip())
        if kind == "choice":
            answer = str(answer).strip()
        matched = self._match(question, q, answer)
        if matched is not None:
            sealed = q.get("explanation_sealed")
            return Feedback(question, True, _unseal(self.id, question, matched, sealed) if sealed else "Well done.")
        return Feedback(question, False, self._why_wrong(q, answer))

    def _match(self, qid: str, q: dict, answer: object) -> str | None:
        """The normalised answer if it is right, else None."""
        kind, decimals = q["kind"], q.get("decimals", 0)
        # numbers: one unit either side of the rounded answer, a tolerance without a readable key
        candidates = [float(answer) + k * 10.0 ** -decimals for k in (0, -1, 1)] if kind == "number" else [answer]
        for candidate in candidates:
            if answer_hash(self.id, qid, kind, candidate, decimals) == q["answer_sha256"]:
                return _normalise(kind, candidate, decimals)
        return None

    def _why_wrong(self, q: dict, answer: object) -> str:
        if q["kind"] == "level":
            from ..supplier_levels.model import why_not_level

            return why_not_level(q["offer"], int(answer), get(self.framework))
        if q["kind"] == "choice":
            return q.get("why_not", {}).get(answer, "That is not it; read the question again, or ask for a hint.")
        for mistake in q.get("mistakes", []):
            if math.isclose(float(answer), mistake["value"], abs_tol=10.0 ** -q.get("decimals", 0)):
                return mistake["why"]
        return "That number is off. Write out the formula step by step, or ask for a hint."

    def hint(self, question: str, n: int = 1) -> str:
        """The first ``n`` hints of a question, as text."""
        q = self._question(question)
        if q is None:
            return f"There is no question {question!r} here; the questions are {', '.join(self.questions)}."
        hints = q.get("hints", [])
        if not hints:
            return "No hint for this one."
        return "\n".join(f"Hint {i + 1}: {h}" for i, h in enumerate(hints[:max(1, n)]))

    def prompt(self, question: str) -> str:
        """The text of a question."""
        return self.questions[question]["prompt"]


def _type_problem(q: dict, answer: object) -> str | None:
    kind = q["kind"]
    if kind == "level":
        value = answer
        if isinstance(answer, str):
            text = answer.lower().replace("level", "").strip()
            value = int(text) if text.isdigit() else None
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 1 <= int(value) <= 4:
            return "a level number from 1 to 4, like 2"
        return None
    if kind == "number":
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real) or not math.isfinite(float(answer)):
            return f"a number, like {q.get('example', 1.5)}"
        return None
    options = q["options"]
    if not isinstance(answer, str) or answer.strip() not in options:
        return "one of " + ", ".join(repr(o) for o in options)
    return None


@cache
def load(bank: str) -> ExerciseSet:
    """Load a question bank by id (e.g. ``"01_supplier_levels"``)."""
    import yaml

    path = DATA_DIR / f"{bank}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in DATA_DIR.glob("*.yaml")))
        raise B4BError(f"unknown exercise set {bank!r}", fix=f"Known sets: {known}.")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = {q["id"]: q for q in data["questions"]}
    return ExerciseSet(data["id"], data["framework"], questions)
