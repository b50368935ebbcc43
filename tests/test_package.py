"""The package installs under one import name, from a wheel too, with its data files."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newstrace.ingest.cli import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_target(tmp_path_factory):
    "The wheel built from this checkout, installed (without dependencies) into a folder of its own."
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    wheel = next(out.glob("newstrace-*.whl"))
    target = out / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    return target


def run_from(target, code):
    env = dict(os.environ, PYTHONPATH=str(target))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=str(target.parent))


def test_wheel_installs_under_newstrace_only(wheel_target):
    assert (wheel_target / "newstrace" / "plugin" / "__init__.py").exists()
    assert (wheel_target / "newstrace" / "ingest" / "cli.py").exists()
    assert not (wheel_target / "plugin").exists() and not (wheel_target / "ingest").exists()
    result = run_from(wheel_target, "import newstrace.ingest, newstrace.plugin; print(newstrace.ingest.__file__)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(str(wheel_target))
    bare = run_from(wheel_target, "import plugin")
    assert bare.returncode != 0 and "No module named 'plugin'" in bare.stderr


def test_wheel_ships_its_data(wheel_target):
    ingest = wheel_target / "newstrace" / "ingest"
    assert json.loads((ingest / "data" / "metadata.json").read_text())["databases"]["newstrace"]
    assert (ingest / "data" / "boilerplate.json").exists()
    assert (ingest / "data" / "countries.json").exists()
    assert any((ingest / "sample").rglob("*.html")), "the sample corpus is package data"
    templates = list((wheel_target / "newstrace" / "plugin" / "templates").glob("newstrace_*.html"))
    assert templates and all(t.name.startswith("newstrace_") for t in templates)
    code = ("import json; from newstrace.ingest.pipeline import analyze_document; "
            "print(json.dumps(analyze_document('Officials in Tokyo said Japan will join.', 'x')))")
    result = run_from(wheel_target, code)
    assert result.returncode == 0, result.stderr
    assert "JP" in json.loads(result.stdout)["countries"]


def test_every_module_imports_from_the_wheel(wheel_target):
    "Every module of ingest/ and plugin/, each subpackage's included, is in the wheel and imports from there."
    names = []
    for folder in ("ingest", "plugin"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append("newstrace." + ".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    assert {"newstrace.ingest.acquire", "newstrace.ingest.claims.trace.update", "newstrace.ingest.sample.server",
            "newstrace.ingest.store.schema", "newstrace.plugin.claims"} <= set(names)
    code = f"import importlib, json; print(json.dumps([importlib.import_module(n).__file__ for n in {names!r}]))"
    result = run_from(wheel_target, code)
    assert result.returncode == 0, result.stderr
    files = json.loads(result.stdout)
    assert len(files) == len(names) and all(f.startswith(str(wheel_target)) for f in files)


def test_bare_import_fails_in_the_dev_install_too():
    result = subprocess.run([sys.executable, "-c", "import ingest"], capture_output=True, text=True, cwd="/")
    assert result.returncode != 0


@pytest.mark.parametrize("command", [[]] + [[name] for name in sorted(cli.commands)])
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, command + ["--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_every_command_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert {"ingest", "reextract", "optimize", "analyze", "demo"} <= set(cli.commands)
    for name in cli.commands:
        assert f"### `newstrace {name}" in readme, name


def test_bad_option_is_a_fatal_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "newstrace.ingest.cli", "ingest", str(tmp_path / "x.db"),
                             "--workers", "zero"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "workers" in result.stderr


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("newstrace")
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "ingest" in result.stdout
