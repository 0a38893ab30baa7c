"""A chunk's three tables: writable to Parquet and consistent with each other."""

import dataclasses

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from triumf.montecarlo.chunk import run_chunk, tally_from_tables


def test_tables_write_when_no_unit_or_missile_appears(small):
    """Before any engagement (20 s), all-null text columns still write to Parquet."""
    _, params, _ = small
    out = run_chunk(dataclasses.replace(params, duration_s=20.0), 0, 0, 1)
    for t in (out.outcomes, out.events, out.replications):
        sink = pa.BufferOutputStream()
        pq.write_table(t, sink)
        back = pq.read_table(pa.BufferReader(sink.getvalue()))
        assert back.num_rows == t.num_rows
        assert back.schema.names == t.schema.names
    for name in ("unit", "missile"):
        assert out.events[name].null_count == out.events.num_rows


def test_replication_rows_agree_with_outcome_rows_and_tally(small):
    """Leakers per replication equal the hostile leaked outcome rows; the tally round-trips."""
    _, params, _ = small
    out = run_chunk(params, 0, 5, 7)
    o = out.outcomes
    for row in out.replications.to_pylist():
        sel = pc.and_(pc.equal(o["replication"], row["replication"]), o["hostile"])
        assert row["leakers"] == o.filter(sel)["leaked"].to_pylist().count(True)
    back = tally_from_tables(params, out.outcomes, out.replications)
    np.testing.assert_array_equal(back.leaked, out.tally.leaked)
    np.testing.assert_array_equal(back.spent, out.tally.spent)
    assert back.leak_causes == out.tally.leak_causes
