"""Every URL of the product, read from the URLconf: its name (namespace:name), route and parameters."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Url:
    name: str  # "namespace:name", or "route:<route>" for a pattern without a name
    route: str
    params: tuple[tuple[str, str], ...]  # (parameter, converter class name)


def all_urls() -> list[Url]:
    found: list[Url] = []

    def walk(patterns, namespaces: list[str], prefix: str, converters: dict):
        for p in patterns:
            route = prefix + str(p.pattern)
            conv = {**converters, **getattr(p.pattern, "converters", {})}
            if isinstance(p, URLResolver):
                walk(p.url_patterns, [*namespaces, p.namespace] if p.namespace else namespaces, route, conv)
            elif isinstance(p, URLPattern):
                name = ":".join([*namespaces, p.name]) if p.name else f"route:/{route}"
                params = tuple(sorted((k, type(v).__name__) for k, v in conv.items()))
                found.append(Url(name=name, route="/" + route, params=params))

    walk(get_resolver().url_patterns, [], "", {})
    return found
