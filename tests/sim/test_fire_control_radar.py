"""An engagement needs the battalion's engagement radar to hold the track."""

import dataclasses

import numpy as np

from triumf.c2.base import NoFireReason
from triumf.sim.engine import run
from triumf.sim.events import EventKind


def test_blind_engagement_radar_means_no_shot(demo_params):
    """With its engagement radar blinded (1 km range), the battalion fires nothing and says why."""
    eng = int(demo_params.engagement_radar[0])
    radars = list(demo_params.radars)
    radars[eng] = dataclasses.replace(radars[eng], max_range_m=1000.0)
    blind = dataclasses.replace(demo_params, radars=tuple(radars), duration_s=500.0)
    res = run(blind, np.arange(2))
    ev = res.events.columns()
    assert not np.any(ev["kind"] == EventKind.FIRE_ORDER)
    assert not np.any(ev["kind"] == EventKind.INTERCEPTOR_LAUNCH)
    reasons = ev["reason"][ev["kind"] == EventKind.NO_FIRE]
    assert np.any(reasons == NoFireReason.NO_FIRE_CONTROL_TRACK)

