"""Paths the tests share (a module of its own: two conftest.py files cannot both be imported as `conftest`)."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
B4B = Path(sys.executable).with_name("b4b")
