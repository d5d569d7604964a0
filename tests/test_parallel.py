"""Parallel and distributed runs give exactly the serial complex."""

from __future__ import annotations

import os
from math import comb

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpoly import region_complex, summary
from exactpoly.errors import DomainError
from exactpoly.network import network_from_layers, random_network
from exactpoly.parallel import Runner, make_runner
from exactpoly.strategies import relu_networks


def _fingerprint(cx):
    return (summary(cx), [(r.pattern, r.facets, r.points, r.rays, r.lines) for r in cx.regions],
            sorted(cx.graph.edges(data=True)))


@pytest.fixture(scope="module")
def deep_net():
    # 2 hidden layers with enough first-layer regions (>= 16 parents) to go parallel
    return random_network("3-8-5-1", "xavier_uniform", bias=0.01, seed=3)


def test_process_workers_identical(deep_net):
    serial = region_complex(deep_net, box=1)
    parallel = region_complex(deep_net, box=1, workers=2)
    assert serial.history[1] >= 16
    assert _fingerprint(parallel) == _fingerprint(serial)


def test_process_workers_identical_unbounded_and_degenerate():
    # duplicated and dead neurons, zero biases, three layers, R^2
    net = network_from_layers(2, [
        ([[1, 0], [0, 1], [1, 1], [2, 2], [1, -1], [0, 0], [1, 2], [-1, 3]], [0, 0, 0, 0, "1/2", 0, -1, 1]),
        ([[1, -1, 0, 1, 0, 0, 1, 1], [0, 1, 1, 0, -1, 1, 0, 1]], [0, "-1/3"]),
        ([[1, 1], [1, -1]], [0, 0]),
        ([[1, 1]], [0])])
    for box in (None, 2):
        assert _fingerprint(region_complex(net, box=box, workers=2)) == \
            _fingerprint(region_complex(net, box=box))


def test_runner_chunks_cover_everything():
    r = Runner()
    r.workers = 3
    for n in (1, 2, 5, 12, 13, 100):
        chunks = r.chunks(n)
        assert [i for a, b in chunks for i in range(a, b)] == list(range(n))


def test_bad_workers():
    with pytest.raises(DomainError, match="workers"):
        make_runner(0)
    with pytest.raises(DomainError, match="workers"):
        make_runner(True)



def _scaled(state, i):
    import time

    # every task takes a while (uneven ones longer), so that on a loaded machine the
    # forked workers start before the main process has taken all 40 tasks itself
    time.sleep(0.05 if i % 7 == 0 else 0.02)
    return (os.getpid(), state[i] * i)


def _fails_on_five(state, i):
    if i == 5:
        raise ValueError(f"task {i} failed")
    return state[i]


def _dies_outside_main(state, i):
    import time

    if os.getpid() != state:
        os._exit(3)  # a worker killed mid-task (e.g. by the OOM killer)
    time.sleep(0.02)  # the main process leaves tasks for the worker to claim
    return i


def test_forked_map_shared_in_order_and_main_works_too():
    with make_runner(3) as r:
        got = list(r.map_shared(_scaled, list(range(40)), [(i,) for i in range(40)]))
    assert [v for _pid, v in got] == [i * i for i in range(40)]
    # the main process takes tasks itself instead of waiting (2 forked + this one)
    assert os.getpid() in {pid for pid, _v in got} and len({pid for pid, _v in got}) >= 2


def test_forked_map_shared_raises_the_task_error():
    with make_runner(2) as r, pytest.raises(ValueError, match="task 5 failed"):
        list(r.map_shared(_fails_on_five, list(range(30)), [(i,) for i in range(30)]))


def test_forked_map_shared_worker_death_raises_instead_of_hanging():
    with make_runner(2) as r, pytest.raises(RuntimeError, match="worker process died"):
        list(r.map_shared(_dies_outside_main, os.getpid(), [(i,) for i in range(50)]))


