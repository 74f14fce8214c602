"""The business logic, free of Lambda types so that every trigger's handler shares it and tests stay trivial."""


def greet(name: object) -> dict[str, str]:
    """Greet `name`; a missing or empty name greets the world. Raises ValueError for a name that is not text."""
    if name is None or name == "":
        name = "world"
    if not isinstance(name, str):
        raise ValueError("name must be a string")
    return {"message": f"Hello, {name}!"}
