"""The compiled tracker keeps a confirmed track for one look of the slowest radar."""

import numpy as np

from triumf.equipment.database import load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.load import load_scenario


def test_coast_time_is_the_longest_revisit_in_the_equipment_files() -> None:
    """delete_coast_s equals the largest revisit_s of the demo's radar types (equipment YAML)."""
    scn, _ = load_scenario("demo")
    db = load_database()
    params = compile_scenario(scn, db)
    types = {rd.type for b in scn.battalions for rd in b.radars}
    longest = max(db.get(name).value("revisit_s") for name in types)
    assert np.isclose(params.tracker.delete_coast_s, longest)
