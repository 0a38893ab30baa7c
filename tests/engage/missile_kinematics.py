"""A test missile built from plain numbers (no thrust, no drag unless overridden)."""

from triumf.engage.dynamics import MissileKinematics


def kinematics(**overrides: object) -> MissileKinematics:
    """A 1000 kg coasting aerodynamic missile; keyword arguments replace any field."""
    base: dict[str, object] = dict(
        launch_mass_kg=1000.0,
        burnout_mass_kg=600.0,
        boost_thrust_n=0.0,
        boost_time_s=0.0,
        sustain_thrust_n=0.0,
        sustain_time_s=0.0,
        ref_area_m2=0.1,
        cd0=0.0,
        max_lateral_accel_mps2=300.0,
        cn_max=10.0,
        gas_dynamic=False,
        gas_dynamic_accel_mps2=0.0,
    )
    base.update(overrides)
    return MissileKinematics(**base)  # type: ignore[arg-type]
