"""A short scenario for the recorder, report and browser tests (seconds, not minutes)."""

from pathlib import Path

from scenario_texts import BASE_ASSET, BATTALION_BN, ORIGIN

MARKUP_NAME = "small <script>window.__pwned=1</script>"
"""A scenario name that would run a script if it reached the page as markup."""
MARKUP_RAID = "drones <img src=x onerror=window.__pwned=2>"
"""A raid name that would inject an image (and run its handler) if it reached the page."""


def small_scenario(name: str = "small", raid: str = "drones") -> str:
    """YAML of one battalion against three drones and two guided rockets, 150 s long.

    Parameters
    ----------
    name : str
        Scenario name.
    raid : str
        Name of the drone raid.
    """
    return (
        f"name: {name!r}\nseed: 3\nduration_s: 150\ntime_step_s: 0.5\n" + ORIGIN
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


def write_small(tmp: Path, **kw: str) -> Path:
    """Write :func:`small_scenario` to ``tmp/small.yaml`` and return its path."""
    path = tmp / "small.yaml"
    path.write_text(small_scenario(**kw), encoding="utf-8")
    return path
