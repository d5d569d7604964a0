"""Parallel and distributed runs give exactly the serial complex."""

from __future__ import annotations

import pytest

from exactpoly.complex import region_complex, summary
from exactpoly.errors import DomainError
from exactpoly.network import network_from_layers, random_network
from exactpoly.parallel import Runner, make_runner


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
