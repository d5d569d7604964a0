"""Regions during training (exactpoly.experiments.training): deterministic PyTorch training, exact snapshots."""

from __future__ import annotations

import json
import sys
from collections import Counter
from fractions import Fraction

import pytest

torch = pytest.importorskip("torch")

from exactpoly import read_network, region_complex, summary  # noqa: E402
from exactpoly.cli import main  # noqa: E402
from exactpoly.errors import DomainError  # noqa: E402
from exactpoly.experiments.training import (  # noqa: E402
    Snapshot,
    ball_dataset,
    dataset,
    epoch_stats,
    format_training,
    karate_dataset,
    plot_training,
    train_snapshots,
    training_run,
)
from exactpoly.io.torch_import import MissingDependencyError  # noqa: E402
from exactpoly.plot import png_size  # noqa: E402
from exactpoly.theory.slices import random_plane, slice_complex  # noqa: E402


def test_ball_labels_are_exact():
    ds = ball_dataset(64, data_seed=3)
    assert ds.X.shape == (64, 3) and ds.input_dim == 3 and ds.n_classes == 2
    for x, y in zip(ds.X, ds.y):
        assert y == int(sum(Fraction(float(v)) ** 2 for v in x) < 1)
    assert (ball_dataset(64, 3).X == ds.X).all()


def test_karate_dataset():
    ds = karate_dataset()
    assert ds.X.shape == (34, 34) and (ds.X == ds.X.T).all() and ds.X.sum() == 2 * 78
    assert ds.y.tolist().count(1) == 17
    with pytest.raises(DomainError, match="dataset: expected one of ball, karate"):
        dataset("mnist")


def test_training_is_deterministic_and_leaves_torch_state_alone():
    torch.manual_seed(123)
    before = torch.get_rng_state()
    threads = torch.get_num_threads()
    a = train_snapshots("3-4-3-1", epochs=2, seed=1, data=ball_dataset(48), batch_size=16)
    b = train_snapshots("3-4-3-1", epochs=2, seed=1, data=ball_dataset(48), batch_size=16)
    assert a == b
    assert torch.equal(torch.get_rng_state(), before) and torch.get_num_threads() == threads
    c = train_snapshots("3-4-3-1", epochs=2, seed=2, data=ball_dataset(48), batch_size=16)
    assert c[0].network != a[0].network
    assert [s.epoch for s in a] == [0, 1, 2]
    assert a[1].network != a[0].network  # the weights moved
    assert all(isinstance(s.loss, Fraction) and 0 <= s.accuracy <= 1 for s in a)
    # snapshot 0 is the Xavier-uniform initialisation with float32 bias 0.01
    assert set(a[0].network.biases[0]) == {Fraction(float(torch.tensor(0.01, dtype=torch.float32)))}


def test_epoch_stats_match_the_complex():
    run = training_run("3-5-4-1", epochs=2, seed=0, n_samples=64, box="3/2")
    for snap, st in zip(run.snapshots, run.epochs):
        s = summary(region_complex(snap.network, box="3/2"))
        assert st.n_regions == s["regions"]
        assert {str(k): c for k, c in st.histogram} == s["facet_histogram"]
        assert st.mean_facets == Fraction(s["average_facets"]) and st.max_facets == s["max_facets"]
        assert st.threshold == Fraction(9, 2)
        assert st.n_simple == sum(c for k, c in st.histogram if k < Fraction(9, 2))
    assert run.to_mapping()["domain"] == {"box": "3/2"}


def test_stats_on_a_plane():
    ds = karate_dataset()
    plane = random_plane(34, seed=0, origin=ds.X[0])
    run = training_run("34-4-3-2", epochs=1, seed=0, dataset_name="karate", box=2, plane=plane)
    cx = slice_complex(run.snapshots[-1].network, plane, box=2)
    assert run.epochs[-1].n_regions == cx.n_regions
    assert run.epochs[-1].histogram == tuple(sorted(Counter(r.n_facets for r in cx.regions).items()))
    assert run.to_mapping()["plane"] == plane.to_mapping()
    with pytest.raises(DomainError, match="plane: it lives in dimension 3"):
        training_run("34-4-2", epochs=0, dataset_name="karate", plane=random_plane(3))


