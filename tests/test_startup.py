"""Start-up cost: the kit keeps jsonschema from compiling rfc3987_syntax's grammars (1.6 s here)."""

import subprocess
import sys

PROBE = ("import b4b_kit, altair, sys; "
         "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is not None)")


def run(env_extra):
    import os

    env = {**os.environ, **env_extra}
    env.pop("B4B_KEEP_RFC3987", None) if not env_extra else None
    return subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env,
                          timeout=120).stdout.strip()


def test_importing_the_kit_first_skips_rfc3987_syntax():
    assert run({}) == "False"


def test_the_skip_can_be_turned_off():
    assert run({"B4B_KEEP_RFC3987": "1"}) == "True"
