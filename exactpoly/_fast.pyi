# Type stub of the compiled core (exactpoly/_fast.pyx).
_Child = tuple[tuple[tuple[int, ...], ...], list[tuple[int, ...]], list[tuple]]

def split_parts(pts: tuple[tuple[int, ...], ...], allvals: list[tuple[int, ...]], facets: list[tuple], t: int,
                key: tuple[int, ...], nkey: tuple[int, ...], lab: frozenset) -> tuple[_Child, _Child] | None: ...

def row_values(rows: list[tuple[int, ...]], pts: tuple[tuple[int, ...], ...]) -> tuple[list[list[int]], bytes]: ...

def volume_numerator_3d(hom: tuple[tuple[int, ...], ...],
                        simplices: tuple[tuple[int, ...], ...]) -> tuple[int, int]: ...