def test_formats_and_plot(tmp_path):
    run = training_run("3-4-1", epochs=1, n_samples=32)
    md = format_training(run, "markdown")
    assert md.count("\n| ") == 3 and "Γ/2" in md
    csv = format_training(run, "csv").splitlines()
    assert len(csv) == 3 and csv[0].startswith("epoch,loss,accuracy,regions")
    js = json.loads(format_training(run, "json"))
    assert [e["regions"] for e in js["epochs"]] == [s.n_regions for s in run.epochs]
    assert js["epochs"][0]["mean_facets"] == str(run.epochs[0].mean_facets).replace(" ", "")
    with pytest.raises(DomainError, match="fmt"):
        format_training(run, "latex")
    p = tmp_path / "t.png"
    assert plot_training(run, p, dpi=50) == str(p)
    assert png_size(p) == (450, 175)
    import matplotlib.image as mpimg

    img = mpimg.imread(str(p))
    assert img.min() < img.max()


@pytest.mark.parametrize("kwargs,message", [
    ({"architecture": "2-4-1"}, "architecture: '2-4-1' has 2 inputs but the 'ball' data set has 3"),
    ({"architecture": "3-1"}, "has no hidden layer"),
    ({"epochs": -1}, "epochs"),
    ({"lr": 0}, "lr"),
    ({"batch_size": 0}, "batch_size"),
    ({"seed": -2}, "seed"),
])
def test_bad_arguments(kwargs, message):
    args = {"architecture": "3-2-1", "epochs": 1, "data": ball_dataset(8), **kwargs}
    with pytest.raises(DomainError, match=message):
        train_snapshots(**args)


def test_missing_torch_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(MissingDependencyError, match=r"exactpoly\[torch\]"):
        train_snapshots("3-2-1", epochs=0, data=ball_dataset(8))


def test_epoch_stats_rejects_non_snapshots():
    with pytest.raises(DomainError, match="snapshot"):
        epoch_stats("net")
    assert isinstance(training_run("3-2-1", epochs=0, n_samples=8).snapshots[0], Snapshot)


def test_cli_train(tmp_path, capsys):
    snaps, png, out = tmp_path / "snaps", tmp_path / "t.png", tmp_path / "t.json"
    assert main(["train", "--arch", "3-4-2-1", "--epochs", "2", "--seed", "1", "--box", "1", "--format", "json",
                 "--plot", str(png), "--snapshots", str(snaps), "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    js = json.loads(out.read_text())
    assert [e["epoch"] for e in js["epochs"]] == [0, 1, 2] and js["architecture"] == "3-4-2-1"
    assert sorted(p.name for p in snaps.iterdir()) == ["epoch_000.json", "epoch_001.json", "epoch_002.json"]
    last = read_network(snaps / "epoch_002.json")
    assert summary(region_complex(last, box=1))["regions"] == js["epochs"][2]["regions"]
    assert png_size(png) == (900, 350)
    assert main(["train", "--arch", "3-3-1", "--epochs", "1", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("epoch,loss")
    assert main(["train", "--dataset", "karate", "--arch", "34-3-2", "--epochs", "1", "--plane-seed", "0",
                 "--box", "2"]) == 0
    assert "2-D cross-section" in capsys.readouterr().out


@pytest.mark.parametrize("argv,message", [
    (["--arch", "3-x-1"], "--arch"),
    (["--arch", "4-3-1"], "architecture: '4-3-1' has 4 inputs"),
    (["--dataset", "karate", "--arch", "34-3-1"], "--plane-seed"),
    (["--epochs", "-1"], "--epochs"),
    (["--box", "-1", "--arch", "3-2-1"], "box"),
    (["--lr", "nan", "--arch", "3-2-1"], "lr"),
])
def test_cli_train_errors(capsys, argv, message):
    assert main(["train", "--epochs", "0", *argv] if "--epochs" not in argv else ["train", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
