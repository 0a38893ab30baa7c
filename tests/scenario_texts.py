"""Scenario YAML pieces that several tests build their scenarios from.

The pieces are plain text, joined with the lines each test needs; tests that check reported
line numbers keep their own lines above these pieces.
"""

ORIGIN = "origin: {latitude_deg: 30.0, longitude_deg: 75.0}\n"

ASSET_A = "  - {name: A, position: {east_m: 0, north_m: 0}, value: 1, radius_m: 100}\n"

BASE_ASSET = """\
  - name: base
    position: {east_m: 0, north_m: 0}
    value: 10
    radius_m: 1000
"""

# Battalion "bn" 5 km west of the origin: search radar 91N6E, engagement radar 92N6E and one
# 5P85SE2 launcher L1 with 2 48N6E2 and 8 9M96E2.
BATTALION_BN = """\
battalions:
  - name: bn
    command_post:
      type: 55K6E
      position: {east_m: -5000, north_m: 0}
    radars:
      - name: search
        type: 91N6E
        position: {east_m: -5000, north_m: 500}
      - name: engage
        type: 92N6E
        position: {east_m: -5000, north_m: -500}
    engagement_radar: engage
    fire_units:
      - name: L1
        launcher: 5P85SE2
        position: {east_m: -6000, north_m: 0}
        missiles: {48N6E2: 2, 9M96E2: 8}
"""

RADAR_FC = "{name: fc, type: 92N6E, position: {east_m: 0, north_m: 0}}"
# one 5P85SE2 launcher L1 at the origin with four 48N6E2
FIRE_UNIT_L1 = (
    "{name: L1, launcher: 5P85SE2, position: {east_m: 0, north_m: 0}, missiles: {48N6E2: 4}}"
)


def battalion_b(fire_unit: str, radars: tuple[str, ...] = (RADAR_FC,), engage: str = "fc") -> str:
    """``battalions:`` with one battalion B, its command post at the origin.

    Parameters
    ----------
    fire_unit : str
        The one fire unit as a YAML flow mapping (one line).
    radars : tuple of str
        Each radar as a YAML flow mapping (one line each).
    engage : str
        Name of the engagement radar.

    Returns
    -------
    str
        ``7 + len(radars)`` lines of YAML, each ending in a newline.
    """
    radar_lines = "".join(f"      - {r}\n" for r in radars)
    return (
        "battalions:\n"
        "  - name: B\n"
        "    command_post: {type: 55K6E, position: {east_m: 0, north_m: 0}}\n"
        f"    radars:\n{radar_lines}"
        f"    engagement_radar: {engage}\n"
        "    fire_units:\n"
        f"      - {fire_unit}\n"
    )
