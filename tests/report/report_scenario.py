"""A short scenario for the recorder, report and browser tests (seconds, not minutes)."""

from functools import lru_cache
from pathlib import Path

from scenario_texts import BASE_ASSET, BATTALION_BN, ORIGIN

MARKUP_NAME = "small <script>window.__pwned=1</script>"
"""A scenario name that would run a script if it reached the page as markup."""
MARKUP_RAID = "drones <img src=x onerror=window.__pwned=2>"
"""A raid name that would inject an image (and run its handler) if it reached the page."""


def small_scenario(name: str = "small", raid: str = "drones", duration_s: float = 150.0) -> str:
    """YAML of one battalion against three drones and two guided rockets, 150 s long.

    Parameters
    ----------
    name : str
        Scenario name.
    raid : str
        Name of the drone raid.
    duration_s : float
        Simulated time, s.
    """
    return (
        f"name: {name!r}\nseed: 3\nduration_s: {duration_s}\ntime_step_s: 0.5\n" + ORIGIN
        + "assets:\n" + BASE_ASSET + BATTALION_BN
        + "raids:\n"
        f"  - name: {raid!r}\n"
        "    threat: shahed\n    count: 3\n"
        "    launch_area: {center: {east_m: -12000, north_m: 6000}, radius_m: 1000}\n"
        "    launch_window_s: [0, 10]\n    target: base\n"
        "    profile: {altitude_m: 100, speed_mps: 50}\n"
        "  - name: rockets\n"
        "    threat: fatah-1\n    count: 2\n"
        "    launch_area: {center: {east_m: -60000, north_m: -10000}, radius_m: 1000}\n"
        "    launch_window_s: [0, 5]\n    target: base\n"
        "    profile: {flight_path_angle_deg: 40}\n"
    )


def write_small(tmp: Path, **kw: object) -> Path:
    """Write :func:`small_scenario` to ``tmp/small.yaml`` and return its path."""
    path = tmp / "small.yaml"
    path.write_text(small_scenario(**kw), encoding="utf-8")  # type: ignore[arg-type]
    return path


@lru_cache(maxsize=1)
def compiled_small():
    """The default :func:`small_scenario`, loaded and compiled once per test session.

    Returns
    -------
    tuple
        ``(scenario model, SimParams)``.
    """
    from triumf.equipment.database import load_database
    from triumf.scenario.compile import compile_scenario
    from triumf.scenario.load import load_scenario_text

    scn, _ = load_scenario_text(small_scenario(), file="small.yaml")
    return scn, compile_scenario(scn, load_database())
