"""The public names are listed once, sorted, and all exist."""

from __future__ import annotations

import prinkipo


def test_all_is_sorted_and_complete() -> None:
    assert prinkipo.__all__ == sorted(prinkipo.__all__)
    for name in prinkipo.__all__:
        assert hasattr(prinkipo, name), name


def test_contract_names_are_public() -> None:
    for name in ("parse_date", "ParsedDate", "UnparseableDate", "PrinkipoError"):
        assert name in prinkipo.__all__
    assert issubclass(prinkipo.UnparseableDate, prinkipo.PrinkipoError)
