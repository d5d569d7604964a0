# Type stub of the compiled core (exactpoly/_fastsplit.pyx).
_Child = tuple[tuple[tuple[int, ...], ...], list[tuple[int, ...]], list[tuple]]

def split_parts(pts: tuple[tuple[int, ...], ...], allvals: list[tuple[int, ...]], facets: list[tuple], t: int,
                key: tuple[int, ...], nkey: tuple[int, ...], lab: frozenset) -> tuple[_Child, _Child] | None: ...