def test_incremental_facet_join_with_colliding_fingerprints(deep_net, monkeypatch):
    """The main process joins facets as the workers send regions; with every
    fingerprint equal the exact regrouping must still give the serial edges."""
    from exactpoly.complex import build
    from exactpoly.complex.regions import Region

    serial = region_complex(deep_net, box=1)

    def not_at_the_end(regions):
        raise AssertionError("the facets were joined after the build, not as the regions came in")

    monkeypatch.setattr(build, "match_facets", not_at_the_end)
    monkeypatch.setattr(Region, "facet_fingerprints",
                        property(lambda self: tuple(None if f.walls else 7 for f in self.facets)))
    assert _fingerprint(region_complex(deep_net, box=1, workers=2)) == _fingerprint(serial)

def test_dask_local_cluster(deep_net):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        got = region_complex(deep_net, box=1, scheduler=cluster.scheduler_address)
    assert _fingerprint(got) == _fingerprint(region_complex(deep_net, box=1))


def test_cli_workers(capsys, tmp_path):
    import json

    from exactpoly.cli import main
    from exactpoly.network import write_network

    path = tmp_path / "net.json"
    write_network(random_network("3-8-5-1", "xavier_uniform", bias=0.01, seed=3), path)
    assert main(["regions", str(path), "--json"]) == 0
    serial = json.loads(capsys.readouterr().out)
    assert main(["regions", str(path), "--json", "--workers", "2"]) == 0
    assert json.loads(capsys.readouterr().out) == serial
    assert main(["regions", str(path), "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err


def test_one_hidden_layer_split_in_pieces_by_workers():
    # one parent (the box) cut into pieces here, finished as Regions by two workers
    from exactpoly.complex import workers

    net = random_network("3-25-1", "xavier_uniform", bias=0.01, seed=1)
    assert sum(comb(25, i) for i in range(4)) >= workers.PIECES_MIN_CELLS  # really in pieces
    assert _fingerprint(region_complex(net, box=1, workers=2)) == _fingerprint(region_complex(net, box=1))


def test_cutting_pieces_separately_concatenates_to_the_whole():
    """The invariant the parallel first layer relies on (``split.cut_cells``)."""
    from fractions import Fraction

    from exactpoly.complex.local_maps import LayerMaps, identity_map
    from exactpoly.complex.split import Cell, cut_cells, finish_cell, finish_cells, plan_split
    from exactpoly.geometry.dd import generators_of
    from exactpoly.geometry.polyhedron import box_rows

    net = random_network("2-9-1", "xavier_uniform", bias=0.01, seed=0)
    rows0 = [r for r, _ in box_rows(Fraction(1), 2)]
    labels0 = [frozenset([("w", j, s)]) for _, (j, s) in box_rows(Fraction(1), 2)]
    root = Cell((), rows0, labels0, generators_of(rows0, 2), identity_map(2))
    finish_cell(root, 2)
    maps = LayerMaps(net.weights[0], net.biases[0])

    def finished(cells):
        return [(c.pattern, c.facets, c.gens) for c in cells]

    plan, first = plan_split(root, 0, maps, 2)
    K = len(plan.keys)
    whole = finished(finish_cells(plan, cut_cells(plan, [first], 0, K)))
    plan, first = plan_split(root, 0, maps, 2)
    pieces = cut_cells(plan, [first], 0, 3)
    assert len(pieces) > 2 and K > 3
    joined = []
    for p in pieces:
        joined += finished(finish_cells(plan, cut_cells(plan, [p], 3, K)))
    assert joined == whole


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=relu_networks(input_dim=st.integers(1, 3), widths=st.lists(st.integers(1, 5), min_size=1, max_size=2),
                         degenerate=True))
def test_workers_identical_on_random_and_degenerate_nets(net):
    from exactpoly.complex import workers

    serial = _fingerprint(region_complex(net, box=1))
    assert _fingerprint(region_complex(net, box=1, workers=2)) == serial
    saved = workers.PIECES_PER_WORKER, workers.PIECES_MIN_CELLS
    workers.PIECES_PER_WORKER, workers.PIECES_MIN_CELLS = 1, 0  # workers get pieces even for tiny nets
    try:
        assert _fingerprint(region_complex(net, box=1, workers=2)) == serial
    finally:
        workers.PIECES_PER_WORKER, workers.PIECES_MIN_CELLS = saved
