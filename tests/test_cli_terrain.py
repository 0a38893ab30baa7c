"""The command line with terrain: a bad terrain file is a clean exit 2 naming file and field."""

from typer.testing import CliRunner

from triumf.cli import app
from triumf.scenario.load import example_path

runner = CliRunner()


def test_validate_reports_a_bad_terrain_file(tmp_path):
    """A GeoTIFF that is not one gives exit 2 and 'file:line: terrain.files[0]: ...'."""
    (tmp_path / "dem.tif").write_bytes(b"not a tiff")
    text = example_path("ridge").read_text()
    start = text.index("terrain:")
    end = text.index("assets:")
    scn = tmp_path / "s.yaml"
    scn.write_text(text[:start] + "terrain: {files: [dem.tif]}\n\n" + text[end:])
    res = runner.invoke(app, ["validate", str(scn)])
    assert res.exit_code == 2
    assert "terrain.files[0]" in res.output and "not a readable TIFF" in res.output
    assert "Traceback" not in res.output


def test_validate_accepts_the_ridge_example():
    """The shipped terrain example validates."""
    res = runner.invoke(app, ["validate", "ridge"])
    assert res.exit_code == 0, res.output
