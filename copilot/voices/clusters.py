"""Grouping voiceprints by voice: spectral clustering with the number of voices estimated.

Average-linkage clustering of speaker embeddings broke real recordings apart in the tests
that led to this module (issue 17); spectral clustering on a pruned cosine affinity (as in
Park et al., "Auto-tuning spectral clustering for speaker diarization", 2019) kept them
together. It is a few lines of numpy (an eigendecomposition and k-means), so it does not
bring scikit-learn and scipy (~110 MB) into the install.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Clustering", "cluster_voices", "MAX_VOICES"]

MAX_VOICES = 6
# Of each voiceprint's neighbours, the closest this share are kept in the affinity (at least 5).
_KEEP = 0.25
# A sales call has two voices: more are taken only when the eigengap says so this clearly.
_MORE_THAN_TWO = 1.5
# Estimating, a recording is taken to have at least two voices (it is a call); it is one voice only
# when the two halves it splits into sound the same (their mean voiceprints this close).
_ONE_VOICE = 0.95

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Clustering:
    """Which voice each voiceprint belongs to, and how sure the count of voices is."""

    labels: npt.NDArray[np.int64]  # one per voiceprint, 0 .. voices-1, in order of first appearance
    voices: int
    estimated: bool  # the number of voices was estimated (not given)


def _affinity(x: Vectors) -> npt.NDArray[np.float64]:
    sim = np.clip(x @ x.T, -1.0, 1.0).astype(np.float64)
    n = len(x)
    keep = max(5, int(np.ceil(_KEEP * n)))
    if keep < n:
        cut = np.sort(sim, axis=1)[:, -keep][:, None]
        sim = np.where(sim >= cut, sim, 0.0)
    sim = np.maximum(sim, sim.T)
    np.fill_diagonal(sim, 0.0)
    out: npt.NDArray[np.float64] = np.maximum(sim, 0.0)
    return out


def _kmeans(points: npt.NDArray[np.float64], k: int, seed: int = 0, restarts: int = 8) -> npt.NDArray[np.int64]:
    """Plain k-means with k-means++ starts; the labels of the tightest of ``restarts`` runs."""
    rng = np.random.default_rng(seed)
    best: tuple[float, npt.NDArray[np.int64]] | None = None
    for _ in range(restarts):
        centres = [points[rng.integers(len(points))]]
        for _ in range(1, k):
            d = np.min([((points - c) ** 2).sum(axis=1) for c in centres], axis=0)
            centres.append(points[rng.choice(len(points), p=d / d.sum()) if d.sum() > 0 else rng.integers(len(points))])
        c = np.array(centres)
        labels = np.zeros(len(points), np.int64)
        for _ in range(100):
            labels = np.argmin(((points[:, None, :] - c[None]) ** 2).sum(axis=2), axis=1)
            moved = np.array([points[labels == j].mean(axis=0) if (labels == j).any() else c[j] for j in range(k)])
            if np.allclose(moved, c):
                break
            c = moved
        inertia = float(((points - c[labels]) ** 2).sum())
        if best is None or inertia < best[0]:
            best = (inertia, labels)
    assert best is not None
    return best[1]


def cluster_voices(x: Vectors, voices: int | None = None) -> Clustering:
    """Cluster unit voiceprints (rows of ``x``) into ``voices`` voices, or as many as the eigengap shows."""
    n = len(x)
    if n == 0:
        return Clustering(np.zeros(0, np.int64), 0, voices is None)
    if n < 4:
        return Clustering(np.zeros(n, np.int64), 1, voices is None)
    a = _affinity(x)
    d = a.sum(axis=1)
    d_inv = 1.0 / np.sqrt(np.maximum(d, 1e-12))
    lap = np.eye(n) - d_inv[:, None] * a * d_inv[None, :]
    values, vectors = np.linalg.eigh(lap)
    estimated = voices is None
    if voices is None:
        most = min(MAX_VOICES, n - 1)
        gaps = np.diff(values[: most + 1])  # gaps[k-1] = lambda_{k+1} - lambda_k
        k = int(np.argmax(gaps[1:])) + 2 if len(gaps) > 1 else 2
        if k > 2 and gaps[k - 1] < _MORE_THAN_TWO * gaps[1]:
            k = 2
        voices = k
    voices = max(1, min(voices, n))
    if voices == 1:
        return Clustering(np.zeros(n, np.int64), 1, estimated)
    emb = vectors[:, :voices]
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-12
    raw = _kmeans(emb, voices)
    if estimated and voices == 2:
        c = np.stack([x[raw == j].mean(axis=0) for j in range(2)])
        c /= np.linalg.norm(c, axis=1, keepdims=True) + 1e-12
        if float(c[0] @ c[1]) > _ONE_VOICE:
            return Clustering(np.zeros(n, np.int64), 1, estimated)
    # Number the voices in the order they first speak.
    order = {int(v): i for i, v in enumerate(dict.fromkeys(raw.tolist()))}
    return Clustering(np.array([order[int(v)] for v in raw], np.int64), len(order), estimated)
